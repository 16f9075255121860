#pragma once

#include <functional>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "core/node.hpp"
#include "core/tenant.hpp"
#include "store/node_repo.hpp"
#include "store/tenant_repo.hpp"

namespace gw {

/// The fingerprint of a config-file node entry (what tells whether the
/// entry changed since it was stored).
std::string node_fingerprint(const node_spec& spec);

/// The fingerprint of a config-file tenant entry (its console password
/// included, never stored itself).
std::string tenant_fingerprint(const config::tenant_config& t);

/// What the merge rule makes of the config file's nodes and the stored
/// ones: a file entry overrides its stored copy only when the entry itself
/// changed since it was stored, so runtime changes (admin API, console)
/// survive restarts and reloads until the file is edited; nodes added at
/// runtime stay; a node that came from the file and left it goes.
struct node_merge {
  /// File entries to store (new or changed), with their fingerprints.
  std::vector<store::stored_node> put;
  /// Nodes that came from the file and left it.
  std::vector<std::string> drop;
  /// The nodes to run, in file order, then the runtime ones.
  std::vector<node_config> run;
};

node_merge merge_nodes(const std::vector<store::stored_node>& stored,
                       const std::vector<node_config>& file);

/// The same rule for tenants. A new or changed entry's console password is
/// hashed by `hash` (an entry without one keeps the stored hash).
struct tenant_merge {
  std::vector<store::stored_tenant> put;
  std::vector<std::string> drop;
  std::vector<tenant_spec> run;
};

tenant_merge
merge_tenants(const std::vector<store::stored_tenant>& stored,
              const std::vector<config::tenant_config>& file,
              const std::function<std::string(const std::string&)>& hash);

/// Whether two tenant definitions are the same in every field.
bool same_tenant(const tenant_spec& a, const tenant_spec& b);

} // namespace gw
