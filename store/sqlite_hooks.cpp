// The clients' webhooks (store/hook_repo.hpp) on SQLite.
#include <sqlite3.h>

#include "store/sqlite_store.hpp"
#include "store/sqlite_util.hpp"

namespace gw::store {

using detail::statement;

expected<std::vector<hook>> sqlite_store::load_hooks() {
  std::vector<hook> out;
  auto rc = detail::select_each(
    db_,
    "SELECT id, tenant, callback_url, meeting_id, event_ids, raw, created_ms "
    "FROM hooks ORDER BY created_ms, id",
    {}, [&](const statement& st) {
      hook h;
      h.id = st.text(0);
      h.tenant = st.text(1);
      h.callback_url = st.text(2);
      h.meeting_id = st.text(3);
      h.event_ids = parse_event_ids(st.text(4));
      h.raw = st.int64(5) != 0;
      h.created_ms = st.int64(6);
      out.push_back(std::move(h));
    });
  if (rc != SQLITE_DONE)
    return last_error();
  return out;
}

expected<void> sqlite_store::put_hook(const hook& h) {
  auto* st =
    cached(insert_hook_, "INSERT OR REPLACE INTO hooks VALUES (?,?,?,?,?,?,?)");
  auto events = join_event_ids(h.event_ids);
  auto text = [st](int i, const std::string& v) {
    sqlite3_bind_text(st, i, v.data(), static_cast<int>(v.size()),
                      SQLITE_STATIC);
  };
  text(1, h.id);
  text(2, h.tenant);
  text(3, h.callback_url);
  text(4, h.meeting_id);
  text(5, events);
  sqlite3_bind_int64(st, 6, h.raw ? 1 : 0);
  sqlite3_bind_int64(st, 7, h.created_ms);
  return run_once(st);
}

expected<void> sqlite_store::remove_hook(const std::string& id) {
  auto* st = cached(delete_hook_, "DELETE FROM hooks WHERE id = ?");
  sqlite3_bind_text(st, 1, id.data(), static_cast<int>(id.size()),
                    SQLITE_STATIC);
  return run_once(st);
}

} // namespace gw::store
