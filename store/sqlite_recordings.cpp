// The recordings index (store/recording_repo.hpp) on SQLite: one row per
// recording, its metadata and playback formats as JSON.
#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include "store/sqlite_store.hpp"
#include "store/sqlite_util.hpp"

namespace gw::store {

using detail::statement;
using json = nlohmann::json;

namespace {

std::string formats_to_json(const std::vector<playback_format>& formats) {
  auto arr = json::array();
  for (const auto& f : formats)
    arr.push_back({{"type", f.type},
                   {"url", f.url},
                   {"processing_time", f.processing_time},
                   {"length", f.length},
                   {"size", f.size},
                   {"preview", f.preview_xml}});
  return arr.dump();
}

std::vector<playback_format> formats_from_json(const std::string& text) {
  std::vector<playback_format> out;
  auto arr = json::parse(text, nullptr, false);
  if (!arr.is_array())
    return out;
  for (const auto& f : arr) {
    if (!f.is_object())
      continue;
    playback_format p;
    p.type = f.value("type", "");
    p.url = f.value("url", "");
    p.processing_time = f.value("processing_time", int64_t{0});
    p.length = f.value("length", int64_t{0});
    p.size = f.value("size", int64_t{0});
    p.preview_xml = f.value("preview", "");
    out.push_back(std::move(p));
  }
  return out;
}

} // namespace

expected<std::vector<recording>> sqlite_store::load_recordings() {
  std::vector<recording> out;
  auto rc = detail::select_each(
    db_,
    "SELECT tenant, record_id, meeting_id, internal_meeting_id, node_id, name, "
    "state, published, is_breakout, start_time, end_time, participants, "
    "raw_size, size, metadata, breakout_xml, breakout_rooms_xml, formats "
    "FROM recordings",
    {}, [&](const statement& st) {
      recording r;
      r.tenant = st.text(0);
      r.record_id = st.text(1);
      r.meeting_id = st.text(2);
      r.internal_meeting_id = st.text(3);
      r.node_id = st.text(4);
      r.name = st.text(5);
      r.state = st.text(6);
      r.published = st.int64(7) != 0;
      r.is_breakout = st.int64(8) != 0;
      r.start_time = st.int64(9);
      r.end_time = st.int64(10);
      r.participants = st.int64(11);
      r.raw_size = st.int64(12);
      r.size = st.int64(13);
      r.metadata = detail::metadata_from_json(st.text(14));
      r.breakout_xml = st.text(15);
      r.breakout_rooms_xml = st.text(16);
      r.formats = formats_from_json(st.text(17));
      out.push_back(std::move(r));
    });
  if (rc != SQLITE_DONE)
    return last_error();
  return out;
}

expected<void>
sqlite_store::write_recordings(const std::vector<recording_write>& writes) {
  return in_transaction([&]() -> expected<void> {
    for (const auto& w : writes) {
      const auto& r = w.rec;
      sqlite3_stmt* st = nullptr;
      if (w.erase) {
        st = cached(delete_recording_, "DELETE FROM recordings WHERE "
                                       "tenant = ? AND record_id = ?");
        sqlite3_bind_text(st, 1, r.tenant.data(),
                          static_cast<int>(r.tenant.size()), SQLITE_STATIC);
        sqlite3_bind_text(st, 2, r.record_id.data(),
                          static_cast<int>(r.record_id.size()), SQLITE_STATIC);
      } else {
        st =
          cached(insert_recording_, "INSERT OR REPLACE INTO recordings VALUES "
                                    "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
        auto md = detail::metadata_to_json(r.metadata);
        auto formats = formats_to_json(r.formats);
        // Bound with SQLITE_TRANSIENT: the JSON strings are locals.
        auto text = [st](int i, const std::string& v) {
          sqlite3_bind_text(st, i, v.data(), static_cast<int>(v.size()),
                            SQLITE_TRANSIENT);
        };
        text(1, r.tenant);
        text(2, r.record_id);
        text(3, r.meeting_id);
        text(4, r.internal_meeting_id);
        text(5, r.node_id);
        text(6, r.name);
        text(7, r.state);
        sqlite3_bind_int64(st, 8, r.published ? 1 : 0);
        sqlite3_bind_int64(st, 9, r.is_breakout ? 1 : 0);
        sqlite3_bind_int64(st, 10, r.start_time);
        sqlite3_bind_int64(st, 11, r.end_time);
        sqlite3_bind_int64(st, 12, r.participants);
        sqlite3_bind_int64(st, 13, r.raw_size);
        sqlite3_bind_int64(st, 14, r.size);
        text(15, md);
        text(16, r.breakout_xml);
        text(17, r.breakout_rooms_xml);
        text(18, formats);
      }
      if (auto out = run_once(st); !out)
        return out;
    }
    return {};
  });
}

} // namespace gw::store
