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

std::optional<std::string> percent_decode(std::string_view in,
                                          bool plus_as_space) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size())
        return std::nullopt;
      int hi = hex_value(in[i + 1]);
      int lo = hex_value(in[i + 2]);
      if (hi < 0 || lo < 0)
        return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_as_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
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

std::optional<query> query::parse(std::string_view raw) {
  query q;
  q.raw_.assign(raw);
  std::size_t pos = 0;
  while (pos <= raw.size()) {
    auto amp = raw.find('&', pos);
    if (amp == std::string_view::npos)
      amp = raw.size();
    auto pair = raw.substr(pos, amp - pos);
    if (!pair.empty()) {
      query_param p;
      auto eq = pair.find('=');
      p.has_equals = eq != std::string_view::npos;
      p.raw_name.assign(pair.substr(0, eq));
      if (p.has_equals)
        p.raw_value.assign(pair.substr(eq + 1));
      auto name = percent_decode(p.raw_name);
      auto value = percent_decode(p.raw_value);
      if (!name || !value)
        return std::nullopt;
      p.name = std::move(*name);
      p.value = std::move(*value);
      q.params_.push_back(std::move(p));
    }
    pos = amp + 1;
  }
  return q;
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
        emit(p.raw_name, percent_encode(it->second), true);
      }
      continue;
    }
    emit(p.raw_name, p.raw_value, p.has_equals);
  }
  for (std::size_t i = 0; i < replace.size(); ++i)
    if (!replaced[i])
      emit(percent_encode(replace[i].first), percent_encode(replace[i].second),
           true);
  return out;
}

} // namespace gw::net
