// Fuzzes the URL parsers used for node URLs, callback and redirect targets
// and Host headers. Whatever the bytes, no crash, and what is accepted is
// safe to use: a host of allowed characters, a port of 1-65535, a path
// starting and ending with '/', no control character or space anywhere.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/url.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace {

bool clean(std::string_view s) {
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c == 0x7f)
      return false;
  }
  return true;
}

void check_parts(const gw::url_parts& u) {
  FUZZ_CHECK(!u.host.empty());
  FUZZ_CHECK(clean(u.host) && clean(u.port));
  FUZZ_CHECK(u.host.find('@') == std::string::npos);
  FUZZ_CHECK(u.host.find('/') == std::string::npos);
  if (!u.port.empty()) {
    FUZZ_CHECK(u.port.size() <= 5);
    auto port = std::stoul(u.port);
    FUZZ_CHECK(port >= 1 && port <= 65535);
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);

  gw::url_parts u;
  if (gw::parse_url(in, u)) {
    check_parts(u);
    FUZZ_CHECK(clean(u.path));
    FUZZ_CHECK(!u.path.empty() && u.path.front() == '/'
               && u.path.back() == '/');
  }

  gw::url_parts ep;
  std::string target;
  if (gw::parse_target_url(in, ep, target)) {
    check_parts(ep);
    FUZZ_CHECK(clean(target));
    FUZZ_CHECK(!target.empty() && target.front() == '/');
  }

  std::string host;
  uint16_t port = 0;
  if (gw::split_host_port(std::string(in), host, port)) {
    FUZZ_CHECK(!host.empty() && clean(host));
    (void)port;
  }
  return 0;
}
