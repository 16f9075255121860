#include "store/migrations.hpp"

#include <string>

#include <sqlite3.h>

namespace gw::store {

namespace {

expected<void> exec(sqlite3* db, const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string out = err ? err : "unknown SQLite error";
    sqlite3_free(err);
    return failure{ec::internal_error, out};
  }
  return {};
}

int user_version(sqlite3* db) {
  sqlite3_stmt* st = nullptr;
  int v = 0;
  if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, nullptr)
        == SQLITE_OK
      && sqlite3_step(st) == SQLITE_ROW)
    v = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  return v;
}

} // namespace

const std::vector<migration>& migrations() {
  static const std::vector<migration> all{
    {1, "meetings and nodes", R"(
CREATE TABLE IF NOT EXISTS meetings (
  tenant TEXT NOT NULL,
  meeting_id TEXT NOT NULL,
  node_id TEXT NOT NULL,
  node_meeting_id TEXT NOT NULL,
  internal_id TEXT NOT NULL,
  create_time INTEGER NOT NULL,
  booked_at INTEGER NOT NULL,
  create_date TEXT NOT NULL,
  name TEXT NOT NULL,
  attendee_pw TEXT NOT NULL,
  moderator_pw TEXT NOT NULL,
  voice_bridge TEXT NOT NULL,
  dial_number TEXT NOT NULL,
  max_participants INTEGER NOT NULL,
  duration_minutes INTEGER NOT NULL,
  client_duration TEXT NOT NULL,
  record INTEGER NOT NULL,
  metadata TEXT NOT NULL,
  create_query TEXT NOT NULL,
  create_body BLOB NOT NULL,
  create_content_type TEXT NOT NULL,
  callback_nonce TEXT NOT NULL,
  client_end_callback TEXT NOT NULL,
  PRIMARY KEY (tenant, meeting_id)
);
CREATE TABLE IF NOT EXISTS nodes (
  id TEXT PRIMARY KEY,
  url TEXT NOT NULL,
  secret TEXT NOT NULL,
  capacity INTEGER NOT NULL,
  overcommit REAL NOT NULL,
  state TEXT NOT NULL,
  file_fingerprint TEXT NOT NULL,
  removed INTEGER NOT NULL
);
)"},
    {2, "the createTime a moved meeting's client was first told", R"(
ALTER TABLE meetings ADD COLUMN first_create_time INTEGER NOT NULL DEFAULT 0;
)"},
    {3, "create intents: recorded before a node is asked to create", R"(
CREATE TABLE IF NOT EXISTS create_intents (
  tenant TEXT NOT NULL,
  meeting_id TEXT NOT NULL,
  node_id TEXT NOT NULL,
  node_meeting_id TEXT NOT NULL,
  max_participants INTEGER NOT NULL,
  duration_minutes INTEGER NOT NULL,
  client_duration TEXT NOT NULL,
  callback_nonce TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  create_query TEXT NOT NULL,
  create_body TEXT NOT NULL,
  create_content_type TEXT NOT NULL,
  PRIMARY KEY (tenant, meeting_id)
);
)"},
    {4, "the recordings index", R"(
CREATE TABLE IF NOT EXISTS recordings (
  tenant TEXT NOT NULL,
  record_id TEXT NOT NULL,
  meeting_id TEXT NOT NULL,
  internal_meeting_id TEXT NOT NULL,
  node_id TEXT NOT NULL,
  name TEXT NOT NULL,
  state TEXT NOT NULL,
  published INTEGER NOT NULL,
  is_breakout INTEGER NOT NULL,
  start_time INTEGER NOT NULL,
  end_time INTEGER NOT NULL,
  participants INTEGER NOT NULL,
  raw_size INTEGER NOT NULL,
  size INTEGER NOT NULL,
  metadata TEXT NOT NULL,
  breakout_xml TEXT NOT NULL,
  breakout_rooms_xml TEXT NOT NULL,
  formats TEXT NOT NULL,
  PRIMARY KEY (tenant, record_id)
);
)"},
    {5, "the outbox of relayed callbacks", R"(
CREATE TABLE IF NOT EXISTS outbox (
  id INTEGER PRIMARY KEY,
  tenant TEXT NOT NULL,
  what TEXT NOT NULL,
  url TEXT NOT NULL,
  post INTEGER NOT NULL,
  body TEXT NOT NULL,
  content_type TEXT NOT NULL,
  created_ms INTEGER NOT NULL
);
)"},
    {6, "tenants defined at runtime (admin API, console)", R"(
CREATE TABLE IF NOT EXISTS tenants (
  id TEXT PRIMARY KEY,
  spec TEXT NOT NULL,
  file_fingerprint TEXT NOT NULL,
  removed INTEGER NOT NULL
);
)"},
    {7, "usage accounting: meetings beyond their end, counted events", R"(
CREATE TABLE IF NOT EXISTS usage_meetings (
  tenant TEXT NOT NULL,
  meeting_id TEXT NOT NULL,
  started_ms INTEGER NOT NULL,
  ended_ms INTEGER NOT NULL DEFAULT 0,
  connections INTEGER NOT NULL,
  PRIMARY KEY (tenant, meeting_id, started_ms)
);
CREATE INDEX IF NOT EXISTS usage_meetings_end ON usage_meetings (ended_ms);
CREATE TABLE IF NOT EXISTS usage_events (
  tenant TEXT NOT NULL,
  kind TEXT NOT NULL,
  at_ms INTEGER NOT NULL,
  value INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS usage_events_time ON usage_events (tenant, at_ms);
INSERT OR IGNORE INTO usage_meetings (tenant, meeting_id, started_ms, connections)
  SELECT tenant, meeting_id, booked_at, max_participants FROM meetings;
)"},
    {8, "webhooks; outbox rows by destination, with headers", R"(
ALTER TABLE outbox ADD COLUMN headers TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN dest TEXT NOT NULL DEFAULT '';
CREATE INDEX IF NOT EXISTS outbox_dest ON outbox (dest, id);
CREATE TABLE IF NOT EXISTS hooks (
  id TEXT PRIMARY KEY,
  tenant TEXT NOT NULL,
  callback_url TEXT NOT NULL,
  meeting_id TEXT NOT NULL,
  event_ids TEXT NOT NULL,
  raw INTEGER NOT NULL,
  created_ms INTEGER NOT NULL
);
)"},
  };
  return all;
}

expected<void> migrate(sqlite3* db) {
  auto have = user_version(db);
  const auto& all = migrations();
  if (!all.empty() && have > all.back().version)
    return failure{ec::internal_error,
                   "the database has schema version " + std::to_string(have)
                     + ", newer than this bbbgate knows ("
                     + std::to_string(all.back().version) + ")"};
  for (const auto& m : all) {
    if (m.version <= have)
      continue;
    if (auto r = exec(db, "BEGIN"); !r)
      return r;
    auto r = exec(db, std::string{m.sql} + "PRAGMA user_version = "
                        + std::to_string(m.version) + ";");
    if (!r) {
      exec(db, "ROLLBACK");
      return failure{ec::internal_error,
                     "migration " + std::to_string(m.version) + " (" + m.what
                       + "): " + r.error().message};
    }
    if (auto c = exec(db, "COMMIT"); !c)
      return c;
  }
  return {};
}

} // namespace gw::store
