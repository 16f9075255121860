// The recording calls that change recordings on their nodes
// (publishRecordings, updateRecordings, deleteRecordings) and the text-track
// calls: each goes to the node(s) holding the IDs, found in the tenant's
// index (so no tenant reaches another's recordings); the index is read
// again from those nodes before the client hears SUCCESS
// (docs/recordings.md).
#include <algorithm>
#include <map>

#include <boost/asio/post.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>
#include <caf/send.hpp>
#include <nlohmann/json.hpp>

#include "api/bbb_common.hpp"
#include "net/bbb_params.hpp"
#include "net/callback_urls.hpp"
#include "net/checksum.hpp"
#include "net/http_client.hpp"
#include "net/recording_params.hpp"
#include "net/xml.hpp"

namespace gw::api {

namespace http = boost::beast::http;

namespace {

net::http_response json_failed(std::string_view key, std::string_view message) {
  return net::make_response(
    200, "application/json",
    nlohmann::json{
      {"response",
       {{"returncode", "FAILED"}, {"messageKey", key}, {"message", message}}}}
      .dump());
}

bool is_text_track_call(std::string_view call) {
  return call == "getRecordingTextTracks" || call == "putRecordingTextTrack";
}

/// Metadata keys an updateRecordings never sends to a node as given: the
/// ones BBB sets itself, and callback URLs (the node keeps the gateway's;
/// a client's recording-ready URL is rewritten into it).
bool kept_from_node(const std::string& name) {
  auto key = net::ascii_lower(name.substr(5));
  return key == "meetingid" || key == "meetingname" || key == "isbreakout"
         || key == "endcallbackurl" || key == "analytics-callback-url"
         || net::is_recording_ready_param(name);
}

/// The answers of the nodes a change went to, gathered on one io thread.
struct change_round {
  net::responder respond;
  int outstanding = 0;
  bool failed = false;
  bool applied = false;
  std::map<std::string, std::vector<std::string>> ids_by_node;
  std::string success;
};

} // namespace

std::optional<net::http_response>
recording_presence_error(const std::string& call, std::string_view query) {
  bool tracks = is_text_track_call(call);
  if (!tracks && call != "publishRecordings" && call != "updateRecordings"
      && call != "deleteRecordings")
    return std::nullopt;
  auto q = net::query::parse(query);
  if (!q)
    return std::nullopt; // the checksum check answers it
  auto has = [&q](const char* name) {
    auto v = q->get(name);
    return v != nullptr && !v->empty();
  };
  bool ids = !net::split_id_list(q->get("recordID")).empty();
  if (tracks) {
    if (!has("checksum"))
      return json_failed("paramError", "Missing param checksum.");
    if (!ids)
      return json_failed("paramError", "Missing param recordID.");
    return std::nullopt;
  }
  if (!has("checksum"))
    return net::xml_response(net::failed_xml(
      "checksumError", "You did not pass the checksum security check"));
  if (!ids)
    return net::xml_response(
      net::failed_xml("missingParamRecordID", "You must specify a recordID."));
  if (call == "publishRecordings" && !has("publish"))
    return net::xml_response(
      net::failed_xml("missingParamPublish",
                      "You must specify a publish value true or false."));
  return std::nullopt;
}

void bbb_api::change_recordings(call_ctx& c) const {
  auto ids = net::split_id_list(c.q.get("recordID"));
  auto index = c.tenant->recordings->load();
  bool publish_call = c.call == "publishRecordings";
  // The node of each ID this tenant has (BBB skips unknown IDs; publish
  // moves only published and unpublished ones).
  auto round = std::make_shared<change_round>();
  for (const auto& id : ids) {
    auto it = index->by_id.find(id);
    if (it == index->by_id.end())
      continue;
    const auto& r = *it->second;
    if (publish_call && r.state != "published" && r.state != "unpublished")
      continue;
    auto& mine = round->ids_by_node[r.node_id];
    if (std::find(mine.begin(), mine.end(), id) == mine.end())
      mine.push_back(id);
  }
  if (round->ids_by_node.empty())
    return answer_failed(c.respond, "notFound", "We could not find recordings");
  std::string extra;
  if (publish_call) {
    extra = "&publish=" + net::percent_encode(*c.q.get("publish"));
    round->success = "<response><returncode>SUCCESS</returncode><published>"
                     + net::xml_escape(*c.q.get("publish"))
                     + "</published></response>";
  } else if (c.call == "updateRecordings") {
    for (const auto& p : c.q.params())
      if (p.name.compare(0, 5, "meta_") == 0 && !kept_from_node(p.name))
        extra += "&" + net::percent_encode(p.name) + "="
                 + net::percent_encode(p.value);
    round->success = "<response><returncode>SUCCESS</returncode><updated>true"
                     "</updated></response>";
  } else {
    round->success = "<response><returncode>SUCCESS</returncode><deleted>true"
                     "</deleted></response>";
  }
  // One node call per node with all its IDs; but an update of a client's
  // recording-ready URL goes per recording: the gateway's URL on the node
  // carries that recording's client URLs, rewritten (net/callback_urls).
  struct node_call {
    std::string node;
    std::vector<std::string> ids;
    std::string params;
  };
  std::vector<node_call> calls;
  net::metadata_list ready_changes;
  if (c.call == "updateRecordings")
    for (const auto& p : c.q.params())
      if (net::is_recording_ready_param(p.name))
        ready_changes.emplace_back(net::ascii_lower(p.name.substr(5)), p.value);
  for (const auto& [node_id, node_ids] : round->ids_by_node) {
    if (ready_changes.empty()) {
      calls.push_back({node_id, node_ids, extra});
      continue;
    }
    for (const auto& id : node_ids) {
      const auto& r = *index->by_id.at(id);
      net::metadata_list urls;
      for (const auto& [k, v] : r.metadata)
        if (net::is_recording_ready_param("meta_" + k))
          urls.emplace_back(k, v);
      for (const auto& [k, v] : ready_changes) {
        auto key = k; // (a structured binding cannot be captured)
        auto at =
          std::find_if(urls.begin(), urls.end(),
                       [&key](const auto& kv) { return kv.first == key; });
        if (at != urls.end())
          urls.erase(at);
        if (!v.empty())
          urls.emplace_back(k, v);
      }
      auto url = net::recording_ready_url(
        settings_.public_url, c.tenant->env->cfg.id, r.meeting_id, urls);
      calls.push_back(
        {node_id,
         {id},
         extra + "&meta_bbb-recording-ready-url=" + net::percent_encode(url)});
    }
  }
  round->respond = std::move(c.respond);
  if (c.call == "updateRecordings" && extra.empty() && ready_changes.empty())
    // Nothing a node keeps changes (bbb-web answers true then too).
    return round->respond(net::xml_response(round->success));
  auto nodes = nodes_->load();
  auto* shard = c.shard;
  auto recordings = actors_.recordings;
  // Once every node answered: the index reads the IDs again, then the
  // client hears how it went.
  auto finish = [round, shard, recordings] {
    auto fetch = std::make_shared<recordings_fetch>();
    fetch->ids_by_node = round->ids_by_node;
    if (round->failed || !round->applied) {
      // A node failed (FAILED, never a SUCCESS that hides it) or none had
      // them any more: answered now, the index catches up meanwhile.
      if (round->failed)
        answer_failed(round->respond, "internalError",
                      "A server holding one of the recordings could not "
                      "change it; nothing was lost, please try again.");
      else
        answer_failed(round->respond, "notFound",
                      "We could not find recordings");
      caf::anon_send(recordings, atom::refresh_v,
                     recordings_fetch_ptr{std::move(fetch)});
      return;
    }
    fetch->done = [round, shard] {
      boost::asio::post(shard->ioc, [round] {
        round->respond(net::xml_response(round->success));
      });
    };
    caf::anon_send(recordings, atom::refresh_v,
                   recordings_fetch_ptr{std::move(fetch)});
  };
  round->outstanding = static_cast<int>(calls.size());
  for (const auto& call : calls) {
    auto node = nodes->find(call.node);
    if (node == nodes->end()) {
      round->failed = true;
      if (--round->outstanding == 0)
        finish();
      continue;
    }
    std::string list;
    for (const auto& id : call.ids)
      list += (list.empty() ? "" : ",") + id;
    auto req = net::recording_call_request(
      *node->second, c.call,
      "recordID=" + net::percent_encode(list) + call.params);
    shard->client->request(
      node->second->ep, http::verb::get, std::move(req.target), "", "",
      req.timeout, [round, finish](net::client_response&& r) {
        bool bbb = !r.ec && r.status == 200 && net::is_bbb_response(r.body);
        auto rc = bbb ? net::element_text(r.body, "returncode") : "";
        if (rc == "SUCCESS")
          round->applied = true;
        else if (!bbb || net::element_text(r.body, "messageKey") != "notFound")
          round->failed = true;
        if (--round->outstanding == 0)
          finish();
      });
  }
}

void bbb_api::text_tracks(call_ctx& c) const {
  auto id = *c.q.get("recordID");
  auto index = c.tenant->recordings->load();
  auto it = index->by_id.find(id);
  bool put = c.call == "putRecordingTextTrack";
  if (it == index->by_id.end())
    return c.respond(json_failed(
      "noRecordings",
      (put ? "No recording was found for " : "No recording found for ") + id));
  auto nodes = nodes_->load();
  auto node = nodes->find(it->second->node_id);
  if (node == nodes->end())
    return c.respond(json_failed("internalError",
                                 "The server holding the recording is gone."));
  const auto& info = *node->second;
  auto target = info.api_path + c.call + "?"
                + net::sign_query(c.call, c.q.rewrite_one("checksum", {}, {}),
                                  info.secret, net::node_checksum);
  // The upload goes on byte for byte, with its multipart boundary.
  std::string ctype{c.req[http::field::content_type]};
  auto body = std::move(c.req.body());
  bool post = put || c.req.method() == http::verb::post;
  c.shard->client->request(
    info.ep, post ? http::verb::post : http::verb::get, std::move(target),
    std::move(body), post ? ctype : std::string{}, node_timeout,
    [respond = std::move(c.respond)](net::client_response&& r) {
      if (r.ec || r.status != 200)
        return respond(json_failed(
          "internalError", "The server holding the recording did not answer."));
      auto type = r.content_type.empty() ? std::string{"application/json"}
                                         : r.content_type;
      respond(net::make_response(200, type, std::move(r.body)));
    });
}

} // namespace gw::api
