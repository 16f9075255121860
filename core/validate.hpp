#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/node.hpp"

namespace gw {

/// What is wrong with one field of a definition: the field's key (as the
/// config file and the admin API name it) and what it must be.
struct field_error {
  std::string field;
  std::string what;

  /// `field: what`, the form every caller prints.
  std::string text() const {
    return field + ": " + what;
  }
};

/// Bounds of a node definition (a 3 MB secret or an overcommit of 1e308 is
/// a typo, not a plan).
constexpr std::size_t max_secret_length = 256;
constexpr long long max_capacity = 1'000'000'000;
constexpr double max_overcommit = 100;

/// Returns true for 1-64 letters, digits, '-' or '_' (and '.' when
/// `allow_dot`): node ids and tenant ids (a URL path segment).
bool is_valid_id(std::string_view id, bool allow_dot);

/// Checks a node definition and turns it into a node config: the one
/// implementation the config file, the fleet and the admin API share.
std::optional<field_error> validate_node(const node_spec& spec,
                                         node_config& out);

} // namespace gw
