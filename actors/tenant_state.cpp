#include "actors/tenant_state.hpp"

#include <algorithm>

namespace gw {

ledger::plan ledger::reserve(int64_t n) const {
  plan p;
  if (n > connections_) {
    p.result = verdict::exceeds_subscription;
    return p;
  }
  auto free = connections_ - committed_;
  if (n <= free)
    return p;
  struct candidate {
    int64_t ends_at;
    const std::string* id;
    int64_t connections;
  };
  std::vector<candidate> lapsed;
  for (const auto& [id, b] : bookings_)
    if (b.lapsed)
      lapsed.push_back({b.ends_at, &id, b.connections});
  std::sort(
    lapsed.begin(), lapsed.end(), [](const candidate& a, const candidate& b) {
      return a.ends_at != b.ends_at ? a.ends_at < b.ends_at : *a.id < *b.id;
    });
  for (const auto& c : lapsed) {
    if (free >= n)
      break;
    p.preempt.push_back(*c.id);
    free += c.connections;
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
  it->second.pending = false;
  it->second.create_time = create_time;
  it->second.ends_at = ends_at;
}

void ledger::restore(const std::string& id, int64_t n, int64_t create_time,
                     int64_t ends_at, int64_t now) {
  book(id, n);
  confirm(id, create_time, ends_at);
  if (ends_at <= now)
    bookings_[id].lapsed = true;
}

bool ledger::release(const std::string& id) {
  auto it = bookings_.find(id);
  if (it == bookings_.end())
    return false;
  committed_ -= it->second.connections;
  bookings_.erase(it);
  return true;
}

bool ledger::lapse(const std::string& id, int64_t create_time) {
  auto it = bookings_.find(id);
  if (it == bookings_.end() || it->second.pending
      || it->second.create_time != create_time)
    return false;
  it->second.lapsed = true;
  return true;
}

const booking* ledger::find(const std::string& id) const {
  auto it = bookings_.find(id);
  return it == bookings_.end() ? nullptr : &it->second;
}

std::size_t ledger::lapsed_count() const {
  return static_cast<std::size_t>(
    std::count_if(bookings_.begin(), bookings_.end(),
                  [](const auto& kv) { return kv.second.lapsed; }));
}

} // namespace gw
