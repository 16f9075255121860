// The simulated server's recordings: made when a recorded meeting ends,
// published after a delay with a recording-ready callback, and every
// recording call of docs/bbb-api.md 3.8-3.13.
#include <algorithm>

#include <nlohmann/json.hpp>

#include "core/recording.hpp"
#include "net/checksum.hpp"
#include "net/jwt.hpp"
#include "net/recording_params.hpp"
#include "sim/sim_reply.hpp"
#include "sim/sim_state.hpp"

namespace gw::sim {

using net::xml_writer;

namespace {

reply not_found() {
  return failed({"notFound", "We could not find recordings"});
}

void set_meta(std::vector<std::pair<std::string, std::string>>& md,
              const std::string& key, const std::string& value) {
  auto it = std::find_if(md.begin(), md.end(),
                         [&](const auto& kv) { return kv.first == key; });
  if (value.empty()) {
    if (it != md.end())
      md.erase(it);
  } else if (it != md.end()) {
    it->second = value;
  } else {
    md.emplace_back(key, value);
  }
}

bool ends_with(const std::string& s, std::string_view tail) {
  return s.size() >= tail.size()
         && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

/// The `file` part of a multipart/form-data body (empty when absent).
std::string multipart_file(const std::string& body,
                           const std::string& content_type) {
  auto b = content_type.find("boundary=");
  if (b == std::string::npos)
    return {};
  auto boundary = content_type.substr(b + 9);
  if (!boundary.empty() && boundary.front() == '"')
    boundary = boundary.substr(1, boundary.find('"', 1) - 1);
  auto semi = boundary.find(';');
  if (semi != std::string::npos)
    boundary.resize(semi);
  auto delim = "--" + boundary;
  std::size_t pos = 0;
  while ((pos = body.find(delim, pos)) != std::string::npos) {
    pos += delim.size();
    auto head_end = body.find("\r\n\r\n", pos);
    if (head_end == std::string::npos)
      return {};
    auto head = body.substr(pos, head_end - pos);
    auto next = body.find("\r\n" + delim, head_end + 4);
    if (next == std::string::npos)
      return {};
    if (head.find("name=\"file\"") != std::string::npos)
      return body.substr(head_end + 4, next - head_end - 4);
  }
  return {};
}

bool is_language_tag(const std::string& s) {
  // en, en-US, pt-BR, zh-Hans-CN: letters, then "-" and alphanumerics.
  auto dash = s.find('-');
  auto first = s.substr(0, dash);
  if (first.size() < 2 || first.size() > 3
      || !std::all_of(first.begin(), first.end(), [](char c) {
           return std::isalpha(static_cast<unsigned char>(c));
         }))
    return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-';
  });
}

} // namespace

void sim_state::apply(recording& r, const recording_change& c) {
  if (!c.name.empty())
    r.name = c.name;
  if (!c.state.empty()) {
    r.state = c.state;
    if (c.state == "processing")
      r.ready_at = now_ms() + recording_delay_ms_;
  }
  if (c.participants >= 0)
    r.participants = c.participants;
  for (const auto& [k, v] : c.metadata)
    set_meta(r.metadata, net::ascii_lower(k), v);
}

std::string sim_state::add_recording(const recording_change& c) {
  auto it = meetings_.find(c.meeting_id);
  recording r;
  r.meeting_id = c.meeting_id;
  auto t = std::max(now_ms(), last_create_ + 1);
  last_create_ = t;
  if (it != meetings_.end()) {
    r.internal_id = it->second.internal_id;
    r.name = it->second.name;
    r.start_time = it->second.create_time;
    r.metadata = it->second.metadata;
    r.participants = it->second.joined;
  } else {
    r.internal_id = net::hex_digest(net::checksum_algo::sha1, c.meeting_id)
                    + "-" + std::to_string(t);
    r.name = c.meeting_id;
    r.start_time = t;
  }
  r.record_id = r.internal_id;
  // A second recording of the same live session gets its own ID.
  while (recordings_.count(r.record_id) != 0)
    r.record_id = r.internal_id + "-" + std::to_string(++t);
  r.end_time = now_ms();
  r.state = "published";
  set_meta(r.metadata, "meetingName", r.name);
  set_meta(r.metadata, "meetingId", r.meeting_id);
  set_meta(r.metadata, "isBreakout", "false");
  apply(r, c);
  auto id = r.record_id;
  recordings_[id] = std::move(r);
  return id;
}

bool sim_state::change_recording(const std::string& record_id,
                                 const recording_change& c) {
  auto it = recordings_.find(record_id);
  if (it == recordings_.end())
    return false;
  apply(it->second, c);
  return true;
}

bool sim_state::remove_recording(const std::string& record_id) {
  return recordings_.erase(record_id) > 0;
}

void sim_state::tick() {
  auto now = now_ms();
  for (auto& [id, r] : recordings_) {
    if (r.state != "processing" || r.ready_at > now)
      continue;
    r.state = "published";
    // bbb-record-core's post-publish script: one POST per ready URL.
    std::string meeting_id = r.meeting_id;
    for (const auto& [k, v] : r.metadata)
      if (k == "meetingId")
        meeting_id = v;
    nlohmann::json md = nlohmann::json::object();
    for (const auto& [k, v] : r.metadata)
      md[k] = v;
    emit("rap-publish-ended", meeting_id, r.internal_id,
         {{"record-id", r.record_id},
          {"success", true},
          {"step-time", 250},
          {"workflow", "presentation"},
          {"recording",
           {{"name", r.name},
            {"is-breakout", false},
            {"start-time", r.start_time},
            {"end-time", r.end_time},
            {"raw-size", r.raw_size},
            {"metadata", md}}}});
    emit("rap-post-publish-ended", meeting_id, r.internal_id,
         {{"record-id", r.record_id}, {"success", true}, {"step-time", 10}});
    auto claims =
      nlohmann::json{{"meeting_id", meeting_id}, {"record_id", r.record_id}};
    auto token = net::jwt_sign(claims.dump(), secret_);
    for (const auto& [k, v] : r.metadata)
      if (ends_with(k, "-recording-ready-url") && !v.empty())
        callbacks_.push_back(
          callback{v, "POST", "signed_parameters=" + net::percent_encode(token),
                   "application/x-www-form-urlencoded", ""});
  }
}

reply sim_state::get_recordings(const net::query& q) {
  auto rq = net::parse_recording_query(q);
  auto states = rq.states;
  if (states.empty())
    states = {"published", "unpublished"};
  bool any_state =
    std::find(states.begin(), states.end(), "any") != states.end();
  std::vector<const recording*> hits;
  for (const auto& entry : recordings_) {
    // Named (not bound) so the lambdas below may capture them.
    const auto& id = entry.first;
    const auto& r = entry.second;
    if (!any_state
        && std::find(states.begin(), states.end(), r.state) == states.end())
      continue;
    if (!rq.record_ids.empty()) {
      if (std::none_of(rq.record_ids.begin(), rq.record_ids.end(),
                       [&](const std::string& p) {
                         return id.compare(0, p.size(), p) == 0;
                       }))
        continue;
    } else if (!rq.meeting_ids.empty()
               && std::find(rq.meeting_ids.begin(), rq.meeting_ids.end(),
                            r.meeting_id)
                    == rq.meeting_ids.end()) {
      continue;
    }
    bool meta_ok =
      std::all_of(rq.meta.begin(), rq.meta.end(), [&](const auto& filter) {
        return std::any_of(r.metadata.begin(), r.metadata.end(),
                           [&](const auto& kv) {
                             return net::ascii_lower(kv.first) == filter.first
                                    && meta_matches(filter.second, kv.second);
                           });
      });
    if (meta_ok)
      hits.push_back(&r);
  }
  auto total = static_cast<int64_t>(hits.size());
  bool paged = rq.limit.has_value();
  if (paged || rq.offset) {
    auto from = std::min<int64_t>(rq.offset.value_or(0), total);
    auto to = std::min<int64_t>(from + rq.limit.value_or(100), total);
    hits =
      std::vector<const recording*>(hits.begin() + from, hits.begin() + to);
  }
  if (hits.empty()) {
    std::string out = "<response><returncode>SUCCESS</returncode><recordings>"
                      "</recordings><messageKey>noRecordings</messageKey>"
                      "<message>There are no recordings for the meeting(s)."
                      "</message>";
    if (paged)
      out += "<totalElements>" + std::to_string(total) + "</totalElements>";
    return xml(out + "</response>");
  }
  xml_writer w;
  w.open("response")
    .elem("returncode", std::string_view{"SUCCESS"})
    .open("recordings");
  for (const auto* r : hits) {
    bool ready = r->state == "published" || r->state == "unpublished";
    w.open("recording")
      .elem("recordID", r->record_id)
      .elem("meetingID", r->meeting_id)
      .elem("internalMeetingID", r->internal_id)
      .elem("name", r->name)
      .elem("isBreakout", false)
      .elem("published", r->state == "published")
      .elem("state", r->state)
      .elem("startTime", static_cast<long long>(r->start_time))
      .elem("endTime", static_cast<long long>(r->end_time))
      .elem("participants", static_cast<long long>(r->participants))
      .elem("rawSize", static_cast<long long>(r->raw_size))
      .open("metadata");
    for (const auto& [k, v] : r->metadata)
      w.elem(k, v);
    w.close("metadata");
    w.elem("size", static_cast<long long>(ready ? r->raw_size / 2 : 0));
    w.open("playback");
    if (ready)
      w.open("format")
        .elem("type", std::string_view{"presentation"})
        .elem("url", base_url_ + "/playback/presentation/2.3/" + r->record_id)
        .elem("processingTime", 7177LL)
        .elem("length",
              std::max<long long>(1, (r->end_time - r->start_time) / 60000))
        .elem("size", static_cast<long long>(r->raw_size / 2))
        .close("format");
    w.close("playback").open("data").close("data").close("recording");
  }
  w.close("recordings");
  if (paged)
    w.elem("totalElements", static_cast<long long>(total));
  w.close("response");
  return xml(w.take());
}

reply sim_state::publish_recordings(const net::query& q) {
  auto ids = net::split_id_list(q.get("recordID"));
  auto publish = *q.get("publish");
  bool found = false;
  for (const auto& id : ids) {
    auto it = recordings_.find(id);
    if (it == recordings_.end()
        || (it->second.state != "published"
            && it->second.state != "unpublished"))
      continue;
    found = true;
    it->second.state = net::is_true(publish) ? "published" : "unpublished";
  }
  if (!found)
    return not_found();
  return xml("<response><returncode>SUCCESS</returncode><published>"
             + net::xml_escape(publish) + "</published></response>");
}

reply sim_state::update_recordings(const net::query& q) {
  auto ids = net::split_id_list(q.get("recordID"));
  bool found = false;
  for (const auto& id : ids) {
    auto it = recordings_.find(id);
    if (it == recordings_.end())
      continue;
    found = true;
    for (const auto& p : q.params())
      if (p.name.rfind("meta_", 0) == 0)
        set_meta(it->second.metadata, net::ascii_lower(p.name.substr(5)),
                 p.value);
  }
  if (!found)
    return not_found();
  return xml("<response><returncode>SUCCESS</returncode><updated>true"
             "</updated></response>");
}

reply sim_state::delete_recordings(const net::query& q) {
  auto ids = net::split_id_list(q.get("recordID"));
  bool found = false;
  for (const auto& id : ids)
    found = recordings_.erase(id) > 0 || found;
  if (!found)
    return not_found();
  return xml("<response><returncode>SUCCESS</returncode><deleted>true"
             "</deleted></response>");
}

reply sim_state::get_text_tracks(const net::query& q) {
  auto id = *q.get("recordID");
  auto it = recordings_.find(id);
  if (it == recordings_.end())
    return json_reply({{"returncode", "FAILED"},
                       {"messageKey", "noRecordings"},
                       {"message", "No recording found for " + id}});
  auto tracks = nlohmann::json::array();
  for (const auto& t : it->second.tracks)
    tracks.push_back({{"href", base_url_ + "/bigbluebutton/textTrack/"
                                 + random_string(16, "0123456789abcdef") + "/"
                                 + id + "/" + t.kind + "_" + t.lang + ".vtt"},
                      {"kind", t.kind},
                      {"label", t.label},
                      {"lang", t.lang},
                      {"source", "upload"}});
  return json_reply({{"returncode", "SUCCESS"}, {"tracks", tracks}});
}

reply sim_state::put_text_track(const net::query& q, const std::string& body,
                                const std::string& content_type) {
  auto id = *q.get("recordID");
  auto param = [&q](const char* n) {
    auto v = q.get(n);
    return v ? *v : std::string{};
  };
  auto fail = [](const std::string& key, const std::string& message) {
    return json_reply(
      {{"returncode", "FAILED"}, {"messageKey", key}, {"message", message}});
  };
  auto it = recordings_.find(id);
  if (it == recordings_.end())
    return fail("noRecordings", "No recording was found for " + id);
  auto kind = param("kind");
  if (kind.empty())
    return fail("paramError", "Missing param kind.");
  if (kind != "subtitles" && kind != "captions")
    return fail("invalidKind", "Invalid kind parameter, expected='subtitles|"
                               "captions' actual="
                                 + kind);
  auto lang = param("lang");
  if (lang.empty())
    return fail("paramError", "Missing param lang.");
  if (!is_language_tag(lang))
    return fail("invalidLang", "Malformed lang param, received=" + lang);
  auto file = multipart_file(body, content_type);
  if (file.empty())
    return fail("empty_uploaded_text_track", "Empty uploaded text track.");
  auto label = param("label").empty() ? lang : param("label");
  auto& tracks = it->second.tracks;
  tracks.erase(std::remove_if(tracks.begin(), tracks.end(),
                              [&](const text_track& t) {
                                return t.kind == kind && t.lang == lang;
                              }),
               tracks.end());
  tracks.push_back({kind, lang, label, std::move(file)});
  return json_reply({{"returncode", "SUCCESS"},
                     {"recordId", id},
                     {"messageKey", "upload_text_track_success"},
                     {"message", "Text track uploaded successfully"}});
}

} // namespace gw::sim
