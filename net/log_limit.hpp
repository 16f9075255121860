#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

#include <spdlog/spdlog.h>

namespace gw::net {

/// Lets one line through per interval and counts the rest, for a log line
/// that can repeat as fast as events arrive (an accept failing, a node
/// answering garbage to every call). Lock-free: any thread may ask.
class log_gate {
public:
  explicit log_gate(
    std::chrono::milliseconds interval = std::chrono::seconds(10))
    : interval_ns_(
      std::chrono::duration_cast<std::chrono::nanoseconds>(interval).count()) {}

  /// True when a line may be written now; `suppressed` then holds how many
  /// were held back since the last one written.
  bool allow(std::uint64_t& suppressed) {
    auto now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                 std::chrono::steady_clock::now().time_since_epoch())
                 .count();
    auto last = last_ns_.load(std::memory_order_relaxed);
    if (last != never && now - last < interval_ns_) {
      held_.fetch_add(1, std::memory_order_relaxed);
      return false;
    }
    if (!last_ns_.compare_exchange_strong(last, now,
                                          std::memory_order_relaxed)) {
      held_.fetch_add(1, std::memory_order_relaxed);
      return false;
    }
    suppressed = held_.exchange(0, std::memory_order_relaxed);
    return true;
  }

private:
  static constexpr std::int64_t never = INT64_MIN;
  std::int64_t interval_ns_;
  std::atomic<std::int64_t> last_ns_{never};
  std::atomic<std::uint64_t> held_{0};
};

} // namespace gw::net

/// Logs at most one line per 10 s from this call site (the message is only
/// formatted when it is written), e.g.
///   GW_LOG_LIMITED(warn, "accept failed: {}", ec.message());
#define GW_LOG_LIMITED(level, ...)                                             \
  do {                                                                         \
    static ::gw::net::log_gate gw_log_gate_;                                   \
    std::uint64_t gw_suppressed_ = 0;                                          \
    if (gw_log_gate_.allow(gw_suppressed_)) {                                  \
      auto gw_line_ = fmt::format(__VA_ARGS__);                                \
      if (gw_suppressed_ == 0)                                                 \
        spdlog::level("{}", gw_line_);                                         \
      else                                                                     \
        spdlog::level("{} ({} similar lines suppressed)", gw_line_,            \
                      gw_suppressed_);                                         \
    }                                                                          \
  } while (0)
