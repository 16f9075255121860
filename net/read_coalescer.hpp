#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "net/http_client.hpp"

namespace gw::net {

/// Shares one upstream call among identical reads that arrive together, on
/// one io thread, without ever answering a caller with data older than its
/// request: a caller that arrives while a call for its key is in flight
/// waits for the next call, which starts when the current one has answered.
/// So per key at most one call is in flight and one is queued, whatever the
/// number of callers, and every answer was produced by the node after the
/// caller asked (read-your-writes holds: an `end` followed by a read never
/// sees the meeting still running).
///
/// Not thread-safe by design: each io shard owns one and only its thread
/// touches it (like the shard's connection pool).
template <class Result>
class read_coalescer {
public:
  using result_ptr = std::shared_ptr<const Result>;
  /// Receives the shared answer.
  using waiter = std::function<void(const result_ptr&)>;
  /// Starts the upstream call; calls its argument once with the answer.
  using starter = std::function<void(std::function<void(result_ptr)>)>;

  read_coalescer() = default;
  ~read_coalescer() {
    *alive_ = false;
  }
  read_coalescer(const read_coalescer&) = delete;
  read_coalescer& operator=(const read_coalescer&) = delete;

  /// Answers `w` from a call for `key` started now or, when one is in
  /// flight, from the next one (`start` issues it; callers with the same key
  /// must issue the same request).
  void read(const std::string& key, starter start, waiter w) {
    auto& e = entries_[key];
    if (e.in_flight) {
      e.next.push_back(std::move(w));
      e.next_start = std::move(start);
      return;
    }
    e.in_flight = true;
    e.current.push_back(std::move(w));
    launch(key, std::move(start));
  }

  /// Upstream calls started so far.
  std::size_t calls_started() const {
    return started_;
  }

  /// Keys with a call in flight.
  std::size_t keys_in_flight() const {
    return entries_.size();
  }

private:
  struct entry {
    bool in_flight = false;
    std::vector<waiter> current;
    std::vector<waiter> next;
    starter next_start;
  };

  void launch(std::string key, starter start) {
    ++started_;
    start([this, key, alive = alive_](result_ptr r) {
      if (*alive)
        complete(key, std::move(r));
    });
  }

  void complete(const std::string& key, result_ptr r) {
    auto it = entries_.find(key);
    if (it == entries_.end())
      return;
    auto waiters = std::move(it->second.current);
    if (it->second.next.empty()) {
      entries_.erase(it);
    } else {
      it->second.current = std::move(it->second.next);
      it->second.next.clear();
      auto start = std::move(it->second.next_start);
      it->second.next_start = nullptr;
      launch(key, std::move(start));
    }
    for (auto& w : waiters)
      w(r);
  }

  std::unordered_map<std::string, entry> entries_;
  std::size_t started_ = 0;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

/// A node's answer to a proxied read, checked once for all who share it.
struct upstream_answer {
  client_response response;
  /// The body is a BBB `<response>` document with a return code.
  bool bbb_document = false;
};

/// The read coalescer each io shard owns for proxied reads.
using upstream_reads = read_coalescer<upstream_answer>;

} // namespace gw::net
