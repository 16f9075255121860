#include "app/limits.hpp"

#include <cerrno>
#include <cstring>

#include <spdlog/spdlog.h>
#include <sys/resource.h>

namespace gw {

void raise_open_files_limit() {
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
    return;
  auto before = rl.rlim_cur;
  if (rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &rl) != 0) {
      spdlog::warn("open files: cannot raise the limit from {}: {}", before,
                   std::strerror(errno));
      return;
    }
    spdlog::info("open files: soft limit raised from {} to {}", before,
                 rl.rlim_cur);
  }
}

} // namespace gw
