// Fuzzes the query parser, percent coding, the query rewriter and the BBB
// parameter validation: whatever the bytes, no crash, and
// - decode(encode(x)) == x,
// - a parsed query rewritten (one parameter dropped, one replaced) parses
//   again and holds the replaced value exactly once,
// - validate_create/validate_join answer without crashing.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "net/bbb_params.hpp"
#include "net/query.hpp"
#include "tests/fuzz/fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);

  auto decoded = gw::net::percent_decode(gw::net::percent_encode(in), false);
  FUZZ_CHECK(decoded && *decoded == in);
  (void)gw::net::percent_decode(in);

  auto q = gw::net::query::parse(in);
  if (!q)
    return 0;
  for (const auto& p : q->params()) {
    FUZZ_CHECK(q->get(p.name) != nullptr);
    FUZZ_CHECK(q->raw_name(p).size() == p.raw_name_len);
  }
  std::string drop = q->params().empty() ? "x" : q->params().front().name;
  std::string rewritten = q->rewrite({drop}, {{"meetingID", std::string(in)}});
  auto again = gw::net::query::parse(rewritten);
  FUZZ_CHECK(again.has_value());
  FUZZ_CHECK(again->count("meetingID") == 1 || drop == "meetingID");
  if (drop != "meetingID")
    FUZZ_CHECK(*again->get("meetingID") == in);
  (void)q->rewrite_one(drop, "name", in);

  (void)gw::net::validate_create(*q);
  (void)gw::net::validate_join(*q);
  return 0;
}
