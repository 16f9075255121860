// Fuzzes checksum verification: the input is split into a call name, a
// secret and a query. Whatever the bytes, no crash, and
// - the query as received verifies or is refused (never crashes),
// - the query signed with the secret verifies with every algorithm,
// - signed with another secret it is refused as a mismatch.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "net/checksum.hpp"
#include "net/query.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace {

// Takes bytes up to the next NUL (or the end) off the front of `in`.
std::string_view take(std::string_view& in) {
  auto nul = in.find('\0');
  auto part = in.substr(0, nul);
  in.remove_prefix(nul == std::string_view::npos ? in.size() : nul + 1);
  return part;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  auto call = take(in);
  std::string secret{take(in)};
  std::string_view raw = in;
  const std::vector<gw::net::checksum_algo> all{
    gw::net::checksum_algo::sha1, gw::net::checksum_algo::sha256,
    gw::net::checksum_algo::sha384, gw::net::checksum_algo::sha512};

  // As received: the answer equals bbb-web's rule, computed the slow way
  // (one `checksum` pair, its length picks the algorithm, the digest is
  // over the call, the query with bbb-web's substitution, and the secret).
  auto got = gw::net::verify_checksum(call, raw, {secret}, all);
  std::string_view value;
  std::size_t pairs = 0;
  for (std::size_t pos = 0; pos <= raw.size();) {
    auto amp = std::min(raw.find('&', pos), raw.size());
    auto pair = raw.substr(pos, amp - pos);
    if (pair == "checksum" || pair.substr(0, 9) == "checksum=") {
      if (pairs++ == 0)
        value = pair.substr(std::min<std::size_t>(9, pair.size()));
    }
    pos = amp + 1;
  }
  if (pairs == 1 && !value.empty()) {
    auto algo = gw::algo_for_length(value.size());
    bool expect = algo.has_value()
                  && gw::hex_digest(*algo, call,
                                    gw::net::strip_checksum(raw, value), secret)
                       == value;
    FUZZ_CHECK((got == gw::net::checksum_result::ok) == expect);
  } else {
    FUZZ_CHECK(got != gw::net::checksum_result::ok);
  }

  // Signing is only defined for a query without a checksum of its own.
  auto q = gw::net::query::parse(raw);
  if (!q || q->count("checksum") != 0 || raw.find("checksum") != raw.npos)
    return 0;
  for (auto algo : all) {
    auto signed_q = gw::net::sign_query(call, raw, secret, algo);
    FUZZ_CHECK(gw::net::verify_checksum(call, signed_q, {secret}, all)
               == gw::net::checksum_result::ok);
    FUZZ_CHECK(gw::net::verify_checksum(call, signed_q, {secret + "x"}, all)
               == gw::net::checksum_result::mismatch);
    FUZZ_CHECK(gw::net::verify_checksum(call, signed_q, {secret}, {})
               != gw::net::checksum_result::ok);
  }
  return 0;
}
