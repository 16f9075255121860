// The outbox of relayed callbacks (store/outbox_repo.hpp) on SQLite.
#include <sqlite3.h>

#include "store/sqlite_store.hpp"
#include "store/sqlite_util.hpp"

namespace gw::store {

using detail::statement;

expected<std::vector<relay_job>> sqlite_store::load_outbox() {
  std::vector<relay_job> out;
  auto rc = detail::select_each(
    db_,
    "SELECT id, tenant, what, url, post, body, content_type, created_ms "
    "FROM outbox ORDER BY id",
    {}, [&](const statement& st) {
      relay_job j;
      j.id = st.int64(0);
      j.tenant = st.text(1);
      j.what = st.text(2);
      j.url = st.text(3);
      j.post = st.int64(4) != 0;
      j.body = st.text(5);
      j.content_type = st.text(6);
      j.created_ms = st.int64(7);
      out.push_back(std::move(j));
    });
  if (rc != SQLITE_DONE)
    return last_error();
  return out;
}

expected<void>
sqlite_store::write_outbox(const std::vector<outbox_write>& writes) {
  return in_transaction([&]() -> expected<void> {
    for (const auto& w : writes) {
      const auto& j = w.job;
      sqlite3_stmt* st = nullptr;
      if (w.erase) {
        st = cached(delete_relay_, "DELETE FROM outbox WHERE id = ?");
        sqlite3_bind_int64(st, 1, j.id);
      } else {
        st = cached(insert_relay_,
                    "INSERT OR REPLACE INTO outbox VALUES (?,?,?,?,?,?,?,?)");
        auto text = [st](int i, const std::string& v) {
          sqlite3_bind_text(st, i, v.data(), static_cast<int>(v.size()),
                            SQLITE_STATIC);
        };
        sqlite3_bind_int64(st, 1, j.id);
        text(2, j.tenant);
        text(3, j.what);
        text(4, j.url);
        sqlite3_bind_int64(st, 5, j.post ? 1 : 0);
        text(6, j.body);
        text(7, j.content_type);
        sqlite3_bind_int64(st, 8, j.created_ms);
      }
      if (auto out = run_once(st); !out)
        return out;
    }
    return {};
  });
}

} // namespace gw::store
