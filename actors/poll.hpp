#pragma once

#include <string>
#include <unordered_map>

#include "actors/types.hpp"
#include "net/http_client.hpp"

namespace gw {

/// A node's answer to `getMeetings`, as its node actor needs it.
struct poll_result {
  /// False when the node was unreachable, slow, or answered no usable XML.
  bool ok = false;
  std::string error;
  /// Live meetings by node meeting ID.
  std::unordered_map<std::string, live_meeting> meetings;
};

/// Parses a node's answer to `getMeetings` (runs on an io thread).
poll_result parse_poll(const net::client_response& res);

} // namespace gw
