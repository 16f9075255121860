// The customer console's requests: sign-in, sessions (cookie + CSRF), and
// the forms that change the tenant (through the tenants supervisor).
#include "api/console.hpp"

#include <functional>

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>

#include "api/ask.hpp"
#include "api/console_cookie.hpp"
#include "api/console_pages.hpp"
#include "api/usage_format.hpp"
#include "core/digest.hpp"
#include "net/io_pool.hpp"
#include "net/query.hpp"

namespace gw::api {

namespace http = boost::beast::http;
using net::request_info;
using net::responder;

namespace {

constexpr auto ask_timeout = std::chrono::seconds(10);

net::http_response see_other(const std::string& location) {
  auto res = net::make_response(303, "text/plain", "");
  res.set(http::field::location, location);
  res.set("Cache-Control", "no-store");
  return res;
}

/// Answers a sign-in: a new session cookie and a 303 to `home`; or the
/// sign-in page again (`page`) with 401 (`wrong`), 429 and Retry-After
/// while throttled, or 503.
std::function<void(caf::expected<console_login>)>
sign_in_answer(responder respond, std::string home,
               net::html (*page)(const std::string&), std::string wrong,
               long long max_age_s, bool secure) {
  return [=](caf::expected<console_login> r) {
    if (!r)
      return respond(console_page(503, page("The console is busy. Try "
                                            "again.")));
    if (r->retry_after_ms > 0) {
      auto secs = (r->retry_after_ms + 999) / 1000;
      auto res = console_page(429, page("Too many failed sign-ins. Try again "
                                        "in "
                                        + std::to_string(secs) + " seconds."));
      res.set(http::field::retry_after, std::to_string(secs));
      return respond(std::move(res));
    }
    if (!r->ok)
      return respond(console_page(401, page(wrong)));
    auto res = see_other(home);
    res.set(http::field::set_cookie,
            session_cookie(r->token, max_age_s, secure));
    respond(std::move(res));
  };
}

int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
           std::chrono::system_clock::now().time_since_epoch())
    .count();
}

/// A positive number of at most 9 digits from a form field.
std::optional<long long> form_number(const net::query& f, const char* name) {
  auto v = f.get(name);
  if (!v || v->empty() || v->size() > 9
      || v->find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  auto n = std::stoll(*v);
  if (n < 1)
    return std::nullopt;
  return n;
}

} // namespace

console_api::console_api(
  caf::actor_system& sys, console_actor console, tenants_actor tenants,
  std::shared_ptr<snapshot_slot<tenant_directory>> directory,
  std::shared_ptr<snapshot_slot<node_directory>> nodes,
  console_settings settings)
  : sys_(sys), console_(std::move(console)), tenants_(std::move(tenants)),
    directory_(std::move(directory)), nodes_(std::move(nodes)),
    settings_(std::move(settings)),
    secure_cookie_(settings_.public_url.rfind("https://", 0) == 0) {}

void console_api::add_routes(net::router& r) {
  auto self = shared_from_this();
  auto h = [self](net::http_request&& req, const request_info& info,
                  responder respond) {
    self->handle(std::move(req), info, std::move(respond));
  };
  r.add(net::router::match::exact, "/console", h);
  r.add(net::router::match::prefix, "/console/", h);
}

void console_api::handle(net::http_request&& req, const request_info& info,
                         responder respond) const {
  auto path = std::string{net::target_path(req.target())};
  auto method = req.method();
  if (path == "/console")
    return respond(see_other("/console/"));
  if (path == "/console/style.css" || path == "/console/console.js")
    return respond(console_asset(path.substr(9)));
  if (path == "/console/login") {
    if (method != http::verb::post)
      return respond(see_other("/console/"));
    return login(std::move(req), info, std::move(respond));
  }
  if (path == "/console/operator/login") {
    if (method != http::verb::post)
      return respond(see_other("/console/operator"));
    return operator_login(std::move(req), info, std::move(respond));
  }
  bool operator_path = path.rfind("/console/operator", 0) == 0;
  if (path != "/console/" && path != "/console/usage.csv"
      && path != "/console/operator" && path.rfind("/console/", 0) == 0
      && method == http::verb::get)
    return respond(console_page(404, console_login_page("No such page.")));
  if (method != http::verb::get && method != http::verb::post)
    return respond(
      console_page(405, console_login_page("Method not allowed.")));
  auto token = cookie_value(req[http::field::cookie], console_cookie_name);
  if (token.empty()) {
    if (method == http::verb::post)
      return respond(console_page(
        403, console_login_page("Your session ended. Sign in again.")));
    return respond(console_page(200, operator_path
                                       ? console_operator_login_page("")
                                       : console_login_page("")));
  }
  auto self = shared_from_this();
  auto shared_req = std::make_shared<net::http_request>(std::move(req));
  ask<console_session>(
    sys_, console_, info.shard->ioc.get_executor(), ask_timeout,
    [self, shared_req, info, respond, token,
     operator_path](caf::expected<console_session> s) {
      if (!s)
        return respond(console_page(
          503, console_login_page("The console is busy. Try again.")));
      auto dir = self->directory_->load();
      if (s->op)
        return self->operator_view(std::move(*shared_req), info, respond, *s,
                                   token);
      if (operator_path)
        return respond(console_page(200, console_operator_login_page("")));
      auto entry = dir->by_id.find(s->tenant);
      if (s->tenant.empty() || entry == dir->by_id.end()) {
        if (shared_req->method() == http::verb::post)
          return respond(console_page(
            403, console_login_page("Your session ended. Sign in again.")));
        return respond(console_page(200, console_login_page("")));
      }
      // The entry found here (a tenant removed meanwhile is served from
      // it once more, never looked up again and missed).
      self->signed_in(std::move(*shared_req), info, respond, *s, token,
                      entry->second);
    },
    atom::lookup_v, token);
}

void console_api::login(net::http_request&& req, const request_info& info,
                        responder respond) const {
  auto form = net::query::parse(req.body());
  const std::string* tenant = form ? form->get("tenant") : nullptr;
  const std::string* password = form ? form->get("password") : nullptr;
  if (!tenant || !password || tenant->empty() || password->empty()
      || tenant->size() > 64 || password->size() > 256)
    return respond(console_page(
      400, console_login_page("Enter your customer account and password.")));
  std::vector<std::string> stored;
  auto dir = directory_->load();
  if (auto it = dir->by_id.find(*tenant);
      it != dir->by_id.end()
      && !it->second->env->cfg.console_password_hash.empty())
    stored.push_back(it->second->env->cfg.console_password_hash);
  ask<console_login>(
    sys_, console_, info.shard->ioc.get_executor(), ask_timeout,
    sign_in_answer(respond, "/console/", console_login_page,
                   "Wrong customer account or password.",
                   settings_.session_length.count() * 60, secure_cookie_),
    atom::verify_v, *tenant, info.remote, *password, stored);
}

void console_api::signed_in(
  net::http_request&& req, const request_info& info, responder respond,
  const console_session& s, const std::string& token,
  const std::shared_ptr<const tenant_entry>& entry) const {
  auto path = std::string{net::target_path(req.target())};
  if (req.method() == http::verb::get && path == "/console/usage.csv") {
    constexpr int64_t day_ms = 86'400'000;
    auto today = wall_ms() / day_ms;
    auto minute_ms = settings_.minute_ms;
    auto now = wall_ms();
    return ask<usage_rows_ptr>(
      sys_, settings_.store, info.shard->ioc.get_executor(), ask_timeout,
      [respond, today, minute_ms, now,
       tenant = s.tenant](caf::expected<usage_rows_ptr> r) {
        if (!r)
          return respond(console_page(
            503, console_login_page("The console is busy. Try again.")));
        auto days = compute_usage((*r)->meetings, (*r)->events, today - 89,
                                  today, minute_ms, now);
        auto res =
          net::make_response(200, "text/csv; charset=utf-8", usage_csv(days));
        res.set(http::field::content_disposition,
                "attachment; filename=\"usage-" + tenant + ".csv\"");
        res.set("X-Content-Type-Options", "nosniff");
        res.set("Cache-Control", "no-store");
        respond(std::move(res));
      },
      atom::usage_v, s.tenant, (today - 89) * day_ms, (today + 1) * day_ms);
  }
  if (req.method() == http::verb::get) {
    auto q = net::query::parse(net::target_query(req.target()));
    auto done = q && q->get("done") ? *q->get("done") : std::string{};
    auto nodes = nodes_->load();
    auto o = std::make_shared<console_overview>();
    const auto& env = *entry->env;
    o->tenant = env.cfg;
    o->effective_max_participants = env.default_max_participants;
    o->effective_duration_minutes = env.default_duration_minutes;
    o->texts = env.texts;
    o->api_url = settings_.public_url + "/" + env.cfg.id + "/bigbluebutton/";
    o->csrf = s.csrf;
    o->done = done;
    o->now_ms = wall_ms();
    env.view->load()->for_each([&](const auto& row) {
      console_meeting m;
      m.name = row->name;
      m.meeting_id = row->meeting_id;
      m.size = row->max_participants;
      m.reserved_until_ms =
        row->booked_at
        + static_cast<int64_t>(static_cast<double>(row->duration_minutes)
                               * env.minute_ms);
      m.lapsed = m.reserved_until_ms <= o->now_ms;
      if (auto n = nodes->find(row->node_id); n != nodes->end()) {
        auto live = n->second->live->load();
        if (auto lm = live->meetings.find(row->node_meeting_id);
            lm != live->meetings.end())
          m.participants = lm->second.participants;
      }
      o->meetings.push_back(std::move(m));
    });
    std::sort(o->meetings.begin(), o->meetings.end(),
              [](const auto& a, const auto& b) { return a.name < b.name; });
    if (q && q->get("probe")) {
      const auto& v = *q->get("probe");
      if (!v.empty() && v.size() <= 9
          && v.find_first_not_of("0123456789") == std::string::npos)
        o->probe_size = std::stoll(v);
    }
    // Three questions, one after the other: the ledger, what a create of
    // the asked size would do, the last 30 days.
    auto self = shared_from_this();
    auto ex = info.shard->ioc.get_executor();
    auto actor = entry->actor();
    auto history = [self, ex, o, respond, s]() {
      constexpr int64_t day_ms = 86'400'000;
      auto today = o->now_ms / day_ms;
      ask<usage_rows_ptr>(
        self->sys_, self->settings_.store, ex, ask_timeout,
        [o, respond, today, minute_ms = self->settings_.minute_ms](
          caf::expected<usage_rows_ptr> r) {
          if (r) {
            o->history = compute_usage((*r)->meetings, (*r)->events, today - 29,
                                       today, minute_ms, o->now_ms);
            o->chart_svg = usage_svg(o->history);
          }
          respond(console_page(200, console_overview_page(*o)));
        },
        atom::usage_v, s.tenant, (today - 29) * day_ms, (today + 1) * day_ms);
    };
    return ask<tenant_stats>(
      sys_, actor, ex, ask_timeout,
      [self, ex, o, actor, history](caf::expected<tenant_stats> st) {
        if (st)
          o->stats = *st;
        if (o->probe_size <= 0)
          return history();
        ask<create_probe>(
          self->sys_, actor, ex, ask_timeout,
          [o, history](caf::expected<create_probe> p) {
            if (p)
              o->probe = *p;
            history();
          },
          atom::probe_v, o->probe_size);
      },
      atom::stats_v);
  }
  // Every form carries the session's CSRF token.
  auto form = net::query::parse(req.body());
  const std::string* csrf = form ? form->get("csrf") : nullptr;
  if (!csrf || !constant_time_equal(*csrf, s.csrf))
    return respond(console_page(
      403, console_login_page("The form expired. Reload the page and try "
                              "again.")));
  if (path == "/console/logout") {
    caf::anon_send(console_, atom::remove_v, token);
    auto res = see_other("/console/");
    res.set(http::field::set_cookie, ended_session_cookie(secure_cookie_));
    return respond(std::move(res));
  }
  tenant_patch patch;
  std::string done;
  if (path == "/console/api") {
    auto v = form->get("enabled");
    if (!v || (*v != "on" && *v != "off"))
      return respond(see_other("/console/?done=invalid"));
    patch.api_enabled = *v == "on";
    done = *v == "on" ? "api-on" : "api-off";
  } else if (path == "/console/rotate") {
    patch.add_secret = new_tenant_secret();
    done = "rotated";
  } else if (path == "/console/secret/remove") {
    auto v = form->get("secret");
    if (!v)
      return respond(see_other("/console/?done=invalid"));
    patch.remove_secret = *v;
    done = "removed";
  } else if (path == "/console/defaults") {
    auto mp = form_number(*form, "max_participants");
    auto dm = form_number(*form, "duration_minutes");
    if (!mp || !dm)
      return respond(see_other("/console/?done=invalid#defaults"));
    patch.default_max_participants = std::optional<long long>{*mp};
    patch.default_duration_minutes = std::optional<long long>{*dm};
    auto c = form->get("chat_texts");
    patch.default_chat_texts = c && *c == "on";
    done = "defaults";
  } else {
    return respond(console_page(404, console_login_page("No such page.")));
  }
  change(s.tenant, std::move(patch), info, std::move(respond), done);
}

void console_api::operator_login(net::http_request&& req,
                                 const request_info& info,
                                 responder respond) const {
  auto form = net::query::parse(req.body());
  const std::string* password = form ? form->get("password") : nullptr;
  if (!password || password->empty() || password->size() > 256)
    return respond(console_page(
      400, console_operator_login_page("Enter the admin token or the "
                                       "operator password.")));
  ask<console_login>(
    sys_, console_, info.shard->ioc.get_executor(), ask_timeout,
    sign_in_answer(respond, "/console/operator", console_operator_login_page,
                   "Wrong password.", settings_.session_length.count() * 60,
                   secure_cookie_),
    atom::verify_v, std::string{}, info.remote, *password,
    settings_.operator_hashes);
}

void console_api::operator_view(net::http_request&& req,
                                const request_info& info, responder respond,
                                const console_session& s,
                                const std::string& token) const {
  auto path = std::string{net::target_path(req.target())};
  auto ex = info.shard->ioc.get_executor();
  if (req.method() == http::verb::get) {
    if (path != "/console/operator")
      return respond(see_other("/console/operator"));
    auto q = net::query::parse(net::target_query(req.target()));
    auto o = std::make_shared<operator_overview>();
    o->csrf = s.csrf;
    o->done = q && q->get("done") ? *q->get("done") : std::string{};
    auto dir = directory_->load();
    auto nodes = nodes_->load();
    for (const auto& [id, n] : *nodes) {
      int64_t sum = 0;
      for (const auto& [nid, m] : n->live->load()->meetings)
        sum += m.participants;
      o->participants[id] = sum;
    }
    auto self = shared_from_this();
    return ask<tenant_stats_map_ptr>(
      sys_, tenants_, ex, ask_timeout,
      [self, ex, o, dir, respond](caf::expected<tenant_stats_map_ptr> stats) {
        std::map<std::string, operator_tenant> sorted;
        for (const auto& [id, entry] : dir->by_id) {
          operator_tenant t;
          t.tenant = entry->env->cfg;
          if (stats)
            if (auto it = (*stats)->find(id); it != (*stats)->end())
              t.stats = it->second;
          sorted[id] = std::move(t);
        }
        for (auto& [id, t] : sorted)
          o->tenants.push_back(std::move(t));
        ask<std::vector<node_load>>(
          self->sys_, self->settings_.fleet, ex, ask_timeout,
          [o, respond](caf::expected<std::vector<node_load>> loads) {
            if (loads)
              o->nodes = *loads;
            std::sort(o->nodes.begin(), o->nodes.end(),
                      [](const auto& a, const auto& b) { return a.id < b.id; });
            respond(console_page(200, console_operator_page(*o)));
          },
          atom::nodes_v);
      },
      atom::stats_v);
  }
  auto form = net::query::parse(req.body());
  const std::string* csrf = form ? form->get("csrf") : nullptr;
  if (!csrf || !constant_time_equal(*csrf, s.csrf))
    return respond(console_page(
      403, console_operator_login_page("The form expired. Reload the page "
                                       "and try again.")));
  if (path == "/console/logout") {
    caf::anon_send(console_, atom::remove_v, token);
    auto res = see_other("/console/operator");
    res.set(http::field::set_cookie, ended_session_cookie(secure_cookie_));
    return respond(std::move(res));
  }
  if (path != "/console/operator/node")
    return respond(see_other("/console/operator"));
  const std::string* node = form->get("node");
  const std::string* state = form->get("state");
  if (!node || !state || !parse_node_state(*state))
    return respond(see_other("/console/operator?done=invalid"));
  node_spec spec;
  spec.id = *node;
  spec.state = *state;
  ask<bool>(
    sys_, settings_.fleet, ex, ask_timeout,
    [respond](caf::expected<bool> done) {
      respond(see_other(done ? "/console/operator?done=node"
                             : "/console/operator?done=invalid"));
    },
    atom::update_v, spec);
}

void console_api::change(const std::string& tenant, tenant_patch patch,
                         const request_info& info, responder respond,
                         const std::string& done) const {
  ask<tenant_spec_ptr>(
    sys_, tenants_, info.shard->ioc.get_executor(), ask_timeout,
    [respond, done](caf::expected<tenant_spec_ptr> spec) {
      if (!spec)
        return respond(see_other("/console/?done=invalid"));
      respond(see_other("/console/?done=" + done));
    },
    atom::tenant_v, atom::update_v, tenant,
    tenant_patch_ptr{std::make_shared<const tenant_patch>(std::move(patch))});
}

} // namespace gw::api
