#include "bench/load_client.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <pthread.h>
#include <sys/resource.h>
#include <time.h>

namespace gw::bench {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using clock_type = std::chrono::steady_clock;

namespace {

struct shared_run {
  const load_options* opts;
  clock_type::time_point start;
  clock_type::time_point end;
  std::size_t next_target = 0;
  std::vector<uint32_t> latencies;
  clock_type::time_point last_done;
  load_result result;
  tcp::endpoint endpoint;
};

class connection : public std::enable_shared_from_this<connection> {
public:
  connection(asio::io_context& ioc, shared_run& run, std::size_t index)
    : ioc_(ioc), run_(run), index_(index), timer_(ioc) {
    // Read whole answers at once, as curl or PHP's streams do (Beast reads
    // 512 bytes at a time from an empty buffer, and a body's bytes never let
    // it grow: a 4 KB answer took eight reads).
    buffer_.reserve(64 * 1024);
    const auto& o = *run.opts;
    if (o.partitioned) {
      auto per = o.targets.size() / o.connections;
      first_ = index * per;
      last_ = first_ + per;
      cursor_ = first_;
    }
    if (o.rate > 0)
      interval_ = std::chrono::duration_cast<clock_type::duration>(
        std::chrono::duration<double>(static_cast<double>(o.connections)
                                      / o.rate));
    // Spread the first sends of an open-loop run over one interval.
    intended_ =
      run.start
      + interval_ * static_cast<long>(index)
          / static_cast<long>(std::max<std::size_t>(o.connections, 1));
  }

  void start() {
    connect();
  }

private:
  void connect() {
    stream_.emplace(ioc_);
    stream_->async_connect(run_.endpoint,
                           [self = shared_from_this()](beast::error_code ec) {
                             if (ec) {
                               ++self->run_.result.errors;
                               return;
                             }
                             self->next();
                           });
  }

  const std::string* pick() {
    const auto& o = *run_.opts;
    if (o.partitioned) {
      if (cursor_ >= last_)
        return nullptr;
      return &o.targets[cursor_++];
    }
    return &o.targets[run_.next_target++ % o.targets.size()];
  }

  void next() {
    auto now = clock_type::now();
    if (now >= run_.end)
      return;
    if (interval_.count() > 0) {
      if (intended_ > now) {
        timer_.expires_at(intended_);
        return timer_.async_wait(
          [self = shared_from_this()](beast::error_code) { self->send(); });
      }
    } else {
      intended_ = now;
    }
    send();
  }

  void send() {
    const auto* target = pick();
    if (target == nullptr)
      return;
    req_ = {http::verb::get, *target, 11};
    req_.set(http::field::host, run_.opts->host);
    req_.keep_alive(true);
    sent_ = interval_.count() > 0 ? intended_ : clock_type::now();
    http::async_write(
      *stream_, req_,
      [self = shared_from_this()](beast::error_code ec, std::size_t) {
        if (ec)
          return self->failed();
        self->res_.emplace();
        self->res_->body_limit(16 * 1024 * 1024);
        http::async_read(*self->stream_, self->buffer_, *self->res_,
                         [self](beast::error_code ec2, std::size_t) {
                           if (ec2)
                             return self->failed();
                           self->done();
                         });
      });
  }

  void done() {
    auto now = clock_type::now();
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(now - sent_)
                .count();
    if (now <= run_.end) {
      run_.last_done = now;
      run_.latencies.push_back(static_cast<uint32_t>(std::max<long>(us, 0)));
      ++run_.result.requests;
      ++run_.result.statuses[res_->get().result_int()];
    }
    intended_ += interval_;
    if (!res_->get().keep_alive())
      return connect();
    next();
  }

  void failed() {
    ++run_.result.errors;
    if (clock_type::now() < run_.end)
      connect();
  }

  asio::io_context& ioc_;
  shared_run& run_;
  std::size_t index_;
  asio::steady_timer timer_;
  std::optional<beast::tcp_stream> stream_;
  beast::flat_buffer buffer_;
  http::request<http::empty_body> req_;
  std::optional<http::response_parser<http::string_body>> res_;
  clock_type::duration interval_{0};
  clock_type::time_point intended_;
  clock_type::time_point sent_;
  std::size_t first_ = 0;
  std::size_t last_ = 0;
  std::size_t cursor_ = 0;
};

/// CPU nanoseconds spent so far by each thread group of this process (from
/// /proc/self/task/*/schedstat; the group is the thread's name without a
/// trailing `-<n>`).
std::map<std::string, double> thread_cpu_ns() {
  std::map<std::string, double> out;
  for (const auto& task :
       std::filesystem::directory_iterator("/proc/self/task")) {
    std::ifstream comm_in(task.path() / "comm");
    std::ifstream sched_in(task.path() / "schedstat");
    std::string comm;
    double ns = 0;
    if (!std::getline(comm_in, comm) || !(sched_in >> ns))
      continue;
    auto dash = comm.rfind('-');
    if (dash != std::string::npos && dash + 1 < comm.size()
        && comm.find_first_not_of("0123456789", dash + 1) == std::string::npos)
      comm.resize(dash);
    out[comm] += ns;
  }
  return out;
}

/// CPU seconds of the whole process, and of the calling thread.
std::pair<double, double> cpu_seconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  auto tv = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return {tv(ru.ru_utime) + tv(ru.ru_stime),
          static_cast<double>(ts.tv_sec)
            + static_cast<double>(ts.tv_nsec) / 1e9};
}

double percentile(std::vector<uint32_t>& v, double p) {
  if (v.empty())
    return 0;
  auto k = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k),
                   v.end());
  return v[k];
}

} // namespace

load_result run_load(const load_options& opts) {
  asio::io_context ioc{1};
  shared_run run;
  run.opts = &opts;
  run.endpoint = {asio::ip::make_address("127.0.0.1"), opts.port};
  run.latencies.reserve(1 << 20);
  pthread_setname_np(pthread_self(), "bench-load");
  auto threads_before = thread_cpu_ns();
  auto cpu_before = cpu_seconds();
  run.start = clock_type::now();
  run.end = run.start + opts.duration;
  for (std::size_t i = 0; i < opts.connections; ++i)
    std::make_shared<connection>(ioc, run, i)->start();
  ioc.run_for(opts.duration + std::chrono::seconds(2));
  auto cpu_after = cpu_seconds();
  auto threads_after = thread_cpu_ns();
  auto& r = run.result;
  if (r.requests > 0) {
    auto n = static_cast<double>(r.requests);
    for (const auto& [group, ns] : threads_after) {
      auto before = threads_before.count(group) ? threads_before[group] : 0.0;
      auto us = (ns - before) / 1000.0 / n;
      if (us >= 0.05)
        r.cpu_us_by_thread[group] = us;
    }
    r.cpu_us_per_request = (cpu_after.first - cpu_before.first) * 1e6 / n;
    r.generator_cpu_us_per_request =
      (cpu_after.second - cpu_before.second) * 1e6 / n;
  }
  // A partitioned run may end before its time: count up to its last answer.
  auto last =
    opts.partitioned ? run.last_done : std::min(clock_type::now(), run.end);
  r.seconds = std::chrono::duration<double>(last - run.start).count();
  r.rps = r.seconds > 0 ? static_cast<double>(r.requests) / r.seconds : 0;
  r.p50_us = percentile(run.latencies, 0.50);
  r.p99_us = percentile(run.latencies, 0.99);
  r.p999_us = percentile(run.latencies, 0.999);
  return r;
}

} // namespace gw::bench
