// Calls on one running meeting that the node answers (end, isMeetingRunning,
// getMeetingInfo, insertDocument, sendChatMessage): routed from the
// tenant's snapshot straight from the io thread, the answer shown in the
// client's IDs.
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>
#include <caf/send.hpp>

#include "api/bbb_common.hpp"
#include "net/callback_urls.hpp"
#include "net/checksum.hpp"
#include "net/http_client.hpp"
#include "net/meeting_xml.hpp"
#include "net/read_coalescer.hpp"

namespace gw::api {

namespace http = boost::beast::http;

namespace {

/// Wraps a node's answer, checked once however many callers share it.
std::shared_ptr<const net::upstream_answer>
checked_answer(net::client_response&& r) {
  auto a = std::make_shared<net::upstream_answer>();
  a->bbb_document = !r.ec && r.status == 200 && net::is_bbb_response(r.body);
  a->response = std::move(r);
  return a;
}

/// Answers a proxied call from the node's answer: the client's meeting ID,
/// duration and end callback put back, a meeting the node no longer knows
/// released.
void answer_proxied(const net::upstream_answer& a,
                    const net::responder& respond, const meeting_row& row,
                    const std::string& call, const tenant_entry& tenant,
                    std::string_view own_prefix) {
  if (!a.bbb_document) {
    // An unreachable node hides the meeting (bbb-api.md item 121).
    if (call == "isMeetingRunning")
      return respond(net::xml_response("<response><returncode>SUCCESS"
                                       "</returncode><running>false</running>"
                                       "</response>"));
    return answer_failed(respond, net::not_found_error());
  }
  auto out = net::rewrite_meeting_id(a.response.body, row.node_meeting_id,
                                     row.meeting_id);
  if (call == "getMeetingInfo") {
    out = net::replace_element(std::move(out), "duration", row.client_duration);
    // A moved meeting shows the createTime its client was first told.
    if (row.first_create_time != 0) {
      out = net::replace_element(std::move(out), "createTime",
                                 std::to_string(row.first_create_time));
      out = net::replace_element(std::move(out), "createDate", row.create_date);
    }
    // The node holds the gateway's end callback; show the client's.
    out = row.client_end_callback.empty()
            ? net::remove_metadata(std::move(out), "endcallbackurl")
            : net::replace_element(std::move(out), "endcallbackurl",
                                   row.client_end_callback);
    // And the client's recording-ready URLs instead of the gateway's.
    out = net::restore_client_metadata(std::move(out), own_prefix);
  }
  // The meeting is over when `end` succeeds or the node no longer knows it:
  // its connections are released at once.
  bool ok = net::element_text(out, "returncode") == "SUCCESS";
  bool gone = !ok && net::element_text(out, "messageKey") == "notFound"
              && (call == "end" || call == "getMeetingInfo");
  if ((call == "end" && ok) || gone)
    caf::anon_send(tenant.actor(), atom::ended_v, row.meeting_id);
  respond(net::xml_response(std::move(out)));
}

} // namespace

void bbb_api::proxy(call_ctx& c) const {
  auto id = c.q.get("meetingID");
  // isMeetingRunning answers false for any ID no meeting can have:
  // Greenlight's health check asks for meetingID=0 (docs/clients.md 6.3).
  bool lenient = c.call == "isMeetingRunning" && id && !id->empty();
  if (auto err = net::check_meeting_id(id); err && !lenient)
    return answer_failed(c.respond, *err);
  if (c.call == "end")
    if (auto err = net::check_password(c.q.get("password")))
      return answer_failed(c.respond, *err);
  auto view = c.tenant->env->view->load();
  const auto* found = view->find(*id);
  if (!found && c.call == "getMeetingInfo")
    found = view->find_internal(*id);
  auto row = found ? *found : nullptr;
  auto not_found = [&c] {
    if (c.call == "isMeetingRunning")
      return c.respond(net::xml_response("<response><returncode>SUCCESS"
                                         "</returncode><running>false"
                                         "</running></response>"));
    if (c.call == "sendChatMessage")
      return answer_failed(c.respond, "meetingNotFound",
                           "Meeting not found or not active");
    answer_failed(c.respond, net::not_found_error());
  };
  if (!row)
    return not_found();
  auto nodes = nodes_->load();
  auto node = nodes->find(row->node_id);
  if (node == nodes->end())
    return not_found();
  const auto& info = *node->second;
  // An internalMeetingID is the node's own and passes unchanged.
  auto node_query =
    *id == row->meeting_id
      ? c.q.rewrite_one("checksum", "meetingID", row->node_meeting_id)
      : c.q.rewrite_one("checksum", {}, {});
  bool post = c.call == "insertDocument" || !c.req.body().empty();
  auto on_answer = [respond = std::move(c.respond), row, call = c.call,
                    tenant = c.tenant, own = settings_.public_url + "/_gw/"](
                     const std::shared_ptr<const net::upstream_answer>& a) {
    answer_proxied(*a, respond, *row, call, *tenant, own);
  };
  auto target =
    info.api_path + c.call + "?"
    + net::sign_query(c.call, node_query, info.secret, net::node_checksum);
  auto* client = c.shard->client.get();
  auto ep = info.ep;
  auto metrics = info.metrics;
  if (!post && (c.call == "getMeetingInfo" || c.call == "isMeetingRunning")) {
    // Reads asked together share one node call (each still gets an answer
    // the node produced after it asked: net/read_coalescer.hpp).
    auto key = info.base_url + c.call + "?" + node_query;
    return c.shard->reads->read(
      key,
      [client, ep, target, metrics](
        std::function<void(std::shared_ptr<const net::upstream_answer>)> done) {
        client->request(ep, http::verb::get, target, "", "", node_timeout,
                        [done, metrics](net::client_response&& r) {
                          metrics->count_call(!r.ec, r.status);
                          done(checked_answer(std::move(r)));
                        });
      },
      std::move(on_answer));
  }
  auto body = std::move(c.req.body());
  std::string ctype{c.req[http::field::content_type]};
  if (post && ctype.empty())
    ctype = "application/xml";
  client->request(ep, post ? http::verb::post : http::verb::get, target,
                  std::move(body), ctype, node_timeout,
                  [on_answer, metrics](net::client_response&& r) {
                    metrics->count_call(!r.ec, r.status);
                    on_answer(checked_answer(std::move(r)));
                  });
}

} // namespace gw::api
