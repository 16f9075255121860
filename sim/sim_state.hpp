#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/hook.hpp"
#include "net/query.hpp"

namespace gw::sim {

/// A user in a simulated meeting.
struct attendee {
  std::string user_id;
  std::string full_name;
  std::string role = "VIEWER";
  bool presenter = false;
  bool listening_only = false;
  bool voice = false;
  bool video = false;
  std::vector<std::pair<std::string, std::string>> customdata;
};

/// A meeting as one BBB server holds it.
struct meeting {
  std::string id;
  std::string name;
  std::string internal_id;
  int64_t create_time = 0;
  std::string create_date;
  std::string attendee_pw;
  std::string moderator_pw;
  std::string voice_bridge;
  std::string dial_number;
  long long max_participants = 0;
  long long duration = 0;
  bool record = false;
  bool has_user_joined = false;
  /// Users who ever joined (a recording's participants).
  int joined = 0;
  /// Documents inserted with insertDocument (their XML bodies).
  std::vector<std::string> documents;
  /// Chat messages sent with sendChatMessage: user name, text.
  std::vector<std::pair<std::string, std::string>> chat;
  int64_t start_time = 0;
  std::vector<std::pair<std::string, std::string>> metadata;
  std::vector<attendee> attendees;
  /// Attendees who left (the analytics report lists everyone).
  std::vector<attendee> left;
  std::string welcome;
  std::string moderator_only_message;
  std::string end_callback_url;
  std::string meeting_ended_url;
};

/// An uploaded caption file of a recording (text tracks, 2.2+).
struct text_track {
  std::string kind;
  std::string lang;
  std::string label;
  std::string content;
};

/// A recording in the simulated store.
struct recording {
  std::string record_id;
  std::string meeting_id;
  std::string internal_id;
  std::string name;
  /// processing (until ready_at), then published; or as set.
  std::string state = "published";
  int64_t start_time = 0;
  int64_t end_time = 0;
  int64_t ready_at = 0;
  int participants = 0;
  int64_t raw_size = 0;
  std::vector<std::pair<std::string, std::string>> metadata;
  std::vector<text_track> tracks;
};

/// What a control call adds or changes in a recording (empty: unchanged).
struct recording_change {
  std::string meeting_id;
  std::string name;
  std::string state;
  int participants = -1;
  /// meta_* values: an empty value removes the key.
  std::vector<std::pair<std::string, std::string>> metadata;
};

/// An HTTP answer from the simulated API.
struct reply {
  unsigned status = 200;
  std::string content_type = "text/xml;charset=utf-8";
  std::string body;
  std::string location;
};

/// An outbound callback the server owes: a meeting's end callback (GET),
/// a recording-ready callback (POST form with `signed_parameters`), a
/// webhook event (POST form, checksum in the URL), a learning-analytics
/// report (POST JSON, `Authorization: Bearer <JWT>`).
struct callback {
  std::string url;
  std::string method = "GET";
  std::string body;
  std::string content_type;
  /// Extra header lines (`Name: value`).
  std::string headers;
};

/// The state of one simulated BBB server and its API semantics
/// (docs/bbb-api.md). Pure: no sockets, no threads; the server wraps it.
class sim_state {
public:
  /// Creates a server with API secret `secret` reachable at `base_url`
  /// (e.g. `http://127.0.0.1:9001`), used for join redirects.
  sim_state(std::string secret, std::string base_url);

  /// Handles `/bigbluebutton/api/<call>`; `call` is empty for the root.
  /// A POST form's parameters count as bbb-web 2.4-3.0 read them: with a
  /// query (besides the checksum), only the query is checksummed; with
  /// none, the sorted parameters are (2.x); a parameter in both is a
  /// checksumError.
  reply handle(const std::string& call, const std::string& raw_query,
               const std::string& method, const std::string& body,
               const std::string& content_type = "");

  /// Adds an attendee to a meeting; false when the meeting is unknown.
  bool add_attendee(const std::string& meeting_id, attendee a);

  /// Removes an attendee by userID; false when not found.
  bool remove_attendee(const std::string& meeting_id,
                       const std::string& user_id);

  /// Ends a meeting as if everybody left; false when unknown.
  bool end_meeting(const std::string& meeting_id);

  /// Adds a recording of a (live or past) meeting; a `processing` one is
  /// published after the recording delay. Returns its record ID.
  std::string add_recording(const recording_change& r);

  /// Changes a recording as the control endpoint asks; false when unknown.
  bool change_recording(const std::string& record_id,
                        const recording_change& r);

  /// Removes a recording (as if deleted on disk); false when unknown.
  bool remove_recording(const std::string& record_id);

  /// How long a recording stays `processing` after its meeting ends.
  void set_recording_delay(int64_t ms) {
    recording_delay_ms_ = ms;
  }

  /// Moves recordings whose processing is over to `published` and owes
  /// their recording-ready callbacks (as BBB's post-publish script sends
  /// them: a JWT HS256 with meeting_id and record_id, signed with the
  /// server's secret). The server calls it on a timer.
  void tick();

  /// Every recording by record ID.
  const std::map<std::string, recording>& recordings() const {
    return recordings_;
  }

  /// Whether the server runs bbb-webhooks (its hooks/* calls answer 404
  /// without; events are sent to its hooks with).
  void set_webhooks(bool on) {
    webhooks_ = on;
  }

  /// The registered webhooks (bbb-webhooks' own, in creation order).
  const std::vector<hook>& hooks() const {
    return hooks_;
  }

  /// Returns and clears the callbacks that became due.
  std::vector<callback> take_callbacks();

  /// Returns the live meetings.
  const std::map<std::string, meeting>& meetings() const {
    return meetings_;
  }

  /// Overrides the clock (milliseconds since the epoch) for tests.
  void set_clock(int64_t now_ms) {
    fixed_now_ = now_ms;
  }

private:
  reply create(const net::query& q, const std::string& body);
  reply join(const net::query& q);
  reply end(const net::query& q);
  reply is_meeting_running(const net::query& q);
  reply get_meeting_info(const net::query& q);
  reply get_meetings();
  reply get_recordings(const net::query& q);
  reply publish_recordings(const net::query& q);
  reply update_recordings(const net::query& q);
  reply delete_recordings(const net::query& q);
  reply get_text_tracks(const net::query& q);
  reply put_text_track(const net::query& q, const std::string& body,
                       const std::string& content_type);
  reply insert_document(const net::query& q, const std::string& body);
  reply send_chat_message(const net::query& q);
  reply get_join_url(const net::query& q);
  void apply(recording& r, const recording_change& c);
  reply hooks_call(const std::string& call, const std::string& raw_query);
  /// Sends event `id` of meeting `m` to every hook that wants it, as
  /// bbb-webhooks maps it (extra attributes merged in).
  void emit(const std::string& id, const std::string& meeting_id,
            const std::string& internal_id, nlohmann::json attributes);
  void emit_created(const meeting& m);
  /// The learning-analytics report of an ended meeting, if it asked for
  /// one (`meta_analytics-callback-url`).
  void send_analytics(const meeting& m);
  void write_meeting(std::string& out, const meeting& m) const;
  void finish(meeting& m);
  int64_t now_ms() const;
  std::string random_string(std::size_t n, const char* alphabet);

  std::string secret_;
  std::string base_url_;
  std::map<std::string, meeting> meetings_;
  std::map<std::string, recording> recordings_;
  std::vector<callback> callbacks_;
  /// Join sessions by session token: meetingID, fullName, role, userID.
  struct session {
    std::string meeting_id;
    std::string full_name;
    std::string role;
    std::string user_id;
  };
  std::map<std::string, session> sessions_;
  std::mt19937_64 rng_;
  int64_t last_create_ = 0;
  int64_t recording_delay_ms_ = 1000;
  std::optional<int64_t> fixed_now_;
  bool webhooks_ = true;
  std::vector<hook> hooks_;
};

} // namespace gw::sim
