#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace gw {

/// One meeting's claim on a tenant's subscription (design.md §2).
struct booking {
  int64_t connections = 0;
  /// The node's createTime, to tell apart meetings that reuse an ID.
  int64_t create_time = 0;
  /// When the booking runs out (gateway clock, ms); 0 while pending.
  int64_t ends_at = 0;
  /// Past its duration: may be ended to make room.
  bool lapsed = false;
  /// Reserved for a create still under way.
  bool pending = true;
};

/// A tenant's connection ledger: the only place that decides whether a
/// create fits the subscription. Plain C++ (the tenant actor owns one).
class ledger {
public:
  /// What a reservation would need.
  enum class verdict { ok, exceeds_subscription, not_enough };

  /// The outcome of planning a reservation.
  struct plan {
    verdict result = verdict::ok;
    /// Lapsed meetings to end first, earliest lapsed first.
    std::vector<std::string> preempt;
  };

  explicit ledger(int64_t connections) : connections_(connections) {}

  /// Plans a reservation of `n` connections without changing anything:
  /// fits at once, fits after ending just enough lapsed meetings, or not.
  plan reserve(int64_t n) const;

  /// Books `n` connections for `id`, pending until confirmed.
  void book(const std::string& id, int64_t n);

  /// Confirms a pending booking once the meeting exists.
  void confirm(const std::string& id, int64_t create_time, int64_t ends_at);

  /// Restores a confirmed booking at start-up; lapsed when `ends_at <= now`.
  void restore(const std::string& id, int64_t n, int64_t create_time,
               int64_t ends_at, int64_t now);

  /// Releases `id`; returns false when it held nothing.
  bool release(const std::string& id);

  /// Marks `id` lapsed if it is still the meeting created at `create_time`.
  bool lapse(const std::string& id, int64_t create_time);

  /// Marks lapsed every confirmed booking that ends at or before `t`;
  /// returns how many.
  std::size_t lapse_until(int64_t t);

  /// When the next confirmed, not yet lapsed booking ends (the one lapse
  /// timer the tenant actor keeps is set for it).
  std::optional<int64_t> next_end() const;

  /// Returns the booking of `id`, or null.
  const booking* find(const std::string& id) const;

  /// Changes the subscription size: what is booked stays booked (a smaller
  /// subscription only refuses new reservations).
  void set_connections(int64_t n) {
    connections_ = n;
  }

  /// Returns the subscription size.
  int64_t connections() const {
    return connections_;
  }

  /// Returns the connections booked (pending, reserved and lapsed).
  int64_t committed() const {
    return committed_;
  }

  /// Returns the number of bookings.
  std::size_t size() const {
    return bookings_.size();
  }

  /// Returns the number of lapsed bookings.
  std::size_t lapsed_count() const {
    return lapsed_.size();
  }

  /// Returns the connections booked by lapsed meetings.
  int64_t lapsed_connections() const {
    int64_t n = 0;
    for (const auto& entry : lapsed_)
      n += bookings_.at(entry.second).connections;
    return n;
  }

private:
  int64_t connections_;
  int64_t committed_ = 0;
  std::unordered_map<std::string, booking> bookings_;
  /// Lapsed bookings, earliest lapsed first: preemption walks this.
  std::set<std::pair<int64_t, std::string>> lapsed_;
  /// Confirmed bookings not lapsed yet, earliest end first.
  std::set<std::pair<int64_t, std::string>> running_;
};

} // namespace gw
