// The nodes table (store/node_repo.hpp) on SQLite.
#include <sqlite3.h>

#include "store/sqlite_store.hpp"
#include "store/sqlite_util.hpp"

namespace gw::store {

using detail::statement;

expected<std::vector<stored_node>> sqlite_store::load_nodes() {
  std::vector<stored_node> out;
  statement st(db_, "SELECT id, url, secret, capacity, overcommit, state, "
                    "file_fingerprint, removed FROM nodes ORDER BY id");
  int rc = SQLITE_DONE;
  while ((rc = sqlite3_step(st.get())) == SQLITE_ROW) {
    stored_node r;
    r.spec.id = st.text(0);
    r.spec.url = st.text(1);
    r.spec.secret = st.text(2);
    r.spec.capacity = st.int64(3);
    r.spec.overcommit = sqlite3_column_double(st.get(), 4);
    r.spec.state = st.text(5);
    r.file_fingerprint = st.text(6);
    r.removed = st.int64(7) != 0;
    out.push_back(std::move(r));
  }
  if (rc != SQLITE_DONE)
    return last_error();
  return out;
}

expected<void> sqlite_store::put_node(const stored_node& r) {
  statement st(db_, "INSERT OR REPLACE INTO nodes VALUES (?,?,?,?,?,?,?,?)");
  st.bind(1, r.spec.id);
  st.bind(2, r.spec.url);
  st.bind(3, r.spec.secret);
  st.bind(4, r.spec.capacity);
  sqlite3_bind_double(st.get(), 5, r.spec.overcommit);
  st.bind(6, r.spec.state);
  st.bind(7, r.file_fingerprint);
  st.bind(8, int64_t{r.removed ? 1 : 0});
  if (sqlite3_step(st.get()) != SQLITE_DONE)
    return last_error();
  return {};
}

expected<void> sqlite_store::update_node(const node_spec& spec) {
  statement st(db_, "UPDATE nodes SET url = ?, secret = ?, capacity = ?, "
                    "overcommit = ?, state = ?, removed = 0 WHERE id = ?");
  st.bind(1, spec.url);
  st.bind(2, spec.secret);
  st.bind(3, spec.capacity);
  sqlite3_bind_double(st.get(), 4, spec.overcommit);
  st.bind(5, spec.state);
  st.bind(6, spec.id);
  if (sqlite3_step(st.get()) != SQLITE_DONE)
    return last_error();
  if (sqlite3_changes(db_) == 0)
    return put_node(stored_node{spec, {}, false});
  return {};
}

expected<void> sqlite_store::remove_node(const std::string& id) {
  statement st(db_, "UPDATE nodes SET removed = 1 WHERE id = ?");
  st.bind(1, id);
  if (sqlite3_step(st.get()) != SQLITE_DONE)
    return last_error();
  return {};
}

} // namespace gw::store
