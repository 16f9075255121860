#include "net/access_log.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <climits>
#include <cstdio>
#include <ctime>

#include <pthread.h>
#include <unistd.h>

namespace gw::net {

namespace {

/// A buffer this large is handed to the writer at once.
constexpr std::size_t hand_over_bytes = 64 * 1024;
constexpr auto write_every = std::chrono::milliseconds(200);

bool unreserved(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
         || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_'
         || c == '~' || c == '%' || c == '+';
}

/// A value as a log field: safe for both formats (no space, quote,
/// backslash or control character survives).
void append_field(std::string& out, std::string_view v) {
  static constexpr char hex[] = "0123456789ABCDEF";
  for (char c : v) {
    if (unreserved(c)) {
      out.push_back(c);
    } else {
      auto u = static_cast<unsigned char>(c);
      out.push_back('%');
      out.push_back(hex[u >> 4]);
      out.push_back(hex[u & 15]);
    }
  }
}

void append_number(std::string& out, int64_t n) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, n);
  out.append(buf, r.ptr);
}

/// Writes whole lines in pieces of at most PIPE_BUF bytes: on a pipe
/// (journald, a supervisor) each piece is atomic, so the other logs' lines
/// never land inside one of these.
void write_lines(int fd, const std::string& out) {
  std::size_t at = 0;
  while (at < out.size()) {
    auto end = std::min(out.size(), at + PIPE_BUF);
    if (end < out.size()) {
      auto nl = out.rfind('\n', end - 1);
      end =
        nl != std::string::npos && nl >= at ? nl + 1 : out.find('\n', at) + 1;
      if (end == 0)
        end = out.size();
    }
    while (at < end) {
      auto n = ::write(fd, out.data() + at, end - at);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return; // the output is gone: the lines are lost, not retried
      at += static_cast<std::size_t>(n);
    }
  }
}

} // namespace

access_log::access_log(std::size_t shards, std::string format, int fd,
                       std::size_t max_pending_bytes)
  : format_(std::move(format)), fd_(fd), max_pending_(max_pending_bytes) {
  for (std::size_t i = 0; i < std::max<std::size_t>(shards, 1); ++i)
    shards_.push_back(std::make_unique<shard_buffer>());
  writer_ = std::thread([this] { run(); });
}

access_log::~access_log() {
  {
    std::lock_guard<std::mutex> g(wake_m_);
    stop_ = true;
  }
  wake_.notify_one();
  writer_.join();
}

void access_log::write(std::size_t shard, const access_entry& e) {
  if (pending_.load(std::memory_order_relaxed) > max_pending_) {
    dropped_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  auto& b = *shards_[shard < shards_.size() ? shard : 0];
  auto now = std::chrono::system_clock::now();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
              now.time_since_epoch())
              .count();
  bool json = format_ == "json";
  bool full = false;
  {
    std::lock_guard<std::mutex> g(b.m);
    if (ms / 1000 != b.second) {
      b.second = ms / 1000;
      std::time_t t = static_cast<std::time_t>(b.second);
      std::tm tm{};
      if (json)
        gmtime_r(&t, &tm);
      else
        localtime_r(&t, &tm);
      char buf[32];
      auto n = std::strftime(
        buf, sizeof buf, json ? "%Y-%m-%dT%H:%M:%S" : "%Y-%m-%d %H:%M:%S", &tm);
      b.stamp.assign(buf, n);
    }
    auto& out = b.text;
    auto before = out.size();
    auto milli = static_cast<int>(ms % 1000);
    const char frac[] = {'.', static_cast<char>('0' + milli / 100),
                         static_cast<char>('0' + milli / 10 % 10),
                         static_cast<char>('0' + milli % 10), '\0'};
    if (json) {
      out += "{\"time\":\"";
      out += b.stamp;
      out += frac;
      out += "Z\",\"level\":\"info\",\"logger\":\"access\",\"msg\":\"";
    } else {
      out += '[';
      out += b.stamp;
      out += frac;
      out += "] [access] ";
    }
    out += "tenant=";
    append_field(out, e.tenant);
    out += " call=";
    append_field(out, e.call);
    out += " meetingID=";
    append_field(out, e.meeting_id);
    out += " status=";
    append_number(out, e.status);
    out += " returncode=";
    append_field(out, e.returncode);
    out += " messageKey=";
    append_field(out, e.message_key);
    out += " us=";
    append_number(out, e.microseconds);
    out += json ? "\"}\n" : "\n";
    pending_.fetch_add(out.size() - before, std::memory_order_relaxed);
    full = out.size() >= hand_over_bytes;
  }
  // A full buffer wakes the writer (rare: once per 64 KB).
  if (full)
    wake_.notify_one();
}

std::size_t access_log::take(std::string& out) {
  std::size_t taken = 0;
  for (auto& b : shards_) {
    // Copied out (the shard keeps its buffer's capacity).
    std::lock_guard<std::mutex> g(b->m);
    taken += b->text.size();
    out += b->text;
    b->text.clear();
  }
  return taken;
}

void access_log::run() {
  pthread_setname_np(pthread_self(), "gw-access");
  std::string out;
  for (;;) {
    bool stopping = false;
    bool flushing = false;
    {
      std::unique_lock<std::mutex> lk(wake_m_);
      wake_.wait_for(lk, write_every);
      stopping = stop_;
      flushing = flush_asked_;
      flush_asked_ = false;
    }
    out.clear();
    auto taken = take(out);
    write_lines(fd_, out);
    pending_.fetch_sub(taken, std::memory_order_relaxed);
    if (flushing) {
      std::lock_guard<std::mutex> g(wake_m_);
      ++flushes_done_;
      flushed_.notify_all();
    }
    if (stopping)
      return;
  }
}

void access_log::flush() {
  std::unique_lock<std::mutex> lk(wake_m_);
  auto target = flushes_done_ + 1;
  flush_asked_ = true;
  wake_.notify_one();
  flushed_.wait(lk, [&] { return flushes_done_ >= target || stop_; });
}

} // namespace gw::net
