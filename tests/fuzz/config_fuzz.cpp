// Fuzzes the configuration loader with arbitrary YAML text: whatever the
// bytes, no crash and no exception escapes; the answer is a configuration
// or one error line, never both, never neither.
#include <cstddef>
#include <cstdint>
#include <string>

#include "config/config.hpp"
#include "tests/fuzz/fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto r = gw::config::parse(text);
  FUZZ_CHECK(r.value.has_value() != !r.error.empty());
  FUZZ_CHECK(r.error.find('\n') == std::string::npos);
  return 0;
}
