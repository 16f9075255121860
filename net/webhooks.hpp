#pragma once

// The bbb-webhooks wire format (3.x): deliveries (form body, checksum),
// the events' JSON as nodes send them and as clients receive them, and the
// hooks/* API's XML answers. docs/events.md.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/digest.hpp"
#include "core/hook.hpp"

namespace gw::net {

/// application/x-www-form-urlencoded as a browser's URLSearchParams writes
/// it (bbb-webhooks builds its body so): space as `+`, every byte but
/// ALPHA / DIGIT / `*-._` percent-encoded.
std::string form_urlencode(std::string_view in);

/// The body of one delivery: `domain`, `event` (a JSON array, as text),
/// `timestamp` (ms), in that order.
std::string webhook_body(std::string_view domain, std::string_view events,
                         int64_t timestamp_ms);

/// `url` with the delivery's checksum appended (`?checksum=` or
/// `&checksum=`): H(url + body + secret), as bbb-webhooks signs it.
std::string webhook_signed_url(const std::string& url, std::string_view body,
                               std::string_view secret, digest_algo algo);

/// Verifies a node's delivery to `url` (the callback URL as registered,
/// without the checksum): its `checksum` (algorithm by length), or, for a
/// node with bbb-webhooks' `auth2_0`, `Authorization: Bearer <secret>`.
bool webhook_delivery_valid(std::string_view url, std::string_view checksum,
                            std::string_view authorization,
                            std::string_view body, std::string_view secret);

/// The events of a delivery body (`event` is a JSON array of events, or
/// one event); nullopt when it is not one.
std::optional<std::vector<nlohmann::json>>
read_webhook_events(std::string_view body);

/// What the gateway reads of a (mapped) event to route it.
struct event_route {
  /// `data.id`, e.g. `user-joined`.
  std::string id;
  /// The node-side external and internal meeting IDs (either may be
  /// empty).
  std::string external_meeting_id;
  std::string internal_meeting_id;
  /// `data.attributes.record-id` (rap-* events).
  std::string record_id;
};

/// Reads an event's route; nullopt for anything not shaped like a mapped
/// bbb-webhooks event.
std::optional<event_route> route_of(const nlohmann::json& event);

/// Rewrites an event for the client: every occurrence of the node-side
/// meeting ID `node_id` in any string becomes `client_id`; metadata
/// objects (`meeting.metadata`, `recording.metadata`) get the client's own
/// callback URLs back instead of the gateway's (`own_prefix` =
/// public_url + "/_gw/").
void rewrite_event(nlohmann::json& event, const std::string& node_id,
                   const std::string& client_id, std::string_view own_prefix);

/// Replaces every occurrence of `from` in every string of `doc` (values
/// and object keys, recursively) by `to`.
void replace_in_strings(nlohmann::json& doc, const std::string& from,
                        const std::string& to);

// -- the hooks API's answers (whitespace-free XML, as bbb-webhooks sends) --

std::string hooks_failure(std::string_view key, std::string_view message);
std::string hooks_checksum_error();
std::string hooks_created(const hook& h);
std::string hooks_duplicate(const std::string& id);
std::string hooks_destroyed();
std::string hooks_list(const std::vector<hook>& hooks);

/// A node's hooks/list answer: each hook's id and callback URL; nullopt
/// when it is not a SUCCESS answer.
std::optional<std::vector<std::pair<std::string, std::string>>>
read_hooks_list(std::string_view body);

/// A node's hooks/create answer: the hook id (also for duplicateWarning);
/// nullopt when it failed.
std::optional<std::string> read_hooks_create(std::string_view body);

} // namespace gw::net
