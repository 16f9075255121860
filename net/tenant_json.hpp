#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/tenant.hpp"

namespace gw::net {

/// A tenant as the admin API shows it (design.md §8): the YAML tenant's
/// field names; the console password never (only whether one is set).
nlohmann::json tenant_to_json(const tenant_spec& t);

/// Reads a tenant from an admin API body (POST): shapes only, by field key
/// (`max_participants: must be an integer`); what the values must be is
/// core's validate_tenant. A body without `secrets` gets none (the caller
/// generates one); `console_password` is returned in clear for hashing.
std::optional<field_error> read_tenant(const nlohmann::json& body,
                                       tenant_spec& out,
                                       std::string& console_password);

/// Reads a change from an admin API body (PATCH); `id` cannot change.
std::optional<field_error> read_tenant_patch(const nlohmann::json& body,
                                             tenant_patch& out,
                                             std::string& console_password);

/// The stored form of a tenant (the store's tenants table): everything,
/// the password hash included.
std::string tenant_to_stored(const tenant_spec& t);

/// Reads the stored form; false if it is not one.
bool tenant_from_stored(const std::string& text, tenant_spec& out);

} // namespace gw::net
