#include "net/io_pool.hpp"

#include <pthread.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "net/http_client.hpp"
#include "net/read_coalescer.hpp"
#include "net/rendered_cache.hpp"

namespace gw::net {

io_shard::io_shard(std::size_t i)
  : index(i), client(std::make_unique<http_client>(ioc)),
    reads(std::make_unique<upstream_reads>()),
    rendered(std::make_unique<rendered_cache>()) {}

io_shard::~io_shard() = default;

io_pool::io_pool(std::size_t n, std::string name, int nice)
  : name_(std::move(name)), nice_(nice) {
  if (n == 0)
    n = 1;
  for (std::size_t i = 0; i < n; ++i)
    shards_.push_back(std::make_unique<io_shard>(i));
}

io_pool::~io_pool() {
  stop();
}

io_shard& io_pool::next() {
  return *shards_[next_.fetch_add(1, std::memory_order_relaxed)
                  % shards_.size()];
}

void io_pool::start() {
  for (auto& s : shards_) {
    guards_.emplace_back(s->ioc.get_executor());
    auto thread_name = (name_ + "-" + std::to_string(s->index)).substr(0, 15);
    threads_.emplace_back([ctx = &s->ioc, thread_name, nice = nice_] {
      pthread_setname_np(pthread_self(), thread_name.c_str());
      // Linux keeps the nice value per thread: only this one is lowered.
      if (nice != 0) {
        auto tid = static_cast<id_t>(::syscall(SYS_gettid));
        if (::setpriority(PRIO_PROCESS, tid, nice) != 0)
          spdlog::debug("{}: priority unchanged", thread_name);
      }
      ctx->run();
    });
  }
}

void io_pool::stop() {
  guards_.clear();
  for (auto& s : shards_)
    s->ioc.stop();
  for (auto& t : threads_)
    if (t.joinable())
      t.join();
  threads_.clear();
}

} // namespace gw::net
