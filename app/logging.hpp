#pragma once

#include <memory>
#include <string>

namespace spdlog {
class logger;
}

namespace gw {

/// Sets the default logger's format: "text" (spdlog's own) or "json" (one
/// object per line: time, level, msg, every character of the message
/// escaped as JSON needs).
void configure_log_format(const std::string& format);

/// The asynchronous access log (one line per BBB API call, on a thread of
/// its own so that the io threads only queue it), or null when off.
std::shared_ptr<spdlog::logger> make_access_log(const std::string& format);

} // namespace gw
