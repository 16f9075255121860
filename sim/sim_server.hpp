#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace gw::sim {

/// A BBB node simulator served over HTTP (docs/sim.md): the BBB API under
/// `/bigbluebutton/api/` and control endpoints under `/_ctl/`. It runs on one
/// io thread of its own, which alone touches its state.
class sim_server {
public:
  /// Creates a simulator checking checksums with `secret`.
  explicit sim_server(std::string secret);
  ~sim_server();
  sim_server(const sim_server&) = delete;
  sim_server& operator=(const sim_server&) = delete;

  /// Binds `host:port` (port 0 picks one) and starts serving. Returns an
  /// error text, empty on success.
  std::string start(const std::string& host, uint16_t port);

  /// Returns the bound port.
  uint16_t port() const;

  /// Stops serving and joins the io thread.
  void stop();

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace gw::sim
