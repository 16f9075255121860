// The tenants table (store/tenant_repo.hpp) on SQLite: one JSON document
// per tenant (net/tenant_json.hpp), so a new tenant field needs no schema
// change.
#include <sqlite3.h>

#include "net/tenant_json.hpp"
#include "store/sqlite_store.hpp"
#include "store/sqlite_util.hpp"

namespace gw::store {

using detail::statement;

expected<std::vector<stored_tenant>> sqlite_store::load_tenants() {
  std::vector<stored_tenant> out;
  statement st(db_, "SELECT id, spec, file_fingerprint, removed FROM tenants "
                    "ORDER BY id");
  int rc = SQLITE_DONE;
  while ((rc = sqlite3_step(st.get())) == SQLITE_ROW) {
    stored_tenant r;
    if (!net::tenant_from_stored(st.text(1), r.spec))
      return failure{ec::internal_error,
                     "tenant '" + st.text(0) + "': unreadable stored row"};
    r.file_fingerprint = st.text(2);
    r.removed = st.int64(3) != 0;
    out.push_back(std::move(r));
  }
  if (rc != SQLITE_DONE)
    return last_error();
  return out;
}

expected<void> sqlite_store::put_tenant(const stored_tenant& r) {
  statement st(db_, "INSERT OR REPLACE INTO tenants VALUES (?,?,?,?)");
  st.bind(1, r.spec.id);
  st.bind(2, net::tenant_to_stored(r.spec));
  st.bind(3, r.file_fingerprint);
  st.bind(4, int64_t{r.removed ? 1 : 0});
  if (sqlite3_step(st.get()) != SQLITE_DONE)
    return last_error();
  return {};
}

expected<void> sqlite_store::update_tenant(const tenant_spec& spec) {
  statement st(db_, "UPDATE tenants SET spec = ?, removed = 0 WHERE id = ?");
  st.bind(1, net::tenant_to_stored(spec));
  st.bind(2, spec.id);
  if (sqlite3_step(st.get()) != SQLITE_DONE)
    return last_error();
  if (sqlite3_changes(db_) == 0)
    return put_tenant(stored_tenant{spec, {}, false});
  return {};
}

expected<void> sqlite_store::remove_tenant(const std::string& id) {
  statement st(db_, "UPDATE tenants SET removed = 1 WHERE id = ?");
  st.bind(1, id);
  if (sqlite3_step(st.get()) != SQLITE_DONE)
    return last_error();
  return {};
}

} // namespace gw::store
