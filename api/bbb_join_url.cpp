// getJoinUrl (2.7 internal, 3.0 documented): no checksum, authorised by the
// session token of a user in a meeting. The gateway does not keep session
// tokens, so it asks the nodes (a rare call): the one that knows the
// session answers, and its join URL is shown as the client's one BBB
// server would show it: the gateway's API path, the client's meetingID,
// signed with the tenant's secret. A session of another tenant's meeting
// counts as unknown.
#include <boost/beast/http/verb.hpp>
#include <nlohmann/json.hpp>

#include "api/bbb_common.hpp"
#include "net/checksum.hpp"
#include "net/http_client.hpp"

namespace gw::api {

namespace http = boost::beast::http;

namespace {

net::http_response json_answer(const nlohmann::json& response) {
  return net::make_response(200, "application/json",
                            nlohmann::json{{"response", response}}.dump());
}

net::http_response invalid_session(const std::string& token) {
  return json_answer({{"returncode", "FAILED"},
                      {"message", "Invalid Session"},
                      {"sessionToken", token}});
}

struct join_url_round {
  net::responder respond;
  int outstanding = 0;
  bool answered = false;
  std::string token;
};

} // namespace

void bbb_api::get_join_url(call_ctx& c) const {
  auto token = c.q.get("sessionToken");
  if (token == nullptr || token->empty())
    return c.respond(invalid_session(""));
  auto nodes = nodes_->load();
  auto round = std::make_shared<join_url_round>();
  round->respond = std::move(c.respond);
  round->token = *token;
  const auto& env = *c.tenant->env;
  auto prefix = env.node_prefix;
  auto secret = env.cfg.secrets.front();
  auto api_base =
    settings_.public_url + "/" + env.cfg.id + "/bigbluebutton/api/join?";
  auto query = c.q.rewrite_one("checksum", {}, {});
  for (const auto& [id, info] : *nodes) {
    if (!node_usable(*info))
      continue;
    ++round->outstanding;
    c.shard->client->request(
      info->ep, http::verb::get, info->api_path + "getJoinUrl?" + query, "", "",
      node_timeout,
      [round, prefix, secret, api_base](net::client_response&& r) {
        --round->outstanding;
        if (!round->answered && !r.ec && r.status == 200) {
          auto doc = nlohmann::json::parse(r.body, nullptr, false);
          const auto* res = doc.is_object() && doc.contains("response")
                              ? &doc["response"]
                              : nullptr;
          auto url = res && res->value("returncode", "") == "SUCCESS"
                       ? res->value("url", "")
                       : std::string{};
          auto qpos = url.find('?');
          auto q = qpos == std::string::npos
                     ? std::nullopt
                     : net::query::parse(url.substr(qpos + 1));
          const auto* mid = q ? q->get("meetingID") : nullptr;
          if (mid && mid->compare(0, prefix.size(), prefix) == 0) {
            // The node's join URL, made the client's.
            auto client_q = q->rewrite_one("checksum", "meetingID",
                                           mid->substr(prefix.size()));
            auto out = *res;
            out["url"] = api_base
                         + net::sign_query("join", client_q, secret,
                                           net::checksum_algo::sha1);
            round->answered = true;
            return round->respond(json_answer(out));
          }
        }
        if (round->outstanding == 0 && !round->answered) {
          round->answered = true;
          round->respond(invalid_session(round->token));
        }
      });
  }
  if (round->outstanding == 0)
    round->respond(invalid_session(round->token));
}

} // namespace gw::api
