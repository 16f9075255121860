#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

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
  int64_t start_time = 0;
  std::vector<std::pair<std::string, std::string>> metadata;
  std::vector<attendee> attendees;
  std::string welcome;
  std::string moderator_only_message;
  std::string end_callback_url;
  std::string meeting_ended_url;
};

/// A recording in the simulated store.
struct recording {
  std::string record_id;
  std::string meeting_id;
  std::string internal_id;
  std::string name;
  std::string state = "published";
  int64_t start_time = 0;
  int64_t end_time = 0;
  int participants = 0;
  std::vector<std::pair<std::string, std::string>> metadata;
};

/// An HTTP answer from the simulated API.
struct reply {
  unsigned status = 200;
  std::string content_type = "text/xml;charset=utf-8";
  std::string body;
  std::string location;
};

/// An outbound callback the server owes (e.g. a meeting's end callback).
struct callback {
  std::string url;
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

  /// Adds a recording of a (live or past) meeting.
  std::optional<std::string> add_recording(const std::string& meeting_id,
                                           const std::string& state);

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
  void write_meeting(std::string& out, const meeting& m) const;
  void finish(meeting& m);
  int64_t now_ms() const;
  std::string random_string(std::size_t n, const char* alphabet);

  std::string secret_;
  std::string base_url_;
  std::map<std::string, meeting> meetings_;
  std::map<std::string, recording> recordings_;
  std::vector<callback> callbacks_;
  std::mt19937_64 rng_;
  int64_t last_create_ = 0;
  std::optional<int64_t> fixed_now_;
};

} // namespace gw::sim
