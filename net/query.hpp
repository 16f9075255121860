#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gw::net {

/// Percent-decodes `in` once; `+` becomes a space when `plus_as_space`.
/// Returns nothing when an escape is malformed (`%4`, `%zz`).
std::optional<std::string> percent_decode(std::string_view in,
                                          bool plus_as_space = true);

/// Percent-encodes everything but RFC 3986 unreserved characters.
std::string percent_encode(std::string_view in);

/// Calls `f(pair, pos)` for each `&`-separated piece of a raw query string
/// in order (empty pieces too; `pos`: where the piece starts in `raw`).
template <class F>
void for_each_raw_pair(std::string_view raw, F&& f) {
  std::size_t pos = 0;
  while (pos <= raw.size()) {
    auto amp = raw.find('&', pos);
    if (amp == std::string_view::npos)
      amp = raw.size();
    f(raw.substr(pos, amp - pos), pos);
    pos = amp + 1;
  }
}

/// The raw (still percent-encoded) value of the first `key=...` pair of a
/// raw query string, or empty.
std::string_view find_raw_value(std::string_view raw, std::string_view key);

/// One `name=value` pair of a query string: decoded, and where its raw
/// bytes are in query::raw() (`raw_pos`: start of the name; the raw value
/// follows the '=' after the name).
struct query_param {
  std::string name;
  std::string value;
  std::size_t raw_pos = 0;
  std::size_t raw_name_len = 0;
  std::size_t raw_value_len = 0;
  bool has_equals = false;
};

/// A query string as received: the raw bytes (checksums are computed over
/// them) plus the decoded parameters in their original order.
class query {
public:
  /// Parses `raw` (without the leading `?`). Returns nothing when any name or
  /// value holds a malformed percent escape.
  static std::optional<query> parse(std::string_view raw);

  /// Returns the first value of `name`, as BBB does for repeated parameters.
  const std::string* get(std::string_view name) const;

  /// Returns how often `name` occurs.
  std::size_t count(std::string_view name) const;

  /// Returns the raw query string.
  const std::string& raw() const {
    return raw_;
  }

  /// Returns all parameters in order.
  const std::vector<query_param>& params() const {
    return params_;
  }

  /// Returns the raw (still encoded) name of `p`, one of params().
  std::string_view raw_name(const query_param& p) const {
    return std::string_view{raw_}.substr(p.raw_pos, p.raw_name_len);
  }

  /// Returns the raw (still encoded) value of `p`, one of params().
  std::string_view raw_value(const query_param& p) const {
    if (!p.has_equals)
      return {};
    return std::string_view{raw_}.substr(p.raw_pos + p.raw_name_len + 1,
                                         p.raw_value_len);
  }

  /// Builds a new raw query: parameters named in `drop` are removed, those in
  /// `replace` get a new (encoded) value at their first position and lose
  /// their repeats, every other pair keeps its exact raw bytes. A replaced
  /// name that did not occur is appended.
  std::string rewrite(
    const std::vector<std::string>& drop,
    const std::vector<std::pair<std::string, std::string>>& replace) const;

  /// rewrite() for the hot paths: drops `drop` and sets `name` to `value`
  /// (nothing is set when `name` is empty), without building lists.
  std::string rewrite_one(std::string_view drop, std::string_view name,
                          std::string_view value) const;

private:
  std::string raw_;
  std::vector<query_param> params_;
};

} // namespace gw::net
