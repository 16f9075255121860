#include "net/checksum.hpp"

#include <algorithm>
#include <initializer_list>
#include <set>
#include <utility>

#include <openssl/crypto.h>

#include "net/query.hpp"

namespace gw::net {

namespace {

/// Finds the raw value of the first `checksum` parameter and counts them,
/// without a full parse (the hot path verifies every call).
std::size_t find_checksum(std::string_view raw, std::string_view& value,
                          std::size_t* pair_pos = nullptr,
                          std::size_t* pair_len = nullptr) {
  std::size_t n = 0;
  net::for_each_raw_pair(raw, [&](std::string_view pair, std::size_t pos) {
    constexpr std::string_view key = "checksum";
    if (pair.substr(0, key.size()) != key
        || (pair.size() != key.size() && pair[key.size()] != '='))
      return;
    if (n++ == 0) {
      value = pair.size() > key.size() ? pair.substr(key.size() + 1)
                                       : std::string_view{};
      if (pair_pos != nullptr) {
        *pair_pos = pos;
        *pair_len = pair.size();
      }
    }
  });
  return n;
}

void replace_all(std::string& s, const std::string& what) {
  if (what.empty())
    return;
  std::size_t pos = 0;
  while ((pos = s.find(what, pos)) != std::string::npos)
    s.erase(pos, what.size());
}

} // namespace

std::string strip_checksum(std::string_view raw_query,
                           std::string_view checksum) {
  std::string qs{raw_query};
  std::string value{checksum};
  replace_all(qs, "&checksum=" + value);
  replace_all(qs, "checksum=" + value + "&");
  replace_all(qs, "checksum=" + value);
  return qs;
}

namespace {

/// strip_checksum for a query with exactly one checksum pair at `pos` (as
/// verify_checksum has established): the same bytes bbb-web's substitution
/// leaves, as two pieces of the raw query (nothing is copied).
std::pair<std::string_view, std::string_view>
strip_single(std::string_view raw, std::size_t pos, std::size_t len) {
  if (pos > 0) // "&checksum=V" goes, with the '&' before it.
    return {raw.substr(0, pos - 1), raw.substr(pos + len)};
  // "checksum=V&" (or the whole query).
  auto rest = raw.substr(len);
  if (!rest.empty() && rest.front() == '&')
    rest.remove_prefix(1);
  return {rest, {}};
}

} // namespace

checksum_result verify_checksum(std::string_view call,
                                std::string_view raw_query,
                                const std::vector<std::string>& secrets,
                                const std::vector<checksum_algo>& allowed) {
  std::string_view raw_value;
  std::size_t pair_pos = 0;
  std::size_t pair_len = 0;
  auto n = find_checksum(raw_query, raw_value, &pair_pos, &pair_len);
  if (n == 0 || raw_value.empty())
    return checksum_result::missing;
  if (n > 1)
    return checksum_result::mismatch;
  auto algo = algo_for_length(raw_value.size());
  if (!algo
      || std::find(allowed.begin(), allowed.end(), *algo) == allowed.end())
    return checksum_result::mismatch;
  // A value containing "checksum=V" elsewhere is impossible in a
  // well-formed query ('&' and '=' inside values are encoded), so removing
  // the one pair equals bbb-web's substitution; otherwise fall back to it.
  std::string fallback;
  std::pair<std::string_view, std::string_view> qs;
  if (raw_query.find("checksum=", pair_pos + pair_len) == std::string_view::npos
      && raw_query.substr(0, pair_pos).find("checksum=")
           == std::string_view::npos) {
    qs = strip_single(raw_query, pair_pos, pair_len);
  } else {
    fallback = strip_checksum(raw_query, raw_value);
    qs = {fallback, {}};
  }
  bool match = false;
  char expected[max_hex_digest];
  for (const auto& secret : secrets) {
    auto len = digest_hex(*algo, {call, qs.first, qs.second, secret}, expected);
    // Every secret is tried, so timing does not reveal which one matched.
    if (len == raw_value.size()
        && CRYPTO_memcmp(expected, raw_value.data(), len) == 0)
      match = true;
  }
  return match ? checksum_result::ok : checksum_result::mismatch;
}

bool is_form_type(std::string_view content_type) {
  constexpr std::string_view form = "application/x-www-form-urlencoded";
  if (content_type.size() < form.size())
    return false;
  for (std::size_t i = 0; i < form.size(); ++i) {
    auto c = content_type[i];
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
    if (c != form[i])
      return false;
  }
  return content_type.size() == form.size() || content_type[form.size()] == ';'
         || content_type[form.size()] == ' ';
}

std::string java_url_encode(std::string_view in) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string out;
  for (char c : in) {
    auto u = static_cast<unsigned char>(c);
    if ((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z')
        || (u >= '0' && u <= '9') || c == '.' || c == '-' || c == '*'
        || c == '_') {
      out.push_back(c);
    } else if (c == ' ') {
      out.push_back('+');
    } else {
      out.push_back('%');
      out.push_back(digits[u >> 4]);
      out.push_back(digits[u & 0x0F]);
    }
  }
  return out;
}

std::string sorted_form_string(const query& params) {
  std::vector<const query_param*> sorted;
  std::set<std::string_view> seen;
  for (const auto& p : params.params())
    if (p.name != "checksum" && seen.insert(p.name).second)
      sorted.push_back(&p);
  std::sort(sorted.begin(), sorted.end(),
            [](const query_param* a, const query_param* b) {
              return a->name < b->name;
            });
  std::string out;
  for (const auto* p : sorted) {
    if (!out.empty())
      out.push_back('&');
    out += p->name + "=" + java_url_encode(p->value);
  }
  return out;
}

std::string sign_query(std::string_view call, std::string_view query,
                       std::string_view secret, checksum_algo algo) {
  char sum[max_hex_digest];
  auto n = digest_hex(algo, {call, query, secret}, sum);
  std::string out;
  out.reserve(query.size() + 10 + n);
  out.append(query);
  if (!out.empty())
    out.push_back('&');
  out.append("checksum=");
  out.append(sum, n);
  return out;
}

} // namespace gw::net
