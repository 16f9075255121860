#pragma once

#include <cstdint>
#include <string>

namespace gw::bench {

/// A blocking GET on 127.0.0.1 (set-up steps of the benchmarks only).
/// Returns the body, empty on failure; `status` gets the HTTP status.
std::string http_get(uint16_t port, const std::string& target,
                     unsigned* status = nullptr);

} // namespace gw::bench
