#pragma once

// The BBB API's own counters: per io thread, written only by that thread
// (relaxed atomics, no lock, no message), added up at scrape time.
#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

#include "core/metrics.hpp"
#include "net/http_types.hpp"

namespace gw::api {

/// The calls counted by name (anything else counts as "other").
inline constexpr std::array<std::string_view, 19> counted_calls{
  "create",
  "join",
  "end",
  "isMeetingRunning",
  "getMeetingInfo",
  "getMeetings",
  "insertDocument",
  "sendChatMessage",
  "getRecordings",
  "publishRecordings",
  "updateRecordings",
  "deleteRecordings",
  "getJoinUrl",
  "getRecordingTextTracks",
  "putRecordingTextTrack",
  "hooks/create",
  "hooks/list",
  "hooks/destroy",
  "other"};

/// How an answer ended: BBB's returncode, a redirect (join), or an HTTP
/// error without a BBB document.
inline constexpr std::array<std::string_view, 4> returncodes{
  "SUCCESS", "FAILED", "redirect", "error"};

/// A create's outcome: created, duplicate, or the messageKey of its
/// failure (the keys a create can get; anything else is "other").
inline constexpr std::array<std::string_view, 14> create_outcomes{
  "created",
  "duplicate",
  "notEnoughConnections",
  "maxParticipantsExceedsSubscription",
  "noServerAvailable",
  "serverUnavailable",
  "internalError",
  "integrationApiDisabled",
  "idNotUnique",
  "checksumError",
  "validationError",
  "sizeError",
  "bodyTooLarge",
  "other"};

struct call_counters {
  std::array<std::atomic<uint64_t>, returncodes.size()> answers{};
  latency_histogram duration;
};

/// One io thread's counters.
struct shard_counters {
  std::array<call_counters, counted_calls.size()> calls;
  std::array<std::atomic<uint64_t>, create_outcomes.size()> creates{};
};

/// What a scrape reads: everything added up.
struct api_totals {
  std::array<std::array<uint64_t, returncodes.size()>, counted_calls.size()>
    answers{};
  std::array<histogram_sum, counted_calls.size()> duration;
  std::array<uint64_t, create_outcomes.size()> creates{};
};

class api_metrics {
public:
  explicit api_metrics(std::size_t shards);

  /// Wraps `inner` so that the answer it gets is counted under `call`
  /// (on shard `shard`'s counters), with the time since now.
  net::responder counting(net::responder inner, std::size_t shard,
                          std::string_view call);

  /// Adds up every shard's counters.
  api_totals totals() const;

  /// Index of `call` in counted_calls ("other" when unknown).
  static std::size_t call_index(std::string_view call);

  /// Reads an answer: its returncode index and, for a create, its outcome
  /// index.
  static std::size_t returncode_of(const net::http_response& r);
  static std::size_t create_outcome_of(const net::http_response& r);

private:
  std::vector<std::unique_ptr<shard_counters>> shards_;
};

} // namespace gw::api
