// The meetings table (store/meeting_repo.hpp) on SQLite.
#include <sqlite3.h>

#include "store/sqlite_store.hpp"
#include "store/sqlite_util.hpp"

namespace gw::store {

using detail::statement;

expected<std::vector<meeting_row>> sqlite_store::load_meetings() {
  return select_meetings({});
}

expected<std::vector<create_intent>> sqlite_store::load_intents() {
  return select_intents({});
}

expected<tenant_meetings> sqlite_store::load_tenant(const std::string& tenant) {
  auto rows = select_meetings(tenant);
  if (!rows)
    return rows.error();
  auto intents = select_intents(tenant);
  if (!intents)
    return intents.error();
  return tenant_meetings{std::move(*rows), std::move(*intents)};
}

expected<std::vector<create_intent>>
sqlite_store::select_intents(const std::string& tenant) {
  std::vector<create_intent> out;
  auto rc = detail::select_each(
    db_,
    "SELECT tenant, meeting_id, node_id, node_meeting_id, max_participants, "
    "duration_minutes, client_duration, callback_nonce, created_at, "
    "create_query, create_body, create_content_type FROM create_intents",
    tenant, [&](const statement& st) {
      create_intent i;
      i.tenant = st.text(0);
      i.meeting_id = st.text(1);
      i.node_id = st.text(2);
      i.node_meeting_id = st.text(3);
      i.max_participants = st.int64(4);
      i.duration_minutes = st.int64(5);
      i.client_duration = st.text(6);
      i.callback_nonce = st.text(7);
      i.created_at = st.int64(8);
      i.call.query = st.text(9);
      i.call.body = st.text(10);
      i.call.content_type = st.text(11);
      i.call.found = true;
      out.push_back(std::move(i));
    });
  if (rc != SQLITE_DONE)
    return last_error();
  return out;
}

expected<void> sqlite_store::put_intent(const create_intent& i) {
  auto* st = cached(insert_intent_, "INSERT OR REPLACE INTO create_intents "
                                    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
  auto text = [st](int n, const std::string& v) {
    sqlite3_bind_text(st, n, v.data(), static_cast<int>(v.size()),
                      SQLITE_STATIC);
  };
  text(1, i.tenant);
  text(2, i.meeting_id);
  text(3, i.node_id);
  text(4, i.node_meeting_id);
  sqlite3_bind_int64(st, 5, i.max_participants);
  sqlite3_bind_int64(st, 6, i.duration_minutes);
  text(7, i.client_duration);
  text(8, i.callback_nonce);
  sqlite3_bind_int64(st, 9, i.created_at);
  text(10, i.call.query);
  text(11, i.call.body);
  text(12, i.call.content_type);
  return run_once(st);
}

expected<void> sqlite_store::erase_intent(const std::string& tenant,
                                          const std::string& meeting_id) {
  auto* st = cached(delete_intent_, "DELETE FROM create_intents WHERE "
                                    "tenant = ? AND meeting_id = ?");
  sqlite3_bind_text(st, 1, tenant.data(), static_cast<int>(tenant.size()),
                    SQLITE_STATIC);
  sqlite3_bind_text(st, 2, meeting_id.data(),
                    static_cast<int>(meeting_id.size()), SQLITE_STATIC);
  return run_once(st);
}

expected<std::vector<meeting_row>>
sqlite_store::select_meetings(const std::string& tenant) {
  std::vector<meeting_row> out;
  auto rc = detail::select_each(
    db_,
    "SELECT tenant, meeting_id, node_id, node_meeting_id, internal_id, "
    "create_time, booked_at, create_date, name, attendee_pw, moderator_pw, "
    "voice_bridge, dial_number, max_participants, duration_minutes, "
    "client_duration, record, metadata, callback_nonce, client_end_callback, "
    "first_create_time FROM meetings",
    tenant, [&](const statement& st) {
      meeting_row r;
      r.tenant = st.text(0);
      r.meeting_id = st.text(1);
      r.node_id = st.text(2);
      r.node_meeting_id = st.text(3);
      r.internal_id = st.text(4);
      r.create_time = st.int64(5);
      r.booked_at = st.int64(6);
      r.create_date = st.text(7);
      r.name = st.text(8);
      r.attendee_pw = st.text(9);
      r.moderator_pw = st.text(10);
      r.voice_bridge = st.text(11);
      r.dial_number = st.text(12);
      r.max_participants = st.int64(13);
      r.duration_minutes = st.int64(14);
      r.client_duration = st.text(15);
      r.record = st.int64(16) != 0;
      r.metadata = detail::metadata_from_json(st.text(17));
      r.callback_nonce = st.text(18);
      r.client_end_callback = st.text(19);
      r.first_create_time = st.int64(20);
      out.push_back(std::move(r));
    });
  if (rc != SQLITE_DONE)
    return last_error();
  return out;
}

expected<create_call>
sqlite_store::load_create_call(const std::string& tenant,
                               const std::string& meeting_id) {
  create_call c;
  statement st(db_, "SELECT create_query, create_body, create_content_type "
                    "FROM meetings WHERE tenant = ? AND meeting_id = ?");
  st.bind(1, tenant);
  st.bind(2, meeting_id);
  auto rc = sqlite3_step(st.get());
  if (rc == SQLITE_DONE)
    return c;
  if (rc != SQLITE_ROW)
    return last_error();
  c.query = st.text(0);
  c.body = st.text(1);
  c.content_type = st.text(2);
  c.found = true;
  return c;
}

expected<void> sqlite_store::put_meeting(const meeting_row& r,
                                         const create_call& c) {
  auto* st = cached(insert_meeting_,
                    "INSERT OR REPLACE INTO meetings VALUES "
                    "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  auto text = [st](int i, const std::string& v) {
    sqlite3_bind_text(st, i, v.data(), static_cast<int>(v.size()),
                      SQLITE_STATIC);
  };
  auto md = detail::metadata_to_json(r.metadata);
  text(1, r.tenant);
  text(2, r.meeting_id);
  text(3, r.node_id);
  text(4, r.node_meeting_id);
  text(5, r.internal_id);
  sqlite3_bind_int64(st, 6, r.create_time);
  sqlite3_bind_int64(st, 7, r.booked_at);
  text(8, r.create_date);
  text(9, r.name);
  text(10, r.attendee_pw);
  text(11, r.moderator_pw);
  text(12, r.voice_bridge);
  text(13, r.dial_number);
  sqlite3_bind_int64(st, 14, r.max_participants);
  sqlite3_bind_int64(st, 15, r.duration_minutes);
  text(16, r.client_duration);
  sqlite3_bind_int64(st, 17, r.record ? 1 : 0);
  text(18, md);
  text(19, c.query);
  text(20, c.body);
  text(21, c.content_type);
  text(22, r.callback_nonce);
  text(23, r.client_end_callback);
  // Columns added by later migrations come last, in migration order.
  sqlite3_bind_int64(st, 24, r.first_create_time);
  return run_once(st);
}

expected<void>
sqlite_store::put_meetings(const std::vector<meeting_row>& rows,
                           const std::vector<create_call>& calls) {
  create_call none;
  return in_transaction([&]() -> expected<void> {
    for (std::size_t i = 0; i < rows.size(); ++i)
      if (auto r = put_meeting(rows[i], i < calls.size() ? calls[i] : none); !r)
        return r;
    return {};
  });
}

/// A meeting's usage record begins with its booking (a move, which keeps
/// the booking, leaves it as it is).
expected<void> sqlite_store::start_usage(const meeting_row& row) {
  auto* st = cached(start_usage_,
                    "INSERT OR IGNORE INTO usage_meetings (tenant, meeting_id, "
                    "started_ms, connections) VALUES (?,?,?,?)");
  sqlite3_bind_text(st, 1, row.tenant.data(),
                    static_cast<int>(row.tenant.size()), SQLITE_STATIC);
  sqlite3_bind_text(st, 2, row.meeting_id.data(),
                    static_cast<int>(row.meeting_id.size()), SQLITE_STATIC);
  sqlite3_bind_int64(st, 3, row.booked_at);
  sqlite3_bind_int64(st, 4, row.max_participants);
  return run_once(st);
}

expected<void> sqlite_store::end_usage(const std::string& tenant,
                                       const std::string& meeting_id,
                                       int64_t at_ms) {
  auto* st = cached(end_usage_,
                    "UPDATE usage_meetings SET ended_ms = ? WHERE tenant = ? "
                    "AND meeting_id = ? AND ended_ms = 0");
  sqlite3_bind_int64(st, 1, at_ms);
  sqlite3_bind_text(st, 2, tenant.data(), static_cast<int>(tenant.size()),
                    SQLITE_STATIC);
  sqlite3_bind_text(st, 3, meeting_id.data(),
                    static_cast<int>(meeting_id.size()), SQLITE_STATIC);
  return run_once(st);
}

expected<void> sqlite_store::erase_meeting(const std::string& tenant,
                                           const std::string& meeting_id) {
  auto* st = cached(delete_meeting_,
                    "DELETE FROM meetings WHERE tenant = ? AND meeting_id = ?");
  sqlite3_bind_text(st, 1, tenant.data(), static_cast<int>(tenant.size()),
                    SQLITE_STATIC);
  sqlite3_bind_text(st, 2, meeting_id.data(),
                    static_cast<int>(meeting_id.size()), SQLITE_STATIC);
  return run_once(st);
}

expected<void>
sqlite_store::write_meetings(const std::vector<meeting_write>& writes) {
  return in_transaction([&]() -> expected<void> {
    using kind = meeting_write::kind;
    for (const auto& w : writes) {
      expected<void> r;
      switch (w.what) {
      case kind::put:
        r = put_meeting(w.row, w.call);
        if (r)
          r = erase_intent(w.row.tenant, w.row.meeting_id);
        if (r)
          r = start_usage(w.row);
        break;
      case kind::erase:
        r = erase_meeting(w.row.tenant, w.row.meeting_id);
        if (r)
          r = end_usage(w.row.tenant, w.row.meeting_id, w.at_ms);
        break;
      case kind::intend:
        r = put_intent(w.intent);
        break;
      case kind::unintend:
        r = erase_intent(w.intent.tenant, w.intent.meeting_id);
        break;
      }
      if (!r)
        return r;
    }
    return {};
  });
}

} // namespace gw::store
