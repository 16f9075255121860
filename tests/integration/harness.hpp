#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <sys/types.h>

namespace gw::test {

/// A child process whose stdout and stderr are read through a pipe.
class process {
public:
  /// Starts `argv[0]` with `argv`.
  explicit process(std::vector<std::string> argv);
  ~process();
  process(const process&) = delete;
  process& operator=(const process&) = delete;

  /// Reads output lines until one contains `needle`; returns that line, or
  /// an empty string after `timeout`.
  std::string
  wait_for(const std::string& needle,
           std::chrono::milliseconds timeout = std::chrono::seconds(10));

  /// Sends `sig` and returns at once (the process keeps running).
  void signal(int sig);

  /// Sends `sig` and waits for the exit; returns the exit status.
  int kill(int sig);

  /// Returns everything read so far.
  const std::string& output() const {
    return out_;
  }

  /// Returns the process ID.
  pid_t pid() const {
    return pid_;
  }

private:
  pid_t pid_ = -1;
  int fd_ = -1;
  std::string out_;
  std::size_t scanned_ = 0;
};

/// What a command printed (stdout and stderr together) and its exit code.
struct command_result {
  int exit_code = -1;
  std::string output;
};

/// Runs `argv` to its end (at most `timeout`), with `env` added to the
/// environment ("NAME=value").
command_result
run_command(std::vector<std::string> argv, std::vector<std::string> env = {},
            std::chrono::milliseconds timeout = std::chrono::seconds(30));

/// An HTTP answer.
struct response {
  unsigned status = 0;
  std::string body;
  std::map<std::string, std::string> headers;
  std::string header(const std::string& name) const;
};

/// Sends one HTTP/1.1 request to 127.0.0.1:`port` (no redirects followed).
response http(uint16_t port, const std::string& method,
              const std::string& target, const std::string& body = "",
              const std::string& content_type = "",
              const std::string& host = "",
              const std::vector<std::string>& headers = {});

/// GET shortcut.
response get(uint16_t port, const std::string& target);

/// Returns `qs` with a checksum for `call` under `secret` appended
/// (`sha1`, `sha256`, `sha384` or `sha512`).
std::string sign(const std::string& call, const std::string& qs,
                 const std::string& secret, const std::string& algo = "sha1");

/// Returns the decoded text of the first element `name` of `xml`.
std::string el(const std::string& xml, const std::string& name);

/// Returns the path of the bbbgate binary under test.
std::string bbbgate_binary();

/// Returns a fresh temporary directory.
std::string temp_dir();

/// Returns a loopback port that was free a moment ago.
uint16_t free_port();

/// A minimal HTTP server on loopback that records the targets it is asked
/// for and answers 200 (a client's callback endpoint).
class callback_receiver {
public:
  callback_receiver();
  ~callback_receiver();
  callback_receiver(const callback_receiver&) = delete;
  callback_receiver& operator=(const callback_receiver&) = delete;

  uint16_t port() const {
    return port_;
  }

  /// Waits until a request arrived (or `timeout`); returns its targets.
  std::vector<std::string> wait(std::chrono::milliseconds timeout);

  /// One request as it arrived.
  struct request {
    std::string method;
    std::string target;
    std::string body;
    /// The request line and headers as sent.
    std::string head;
  };

  /// Waits until `n` requests arrived (or `timeout`); returns them all.
  std::vector<request> wait_requests(std::size_t n,
                                     std::chrono::milliseconds timeout);

  /// Answers the next `n` requests with HTTP 500 (then 200 again).
  void fail_next(int n);

private:
  int fd_ = -1;
  uint16_t port_ = 0;
  int failures_ = 0;
  std::vector<std::string> targets_;
  std::vector<request> requests_;
  std::mutex mutex_;
  std::thread thread_;
  bool stop_ = false;
};

/// A `bbbgate sim` process on a free loopback port.
struct sim_process {
  sim_process(const std::string& secret);
  std::string secret;
  process proc;
  uint16_t port = 0;
  /// Returns `http://127.0.0.1:<port>/bigbluebutton/`.
  std::string url() const;
  /// Calls a control endpoint; returns the body.
  std::string control(const std::string& path_and_query) const;
};

/// A `bbbgate serve` process for a YAML config (listen port 0 allowed).
struct gateway_process {
  gateway_process(const std::string& config_path);
  process proc;
  uint16_t port = 0;
};

} // namespace gw::test
