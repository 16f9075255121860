#pragma once

#include <cstdint>
#include <string>

namespace gw {

/// One callback the gateway owes a client (a relayed recording-ready or end
/// callback, a webhook event, an analytics report): where, and what to POST
/// (or GET when `post` is false). Kept
/// in the store's outbox until delivered or given up, so a restart resumes
/// it (docs/recordings.md, "Relays").
struct relay_job {
  /// Set by the relay actor (the outbox row's key).
  int64_t id = 0;
  std::string url;
  bool post = true;
  std::string body;
  std::string content_type;
  /// Extra request headers, one `Name: value` per line (analytics relays
  /// carry `Authorization: Bearer <JWT>`).
  std::string headers;
  /// For the log: "recording-ready", "end", ...
  std::string what;
  std::string tenant;
  /// Milliseconds since the epoch when it was handed over: retries stop
  /// `callbacks.retry_for_hours` later, across restarts.
  int64_t created_ms = 0;
  /// `host:port` of the URL (set by the relay actor): deliveries are queued,
  /// limited and loaded from the outbox per destination.
  std::string dest;
};

} // namespace gw
