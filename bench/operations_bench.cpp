// The operations bench (issue 16): join redirects with the access log on
// and /metrics scraped every second against the same run without them.
#include "bench/operations_bench.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <thread>

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include "bench/http_get.hpp"

namespace gw::bench {

namespace {

using steady = std::chrono::steady_clock;

/// Standard output sent to a file while it lives.
class stdout_to_file {
public:
  explicit stdout_to_file(const std::filesystem::path& file) {
    std::fflush(stdout);
    saved_ = ::dup(STDOUT_FILENO);
    int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    ::dup2(fd, STDOUT_FILENO);
    ::close(fd);
  }
  ~stdout_to_file() {
    // The access log is written by a thread of its own: let it drain.
    if (auto log = spdlog::get("access"))
      log->flush();
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    std::fflush(stdout);
    ::dup2(saved_, STDOUT_FILENO);
    ::close(saved_);
  }
  stdout_to_file(const stdout_to_file&) = delete;
  stdout_to_file& operator=(const stdout_to_file&) = delete;

private:
  int saved_ = -1;
};

std::size_t count_lines(const std::filesystem::path& file) {
  std::ifstream in(file);
  return static_cast<std::size_t>(
    std::count(std::istreambuf_iterator<char>(in), {}, '\n'));
}

} // namespace

operations_figures
run_operations_bench(load_options base, load_options subject,
                     uint16_t metrics_port, int rounds,
                     const std::filesystem::path& access_file) {
  struct round {
    load_result base;
    load_result subject;
    double ratio = 0;
  };
  std::vector<round> all;
  operations_figures out;
  double scrape_ms_total = 0;
  std::filesystem::remove(access_file);
  for (int i = 0; i < rounds; ++i) {
    round r;
    r.base = run_load(base);
    {
      stdout_to_file redirect{access_file};
      std::atomic<bool> stop{false};
      std::thread scraper([&] {
        auto next = steady::now();
        while (!stop) {
          auto t0 = steady::now();
          auto body = http_get(metrics_port, "/metrics");
          scrape_ms_total +=
            std::chrono::duration<double, std::milli>(steady::now() - t0)
              .count();
          out.metrics_bytes = body.size();
          ++out.scrapes;
          next += std::chrono::seconds(1);
          while (!stop && steady::now() < next)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
      });
      r.subject = run_load(subject);
      stop = true;
      scraper.join();
    }
    out.subject_requests += r.subject.requests;
    r.ratio = r.base.rps > 0 ? r.subject.rps / r.base.rps : 0;
    std::printf("  round %d: without %.0f/s, with %.0f/s, ratio %.2f\n", i + 1,
                r.base.rps, r.subject.rps, r.ratio);
    out.rounds.push_back(r.ratio);
    all.push_back(std::move(r));
  }
  std::sort(all.begin(), all.end(),
            [](const round& x, const round& y) { return x.ratio < y.ratio; });
  const auto& median = all[all.size() / 2];
  out.base = median.base;
  out.subject = median.subject;
  out.ratio = median.ratio;
  out.scrape_ms =
    out.scrapes > 0 ? scrape_ms_total / static_cast<double>(out.scrapes) : 0;
  out.access_lines = count_lines(access_file);
  return out;
}

} // namespace gw::bench
