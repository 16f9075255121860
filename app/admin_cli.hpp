#pragma once

#include <CLI/CLI.hpp>

namespace gw {

/// `bbbgate admin ...`: the admin API from the command line, and
/// `bbbgate check --config FILE`. Registered on the main CLI11 app; run()
/// returns the exit code when one of them was chosen.
class admin_cli {
public:
  explicit admin_cli(CLI::App& app);

  /// True when `admin` or `check` was given.
  bool chosen() const;

  /// Runs the chosen command: 0 done, 1 the gateway refused it (its
  /// answer printed), 2 bad usage or configuration, 3 no answer.
  int run();

private:
  struct options;
  std::shared_ptr<options> o_;
  CLI::App* admin_ = nullptr;
  CLI::App* check_ = nullptr;
};

} // namespace gw
