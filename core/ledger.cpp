#include "core/ledger.hpp"

#include <algorithm>

namespace gw {

ledger::plan ledger::reserve(int64_t n) const {
  plan p;
  if (n > connections_) {
    p.result = verdict::exceeds_subscription;
    return p;
  }
  auto free = connections_ - committed_;
  // Earliest lapsed first, only as many as needed: O(k log n).
  for (auto it = lapsed_.begin(); free < n && it != lapsed_.end(); ++it) {
    p.preempt.push_back(it->second);
    free += bookings_.at(it->second).connections;
  }
  if (free < n) {
    p.result = verdict::not_enough;
    p.preempt.clear();
  }
  return p;
}

void ledger::book(const std::string& id, int64_t n) {
  release(id);
  booking b;
  b.connections = n;
  bookings_[id] = b;
  committed_ += n;
}

void ledger::confirm(const std::string& id, int64_t create_time,
                     int64_t ends_at) {
  auto it = bookings_.find(id);
  if (it == bookings_.end())
    return;
  if (it->second.lapsed) {
    // A moved meeting keeps its lapse; re-key it in the lapse order.
    lapsed_.erase({it->second.ends_at, id});
    lapsed_.emplace(ends_at, id);
  } else {
    if (!it->second.pending)
      running_.erase({it->second.ends_at, id});
    running_.emplace(ends_at, id);
  }
  it->second.pending = false;
  it->second.create_time = create_time;
  it->second.ends_at = ends_at;
}

void ledger::restore(const std::string& id, int64_t n, int64_t create_time,
                     int64_t ends_at, int64_t now) {
  book(id, n);
  confirm(id, create_time, ends_at);
  if (ends_at <= now) {
    running_.erase({ends_at, id});
    bookings_[id].lapsed = true;
    lapsed_.emplace(ends_at, id);
  }
}

bool ledger::release(const std::string& id) {
  auto it = bookings_.find(id);
  if (it == bookings_.end())
    return false;
  committed_ -= it->second.connections;
  if (it->second.lapsed)
    lapsed_.erase({it->second.ends_at, id});
  else if (!it->second.pending)
    running_.erase({it->second.ends_at, id});
  bookings_.erase(it);
  return true;
}

bool ledger::lapse(const std::string& id, int64_t create_time) {
  auto it = bookings_.find(id);
  if (it == bookings_.end() || it->second.pending
      || it->second.create_time != create_time || it->second.lapsed)
    return false;
  it->second.lapsed = true;
  running_.erase({it->second.ends_at, id});
  lapsed_.emplace(it->second.ends_at, id);
  return true;
}

std::size_t ledger::lapse_until(int64_t t) {
  std::size_t n = 0;
  while (!running_.empty() && running_.begin()->first <= t) {
    auto node = running_.extract(running_.begin());
    bookings_.at(node.value().second).lapsed = true;
    lapsed_.insert(std::move(node));
    ++n;
  }
  return n;
}

std::optional<int64_t> ledger::next_end() const {
  if (running_.empty())
    return std::nullopt;
  return running_.begin()->first;
}

const booking* ledger::find(const std::string& id) const {
  auto it = bookings_.find(id);
  return it == bookings_.end() ? nullptr : &it->second;
}

} // namespace gw
