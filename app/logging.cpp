#include "app/logging.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/spdlog.h>

namespace gw {

namespace {

/// `%*`: the message escaped for a JSON string.
class json_message final : public spdlog::custom_flag_formatter {
public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    static constexpr char hex[] = "0123456789abcdef";
    for (char c : std::string_view(msg.payload.data(), msg.payload.size())) {
      auto u = static_cast<unsigned char>(c);
      if (c == '"' || c == '\\') {
        dest.push_back('\\');
        dest.push_back(c);
      } else if (u < 0x20) {
        const char esc[] = {'\\', 'u', '0', '0', hex[u >> 4], hex[u & 15]};
        dest.append(esc, esc + sizeof esc);
      } else {
        dest.push_back(c);
      }
    }
  }

  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<json_message>();
  }
};

std::unique_ptr<spdlog::formatter> formatter_for(const std::string& format) {
  if (format == "json") {
    auto f = std::make_unique<spdlog::pattern_formatter>(
      spdlog::pattern_time_type::utc);
    f->add_flag<json_message>('*').set_pattern(
      R"({"time":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%l","logger":"%n","msg":"%*"})");
    return f;
  }
  auto f = std::make_unique<spdlog::pattern_formatter>();
  f->set_pattern("[%Y-%m-%d %H:%M:%S.%e] [%n] %v");
  return f;
}

} // namespace

void configure_log_format(const std::string& format) {
  if (format == "json")
    spdlog::set_formatter(formatter_for(format));
}

} // namespace gw
