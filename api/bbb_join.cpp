// join: from the tenant's snapshot on the io thread (the hot path); a join
// whose meeting's node is unusable asks the tenant actor to move it.
#include <boost/asio/post.hpp>
#include <boost/beast/http/verb.hpp>
#include <caf/send.hpp>

#include "actors/create_job.hpp"
#include "api/bbb_common.hpp"
#include "net/checksum.hpp"
#include "net/http_client.hpp"
#include "net/meeting_xml.hpp"

namespace gw::api {

namespace http = boost::beast::http;

namespace {

bool wants_redirect(const net::query& q) {
  auto r = q.get("redirect");
  return r == nullptr || r->empty() || net::is_true(*r);
}

} // namespace

void bbb_api::join(call_ctx& c) const {
  bool redirect = wants_redirect(c.q);
  auto fail = [&](const net::api_error& e) {
    if (redirect)
      return c.respond(net::redirect_response(
        error_redirect(c.q, settings_.public_url, e.key, e.message)));
    answer_failed(c.respond, e);
  };
  if (auto err = net::validate_join(c.q))
    return fail(*err);
  auto view = c.tenant->env->view->load();
  const auto* row = view->find(*c.q.get("meetingID"));
  if (!row)
    return fail({"invalidMeetingIdentifier",
                 "The meeting ID that you supplied did not match any "
                 "existing meetings"});
  auto nodes = nodes_->load();
  auto node = nodes->find((*row)->node_id);
  if (node == nodes->end() || !node_usable(*node->second))
    return join_failover(c, *row);
  send_join(c.q, **row, *node->second, c.shard, std::move(c.respond));
}

void bbb_api::send_join(const net::query& q, const meeting_row& row,
                        const node_info& info, net::io_shard* shard,
                        net::responder respond) const {
  // A join carrying the createTime the client was told (the first node's,
  // for a meeting that moved since) goes to the node with the node's own;
  // any other createTime is the node's to refuse (mismatchCreateTimeParam).
  const auto* ct = row.first_create_time != 0 ? q.get("createTime") : nullptr;
  auto forwarded =
    ct && *ct == std::to_string(row.first_create_time)
      ? q.rewrite({"checksum"},
                  {{"meetingID", row.node_meeting_id},
                   {"createTime", std::to_string(row.create_time)}})
      : q.rewrite_one("checksum", "meetingID", row.node_meeting_id);
  auto qs = net::sign_query("join", forwarded, info.secret, net::node_checksum);
  if (wants_redirect(q))
    return respond(net::redirect_response(info.base_url + "api/join?" + qs));
  auto target = info.api_path + "join?" + qs;
  auto ep = info.ep;
  auto call = [ep, target, respond](net::io_shard* s) {
    s->client->request(
      ep, http::verb::get, target, "", "", node_timeout,
      [respond](net::client_response&& r) {
        if (r.ec || r.status != 200 || !net::is_bbb_response(r.body))
          return answer_failed(respond, "internalError",
                               "Unable to access meeting on server.");
        respond(net::xml_response(std::move(r.body)));
      });
  };
  if (shard != nullptr)
    return call(shard);
  auto* any = &pool_next_();
  boost::asio::post(any->ioc, [call, any] { call(any); });
}

void bbb_api::join_failover(call_ctx& c,
                            std::shared_ptr<const meeting_row> row) const {
  auto job = std::make_shared<create_job>();
  job->meeting_id = row->meeting_id;
  job->join_failover = true;
  job->stale_node = row->node_id;
  job->shard = static_cast<int>(c.shard->index);
  auto q = std::make_shared<const net::query>(std::move(c.q));
  auto respond = std::move(c.respond);
  auto nodes = nodes_;
  auto fallback = settings_.public_url;
  auto self = shared_from_this();
  job->on_placed = [self, q, respond, nodes,
                    fallback](std::shared_ptr<const meeting_row> moved) {
    auto dir = nodes->load();
    auto node = moved ? dir->find(moved->node_id) : dir->end();
    if (!moved || node == dir->end()) {
      auto f = failure::of(ec::server_unavailable);
      if (wants_redirect(*q))
        return respond(net::redirect_response(
          error_redirect(*q, fallback, message_key(f.code), f.message)));
      return answer_failed(respond, f);
    }
    // Runs on an actor thread: a redirect needs no io; an XML join is
    // posted to an io thread.
    self->send_join(*q, *moved, *node->second, nullptr, respond);
  };
  caf::anon_send(c.tenant->actor(), atom::create_v, std::move(job));
}

} // namespace gw::api
