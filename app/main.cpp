#include <csignal>
#include <iostream>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "app/admin_cli.hpp"
#include "app/demo.hpp"
#include "app/gateway.hpp"
#include "app/limits.hpp"
#include "app/logging.hpp"
#include "app/notify.hpp"
#include "app/signals.hpp"
#include "config/config.hpp"
#include "core/url.hpp"
#include "sim/sim_server.hpp"

namespace {

int serve(const std::string& path) {
  auto loaded = gw::config::load_file(path);
  if (!loaded.value) {
    std::cerr << "bbbgate: " << path << ": " << loaded.error << "\n";
    return 2;
  }
  gw::configure_log_format(loaded.value->log_format);
  gw::raise_open_files_limit();
  gw::gateway g{*loaded.value};
  if (auto err = g.start(); !err.empty()) {
    std::cerr << "bbbgate: " << err << "\n";
    return 1;
  }
  gw::notify_service_manager("READY=1\nSTATUS=serving");
  for (;;) {
    auto sig = gw::wait_for_stop_or_reload();
    if (sig != SIGHUP) {
      spdlog::info("signal {} received, stopping", sig);
      break;
    }
    // Reload: the file's nodes and tenants, merged as at start. A file
    // that does not load changes nothing.
    gw::notify_service_manager("RELOADING=1");
    auto next = gw::config::load_file(path);
    if (!next.value)
      spdlog::error("reload refused: {}: {}; the running configuration stays",
                    path, next.error);
    else
      g.reload(*next.value);
    gw::notify_service_manager("READY=1\nSTATUS=serving");
  }
  gw::notify_service_manager("STOPPING=1");
  g.stop();
  return 0;
}

int sim(const std::string& listen, const std::string& secret) {
  std::string host;
  uint16_t port = 0;
  if (!gw::split_host_port(listen, host, port)) {
    std::cerr << "bbbgate sim: --listen must be HOST:PORT\n";
    return 2;
  }
  gw::sim::sim_server server{secret};
  if (auto err = server.start(host, port); !err.empty()) {
    std::cerr << "bbbgate sim: " << err << "\n";
    return 1;
  }
  std::cout << "bbbgate sim listening on " << host << ":" << server.port()
            << std::endl;
  gw::wait_for_stop_signal();
  server.stop();
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  gw::block_stop_signals();
  CLI::App app{"bbbgate: one BigBlueButton API in front of a pool of BBB "
               "servers"};
  app.require_subcommand(1);
  std::string level = "info";
  app.add_option("--log-level", level,
                 "trace, debug, info, warn, error or off");

  auto* serve_cmd = app.add_subcommand("serve", "Run the gateway");
  std::string config_path;
  serve_cmd->add_option("--config", config_path, "YAML configuration file")
    ->required();

  auto* sim_cmd = app.add_subcommand("sim", "Run a BBB node simulator");
  std::string listen = "127.0.0.1:9001";
  std::string secret;
  sim_cmd->add_option("--listen", listen, "HOST:PORT to listen on");
  sim_cmd->add_option("--secret", secret, "The node's API secret")->required();

  auto* demo_cmd = app.add_subcommand(
    "demo", "Run a gateway with two simulated nodes and a demo tenant");
  gw::demo_options demo;
  demo_cmd->add_option("--port", demo.port, "API port (default 8080)");
  demo_cmd->add_option("--seconds", demo.seconds,
                       "Stop after N seconds (default: run until Ctrl-C)");

  gw::admin_cli admin{app};

  CLI11_PARSE(app, argc, argv);
  if (admin.chosen())
    return admin.run();
  spdlog::set_level(spdlog::level::from_str(level));
  if (*serve_cmd)
    return serve(config_path);
  if (*sim_cmd)
    return sim(listen, secret);
  return gw::run_demo(demo);
}
