#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

namespace gw::net {

class http_client;
template <class Result>
class read_coalescer;
struct upstream_answer;
struct rendered_cache;

/// One io thread: its io_context, the outbound client and the coalescer of
/// proxied reads that only this thread uses (no locks: each shard owns its
/// connection pool and its reads in flight).
struct io_shard {
  explicit io_shard(std::size_t index);
  ~io_shard();
  io_shard(const io_shard&) = delete;
  io_shard& operator=(const io_shard&) = delete;

  std::size_t index;
  boost::asio::io_context ioc{1};
  std::unique_ptr<http_client> client;
  std::unique_ptr<read_coalescer<upstream_answer>> reads;
  std::unique_ptr<rendered_cache> rendered;
};

/// A fixed set of io threads, one io_context each.
class io_pool {
public:
  /// Creates `n` shards (at least one); their threads are named
  /// `<name>-<i>` (as `top -H` and profilers show them) and run at nice
  /// value `nice` (0: the process's; background work yields the CPU with a
  /// higher one).
  explicit io_pool(std::size_t n, std::string name = "io", int nice = 0);
  ~io_pool();
  io_pool(const io_pool&) = delete;
  io_pool& operator=(const io_pool&) = delete;

  /// Returns the number of shards.
  std::size_t size() const {
    return shards_.size();
  }

  /// Returns shard `i`.
  io_shard& shard(std::size_t i) {
    return *shards_[i];
  }

  /// Returns the next shard in round-robin order.
  io_shard& next();

  /// Starts one thread per shard.
  void start();

  /// Stops every io_context and joins the threads.
  void stop();

private:
  using guard_t =
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type>;
  std::vector<std::unique_ptr<io_shard>> shards_;
  std::vector<guard_t> guards_;
  std::vector<std::thread> threads_;
  std::atomic<std::size_t> next_{0};
  std::string name_;
  int nice_ = 0;
};

} // namespace gw::net
