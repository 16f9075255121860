#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>

#include "core/node.hpp"

namespace gw {

/// An API call the gateway sends to a node.
struct node_request {
  /// Path and signed query.
  std::string target;
  bool post = false;
  std::string body;
  std::string content_type;
  /// Extra header lines (`Name: value`, one per line; no CR).
  std::string headers;
  /// How long the node may take; a later answer counts as a failure.
  std::chrono::milliseconds timeout{10000};
};

/// A node's answer (or why there is none).
struct node_response {
  /// Empty when the node answered; otherwise what went wrong (connection
  /// refused, timed out, ...).
  std::string error;
  unsigned status = 0;
  std::string body;
};

/// Called with a node's answer on an io thread: it may only send messages.
using node_done = std::function<void(node_response&&)>;

/// Any io shard (for calls that start on actor threads).
constexpr int any_shard = -1;

/// Bulk reads in the background (a reconciliation's pages of 130 KB): an
/// io thread of their own at a lower priority where the caller has one,
/// never a thread serving clients; any shard otherwise.
constexpr int background_shard = -2;

/// Sends a request to a node and calls `done` with its answer. `shard`
/// picks the io thread whose connection pool makes the call (the caller's
/// own, so a create's callbacks run where its session lives); any_shard
/// picks one, background_shard the background one. Beast in production
/// (api/node_caller), a fake in tests.
using node_caller =
  std::function<void(int shard, std::shared_ptr<const node_info> node,
                     node_request req, node_done done)>;

/// Sends a request to any HTTP endpoint (a client's callback URL): like
/// node_caller, on an io thread's client; `done` runs on that io thread.
using web_caller =
  std::function<void(url_parts ep, node_request req, node_done done)>;

/// A node's answer to `getMeetings`, as its node actor needs it.
struct poll_result {
  /// False when the node was unreachable, slow, or answered no usable XML.
  bool ok = false;
  std::string error;
  /// Live meetings by node meeting ID.
  std::unordered_map<std::string, live_meeting> meetings;
};

} // namespace gw
