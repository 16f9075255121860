#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace gw::net {

/// One answered BBB API call as the access log shows it. Only these
/// fields: never a secret, a checksum or any other parameter.
struct access_entry {
  std::string_view tenant;
  std::string_view call;
  /// As the client sent it (percent-encoded); anything but unreserved
  /// characters, '%' and '+' is escaped again before it is written.
  std::string_view meeting_id;
  unsigned status = 0;
  std::string_view returncode;
  std::string_view message_key;
  int64_t microseconds = 0;
};

/// The access log (log.access): one line per call, in the format of the
/// other logs ("text": `[time] [access] tenant=...`, "json": one object per
/// line with logger "access"). Costs an io thread one line formatted into
/// a buffer of its own (no lock another io thread takes, no system call):
/// a writer thread of its own takes the buffers when one fills up or every
/// 200 ms and writes them to the file descriptor (standard output: journald
/// under systemd), so the io threads never wait for the output. When the
/// output falls behind by more than `max_pending_bytes`, lines are dropped
/// and counted instead.
class access_log {
public:
  access_log(std::size_t shards, std::string format, int fd = 1,
             std::size_t max_pending_bytes = 64u << 20);
  ~access_log();
  access_log(const access_log&) = delete;
  access_log& operator=(const access_log&) = delete;

  /// Appends one line; called by io thread `shard` only.
  void write(std::size_t shard, const access_entry& e);

  /// Writes every line appended so far before it returns.
  void flush();

  /// Lines dropped because the output fell behind.
  uint64_t dropped() const {
    return dropped_.load(std::memory_order_relaxed);
  }

private:
  struct alignas(64) shard_buffer {
    std::mutex m;
    std::string text;
    /// The cached "YYYY-mm-dd HH:MM:SS" of `second` (UTC for JSON).
    int64_t second = -1;
    std::string stamp;
  };

  void run();
  std::size_t take(std::string& out);

  std::string format_;
  int fd_;
  std::size_t max_pending_;
  std::vector<std::unique_ptr<shard_buffer>> shards_;
  std::atomic<uint64_t> dropped_{0};
  std::atomic<std::size_t> pending_{0};
  std::mutex wake_m_;
  std::condition_variable wake_;
  bool stop_ = false;
  bool flush_asked_ = false;
  uint64_t flushes_done_ = 0;
  std::condition_variable flushed_;
  std::thread writer_;
};

} // namespace gw::net
