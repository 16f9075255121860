#pragma once

#include <string>
#include <vector>

#include "core/expected.hpp"
#include "core/tenant.hpp"

namespace gw::store {

/// A tenant as stored: its definition (the console password hashed), the
/// fingerprint of the config-file entry it came from (empty: added through
/// the admin API) and whether the operator removed it.
struct stored_tenant {
  tenant_spec spec;
  std::string file_fingerprint;
  bool removed = false;
};

/// Where the tenants' definitions live durably (the nodes' merge rule:
/// app/gateway.cpp).
class tenant_repo {
public:
  virtual ~tenant_repo() = default;

  /// Every stored tenant, by id.
  virtual expected<std::vector<stored_tenant>> load_tenants() = 0;

  /// Inserts or replaces a tenant.
  virtual expected<void> put_tenant(const stored_tenant& t) = 0;

  /// Updates a tenant's definition, keeping its fingerprint (inserts it
  /// when unknown).
  virtual expected<void> update_tenant(const tenant_spec& spec) = 0;

  /// Marks a tenant removed.
  virtual expected<void> remove_tenant(const std::string& id) = 0;
};

} // namespace gw::store
