// systemd's notify protocol, as a service manager would receive it.
#include <cstdlib>
#include <cstring>
#include <string>

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "app/notify.hpp"

using namespace gw;

namespace {

/// A datagram socket bound to `name` (a path, or '@' + an abstract name).
class manager_socket {
public:
  explicit manager_socket(const std::string& name) {
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::memcpy(addr.sun_path, name.data(), name.size());
    if (name[0] == '@')
      addr.sun_path[0] = '\0';
    auto len =
      static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name.size());
    bound_ = ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), len) == 0;
    timeval tv{2, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  }
  ~manager_socket() {
    ::close(fd_);
  }
  bool bound() const {
    return bound_;
  }
  std::string receive() {
    char buf[512];
    auto n = ::recv(fd_, buf, sizeof(buf), 0);
    return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : "";
  }

private:
  int fd_ = -1;
  bool bound_ = false;
};

} // namespace

TEST(Notify, NothingToDoOutsideSystemd) {
  ::unsetenv("NOTIFY_SOCKET");
  EXPECT_TRUE(notify_service_manager("READY=1"));
}

TEST(Notify, ReadinessReachesAPathSocket) {
  auto path = "/tmp/bbbgate-notify-" + std::to_string(::getpid());
  ::unlink(path.c_str());
  manager_socket manager{path};
  ASSERT_TRUE(manager.bound());
  ::setenv("NOTIFY_SOCKET", path.c_str(), 1);
  EXPECT_TRUE(notify_service_manager("READY=1\nSTATUS=serving"));
  EXPECT_EQ(manager.receive(), "READY=1\nSTATUS=serving");
  ::unsetenv("NOTIFY_SOCKET");
  ::unlink(path.c_str());
}

TEST(Notify, ReadinessReachesAnAbstractSocket) {
  auto name = "@bbbgate-notify-" + std::to_string(::getpid());
  manager_socket manager{name};
  ASSERT_TRUE(manager.bound());
  ::setenv("NOTIFY_SOCKET", name.c_str(), 1);
  EXPECT_TRUE(notify_service_manager("RELOADING=1"));
  EXPECT_EQ(manager.receive(), "RELOADING=1");
  ::unsetenv("NOTIFY_SOCKET");
}

TEST(Notify, AnUnusableSocketNameIsReported) {
  ::setenv("NOTIFY_SOCKET", "relative/path", 1);
  EXPECT_FALSE(notify_service_manager("READY=1"));
  ::setenv("NOTIFY_SOCKET", "/nonexistent/bbbgate/notify", 1);
  EXPECT_FALSE(notify_service_manager("READY=1"));
  ::unsetenv("NOTIFY_SOCKET");
}
