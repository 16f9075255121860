#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "config/config.hpp"

namespace gw {

/// A running gateway: store, actors, io threads and the API listener.
/// `bbbgate serve`, `bbbgate demo` and the integration tests use it.
class gateway {
public:
  explicit gateway(config::config cfg);
  ~gateway();
  gateway(const gateway&) = delete;
  gateway& operator=(const gateway&) = delete;

  /// Opens the store, restores meetings, spawns the actors and listens.
  /// Returns an error text, empty on success; nothing keeps running on error.
  std::string start();

  /// Returns the API port.
  uint16_t port() const;

  /// Applies the nodes and tenants of `next` (a reloaded config file) by
  /// the start-up merge rule, through the actors, without dropping a
  /// connection; logs each change, each refusal and the settings that wait
  /// for a restart. Returns how many changes were refused. Blocks: call it
  /// from the main thread.
  std::size_t reload(const config::config& next);

  /// Stops listening, ends the actors and joins every thread.
  void stop();

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace gw
