#include "sim/sim_state.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <set>

#include <nlohmann/json.hpp>

#include "net/bbb_params.hpp"
#include "net/checksum.hpp"
#include "net/recording_params.hpp"
#include "net/xml.hpp"
#include "sim/sim_reply.hpp"

namespace gw::sim {

using net::api_error;
using net::xml_writer;

namespace {

const std::vector<net::checksum_algo> all_algos{
  net::checksum_algo::sha1, net::checksum_algo::sha256,
  net::checksum_algo::sha384, net::checksum_algo::sha512};

constexpr const char* alnum =
  "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
constexpr const char* lower_alnum = "abcdefghijklmnopqrstuvwxyz0123456789";

std::string java_date(int64_t ms) {
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::strftime(buf, sizeof(buf), "%a %b %d %H:%M:%S UTC %Y", &tm);
  return buf;
}

} // namespace

sim_state::sim_state(std::string secret, std::string base_url)
  : secret_(std::move(secret)), base_url_(std::move(base_url)),
    rng_(std::random_device{}()) {}

int64_t sim_state::now_ms() const {
  if (fixed_now_)
    return *fixed_now_;
  return std::chrono::duration_cast<std::chrono::milliseconds>(
           std::chrono::system_clock::now().time_since_epoch())
    .count();
}

std::string sim_state::random_string(std::size_t n, const char* alphabet) {
  std::string_view chars{alphabet};
  std::uniform_int_distribution<std::size_t> pick(0, chars.size() - 1);
  std::string out(n, ' ');
  for (auto& c : out)
    c = chars[pick(rng_)];
  return out;
}

reply sim_state::handle(const std::string& call, const std::string& raw_query,
                        const std::string& method, const std::string& body,
                        const std::string& content_type) {
  if (call.empty()) {
    xml_writer w;
    w.open("response")
      .elem("returncode", std::string_view{"SUCCESS"})
      .elem("version", std::string_view{"2.0"})
      .elem("apiVersion", std::string_view{"2.0"})
      .elem("bbbVersion", std::string_view{""})
      .close("response");
    return xml(w.take());
  }
  if (call.rfind("hooks/", 0) == 0)
    return hooks_call(call, raw_query);
  static const std::set<std::string> known{"create",
                                           "join",
                                           "end",
                                           "isMeetingRunning",
                                           "getMeetingInfo",
                                           "getMeetings",
                                           "getRecordings",
                                           "publishRecordings",
                                           "updateRecordings",
                                           "deleteRecordings",
                                           "getRecordingTextTracks",
                                           "putRecordingTextTrack",
                                           "insertDocument",
                                           "sendChatMessage",
                                           "getJoinUrl"};
  if (known.count(call) == 0) {
    reply r;
    r.status = 404;
    r.content_type = "text/html";
    r.body = "<html><body><h1>404 Not Found</h1></body></html>";
    return r;
  }
  if (call == "join" && method != "GET") {
    reply r;
    r.status = 405;
    r.content_type = "text/html";
    r.body = "<html><body><h1>405 Method Not Allowed</h1></body></html>";
    return r;
  }
  auto q = net::query::parse(raw_query);
  if (!q)
    return failed({"checksumError", "Checksums do not match"});
  if (call == "getJoinUrl")
    return get_join_url(*q);
  std::string signed_query = raw_query;
  std::string merged;
  bool form = method == "POST" && net::is_form_type(content_type);
  if (form) {
    auto fq = net::query::parse(body);
    if (!fq)
      return failed({"checksumError", "Checksums do not match"});
    for (const auto& p : fq->params())
      if (p.name != "checksum" && q->count(p.name) != 0)
        return failed({"checksumError", "Checksums do not match"});
    if (raw_query.empty()) {
      // bbb-web 2.x: the sorted parameters, the checksum from the body.
      const auto* sum = fq->get("checksum");
      signed_query =
        net::sorted_form_string(*fq) + (sum ? "&checksum=" + *sum : "");
    }
    // Otherwise only the query is checksummed (`checksum=X` alone: over
    // nothing, as bbb-web 3.0 does for every POST).
    merged = raw_query.empty() ? body
             : body.empty()    ? raw_query
                               : raw_query + "&" + body;
    q = net::query::parse(merged);
  }
  bool legacy = call.find("Recordings") != std::string::npos;
  bool tracks = call.find("TextTrack") != std::string::npos;
  if (tracks) {
    // The text-track calls check their parameters before the checksum and
    // answer those in JSON (bbb-web's RecordingController).
    auto missing = [](const char* what) {
      reply r;
      r.content_type = "application/json";
      r.body =
        nlohmann::json{
          {"response",
           {{"returncode", "FAILED"},
            {"messageKey", "paramError"},
            {"message", std::string{"Missing param "} + what + "."}}}}
          .dump();
      return r;
    };
    if (q->get("checksum") == nullptr)
      return missing("checksum");
    if (net::split_id_list(q->get("recordID")).empty())
      return missing("recordID");
  } else if (legacy && call != "getRecordings") {
    // publish/update/delete: presence checks before the checksum value.
    if (q->get("checksum") == nullptr || q->get("checksum")->empty())
      return failed(
        {"checksumError", "You did not pass the checksum security check"});
    if (net::split_id_list(q->get("recordID")).empty())
      return failed({"missingParamRecordID", "You must specify a recordID."});
    auto publish = q->get("publish");
    if (call == "publishRecordings" && (publish == nullptr || publish->empty()))
      return failed({"missingParamPublish",
                     "You must specify a publish value true or false."});
  }
  auto res = net::verify_checksum(call, signed_query, {secret_}, all_algos);
  if (res != net::checksum_result::ok) {
    if (legacy)
      return failed(
        {"checksumError", "You did not pass the checksum security check"});
    return failed(net::checksum_error(res == net::checksum_result::missing));
  }
  if (call == "create")
    return create(*q, form ? std::string{} : body);
  if (call == "join")
    return join(*q);
  if (call == "end")
    return end(*q);
  if (call == "isMeetingRunning")
    return is_meeting_running(*q);
  if (call == "getMeetingInfo")
    return get_meeting_info(*q);
  if (call == "getMeetings")
    return get_meetings();
  if (call == "getRecordings")
    return get_recordings(*q);
  if (call == "publishRecordings")
    return publish_recordings(*q);
  if (call == "updateRecordings")
    return update_recordings(*q);
  if (call == "deleteRecordings")
    return delete_recordings(*q);
  if (call == "getRecordingTextTracks")
    return get_text_tracks(*q);
  if (call == "putRecordingTextTrack")
    return put_text_track(*q, body, content_type);
  if (call == "insertDocument")
    return insert_document(*q, body);
  if (method != "GET") {
    reply r;
    r.status = 405;
    r.content_type = "text/html";
    r.body = "<html><body><h1>405 Method Not Allowed</h1></body></html>";
    return r;
  }
  return send_chat_message(*q);
}

reply sim_state::create(const net::query& q, const std::string&) {
  if (auto err = net::validate_create(q))
    return failed(*err);
  const auto& id = *q.get("meetingID");
  auto param = [&q](const char* name) -> std::string {
    auto v = q.get(name);
    return v ? *v : std::string{};
  };
  auto att = param("attendeePW");
  auto mod = param("moderatorPW");
  auto existing = meetings_.find(id);
  auto write_create = [this](const meeting& m, bool duplicate) {
    xml_writer w;
    w.open("response")
      .elem("returncode", std::string_view{"SUCCESS"})
      .elem("meetingID", m.id)
      .elem("internalMeetingID", m.internal_id)
      .elem("parentMeetingID", std::string_view{"bbb-none"})
      .elem("attendeePW", m.attendee_pw)
      .elem("moderatorPW", m.moderator_pw)
      .elem("createTime", static_cast<long long>(m.create_time))
      .elem("voiceBridge", m.voice_bridge)
      .elem("dialNumber", m.dial_number)
      .elem("createDate", m.create_date)
      .elem("hasUserJoined", m.has_user_joined)
      .elem("duration", m.duration)
      .elem("hasBeenForciblyEnded", false);
    if (duplicate) {
      w.elem("messageKey", std::string_view{"duplicateWarning"})
        .elem("message",
              std::string_view{"This conference was already in existence "
                               "and may currently be in progress."});
    } else {
      w.elem("messageKey", std::string_view{""})
        .elem("message", std::string_view{""});
    }
    w.close("response");
    (void)this;
    return xml(w.take());
  };
  if (existing != meetings_.end()) {
    const auto& m = existing->second;
    bool same = (att.empty() && mod.empty())
                || (att == m.attendee_pw && mod == m.moderator_pw);
    if (same)
      return write_create(m, true);
    return failed({"idNotUnique", "A meeting already exists with that meeting "
                                  "ID.  Please use a different meeting ID."});
  }
  meeting m;
  m.id = id;
  m.name = net::sanitize(param("name"));
  auto vb = param("voiceBridge");
  auto bridge_used = [this](const std::string& b) {
    return std::any_of(meetings_.begin(), meetings_.end(), [&](const auto& kv) {
      return kv.second.voice_bridge == b;
    });
  };
  if (!vb.empty()) {
    if (bridge_used(vb)) {
      xml_writer w;
      w.open("response")
        .elem("returncode", std::string_view{"FAILED"})
        .open("errors")
        .open("error")
        .elem("key", std::string_view{"nonUniqueVoiceBridge"})
        .elem("message",
              std::string_view{"The selected voice bridge is already in use."})
        .close("error")
        .close("errors")
        .close("response");
      return xml(w.take());
    }
    m.voice_bridge = vb;
  } else {
    std::uniform_int_distribution<int> pick(10000, 99999);
    do {
      m.voice_bridge = std::to_string(pick(rng_));
    } while (bridge_used(m.voice_bridge));
  }
  // createTime is unique per server, like BBB's millisecond clock in practice.
  m.create_time = std::max(now_ms(), last_create_ + 1);
  last_create_ = m.create_time;
  m.create_date = java_date(m.create_time);
  m.internal_id = net::hex_digest(net::checksum_algo::sha1, id) + "-"
                  + std::to_string(m.create_time);
  m.attendee_pw = att.empty() ? random_string(8, alnum) : att;
  m.moderator_pw = mod.empty() ? random_string(8, alnum) : mod;
  m.dial_number = q.get("dialNumber") ? param("dialNumber") : "613-555-1234";
  auto mp = param("maxParticipants");
  m.max_participants = net::is_digits(mp) ? std::stoll(mp) : 0;
  auto dur = param("duration");
  m.duration = net::is_digits(dur) ? std::stoll(dur) : 0;
  m.record = net::is_true(param("record"));
  m.welcome =
    q.get("welcome") ? param("welcome") : "Welcome to <b>%%CONFNAME%%</b>!";
  m.moderator_only_message = param("moderatorOnlyMessage");
  m.meeting_ended_url = param("meetingEndedURL");
  for (const auto& p : q.params()) {
    if (p.name.rfind("meta_", 0) != 0)
      continue;
    auto key = p.name.substr(5);
    if (!net::is_valid_meta_name(key))
      continue;
    auto lower = net::ascii_lower(key);
    bool seen = std::any_of(m.metadata.begin(), m.metadata.end(),
                            [&](const auto& kv) { return kv.first == lower; });
    if (!seen)
      m.metadata.emplace_back(lower, p.value);
    if (lower == "endcallbackurl" && m.end_callback_url.empty())
      m.end_callback_url = p.value;
  }
  auto [it, inserted] = meetings_.emplace(id, std::move(m));
  if (inserted)
    emit_created(it->second);
  return write_create(it->second, false);
}

reply sim_state::join(const net::query& q) {
  auto redirect_param = q.get("redirect");
  bool redirect = redirect_param == nullptr || redirect_param->empty()
                  || net::is_true(*redirect_param);
  auto error_reply = [&](const api_error& e) {
    if (!redirect)
      return failed(e);
    std::string base;
    if (auto v = q.get("errorRedirectUrl"); v && !v->empty())
      base = *v;
    else if (auto l = q.get("logoutURL"); l && !l->empty())
      base = *l;
    else
      base = base_url_;
    auto json =
      nlohmann::json::array({{{"key", e.key}, {"message", e.message}}})
        .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    reply r;
    r.status = 302;
    r.content_type.clear();
    r.location = base + (base.find('?') == std::string::npos ? "?" : "&")
                 + "errors=" + net::percent_encode(json);
    return r;
  };
  if (auto err = net::validate_join(q))
    return error_reply(*err);
  auto it = meetings_.find(*q.get("meetingID"));
  if (it == meetings_.end())
    return error_reply({"invalidMeetingIdentifier",
                        "The meeting ID that you supplied did not match any "
                        "existing meetings"});
  auto& m = it->second;
  if (auto ct = q.get("createTime");
      ct && !ct->empty() && *ct != std::to_string(m.create_time))
    return error_reply({"mismatchCreateTimeParam",
                        "The createTime parameter submitted mismatches with "
                        "the current meeting."});
  std::string role;
  auto role_param = net::ascii_lower(q.get("role") ? *q.get("role") : "");
  auto pw = q.get("password") ? *q.get("password") : std::string{};
  if (role_param == "moderator") {
    role = "MODERATOR";
  } else if (role_param == "viewer") {
    role = "VIEWER";
  } else if (!pw.empty()) {
    if (pw == m.moderator_pw)
      role = "MODERATOR";
    else if (pw == m.attendee_pw)
      role = "VIEWER";
    else
      return failed({"Params required", "You must enter a valid password"});
  } else {
    return failed({"Params required",
                   "You must either send the valid role of the user, or the "
                   "password, sould the meeting has one."});
  }
  auto user_id = q.get("userID") ? *q.get("userID") : std::string{};
  if (m.max_participants > 0
      && static_cast<long long>(m.attendees.size()) >= m.max_participants
      && std::none_of(m.attendees.begin(), m.attendees.end(),
                      [&](const attendee& a) {
                        return !user_id.empty() && a.user_id == user_id;
                      }))
    return error_reply({"maxParticipantsReached",
                        "The number of participants allowed for this meeting "
                        "has been reached."});
  auto token = random_string(16, lower_alnum);
  auto url = base_url_ + "/html5client/join?sessionToken=" + token;
  auto internal_user =
    user_id.empty() ? "w_" + random_string(12, lower_alnum) : user_id;
  sessions_[token] = {m.id, q.get("fullName") ? *q.get("fullName") : "", role,
                      internal_user};
  if (redirect) {
    reply r;
    r.status = 302;
    r.content_type.clear();
    r.location = url;
    return r;
  }
  xml_writer w;
  w.open("response")
    .elem("returncode", std::string_view{"SUCCESS"})
    .elem("messageKey", std::string_view{"successfullyJoined"})
    .elem("message", std::string_view{"You have joined successfully."})
    .elem("meeting_id", m.internal_id)
    .elem("user_id", internal_user)
    .elem("auth_token", random_string(12, lower_alnum))
    .elem("session_token", token)
    .elem("guestStatus", std::string_view{"ALLOW"})
    .elem("url", url)
    .close("response");
  (void)role;
  return xml(w.take());
}

void sim_state::finish(meeting& m) {
  emit("meeting-ended", m.id, m.internal_id, nlohmann::json::object());
  send_analytics(m);
  if (m.record) {
    emit("rap-archive-started", m.id, m.internal_id,
         {{"record-id", m.internal_id}, {"success", true}, {"step-time", 0}});
    emit("rap-archive-ended", m.id, m.internal_id,
         {{"record-id", m.internal_id},
          {"success", true},
          {"step-time", 120},
          {"recorded", true},
          {"duration", now_ms() - m.create_time}});
    // BBB archives a recorded meeting when it ends; processing follows.
    recording r;
    r.record_id = m.internal_id;
    r.meeting_id = m.id;
    r.internal_id = m.internal_id;
    r.name = m.name;
    r.state = "processing";
    r.start_time = m.create_time;
    r.end_time = now_ms();
    r.ready_at = r.end_time + recording_delay_ms_;
    r.participants = m.joined;
    r.raw_size = 1024 * (1 + m.joined);
    r.metadata = m.metadata;
    r.metadata.emplace_back("meetingName", m.name);
    r.metadata.emplace_back("meetingId", m.id);
    r.metadata.emplace_back("isBreakout", "false");
    recordings_[r.record_id] = std::move(r);
  }
  for (const auto& url : {m.end_callback_url, m.meeting_ended_url}) {
    if (url.empty())
      continue;
    callback cb;
    cb.url = url + (url.find('?') == std::string::npos ? "?" : "&")
             + "meetingID=" + net::percent_encode(m.id)
             + "&recordingmarks=false";
    callbacks_.push_back(std::move(cb));
  }
}

reply sim_state::end(const net::query& q) {
  auto id = q.get("meetingID");
  if (auto err = net::check_meeting_id(id))
    return failed(*err);
  if (auto err = net::check_password(q.get("password")))
    return failed(*err);
  auto it = meetings_.find(*id);
  if (it == meetings_.end())
    return failed(net::not_found_error());
  finish(it->second);
  meetings_.erase(it);
  xml_writer w;
  w.open("response")
    .elem("returncode", std::string_view{"SUCCESS"})
    .elem("messageKey", std::string_view{"sentEndMeetingRequest"})
    .elem("message",
          std::string_view{"A request to end the meeting was sent.  Please "
                           "wait a few seconds, and then use the "
                           "getMeetingInfo or isMeetingRunning API calls to "
                           "verify that it was ended."})
    .close("response");
  return xml(w.take());
}

reply sim_state::is_meeting_running(const net::query& q) {
  auto id = q.get("meetingID");
  if (auto err = net::check_meeting_id(id))
    return failed(*err);
  auto it = meetings_.find(*id);
  bool running = it != meetings_.end() && !it->second.attendees.empty();
  xml_writer w;
  w.open("response")
    .elem("returncode", std::string_view{"SUCCESS"})
    .elem("running", running)
    .close("response");
  return xml(w.take());
}

void sim_state::write_meeting(std::string& out, const meeting& m) const {
  xml_writer w;
  int moderators = 0;
  int voice = 0;
  int video = 0;
  int listeners = 0;
  for (const auto& a : m.attendees) {
    moderators += a.role == "MODERATOR" ? 1 : 0;
    voice += a.voice ? 1 : 0;
    video += a.video ? 1 : 0;
    listeners += a.listening_only ? 1 : 0;
  }
  w.elem("meetingName", m.name)
    .elem("meetingID", m.id)
    .elem("internalMeetingID", m.internal_id)
    .elem("createTime", static_cast<long long>(m.create_time))
    .elem("createDate", m.create_date)
    .elem("voiceBridge", m.voice_bridge)
    .elem("dialNumber", m.dial_number)
    .elem("attendeePW", m.attendee_pw)
    .elem("moderatorPW", m.moderator_pw)
    .elem("running", !m.attendees.empty())
    .elem("duration", m.duration)
    .elem("hasUserJoined", m.has_user_joined)
    .elem("recording", m.record)
    .elem("hasBeenForciblyEnded", false)
    .elem("startTime", static_cast<long long>(m.start_time))
    .elem("endTime", 0LL)
    .elem("participantCount", static_cast<long long>(m.attendees.size()))
    .elem("listenerCount", static_cast<long long>(listeners))
    .elem("voiceParticipantCount", static_cast<long long>(voice))
    .elem("videoCount", static_cast<long long>(video))
    .elem("maxUsers", m.max_participants)
    .elem("moderatorCount", static_cast<long long>(moderators))
    .open("attendees");
  for (const auto& a : m.attendees) {
    w.open("attendee")
      .elem("userID", a.user_id)
      .elem("fullName", a.full_name)
      .elem("role", a.role)
      .elem("isPresenter", a.presenter)
      .elem("isListeningOnly", a.listening_only)
      .elem("hasJoinedVoice", a.voice)
      .elem("hasVideo", a.video)
      .elem("clientType", std::string_view{"HTML5"});
    if (!a.customdata.empty()) {
      w.open("customdata");
      for (const auto& [k, v] : a.customdata)
        w.elem(k, v);
      w.close("customdata");
    }
    w.close("attendee");
  }
  w.close("attendees").open("metadata");
  for (const auto& [k, v] : m.metadata)
    w.elem(k, v);
  w.close("metadata").elem("isBreakout", false);
  out += w.str();
}

reply sim_state::get_meeting_info(const net::query& q) {
  auto id = q.get("meetingID");
  if (auto err = net::check_meeting_id(id))
    return failed(*err);
  const meeting* found = nullptr;
  for (const auto& [k, m] : meetings_)
    if (m.internal_id == *id)
      found = &m;
  if (found == nullptr) {
    auto it = meetings_.find(*id);
    if (it != meetings_.end())
      found = &it->second;
  }
  if (found == nullptr)
    return failed(net::not_found_error());
  std::string out = "<response><returncode>SUCCESS</returncode>";
  write_meeting(out, *found);
  out += "</response>";
  return xml(std::move(out));
}

reply sim_state::get_meetings() {
  if (meetings_.empty())
    return xml("<response><returncode>SUCCESS</returncode><meetings/>"
               "<messageKey>noMeetings</messageKey><message>no meetings were "
               "found on this server</message></response>");
  std::string out = "<response><returncode>SUCCESS</returncode><meetings>";
  for (const auto& [k, m] : meetings_) {
    out += "<meeting>";
    write_meeting(out, m);
    out += "</meeting>";
  }
  out += "</meetings></response>";
  return xml(std::move(out));
}

bool sim_state::add_attendee(const std::string& meeting_id, attendee a) {
  auto it = meetings_.find(meeting_id);
  if (it == meetings_.end())
    return false;
  auto& m = it->second;
  if (a.user_id.empty())
    a.user_id = "w_" + random_string(12, lower_alnum);
  if (!m.has_user_joined) {
    m.has_user_joined = true;
    m.start_time = now_ms();
  }
  emit("user-joined", m.id, m.internal_id,
       {{"user",
         {{"internal-user-id", a.user_id},
          {"external-user-id", a.user_id},
          {"name", a.full_name},
          {"role", a.role},
          {"presenter", a.presenter},
          {"guest", false}}}});
  m.attendees.push_back(std::move(a));
  ++m.joined;
  return true;
}

bool sim_state::remove_attendee(const std::string& meeting_id,
                                const std::string& user_id) {
  auto it = meetings_.find(meeting_id);
  if (it == meetings_.end())
    return false;
  auto& m = it->second;
  auto& list = m.attendees;
  auto gone = std::find_if(list.begin(), list.end(), [&](const attendee& a) {
    return a.user_id == user_id;
  });
  if (gone == list.end())
    return false;
  emit("user-left", m.id, m.internal_id,
       {{"user",
         {{"internal-user-id", gone->user_id},
          {"external-user-id", gone->user_id}}}});
  m.left.push_back(*gone);
  list.erase(gone);
  return true;
}

bool sim_state::end_meeting(const std::string& meeting_id) {
  auto it = meetings_.find(meeting_id);
  if (it == meetings_.end())
    return false;
  finish(it->second);
  meetings_.erase(it);
  return true;
}

std::vector<callback> sim_state::take_callbacks() {
  return std::exchange(callbacks_, {});
}

} // namespace gw::sim
