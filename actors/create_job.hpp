#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "actors/interfaces.hpp"
#include "net/http_client.hpp"
#include "net/http_types.hpp"
#include "net/query.hpp"

namespace gw::net {
struct io_shard;
} // namespace gw::net

namespace gw {

/// A validated create call travelling through the tenant actor. Built by the
/// HTTP layer; only the tenant actor changes it afterwards.
struct create_job {
  /// The client's meetingID.
  std::string meeting_id;
  /// The client's parameters (checksum already verified).
  net::query q;
  /// The POST body (modules XML), forwarded byte for byte.
  std::string body;
  std::string content_type;
  /// Connections to book and to send as maxParticipants.
  int64_t max_participants = 0;
  /// Booking length in API minutes.
  int64_t duration_minutes = 0;
  /// The client's own duration value, echoed in answers.
  std::string client_duration = "0";
  /// `deactivateBbbserverDefaultChatTexts=true`: send only client texts.
  bool only_client_texts = false;
  /// The io shard whose client calls the nodes; its thread runs callbacks.
  net::io_shard* shard = nullptr;
  /// Answers the HTTP request (posts to the session).
  net::responder respond;

  // -- set by the tenant actor ------------------------------------------
  /// Secret part of the gateway's end callback URL for this meeting.
  std::string callback_nonce;
  placement candidates;
  std::size_t next_candidate = 0;
  std::string node_meeting_id;
  /// The meeting already running under this ID (duplicate create).
  std::shared_ptr<const meeting_row> existing;
  /// The meeting being moved to another node (failover).
  std::shared_ptr<const meeting_row> relocating;

  // -- failover of a join -------------------------------------------------
  /// Set by the HTTP layer when a join found its meeting's node unusable.
  bool join_failover = false;
  /// The node the join found unusable.
  std::string stale_node;
  /// Called with the meeting's (new) row once it runs on a usable node, or
  /// with null when it could not be moved; answers the join.
  std::function<void(std::shared_ptr<const meeting_row>)> on_placed;
};

/// An API call the gateway sends to a node.
struct node_request {
  /// Path and signed query.
  std::string target;
  bool post = false;
  std::string body;
  std::string content_type;
  std::chrono::milliseconds timeout{10000};
};

/// Sends `req` to `node`, then calls `done` on an io thread (which must only
/// send messages). `shard` picks the io thread; null means any.
using node_caller = std::function<void(
  net::io_shard* shard, std::shared_ptr<const node_info> node, node_request req,
  std::function<void(net::client_response&&)> done)>;

/// A node's answer to a create call the tenant actor sent.
struct node_outcome {
  create_job_ptr job;
  node_ref node;
  net::client_response res;
};

} // namespace gw
