#include "sim/sim_server.hpp"

#include <chrono>
#include <memory>
#include <vector>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/http/verb.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "net/bbb_params.hpp"
#include "net/http_client.hpp"
#include "net/http_server.hpp"
#include "net/io_pool.hpp"
#include "net/log_limit.hpp"
#include "sim/sim_state.hpp"

namespace gw::sim {

namespace http = boost::beast::http;
using json = nlohmann::json;

namespace {

/// The longest request target a BBB node's nginx takes (its default 8 KiB
/// header buffer holds the whole request line).
constexpr std::size_t max_request_target = 8 * 1024 - 32;

} // namespace

namespace {

/// How the simulator misbehaves on API calls, set through /_ctl/fail.
enum class failure_mode { none, down, http500, slow, garbage, html };

struct logged_call {
  std::string call;
  std::string method;
  std::string query;
  std::string body;
  std::string content_type;
};

} // namespace

struct sim_server::impl {
  explicit impl(std::string s) : secret(std::move(s)), pool(1, "sim-io") {}

  std::string secret;
  net::io_pool pool;
  std::unique_ptr<net::http_server> server;
  std::unique_ptr<sim_state> state;
  std::vector<logged_call> log;
  failure_mode mode = failure_mode::none;
  std::chrono::milliseconds delay{0};
  std::unique_ptr<boost::asio::steady_timer> ticker;

  /// Publishes recordings whose processing is over and sends their
  /// callbacks, every 100 ms.
  void tick(net::io_shard& shard) {
    state->tick();
    fire_callbacks(shard);
    ticker->expires_after(std::chrono::milliseconds(100));
    ticker->async_wait([this, &shard](boost::system::error_code ec) {
      if (!ec)
        tick(shard);
    });
  }

  void fire_callbacks(net::io_shard& shard) {
    for (const auto& cb : state->take_callbacks()) {
      url_parts ep;
      std::string target;
      if (!parse_target_url(cb.url, ep, target)) {
        GW_LOG_LIMITED(warn, "sim: cannot call back malformed URL {}", cb.url);
        continue;
      }
      shard.client->request(
        ep, cb.method == "POST" ? http::verb::post : http::verb::get, target,
        cb.body, cb.content_type, std::chrono::seconds(5),
        [url = cb.url](net::client_response&& r) {
          if (r.ec)
            GW_LOG_LIMITED(warn, "sim: callback {} failed: {}", url,
                           r.ec.message());
        },
        cb.headers);
    }
  }

  net::http_response control(const std::string& path, const net::query& q) {
    auto param = [&q](const char* n) {
      auto v = q.get(n);
      return v ? *v : std::string{};
    };
    auto ok = [](json body) {
      return net::make_response(200, "application/json", body.dump());
    };
    auto bad = [](const std::string& why) {
      return net::make_response(400, "application/json",
                                json{{"error", why}}.dump());
    };
    if (path == "/_ctl/attendee") {
      attendee a;
      a.full_name = param("fullName").empty() ? "User" : param("fullName");
      a.user_id = param("userID");
      a.role =
        net::ascii_lower(param("role")) == "moderator" ? "MODERATOR" : "VIEWER";
      a.voice = net::is_true(param("voice"));
      a.video = net::is_true(param("video"));
      a.listening_only = net::is_true(param("listenOnly"));
      if (!state->add_attendee(param("meetingID"), std::move(a)))
        return bad("unknown meeting");
      return ok({{"ok", true}});
    }
    if (path == "/_ctl/attendee/remove") {
      if (!state->remove_attendee(param("meetingID"), param("userID")))
        return bad("unknown meeting or user");
      return ok({{"ok", true}});
    }
    if (path == "/_ctl/end") {
      if (!state->end_meeting(param("meetingID")))
        return bad("unknown meeting");
      return ok({{"ok", true}});
    }
    if (path == "/_ctl/fail") {
      auto m = param("mode");
      if (m == "none" || m.empty())
        mode = failure_mode::none;
      else if (m == "down")
        mode = failure_mode::down;
      else if (m == "500")
        mode = failure_mode::http500;
      else if (m == "slow")
        mode = failure_mode::slow;
      else if (m == "garbage")
        mode = failure_mode::garbage;
      else if (m == "html")
        mode = failure_mode::html;
      else
        return bad("mode must be none, down, 500, slow, garbage or html");
      auto d = param("delay_ms");
      delay =
        std::chrono::milliseconds(net::is_digits(d) ? std::stoll(d) : 2000);
      return ok({{"ok", true}, {"mode", m.empty() ? "none" : m}});
    }
    if (path == "/_ctl/log") {
      json out = json::array();
      for (const auto& c : log) {
        json params = json::object();
        if (auto pq = net::query::parse(c.query))
          for (const auto& p : pq->params())
            if (!params.contains(p.name))
              params[p.name] = p.value;
        out.push_back({{"call", c.call},
                       {"method", c.method},
                       {"query", c.query},
                       {"params", params},
                       {"body", c.body},
                       {"contentType", c.content_type}});
      }
      return ok(out);
    }
    if (path == "/_ctl/webhooks") {
      // enabled=false: the node runs no bbb-webhooks (hooks/* answer 404).
      if (!param("enabled").empty())
        state->set_webhooks(param("enabled") != "false");
      json out = json::array();
      for (const auto& h : state->hooks())
        out.push_back({{"hookID", h.id},
                       {"callbackURL", h.callback_url},
                       {"meetingID", h.meeting_id}});
      return ok({{"hooks", out}});
    }
    if (path == "/_ctl/log/clear") {
      log.clear();
      return ok({{"ok", true}});
    }
    if (path == "/_ctl/recording" || path == "/_ctl/recording/update") {
      recording_change c;
      c.meeting_id = param("meetingID");
      c.name = param("name");
      c.state = param("state");
      auto n = param("participants");
      if (net::is_digits(n) && n.size() < 9)
        c.participants = std::stoi(n);
      for (const auto& p : q.params())
        if (p.name.rfind("meta_", 0) == 0)
          c.metadata.emplace_back(p.name.substr(5), p.value);
      if (path == "/_ctl/recording") {
        if (c.meeting_id.empty())
          return bad("meetingID is required");
        return ok({{"recordID", state->add_recording(c)}});
      }
      if (!state->change_recording(param("recordID"), c))
        return bad("unknown recording");
      return ok({{"ok", true}});
    }
    if (path == "/_ctl/recording/remove") {
      if (!state->remove_recording(param("recordID")))
        return bad("unknown recording");
      return ok({{"ok", true}});
    }
    if (path == "/_ctl/recordings") {
      json out = json::array();
      for (const auto& [id, r] : state->recordings())
        out.push_back({{"recordID", id},
                       {"meetingID", r.meeting_id},
                       {"state", r.state},
                       {"tracks", r.tracks.size()}});
      return ok(out);
    }
    if (path == "/_ctl/recordings/delay") {
      auto ms = param("ms");
      if (!net::is_digits(ms) || ms.size() > 12)
        return bad("ms must be a number of milliseconds");
      state->set_recording_delay(std::stoll(ms));
      return ok({{"ok", true}});
    }
    if (path == "/_ctl/meetings") {
      json out = json::array();
      for (const auto& [id, m] : state->meetings())
        out.push_back({{"meetingID", id},
                       {"internalMeetingID", m.internal_id},
                       {"participants", m.attendees.size()},
                       {"maxParticipants", m.max_participants},
                       {"duration", m.duration},
                       {"welcome", m.welcome},
                       {"moderatorOnlyMessage", m.moderator_only_message},
                       {"documents", m.documents},
                       {"chat", m.chat}});
      return ok(out);
    }
    return net::make_response(404, "application/json",
                              json{{"error", "unknown control path"}}.dump());
  }

  void handle(net::http_request&& req, const net::request_info& info,
              net::responder respond) {
    std::string target{req.target()};
    auto qpos = target.find('?');
    std::string path = target.substr(0, qpos);
    std::string raw_query =
      qpos == std::string::npos ? "" : target.substr(qpos + 1);
    if (path.rfind("/_ctl/", 0) == 0) {
      auto q = net::query::parse(raw_query);
      if (!q)
        return respond(net::make_response(400, "text/plain", "bad query\n"));
      auto res = control(path, *q);
      fire_callbacks(*info.shard); // /_ctl/end ends meetings too
      return respond(std::move(res));
    }
    constexpr std::string_view api = "/bigbluebutton/api";
    if (path.compare(0, api.size(), api) != 0)
      return respond(net::make_response(404, "text/html", "not found\n"));
    std::string call = path.substr(api.size());
    if (!call.empty() && call.front() == '/')
      call.erase(0, 1);
    if (info.body_too_large)
      return respond(net::make_response(413, "text/html",
                                        "<html>413 Request Entity Too "
                                        "Large</html>"));
    // nginx in front of bbb-web keeps request lines within its 8 KiB
    // header buffers (large_client_header_buffers 4 8k).
    if (target.size() > max_request_target)
      return respond(net::make_response(414, "text/html",
                                        "<html><body><h1>414 Request-URI Too "
                                        "Large</h1></body></html>"));
    switch (mode) {
    case failure_mode::down:
      // Answer nothing: the connection is dropped like a dead server's.
      return respond(net::make_response(0, "", ""));
    case failure_mode::http500:
      return respond(net::make_response(500, "text/html",
                                        "<html><body>Internal Server "
                                        "Error</body></html>"));
    case failure_mode::garbage:
      return respond(net::xml_response("<response><returncode>SUCC"));
    case failure_mode::html:
      return respond(net::make_response(200, "text/html",
                                        "<html><body>502 Bad "
                                        "Gateway</body></html>"));
    default:
      break;
    }
    std::string method{req.method_string()};
    log.push_back({call, method, raw_query, req.body(),
                   std::string{req[http::field::content_type]}});
    auto r = state->handle(call, raw_query, method, req.body(),
                           std::string{req[http::field::content_type]});
    fire_callbacks(*info.shard);
    auto res = net::make_response(r.status, r.content_type, std::move(r.body));
    if (r.status == 200)
      res.set(http::field::cache_control, "no-cache");
    if (!r.location.empty())
      res.set(http::field::location, r.location);
    if (mode == failure_mode::slow) {
      auto timer =
        std::make_shared<boost::asio::steady_timer>(info.shard->ioc, delay);
      timer->async_wait(
        [timer, respond, res = std::move(res)](boost::system::error_code) {
          auto copy = res;
          respond(std::move(copy));
        });
      return;
    }
    respond(std::move(res));
  }
};

sim_server::sim_server(std::string secret)
  : impl_(std::make_unique<impl>(std::move(secret))) {}

sim_server::~sim_server() {
  stop();
}

std::string sim_server::start(const std::string& host, uint16_t port) {
  auto* self = impl_.get();
  impl_->server = std::make_unique<net::http_server>(
    impl_->pool,
    [self](net::http_request&& req, const net::request_info& info,
           net::responder respond) {
      self->handle(std::move(req), info, std::move(respond));
    },
    net::server_limits{});
  auto err = impl_->server->listen(host, port);
  if (!err.empty())
    return err;
  std::string shown =
    host.find(':') != std::string::npos ? "[" + host + "]" : host;
  impl_->state = std::make_unique<sim_state>(
    impl_->secret,
    "http://" + shown + ":" + std::to_string(impl_->server->port()));
  auto& shard = impl_->pool.shard(0);
  impl_->ticker = std::make_unique<boost::asio::steady_timer>(shard.ioc);
  boost::asio::post(shard.ioc, [self, &shard] { self->tick(shard); });
  impl_->pool.start();
  return {};
}

uint16_t sim_server::port() const {
  return impl_->server ? impl_->server->port() : 0;
}

void sim_server::stop() {
  if (impl_->server)
    impl_->server->close();
  if (impl_->ticker)
    boost::asio::post(impl_->pool.shard(0).ioc,
                      [t = impl_->ticker.get()] { t->cancel(); });
  impl_->pool.stop();
  impl_->ticker.reset();
}

} // namespace gw::sim
