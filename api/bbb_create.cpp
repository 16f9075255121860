// create: validated here, decided by the tenant actor, answered from what it
// replies (api/bbb_answers.cpp renders it).
#include <boost/beast/http/field.hpp>
#include <caf/send.hpp>

#include "actors/create_job.hpp"
#include "api/bbb_common.hpp"

namespace gw::api {

namespace http = boost::beast::http;

void bbb_api::create(call_ctx& c) const {
  if (auto err = net::validate_create(c.q))
    return answer_failed(c.respond, *err);
  const auto& env = *c.tenant->env;
  auto job = std::make_shared<create_job>();
  job->meeting_id = *c.q.get("meetingID");
  auto number = [&](const char* name, int64_t fallback, int64_t& out) -> bool {
    auto v = c.q.get(name);
    if (v == nullptr || v->empty()) {
      out = fallback;
      return true;
    }
    if (!net::is_digits(*v) || v->size() > 9)
      return false;
    auto n = std::stoll(*v);
    out = n == 0 ? fallback : n;
    return true;
  };
  if (!number("maxParticipants", env.default_max_participants,
              job->max_participants))
    return answer_failed(c.respond, "validationError",
                         "Parameter 'maxParticipants' must be a "
                         "non-negative integer.");
  if (!number("duration", env.default_duration_minutes, job->duration_minutes))
    return answer_failed(c.respond, "validationError",
                         "Parameter 'duration' must be a non-negative "
                         "integer (minutes).");
  if (auto d = c.q.get("duration"); d && !d->empty())
    job->client_duration = *d;
  // Without the parameter the tenant's setting decides (console, admin
  // API: default_chat_texts).
  job->only_client_texts = !env.cfg.default_chat_texts;
  if (auto t = c.q.get("deactivateBbbserverDefaultChatTexts");
      t && !t->empty()) {
    if (!net::is_bbb_boolean(*t))
      return answer_failed(c.respond, "validationError",
                           "Parameter 'deactivateBbbserverDefaultChatTexts' "
                           "must be true or false.");
    job->only_client_texts = net::is_true(*t);
  }
  job->q = std::move(c.q);
  job->body = std::move(c.req.body());
  job->content_type = std::string{c.req[http::field::content_type]};
  job->shard = static_cast<int>(c.shard->index);
  // Runs on the thread that knows the outcome (the tenant actor's, or the
  // store's after the commit); the responder posts to the session.
  job->reply = [respond = std::move(c.respond)](create_result&& r) {
    respond(net::xml_response(render_create(r)));
  };
  caf::anon_send(c.tenant->actor(), atom::create_v, std::move(job));
}

} // namespace gw::api
