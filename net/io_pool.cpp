#include "net/io_pool.hpp"

#include "net/http_client.hpp"

namespace gw::net {

io_shard::io_shard(std::size_t i)
  : index(i), client(std::make_unique<http_client>(ioc)) {}

io_shard::~io_shard() = default;

io_pool::io_pool(std::size_t n) {
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
    threads_.emplace_back([ctx = &s->ioc] { ctx->run(); });
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
