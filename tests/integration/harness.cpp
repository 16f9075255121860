#include "tests/integration/harness.hpp"

#include <cctype>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <random>
#include <stdexcept>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "net/checksum.hpp"
#include "net/xml.hpp"
#include "tests/scratch_dir.hpp"

namespace gw::test {

process::process(std::vector<std::string> argv) {
  int fds[2];
  if (pipe(fds) != 0)
    throw std::runtime_error("pipe failed");
  pid_ = fork();
  if (pid_ == 0) {
    dup2(fds[1], STDOUT_FILENO);
    dup2(fds[1], STDERR_FILENO);
    close(fds[0]);
    close(fds[1]);
    std::vector<char*> args;
    for (auto& a : argv)
      args.push_back(a.data());
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  close(fds[1]);
  fd_ = fds[0];
  fcntl(fd_, F_SETFL, fcntl(fd_, F_GETFL) | O_NONBLOCK);
}

command_result run_command(std::vector<std::string> argv,
                           std::vector<std::string> env,
                           std::chrono::milliseconds timeout) {
  command_result out;
  int fds[2];
  if (pipe(fds) != 0)
    return out;
  pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[1], STDOUT_FILENO);
    dup2(fds[1], STDERR_FILENO);
    close(fds[0]);
    close(fds[1]);
    for (auto& e : env)
      putenv(e.data());
    std::vector<char*> args;
    for (auto& a : argv)
      args.push_back(a.data());
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  close(fds[1]);
  auto end = std::chrono::steady_clock::now() + timeout;
  char buf[4096];
  for (;;) {
    pollfd p{fds[0], POLLIN, 0};
    if (std::chrono::steady_clock::now() > end) {
      ::kill(pid, SIGKILL);
      break;
    }
    if (poll(&p, 1, 100) <= 0)
      continue;
    auto n = read(fds[0], buf, sizeof buf);
    if (n <= 0)
      break;
    out.output.append(buf, static_cast<std::size_t>(n));
  }
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  out.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return out;
}

process::~process() {
  if (pid_ > 0)
    kill(SIGKILL);
  if (fd_ >= 0)
    close(fd_);
}

std::string process::wait_for(const std::string& needle,
                              std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto pos = out_.find(needle, scanned_);
    if (pos != std::string::npos) {
      auto start = out_.rfind('\n', pos);
      start = start == std::string::npos ? 0 : start + 1;
      auto end = out_.find('\n', pos);
      if (end != std::string::npos) {
        scanned_ = end + 1;
        return out_.substr(start, end - start);
      }
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0)
      return {};
    pollfd p{fd_, POLLIN, 0};
    poll(&p, 1, static_cast<int>(std::min<long long>(left.count(), 100)));
    char buf[4096];
    ssize_t n;
    while ((n = read(fd_, buf, sizeof(buf))) > 0)
      out_.append(buf, static_cast<std::size_t>(n));
  }
}

void process::signal(int sig) {
  if (pid_ > 0)
    ::kill(pid_, sig);
}

int process::kill(int sig) {
  if (pid_ <= 0)
    return -1;
  ::kill(pid_, sig);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  // Keep what the process printed last (e.g. a sanitizer report).
  char buf[4096];
  ssize_t n;
  while ((n = read(fd_, buf, sizeof(buf))) > 0)
    out_.append(buf, static_cast<std::size_t>(n));
  return status;
}

std::string response::header(const std::string& name) const {
  std::string lower;
  for (char c : name)
    lower.push_back(static_cast<char>(std::tolower(c)));
  auto it = headers.find(lower);
  return it == headers.end() ? std::string{} : it->second;
}

response http(uint16_t port, const std::string& method,
              const std::string& target, const std::string& body,
              const std::string& content_type, const std::string& host,
              const std::vector<std::string>& headers) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval tv{30, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  response out;
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return out;
  }
  std::string req =
    method + " " + target + " HTTP/1.1\r\nHost: "
    + (host.empty() ? "127.0.0.1:" + std::to_string(port) : host)
    + "\r\nConnection: close\r\n";
  if (!content_type.empty())
    req += "Content-Type: " + content_type + "\r\n";
  for (const auto& h : headers)
    req += h + "\r\n";
  if (!body.empty() || method == "POST")
    req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  req += "\r\n" + body;
  std::size_t sent = 0;
  while (sent < req.size()) {
    auto n = ::send(fd, req.data() + sent, req.size() - sent, MSG_NOSIGNAL);
    if (n <= 0)
      break;
    sent += static_cast<std::size_t>(n);
  }
  std::string raw;
  char buf[8192];
  ssize_t n;
  while ((n = recv(fd, buf, sizeof(buf), 0)) > 0)
    raw.append(buf, static_cast<std::size_t>(n));
  close(fd);
  auto head_end = raw.find("\r\n\r\n");
  if (head_end == std::string::npos || raw.size() < 12)
    return out;
  out.status = static_cast<unsigned>(std::atoi(raw.substr(9, 3).c_str()));
  std::size_t pos = raw.find("\r\n") + 2;
  while (pos < head_end) {
    auto eol = raw.find("\r\n", pos);
    auto line = raw.substr(pos, eol - pos);
    auto colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name;
      for (char c : line.substr(0, colon))
        name.push_back(static_cast<char>(std::tolower(c)));
      auto value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      out.headers[name] = value;
    }
    pos = eol + 2;
  }
  out.body = raw.substr(head_end + 4);
  return out;
}

response get(uint16_t port, const std::string& target) {
  return http(port, "GET", target);
}

std::string sign(const std::string& call, const std::string& qs,
                 const std::string& secret, const std::string& algo) {
  auto a = net::parse_algo(algo).value_or(net::checksum_algo::sha1);
  return net::sign_query(call, qs, secret, a);
}

std::string el(const std::string& xml, const std::string& name) {
  return net::xml_unescape(net::find_element(xml, name));
}

std::string bbbgate_binary() {
  return BBBGATE_BINARY;
}

std::string temp_dir() {
  return gw::test::scratch_dir("bbbgate-test").string();
}

uint16_t free_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  socklen_t len = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

callback_receiver::callback_receiver() {
  fd_ = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  listen(fd_, 16);
  socklen_t len = sizeof(addr);
  getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] {
    for (;;) {
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 50) <= 0) {
        std::lock_guard<std::mutex> guard{mutex_};
        if (stop_)
          return;
        continue;
      }
      int c = accept(fd_, nullptr, nullptr);
      if (c < 0)
        continue;
      std::string req;
      char buf[4096];
      ssize_t n;
      while (req.find("\r\n\r\n") == std::string::npos
             && (n = recv(c, buf, sizeof(buf), 0)) > 0)
        req.append(buf, static_cast<std::size_t>(n));
      auto head_end = req.find("\r\n\r\n");
      std::size_t length = 0;
      std::string raw_head =
        head_end == std::string::npos ? req : req.substr(0, head_end);
      if (head_end != std::string::npos) {
        auto head = req.substr(0, head_end);
        for (auto& ch : head)
          ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        auto cl = head.find("content-length:");
        if (cl != std::string::npos)
          length = std::strtoul(head.c_str() + cl + 15, nullptr, 10);
        while (req.size() < head_end + 4 + length
               && (n = recv(c, buf, sizeof(buf), 0)) > 0)
          req.append(buf, static_cast<std::size_t>(n));
      }
      auto sp1 = req.find(' ');
      auto sp2 = req.find(' ', sp1 + 1);
      bool fail = false;
      {
        std::lock_guard<std::mutex> guard{mutex_};
        if (sp1 != std::string::npos && sp2 != std::string::npos) {
          targets_.push_back(req.substr(sp1 + 1, sp2 - sp1 - 1));
          requests_.push_back({req.substr(0, sp1), targets_.back(),
                               head_end == std::string::npos
                                 ? std::string{}
                                 : req.substr(head_end + 4, length),
                               raw_head});
        }
        if (failures_ > 0) {
          --failures_;
          fail = true;
        }
      }
      std::string ok =
        std::string{fail ? "HTTP/1.1 500 Oops" : "HTTP/1.1 200 OK"}
        + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
      ::send(c, ok.data(), ok.size(), MSG_NOSIGNAL);
      close(c);
    }
  });
}

callback_receiver::~callback_receiver() {
  {
    std::lock_guard<std::mutex> guard{mutex_};
    stop_ = true;
  }
  thread_.join();
  close(fd_);
}

std::vector<std::string>
callback_receiver::wait(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    {
      std::lock_guard<std::mutex> guard{mutex_};
      if (!targets_.empty() || std::chrono::steady_clock::now() > deadline)
        return targets_;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

std::vector<callback_receiver::request>
callback_receiver::wait_requests(std::size_t n,
                                 std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    {
      std::lock_guard<std::mutex> guard{mutex_};
      if (requests_.size() >= n || std::chrono::steady_clock::now() > deadline)
        return requests_;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

void callback_receiver::fail_next(int n) {
  std::lock_guard<std::mutex> guard{mutex_};
  failures_ = n;
}

namespace {

uint16_t port_from_line(const std::string& line) {
  auto colon = line.rfind(':');
  if (colon == std::string::npos)
    return 0;
  return static_cast<uint16_t>(std::atoi(line.c_str() + colon + 1));
}

} // namespace

sim_process::sim_process(const std::string& s)
  : secret(s),
    proc({bbbgate_binary(), "sim", "--listen", "127.0.0.1:0", "--secret", s}) {
  auto line = proc.wait_for("listening on");
  port = port_from_line(line);
  if (port == 0)
    throw std::runtime_error("sim did not start: " + proc.output());
}

std::string sim_process::url() const {
  return "http://127.0.0.1:" + std::to_string(port) + "/bigbluebutton/";
}

std::string sim_process::control(const std::string& path_and_query) const {
  return get(port, "/_ctl/" + path_and_query).body;
}

gateway_process::gateway_process(const std::string& config_path)
  : proc({bbbgate_binary(), "serve", "--config", config_path}) {
  auto line = proc.wait_for("bbbgate listening on");
  auto paren = line.find(" (");
  port = port_from_line(line.substr(0, paren));
  if (port == 0)
    throw std::runtime_error("gateway did not start: " + proc.output());
}

} // namespace gw::test
