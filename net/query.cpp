#include "net/query.hpp"

#include <algorithm>

namespace gw::net {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

bool is_unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
         || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'
         || c == '~';
}

} // namespace

namespace {

/// Decodes `in` into `out`; false when an escape is malformed.
bool decode_into(std::string_view in, bool plus_as_space, std::string& out) {
  // Most names and values need no decoding: one copy. (A plain loop:
  // find_first_of calls memchr once per character.)
  bool plain = true;
  for (char c : in)
    if (c == '%' || (c == '+' && plus_as_space)) {
      plain = false;
      break;
    }
  if (plain) {
    out.assign(in);
    return true;
  }
  out.clear();
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size())
        return false;
      int hi = hex_value(in[i + 1]);
      int lo = hex_value(in[i + 2]);
      if (hi < 0 || lo < 0)
        return false;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_as_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return true;
}

} // namespace

std::optional<std::string> percent_decode(std::string_view in,
                                          bool plus_as_space) {
  std::string out;
  if (!decode_into(in, plus_as_space, out))
    return std::nullopt;
  return out;
}

std::string percent_encode(std::string_view in) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(in.size() * 3);
  for (char c : in) {
    auto u = static_cast<unsigned char>(c);
    if (is_unreserved(u)) {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(digits[u >> 4]);
      out.push_back(digits[u & 0x0F]);
    }
  }
  return out;
}

std::string_view find_raw_value(std::string_view raw, std::string_view key) {
  std::optional<std::string_view> found;
  for_each_raw_pair(raw, [&](std::string_view pair, std::size_t) {
    if (!found && pair.size() > key.size()
        && pair.compare(0, key.size(), key) == 0 && pair[key.size()] == '=')
      found = pair.substr(key.size() + 1);
  });
  return found.value_or(std::string_view{});
}

std::optional<query> query::parse(std::string_view raw) {
  std::optional<query> out{std::in_place};
  auto& q = *out;
  q.raw_.assign(raw);
  q.params_.reserve(
    static_cast<std::size_t>(std::count(raw.begin(), raw.end(), '&')) + 1);
  bool ok = true;
  for_each_raw_pair(raw, [&](std::string_view pair, std::size_t pos) {
    if (!ok || pair.empty())
      return;
    auto& p = q.params_.emplace_back();
    auto eq = pair.find('=');
    p.has_equals = eq != std::string_view::npos;
    p.raw_pos = pos;
    p.raw_name_len = p.has_equals ? eq : pair.size();
    p.raw_value_len = p.has_equals ? pair.size() - eq - 1 : 0;
    ok = decode_into(pair.substr(0, p.raw_name_len), true, p.name)
         && decode_into(p.has_equals ? pair.substr(eq + 1) : std::string_view{},
                        true, p.value);
  });
  if (!ok)
    return std::nullopt;
  return out;
}

const std::string* query::get(std::string_view name) const {
  for (const auto& p : params_)
    if (p.name == name)
      return &p.value;
  return nullptr;
}

std::size_t query::count(std::string_view name) const {
  return static_cast<std::size_t>(
    std::count_if(params_.begin(), params_.end(),
                  [&](const query_param& p) { return p.name == name; }));
}

std::string query::rewrite(
  const std::vector<std::string>& drop,
  const std::vector<std::pair<std::string, std::string>>& replace) const {
  std::string out;
  out.reserve(raw_.size() + 64);
  std::vector<bool> replaced(replace.size(), false);
  auto emit = [&out](std::string_view name, std::string_view value, bool eq) {
    if (!out.empty())
      out.push_back('&');
    out.append(name);
    if (eq) {
      out.push_back('=');
      out.append(value);
    }
  };
  for (const auto& p : params_) {
    if (std::find(drop.begin(), drop.end(), p.name) != drop.end())
      continue;
    auto it = std::find_if(replace.begin(), replace.end(),
                           [&](const auto& r) { return r.first == p.name; });
    if (it != replace.end()) {
      auto idx = static_cast<std::size_t>(it - replace.begin());
      if (!replaced[idx]) {
        replaced[idx] = true;
        emit(raw_name(p), percent_encode(it->second), true);
      }
      continue;
    }
    emit(raw_name(p), raw_value(p), p.has_equals);
  }
  for (std::size_t i = 0; i < replace.size(); ++i)
    if (!replaced[i])
      emit(percent_encode(replace[i].first), percent_encode(replace[i].second),
           true);
  return out;
}

std::string query::rewrite_one(std::string_view drop, std::string_view name,
                               std::string_view value) const {
  std::string out;
  out.reserve(raw_.size() + value.size() * 3);
  bool done = false;
  auto emit = [&out](std::string_view n, std::string_view v, bool eq) {
    if (!out.empty())
      out.push_back('&');
    out.append(n);
    if (eq) {
      out.push_back('=');
      out.append(v);
    }
  };
  for (const auto& p : params_) {
    if (p.name == drop)
      continue;
    if (!name.empty() && p.name == name) {
      if (!done)
        emit(raw_name(p), percent_encode(value), true);
      done = true;
      continue;
    }
    emit(raw_name(p), raw_value(p), p.has_equals);
  }
  if (!done && !name.empty())
    emit(percent_encode(name), percent_encode(value), true);
  return out;
}

} // namespace gw::net
