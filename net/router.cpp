#include "net/router.hpp"

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
  if (const auto* r = find(target_path(req.target())))
    return r->handler(std::move(req), info, std::move(respond));
  if (fallback_)
    return fallback_(std::move(req), info, std::move(respond));
  respond(make_response(404, "text/plain", "not found\n"));
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
