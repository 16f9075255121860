// The admin API's tenants (design.md §8, docs/admin-api.md): definitions
// read from the published directory, changes through the tenants
// supervisor, console passwords hashed by the password actor.
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>
#include <nlohmann/json.hpp>

#include "api/admin_api.hpp"
#include "api/admin_json.hpp"
#include "api/ask.hpp"
#include "api/usage_format.hpp"
#include "net/io_pool.hpp"
#include "net/query.hpp"
#include "net/tenant_json.hpp"

namespace gw::api {

namespace http = boost::beast::http;
using json = nlohmann::json;
using net::request_info;
using net::responder;

namespace {

constexpr auto ask_timeout = std::chrono::seconds(10);

/// A tenant's definition and its ledger now (reserved = booked and not
/// lapsed; free = subscription - booked, never below 0).
json tenant_view_json(const tenant_spec& t, const tenant_stats* s) {
  auto j = net::tenant_to_json(t);
  if (s) {
    auto reserved = s->committed - s->lapsed_connections;
    j["now"] = json{
      {"meetings", s->meetings},
      {"reserved_connections", reserved},
      {"lapsed_connections", s->lapsed_connections},
      {"lapsed_meetings", s->lapsed},
      {"free_connections", std::max<int64_t>(0, t.connections - s->committed)}};
  }
  return j;
}

} // namespace

void admin_api::tenants(net::http_request&& req, const request_info& info,
                        responder respond, const std::string& rest) const {
  auto method = req.method();
  // rest: "", "/{id}", "/{id}/secrets", "/{id}/secrets/{secret}".
  std::vector<std::string> parts;
  for (std::size_t at = 1; at <= rest.size();) {
    auto slash = rest.find('/', at);
    auto seg = rest.substr(at, slash == std::string::npos ? std::string::npos
                                                          : slash - at);
    auto decoded = net::percent_decode(seg, false);
    if (!decoded || decoded->empty())
      return respond(error_answer(404, "unknown admin path"));
    parts.push_back(*decoded);
    if (slash == std::string::npos)
      break;
    at = slash + 1;
  }
  if (!rest.empty() && rest != "/" && parts.empty())
    return respond(error_answer(404, "unknown admin path"));
  if (parts.empty()) {
    if (method == http::verb::get)
      return list_tenants(info, std::move(respond), "");
    if (method == http::verb::post)
      return add_tenant(std::move(req), info, std::move(respond));
    return respond(error_answer(405, "method not allowed here"));
  }
  const auto& id = parts[0];
  // One snapshot for the whole request (a tenant removed meanwhile is not
  // looked up twice and missed).
  auto dir = tenant_dir_->load();
  auto found = dir->by_id.find(id);
  auto known = found != dir->by_id.end();
  if (parts.size() == 1) {
    if (method == http::verb::get)
      return list_tenants(info, std::move(respond), id);
    if (method == http::verb::patch) {
      auto body = json::parse(req.body(), nullptr, false);
      tenant_patch patch;
      std::string password;
      if (auto err = net::read_tenant_patch(body, patch, password))
        return respond(error_answer(400, err->text()));
      return change_tenant(id, std::move(patch), std::move(password), info,
                           std::move(respond), 200);
    }
    if (method == http::verb::delete_) {
      auto q = net::query::parse(net::target_query(req.target()));
      auto force = q && q->get("force") && *q->get("force") == "true";
      return ask<int64_t>(
        sys_, actors_.tenants, info.shard->ioc.get_executor(), ask_timeout,
        [respond, id](caf::expected<int64_t> ended) {
          if (!ended)
            return respond(failure_answer(failure_of(ended.error())));
          respond(json_answer(
            200, json{{"ok", true}, {"tenant", id}, {"ended", *ended}}));
        },
        atom::tenant_v, atom::remove_v, id, force);
    }
    return respond(error_answer(405, "method not allowed here"));
  }
  if (parts[1] == "usage" && parts.size() == 2) {
    if (method != http::verb::get)
      return respond(error_answer(405, "method not allowed here"));
    if (!known)
      return respond(error_answer(404, "id: no tenant '" + id + "'"));
    return usage(id, req, info, std::move(respond));
  }
  if (parts[1] != "secrets" || parts.size() > 3)
    return respond(error_answer(404, "unknown admin path"));
  if (!known)
    return respond(error_answer(404, "id: no tenant '" + id + "'"));
  if (parts.size() == 2 && method == http::verb::post) {
    tenant_patch patch;
    patch.add_secret = new_tenant_secret();
    return change_tenant(id, std::move(patch), {}, info, std::move(respond),
                         201);
  }
  if (parts.size() == 3 && method == http::verb::delete_) {
    const auto& secrets = found->second->env->cfg.secrets;
    if (std::find(secrets.begin(), secrets.end(), parts[2]) == secrets.end())
      return respond(error_answer(404, "secrets: the tenant has no such "
                                       "secret"));
    tenant_patch patch;
    patch.remove_secret = parts[2];
    return change_tenant(id, std::move(patch), {}, info, std::move(respond),
                         200);
  }
  respond(error_answer(405, "method not allowed here"));
}

void admin_api::list_tenants(const request_info& info, responder respond,
                             std::string only) const {
  auto dir = tenant_dir_->load();
  if (!only.empty() && dir->by_id.count(only) == 0)
    return respond(error_answer(404, "id: no tenant '" + only + "'"));
  ask<tenant_stats_map_ptr>(
    sys_, actors_.tenants, info.shard->ioc.get_executor(), ask_timeout,
    [respond, dir, only](caf::expected<tenant_stats_map_ptr> stats) {
      auto stats_of = [&](const std::string& id) -> const tenant_stats* {
        if (!stats)
          return nullptr;
        auto it = (*stats)->find(id);
        return it == (*stats)->end() ? nullptr : &it->second;
      };
      if (!only.empty()) {
        auto it = dir->by_id.find(only);
        return respond(json_answer(
          200, tenant_view_json(it->second->env->cfg, stats_of(only))));
      }
      std::map<std::string, json> sorted;
      for (const auto& [id, entry] : dir->by_id)
        sorted[id] = tenant_view_json(entry->env->cfg, stats_of(id));
      auto out = json::array();
      for (auto& [id, j] : sorted)
        out.push_back(std::move(j));
      respond(json_answer(200, json{{"tenants", out}}));
    },
    atom::stats_v);
}

void admin_api::add_tenant(net::http_request&& req, const request_info& info,
                           responder respond) const {
  auto body = json::parse(req.body(), nullptr, false);
  tenant_spec spec;
  std::string password;
  if (auto err = net::read_tenant(body, spec, password))
    return respond(error_answer(400, err->text()));
  // A tenant without secrets gets one (256 bits), answered once here.
  if (!body.contains("secrets"))
    spec.secrets.push_back(new_tenant_secret());
  if (auto err = validate_tenant(spec))
    return respond(error_answer(400, err->text()));
  auto ex = info.shard->ioc.get_executor();
  auto self = shared_from_this();
  auto add = [self, ex, respond](tenant_spec s) {
    auto ptr = std::make_shared<const tenant_spec>(std::move(s));
    ask<bool>(
      self->sys_, self->actors_.tenants, ex, ask_timeout,
      [respond, ptr](caf::expected<bool> done) {
        if (!done)
          return respond(failure_answer(failure_of(done.error())));
        respond(json_answer(201, tenant_view_json(*ptr, nullptr)));
      },
      atom::tenant_v, atom::add_v, ptr);
  };
  if (password.empty())
    return add(std::move(spec));
  ask<std::string>(
    sys_, actors_.passwords, ex, ask_timeout,
    [add, spec, respond](caf::expected<std::string> hash) {
      if (!hash || hash->empty())
        return respond(error_answer(500, "console_password: cannot hash it"));
      auto with_hash = spec;
      with_hash.console_password_hash = *hash;
      add(std::move(with_hash));
    },
    atom::hash_v, password);
}

void admin_api::change_tenant(const std::string& id, tenant_patch patch,
                              std::string password, const request_info& info,
                              responder respond, unsigned ok_status) const {
  auto ex = info.shard->ioc.get_executor();
  auto self = shared_from_this();
  auto added = patch.add_secret;
  auto send = [self, ex, respond, id, ok_status, added](tenant_patch p) {
    ask<tenant_spec_ptr>(
      self->sys_, self->actors_.tenants, ex, ask_timeout,
      [respond, ok_status, added](caf::expected<tenant_spec_ptr> spec) {
        if (!spec)
          return respond(failure_answer(failure_of(spec.error())));
        auto j = tenant_view_json(**spec, nullptr);
        if (added)
          j["secret"] = *added;
        respond(json_answer(ok_status, j));
      },
      atom::tenant_v, atom::update_v, id,
      tenant_patch_ptr{std::make_shared<const tenant_patch>(std::move(p))});
  };
  if (password.empty())
    return send(std::move(patch));
  ask<std::string>(
    sys_, actors_.passwords, ex, ask_timeout,
    [send, patch, respond](caf::expected<std::string> hash) {
      if (!hash || hash->empty())
        return respond(error_answer(500, "console_password: cannot hash it"));
      auto with_hash = patch;
      with_hash.console_password_hash = *hash;
      send(std::move(with_hash));
    },
    atom::hash_v, password);
}

} // namespace gw::api

namespace gw::api {

void admin_api::usage(const std::string& id, const net::http_request& req,
                      const request_info& info, responder respond) const {
  constexpr int64_t day_ms = 86'400'000;
  auto q = net::query::parse(net::target_query(req.target()));
  auto today = std::chrono::duration_cast<std::chrono::milliseconds>(
                 std::chrono::system_clock::now().time_since_epoch())
                 .count()
               / day_ms;
  int64_t to = today;
  int64_t from = today - 29;
  if (q && q->get("to")) {
    auto d = parse_day(*q->get("to"));
    if (!d)
      return respond(error_answer(400, "to: must be a date YYYY-MM-DD"));
    to = *d;
    from = to - 29;
  }
  if (q && q->get("from")) {
    auto d = parse_day(*q->get("from"));
    if (!d)
      return respond(error_answer(400, "from: must be a date YYYY-MM-DD"));
    from = *d;
  }
  if (from > to)
    return respond(error_answer(400, "from: must not be after to"));
  if (to - from > 366)
    return respond(error_answer(400, "from: at most 367 days at once"));
  bool csv = std::string_view{req[http::field::accept]}.find("text/csv")
             != std::string_view::npos;
  auto minute_ms = actors_.minute_ms;
  ask<usage_rows_ptr>(
    sys_, actors_.store, info.shard->ioc.get_executor(), ask_timeout,
    [respond, id, from, to, csv,
     minute_ms](caf::expected<usage_rows_ptr> rows) {
      if (!rows)
        return respond(error_answer(503, "the store did not answer"));
      auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
      auto days = compute_usage((*rows)->meetings, (*rows)->events, from, to,
                                minute_ms, now);
      if (csv)
        return respond(
          net::make_response(200, "text/csv; charset=utf-8", usage_csv(days)));
      respond(json_answer(200, usage_json(id, days)));
    },
    atom::usage_v, id, from * day_ms, (to + 1) * day_ms);
}

} // namespace gw::api
