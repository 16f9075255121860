#pragma once

#include <string>

namespace gw {

/// Sets the default logger's format: "text" (spdlog's own) or "json" (one
/// object per line: time, level, msg, every character of the message
/// escaped as JSON needs).
void configure_log_format(const std::string& format);

} // namespace gw
