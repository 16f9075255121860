#pragma once

#include <string>
#include <vector>

#include "core/expected.hpp"
#include "core/node.hpp"

namespace gw::store {

/// A node as stored: its definition, the fingerprint of the config-file
/// entry it came from (empty: added through the admin API) and whether the
/// operator removed it.
struct stored_node {
  node_spec spec;
  std::string file_fingerprint;
  bool removed = false;
};

/// Where the operator's node definitions live durably.
class node_repo {
public:
  virtual ~node_repo() = default;

  /// Every stored node, by id.
  virtual expected<std::vector<stored_node>> load_nodes() = 0;

  /// Inserts or replaces a node.
  virtual expected<void> put_node(const stored_node& n) = 0;

  /// Updates a node's definition, keeping its fingerprint (inserts it when
  /// unknown).
  virtual expected<void> update_node(const node_spec& spec) = 0;

  /// Marks a node removed.
  virtual expected<void> remove_node(const std::string& id) = 0;
};

} // namespace gw::store
