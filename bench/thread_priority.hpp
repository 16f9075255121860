#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <sched.h>

namespace gw::bench {

/// Puts every thread of this process whose name starts with `prefix` in
/// the SCHED_IDLE class (lowering needs no privilege); returns how many. A
/// simulated node run so stands for a machine of its own: it runs on the
/// CPU the gateway and the load generator leave.
inline int set_threads_idle(const std::string& prefix) {
  int n = 0;
  for (const auto& task :
       std::filesystem::directory_iterator("/proc/self/task")) {
    std::ifstream in(task.path() / "comm");
    std::string comm;
    if (!std::getline(in, comm) || comm.rfind(prefix, 0) != 0)
      continue;
    auto tid = std::strtol(task.path().filename().c_str(), nullptr, 10);
    sched_param none{};
    if (sched_setscheduler(static_cast<pid_t>(tid), SCHED_IDLE, &none) == 0)
      ++n;
  }
  return n;
}

} // namespace gw::bench
