#pragma once

#include <fstream>

#include <unistd.h>

namespace gw::bench {

/// This process's resident memory in KiB (/proc/self/statm).
inline double rss_kib() {
  std::ifstream in("/proc/self/statm");
  long pages = 0;
  long resident = 0;
  in >> pages >> resident;
  return static_cast<double>(resident) * static_cast<double>(getpagesize())
         / 1024.0;
}

} // namespace gw::bench
