#pragma once

// Scratch directories for tests: each is new and unique, and every one a
// test program made is removed when it exits (kept when the environment
// sets BBBGATE_KEEP_TEST_DIRS, to look into after a failure).

#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <random>
#include <string>
#include <system_error>
#include <vector>

namespace gw::test {

class scratch_dirs {
public:
  static scratch_dirs& instance() {
    static scratch_dirs dirs;
    return dirs;
  }

  std::filesystem::path make(const std::string& prefix) {
    std::random_device rd;
    auto dir = std::filesystem::temp_directory_path()
               / (prefix + "-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(dir);
    std::lock_guard<std::mutex> lock{mutex_};
    dirs_.push_back(dir);
    return dir;
  }

  ~scratch_dirs() {
    if (std::getenv("BBBGATE_KEEP_TEST_DIRS") != nullptr)
      return;
    for (const auto& d : dirs_) {
      std::error_code ec;
      std::filesystem::remove_all(d, ec);
    }
  }

private:
  scratch_dirs() = default;
  std::mutex mutex_;
  std::vector<std::filesystem::path> dirs_;
};

/// A new directory under the system's temporary directory, named
/// `<prefix>-<random>`, removed when the test program exits.
inline std::filesystem::path scratch_dir(const std::string& prefix) {
  return scratch_dirs::instance().make(prefix);
}

} // namespace gw::test
