#include "store/store.hpp"

#include <chrono>
#include <thread>

#include <nlohmann/json.hpp>
#include <sqlite3.h>

namespace gw::store {

namespace {

constexpr const char* schema = R"(
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
PRAGMA user_version = 1;
)";

/// Owns a prepared statement for one call.
class statement {
public:
  statement(sqlite3* db, const char* sql) {
    sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr);
  }
  ~statement() {
    sqlite3_finalize(stmt_);
  }
  statement(const statement&) = delete;
  statement& operator=(const statement&) = delete;

  sqlite3_stmt* get() const {
    return stmt_;
  }

  void bind(int i, const std::string& s) {
    sqlite3_bind_text(stmt_, i, s.data(), static_cast<int>(s.size()),
                      SQLITE_TRANSIENT);
  }

  void bind(int i, int64_t v) {
    sqlite3_bind_int64(stmt_, i, v);
  }

  std::string text(int i) const {
    auto p = sqlite3_column_text(stmt_, i);
    auto n = sqlite3_column_bytes(stmt_, i);
    return p ? std::string(reinterpret_cast<const char*>(p),
                           static_cast<std::size_t>(n))
             : std::string{};
  }

  int64_t int64(int i) const {
    return sqlite3_column_int64(stmt_, i);
  }

private:
  sqlite3_stmt* stmt_ = nullptr;
};

std::string
metadata_to_json(const std::vector<std::pair<std::string, std::string>>& md) {
  auto arr = nlohmann::json::array();
  for (const auto& [k, v] : md)
    arr.push_back({k, v});
  return arr.dump();
}

std::vector<std::pair<std::string, std::string>>
metadata_from_json(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> out;
  auto arr = nlohmann::json::parse(text, nullptr, false);
  if (!arr.is_array())
    return out;
  for (const auto& kv : arr)
    if (kv.is_array() && kv.size() == 2)
      out.emplace_back(kv[0].get<std::string>(), kv[1].get<std::string>());
  return out;
}

} // namespace

store::~store() {
  sqlite3_finalize(insert_meeting_);
  sqlite3_finalize(delete_meeting_);
  if (db_ != nullptr)
    sqlite3_close(db_);
}

std::string store::exec(const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string out = err ? err : "unknown SQLite error";
    sqlite3_free(err);
    return out;
  }
  return {};
}

std::string store::open(const std::string& path, bool auto_checkpoint) {
  if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK)
    return "cannot open database '" + path + "': " + sqlite3_errmsg(db_);
  // A lock held by the other connection (the checkpointer) is waited for
  // in steps of 100 us for up to 5 s: SQLite's own busy timeout sleeps in
  // steps of up to 100 ms, which stalled commits for tens of milliseconds.
  sqlite3_busy_handler(
    db_,
    [](void*, int tries) -> int {
      if (tries >= 50000)
        return 0;
      std::this_thread::sleep_for(std::chrono::microseconds(100));
      return 1;
    },
    nullptr);
  // WAL with synchronous=NORMAL survives a killed process (kill -9): every
  // commit is in the WAL file before the client hears SUCCESS.
  for (const char* pragma :
       {"PRAGMA journal_mode=WAL;", "PRAGMA synchronous=NORMAL;"})
    if (auto err = exec(pragma); !err.empty())
      return "database '" + path + "': " + err;
  // The log file is cut back to 64 MiB when it starts over.
  if (auto err = exec("PRAGMA journal_size_limit=-1;"); !err.empty())
    return "database '" + path + "': " + err;
  if (!auto_checkpoint)
    if (auto err = exec("PRAGMA wal_autocheckpoint=0;"); !err.empty())
      return "database '" + path + "': " + err;
  if (auto err = exec(schema); !err.empty())
    return "database '" + path + "': " + err;
  return {};
}

store::checkpoint_result store::checkpoint(checkpoint_mode mode) {
  int sqlite_mode = SQLITE_CHECKPOINT_PASSIVE;
  if (mode == checkpoint_mode::restart)
    sqlite_mode = SQLITE_CHECKPOINT_RESTART;
  else if (mode == checkpoint_mode::truncate)
    sqlite_mode = SQLITE_CHECKPOINT_TRUNCATE;
  checkpoint_result out;
  int log = 0;
  int copied = 0;
  if (sqlite3_wal_checkpoint_v2(db_, nullptr, sqlite_mode, &log, &copied)
      != SQLITE_OK)
    out.error = sqlite3_errmsg(db_);
  out.log_frames = log;
  out.copied_frames = copied;
  return out;
}

int64_t store::page_size() {
  statement st(db_, "PRAGMA page_size");
  return sqlite3_step(st.get()) == SQLITE_ROW ? st.int64(0) : 4096;
}

void store::count_log_frames(log_counter written) {
  log_written_ = std::move(written);
  // The hook runs after each commit with the frames now in the log; the
  // log starts over (fewer frames than before) after a full checkpoint.
  sqlite3_wal_hook(
    db_,
    [](void* arg, sqlite3*, const char*, int frames) -> int {
      auto* self = static_cast<store*>(arg);
      int64_t now = frames;
      int64_t added = now >= self->log_frames_ ? now - self->log_frames_ : now;
      self->log_frames_ = now;
      self->log_written_->fetch_add(added, std::memory_order_relaxed);
      return SQLITE_OK;
    },
    this);
}

sqlite3_stmt* store::cached(sqlite3_stmt*& slot, const char* sql) {
  if (slot == nullptr)
    sqlite3_prepare_v2(db_, sql, -1, &slot, nullptr);
  else {
    sqlite3_reset(slot);
    sqlite3_clear_bindings(slot);
  }
  return slot;
}

std::vector<meeting_row> store::load_meetings(const std::string& tenant) {
  std::vector<meeting_row> out;
  std::string sql = "SELECT tenant, meeting_id, node_id, node_meeting_id, "
                    "internal_id, create_time, booked_at, create_date, name, "
                    "attendee_pw, moderator_pw, voice_bridge, dial_number, "
                    "max_participants, duration_minutes, client_duration, "
                    "record, metadata, callback_nonce, client_end_callback "
                    "FROM meetings";
  if (!tenant.empty())
    sql += " WHERE tenant = ?";
  statement st(db_, sql.c_str());
  if (!tenant.empty())
    st.bind(1, tenant);
  while (sqlite3_step(st.get()) == SQLITE_ROW) {
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
    r.metadata = metadata_from_json(st.text(17));
    r.callback_nonce = st.text(18);
    r.client_end_callback = st.text(19);
    out.push_back(std::move(r));
  }
  return out;
}

create_call store::load_create_call(const std::string& tenant,
                                    const std::string& meeting_id) {
  create_call c;
  statement st(db_, "SELECT create_query, create_body, create_content_type "
                    "FROM meetings WHERE tenant = ? AND meeting_id = ?");
  st.bind(1, tenant);
  st.bind(2, meeting_id);
  if (sqlite3_step(st.get()) != SQLITE_ROW)
    return c;
  c.query = st.text(0);
  c.body = st.text(1);
  c.content_type = st.text(2);
  c.found = true;
  return c;
}

std::string store::put_meeting(const meeting_row& r, const create_call& c) {
  auto* st =
    cached(insert_meeting_, "INSERT OR REPLACE INTO meetings VALUES "
                            "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  auto text = [st](int i, const std::string& v) {
    sqlite3_bind_text(st, i, v.data(), static_cast<int>(v.size()),
                      SQLITE_STATIC);
  };
  auto md = metadata_to_json(r.metadata);
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
  std::string err;
  if (sqlite3_step(st) != SQLITE_DONE)
    err = sqlite3_errmsg(db_);
  // Bound text is only borrowed: unbind before the strings go away.
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  return err;
}

std::string store::put_meetings(const std::vector<meeting_row>& rows,
                                const std::vector<create_call>& calls) {
  if (auto err = exec("BEGIN"); !err.empty())
    return err;
  create_call none;
  for (std::size_t i = 0; i < rows.size(); ++i)
    if (auto err = put_meeting(rows[i], i < calls.size() ? calls[i] : none);
        !err.empty()) {
      exec("ROLLBACK");
      return err;
    }
  return exec("COMMIT");
}

std::string store::erase_meeting(const std::string& tenant,
                                 const std::string& meeting_id) {
  auto* st = cached(delete_meeting_,
                    "DELETE FROM meetings WHERE tenant = ? AND meeting_id = ?");
  sqlite3_bind_text(st, 1, tenant.data(), static_cast<int>(tenant.size()),
                    SQLITE_STATIC);
  sqlite3_bind_text(st, 2, meeting_id.data(),
                    static_cast<int>(meeting_id.size()), SQLITE_STATIC);
  std::string err;
  if (sqlite3_step(st) != SQLITE_DONE)
    err = sqlite3_errmsg(db_);
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  return err;
}

std::string store::write_meetings(const std::vector<meeting_write>& writes) {
  if (auto err = exec("BEGIN"); !err.empty())
    return err;
  for (const auto& w : writes) {
    auto err = w.erase ? erase_meeting(w.row.tenant, w.row.meeting_id)
                       : put_meeting(w.row, w.call);
    if (!err.empty()) {
      exec("ROLLBACK");
      return err;
    }
  }
  return exec("COMMIT");
}

std::vector<store::node_row> store::load_nodes() {
  std::vector<node_row> out;
  statement st(db_, "SELECT id, url, secret, capacity, overcommit, state, "
                    "file_fingerprint, removed FROM nodes ORDER BY id");
  while (sqlite3_step(st.get()) == SQLITE_ROW) {
    node_row r;
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
  return out;
}

std::string store::put_node(const node_row& r) {
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
    return sqlite3_errmsg(db_);
  return {};
}

std::string store::update_node(const node_spec& spec) {
  statement st(db_, "UPDATE nodes SET url = ?, secret = ?, capacity = ?, "
                    "overcommit = ?, state = ?, removed = 0 WHERE id = ?");
  st.bind(1, spec.url);
  st.bind(2, spec.secret);
  st.bind(3, spec.capacity);
  sqlite3_bind_double(st.get(), 4, spec.overcommit);
  st.bind(5, spec.state);
  st.bind(6, spec.id);
  if (sqlite3_step(st.get()) != SQLITE_DONE)
    return sqlite3_errmsg(db_);
  if (sqlite3_changes(db_) == 0)
    return put_node(node_row{spec, {}, false});
  return {};
}

std::string store::remove_node(const std::string& id) {
  statement st(db_, "UPDATE nodes SET removed = 1 WHERE id = ?");
  st.bind(1, id);
  if (sqlite3_step(st.get()) != SQLITE_DONE)
    return sqlite3_errmsg(db_);
  return {};
}

} // namespace gw::store
