#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/digest.hpp"
#include "core/node_call.hpp"
#include "net/query.hpp"

namespace gw::net {

/// The checksum algorithm of every call the gateway signs for a node.
constexpr auto node_checksum = digest_algo::sha256;

/// What the gateway sends a node for a create, besides the client's call.
struct create_forward {
  /// The client's parameters (checksum verified), in their raw form.
  const query* q = nullptr;
  std::string node_meeting_id;
  /// Connections booked: sent as maxParticipants.
  int64_t max_participants = 0;
  /// The gateway's own end callback URL (empty: none).
  std::string end_callback_url;
  /// The gateway's own recording-ready URL (empty: none): it replaces
  /// every `meta_*-recording-ready-url` of the client.
  std::string recording_ready_url;
  /// The gateway's own analytics URL (empty: the client gave none): it
  /// replaces the client's `meta_analytics-callback-url`.
  std::string analytics_url;
  /// `deactivateBbbserverDefaultChatTexts=true`: only the client's texts.
  bool only_client_texts = false;
  /// Values the client was told by an earlier node, kept when the meeting
  /// moves (attendeePW, moderatorPW, voiceBridge, dialNumber): they
  /// replace the client's parameters of the same name.
  std::vector<std::pair<std::string, std::string>> keep;
  /// The platform's (or tenant's) default texts, put first.
  std::string welcome;
  std::string moderator_only;
};

/// The longest create query sent in a URL: a longer one (or any create the
/// client sent as a POST form) goes as a POST form, since nodes refuse long
/// request lines (nginx answers 414 beyond 8 KiB by default).
constexpr std::size_t max_node_query = 6 * 1024;

/// Builds the query a node receives for a create: the client's parameters
/// in their raw form, with meetingID namespaced, maxParticipants set to the
/// booking, duration 0, default chat texts prepended, the gateway's own end
/// callback instead of the client's, the gateway-only parameter removed;
/// signed with the node's secret.
std::string node_create_query(const create_forward& f, const node_info& node);

/// The whole create request: a GET (a POST with the client's XML body when
/// it had one), or a POST form when the client sent one or the query is
/// longer than max_node_query. A POST form keeps meetingID, the passwords,
/// maxParticipants, duration, voiceBridge, dialNumber and the end callback
/// in the signed URL and carries every other parameter in its body.
node_request create_request(const create_forward& f, const node_info& node,
                            const std::string& body,
                            const std::string& content_type);

/// What a node's answer to a create says.
struct create_answer {
  /// A BBB document arrived (HTTP 200, `<response>` with a returncode).
  bool usable = false;
  /// Why not, for the log.
  std::string problem;
  bool success = false;
  std::string internal_id;
  int64_t create_time = 0;
  std::string create_date;
  std::string attendee_pw;
  std::string moderator_pw;
  std::string voice_bridge;
  std::string dial_number;
};

/// Reads a node's answer to a create.
create_answer read_create_answer(const node_response& res);

/// A `getMeetingInfo` of the node's meeting `node_meeting_id` (its answer
/// carries what a create answer does: read it with read_create_answer).
node_request meeting_info_request(const node_info& node,
                                  const std::string& node_meeting_id);

/// A `getRecordings` of every recording in every state (the index's
/// reconciliation; read the answer with read_node_recordings), one page of
/// `limit` from `offset` (limit 0: all at once).
node_request recordings_request(const node_info& node, int64_t offset = 0,
                                int64_t limit = 0);

/// A `getRecordings` of the given record IDs in every state.
node_request recordings_by_id_request(const node_info& node,
                                      const std::vector<std::string>& ids);

/// A recording call (`publishRecordings`, `updateRecordings`,
/// `deleteRecordings`) with `params` (a raw query without checksum),
/// signed for the node.
node_request recording_call_request(const node_info& node,
                                    const std::string& call,
                                    const std::string& params);

/// An `end` of the node's meeting `node_meeting_id`.
node_request end_request(const node_info& node,
                         const std::string& node_meeting_id);

/// The node's bbb-webhooks `hooks/list` (all its hooks).
node_request hooks_list_request(const node_info& node);

/// The node's bbb-webhooks `hooks/create` of a global hook to `url`.
node_request hooks_create_request(const node_info& node,
                                  const std::string& url);

/// A `getMeetings` poll of the node.
node_request poll_request(const node_info& node,
                          std::chrono::milliseconds timeout);

/// Parses a node's answer to `getMeetings` (runs on an io thread).
poll_result parse_poll(const node_response& res);

/// Returns the gateway's end callback URL for a meeting (its nonce makes it
/// unguessable).
std::string end_callback_url(const std::string& public_url,
                             const std::string& tenant, const std::string& id,
                             const std::string& nonce,
                             const std::string& client_url = {});

} // namespace gw::net
