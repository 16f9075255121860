// Usage accounting's rows (store/usage_repo.hpp) on SQLite.
#include <sqlite3.h>

#include "store/sqlite_store.hpp"
#include "store/sqlite_util.hpp"

namespace gw::store {

using detail::statement;

expected<void> sqlite_store::add_usage(const std::vector<usage_event>& events) {
  return in_transaction([&]() -> expected<void> {
    statement st(db_, "INSERT INTO usage_events VALUES (?,?,?,?)");
    for (const auto& e : events) {
      sqlite3_reset(st.get());
      st.bind(1, e.tenant);
      st.bind(2, e.kind);
      st.bind(3, e.at_ms);
      st.bind(4, e.value);
      if (sqlite3_step(st.get()) != SQLITE_DONE)
        return last_error();
    }
    return {};
  });
}

expected<usage_rows> sqlite_store::load_usage(const std::string& tenant,
                                              int64_t from_ms, int64_t to_ms) {
  usage_rows out;
  {
    statement st(db_, "SELECT meeting_id, started_ms, ended_ms, connections "
                      "FROM usage_meetings WHERE tenant = ? AND started_ms < ? "
                      "AND (ended_ms = 0 OR ended_ms > ?) ORDER BY started_ms");
    st.bind(1, tenant);
    st.bind(2, to_ms);
    st.bind(3, from_ms);
    int rc = SQLITE_DONE;
    while ((rc = sqlite3_step(st.get())) == SQLITE_ROW) {
      usage_meeting m;
      m.tenant = tenant;
      m.meeting_id = st.text(0);
      m.started_ms = st.int64(1);
      m.ended_ms = st.int64(2);
      m.connections = st.int64(3);
      out.meetings.push_back(std::move(m));
    }
    if (rc != SQLITE_DONE)
      return last_error();
  }
  statement st(db_, "SELECT kind, at_ms, value FROM usage_events WHERE "
                    "tenant = ? AND at_ms >= ? AND at_ms < ? ORDER BY at_ms");
  st.bind(1, tenant);
  st.bind(2, from_ms);
  st.bind(3, to_ms);
  int rc = SQLITE_DONE;
  while ((rc = sqlite3_step(st.get())) == SQLITE_ROW) {
    usage_event e;
    e.tenant = tenant;
    e.kind = st.text(0);
    e.at_ms = st.int64(1);
    e.value = st.int64(2);
    out.events.push_back(std::move(e));
  }
  if (rc != SQLITE_DONE)
    return last_error();
  return out;
}

expected<void> sqlite_store::purge_usage(int64_t before_ms) {
  return in_transaction([&]() -> expected<void> {
    statement a(db_, "DELETE FROM usage_meetings WHERE ended_ms > 0 AND "
                     "ended_ms < ?");
    a.bind(1, before_ms);
    if (sqlite3_step(a.get()) != SQLITE_DONE)
      return last_error();
    statement b(db_, "DELETE FROM usage_events WHERE at_ms < ?");
    b.bind(1, before_ms);
    if (sqlite3_step(b.get()) != SQLITE_DONE)
      return last_error();
    return {};
  });
}

} // namespace gw::store
