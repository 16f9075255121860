#include "net/router.hpp"

#include <boost/beast/http/field.hpp>

namespace gw::net {

router& router::add(match kind, std::string path, request_handler handler) {
  routes_.push_back({kind, std::move(path), std::move(handler)});
  return *this;
}

router& router::fallback(request_handler handler) {
  fallback_ = std::move(handler);
  return *this;
}

const router::route* router::find(std::string_view path) const {
  const route* best = nullptr;
  for (const auto& r : routes_) {
    if (r.kind == match::exact) {
      if (path == r.path)
        return &r;
    } else if (path.substr(0, r.path.size()) == r.path
               && (best == nullptr || r.path.size() > best->path.size())) {
      best = &r;
    }
  }
  return best;
}

void router::handle(http_request&& req, const request_info& info,
                    responder respond) const {
  if (!req.target().empty() && req.target().front() != '/') {
    std::string authority;
    auto origin = origin_form(req.target(), &authority);
    if (!authority.empty()) {
      req.target(origin);
      req.set(boost::beast::http::field::host, authority);
    }
  }
  if (const auto* r = find(target_path(req.target())))
    return r->handler(std::move(req), info, std::move(respond));
  if (fallback_)
    return fallback_(std::move(req), info, std::move(respond));
  respond(make_response(404, "text/plain", "not found\n"));
}

std::string origin_form(std::string_view target, std::string* authority) {
  auto starts = [&](std::string_view scheme) {
    if (target.size() < scheme.size())
      return false;
    for (std::size_t i = 0; i < scheme.size(); ++i) {
      auto c = target[i];
      if (c >= 'A' && c <= 'Z')
        c = static_cast<char>(c - 'A' + 'a');
      if (c != scheme[i])
        return false;
    }
    return true;
  };
  std::size_t skip = starts("http://") ? 7 : starts("https://") ? 8 : 0;
  if (skip == 0)
    return std::string{target};
  auto end = target.find_first_of("/?", skip);
  if (authority != nullptr)
    *authority = std::string{target.substr(skip, end == std::string_view::npos
                                                   ? std::string_view::npos
                                                   : end - skip)};
  if (end == std::string_view::npos)
    return "/";
  if (target[end] == '?')
    return "/" + std::string{target.substr(end)};
  return std::string{target.substr(end)};
}

std::string normalize_host(std::string_view host) {
  if (!host.empty() && host.front() == '[') {
    auto close = host.find(']');
    host =
      host.substr(0, close == std::string_view::npos ? host.size() : close + 1);
  } else {
    host = host.substr(0, host.find(':'));
  }
  while (!host.empty() && host.back() == '.')
    host.remove_suffix(1);
  std::string out{host};
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string_view target_path(std::string_view target) {
  return target.substr(0, target.find('?'));
}

std::string_view target_query(std::string_view target) {
  auto q = target.find('?');
  return q == std::string_view::npos ? std::string_view{}
                                     : target.substr(q + 1);
}

} // namespace gw::net
