// The outbox of relayed callbacks (store/outbox_repo.hpp) on SQLite.
#include <sqlite3.h>

#include "core/url.hpp"
#include "store/sqlite_store.hpp"
#include "store/sqlite_util.hpp"

namespace gw::store {

using detail::statement;

namespace {

constexpr const char* columns =
  "SELECT id, tenant, what, url, post, body, content_type, created_ms, "
  "headers, dest FROM outbox ";

relay_job read_job(const statement& st) {
  relay_job j;
  j.id = st.int64(0);
  j.tenant = st.text(1);
  j.what = st.text(2);
  j.url = st.text(3);
  j.post = st.int64(4) != 0;
  j.body = st.text(5);
  j.content_type = st.text(6);
  j.created_ms = st.int64(7);
  j.headers = st.text(8);
  j.dest = st.text(9);
  return j;
}

} // namespace

expected<outbox_summary> sqlite_store::outbox_summary_now() {
  // Rows written before migration 8 have no destination yet: computed here
  // once, from their URL (a URL that does not parse keeps "?", and is given
  // up when it is loaded).
  std::vector<std::pair<int64_t, std::string>> legacy;
  auto rc = detail::select_each(
    db_, "SELECT id, url FROM outbox WHERE dest = ''", {},
    [&](const statement& st) { legacy.emplace_back(st.int64(0), st.text(1)); });
  if (rc != SQLITE_DONE)
    return last_error();
  if (!legacy.empty()) {
    auto fixed = in_transaction([&]() -> expected<void> {
      for (const auto& [id, url] : legacy) {
        url_parts ep;
        std::string target;
        auto dest = parse_target_url(url, ep, target) ? ep.host + ":" + ep.port
                                                      : std::string{"?"};
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(db_, "UPDATE outbox SET dest = ? WHERE id = ?",
                               -1, &st, nullptr)
            != SQLITE_OK)
          return last_error();
        sqlite3_bind_text(st, 1, dest.data(), static_cast<int>(dest.size()),
                          SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, id);
        auto step = sqlite3_step(st);
        sqlite3_finalize(st);
        if (step != SQLITE_DONE)
          return last_error();
      }
      return {};
    });
    if (!fixed)
      return fixed.error();
  }
  outbox_summary out;
  rc = detail::select_each(
    db_, "SELECT COALESCE(MAX(id), 0) FROM outbox", {},
    [&](const statement& st) { out.next_id = st.int64(0) + 1; });
  if (rc != SQLITE_DONE)
    return last_error();
  rc = detail::select_each(
    db_, "SELECT DISTINCT dest FROM outbox ORDER BY dest", {},
    [&](const statement& st) { out.destinations.push_back(st.text(0)); });
  if (rc != SQLITE_DONE)
    return last_error();
  return out;
}

expected<std::vector<relay_job>>
sqlite_store::load_outbox(const std::string& dest, int64_t after_id,
                          int64_t limit) {
  std::vector<relay_job> out;
  auto sql =
    std::string{columns} + "WHERE dest = ? AND id > ? ORDER BY id LIMIT ?";
  statement st(db_, sql.c_str());
  st.bind(1, dest);
  st.bind(2, after_id);
  st.bind(3, limit);
  int rc = SQLITE_DONE;
  while ((rc = sqlite3_step(st.get())) == SQLITE_ROW)
    out.push_back(read_job(st));
  if (rc != SQLITE_DONE)
    return last_error();
  return out;
}

expected<std::vector<relay_job>> sqlite_store::load_outbox() {
  std::vector<relay_job> out;
  auto rc = detail::select_each(
    db_, std::string{columns} + "ORDER BY id", {},
    [&](const statement& st) { out.push_back(read_job(st)); });
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
                    "INSERT OR REPLACE INTO outbox (id, tenant, what, url, "
                    "post, body, content_type, created_ms, headers, dest) "
                    "VALUES (?,?,?,?,?,?,?,?,?,?)");
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
        text(9, j.headers);
        text(10, j.dest);
      }
      if (auto out = run_once(st); !out)
        return out;
    }
    return {};
  });
}

} // namespace gw::store
