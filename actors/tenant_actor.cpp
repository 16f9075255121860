#include "actors/tenant_actor.hpp"

#include <chrono>

#include <caf/send.hpp>
#include <spdlog/spdlog.h>

#include "net/bbb_params.hpp"
#include "net/checksum.hpp"
#include "net/meeting_xml.hpp"

namespace gw {

namespace {

using self_ptr = tenant_actor::stateful_pointer<tenant_actor_state>;

constexpr auto node_checksum = net::checksum_algo::sha256;
/// Requests to the fleet, node and store actors carry no timeout: they are
/// local actors that always answer (a dead one answers with an error), and
/// a timeout would put three clock entries per create into CAF's clock
/// thread (measured: 12 us of clock work per create, and a burst of expired
/// timeouts 10 s after a load peak). The store answers when the write is
/// durable, however long the disk takes: never SUCCESS before that.
constexpr auto ask_timeout = caf::infinite;

int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
           std::chrono::system_clock::now().time_since_epoch())
    .count();
}

std::string meeting_key(const tenant_env& env, const std::string& id) {
  return env.cfg.id + "/" + id;
}

std::string join_texts(const std::string& platform, const std::string* own) {
  std::string mine = own ? *own : std::string{};
  if (platform.empty())
    return mine;
  if (mine.empty())
    return platform;
  return platform + "<br><br>" + mine;
}

/// Answers with a BBB error document.
void fail_with(const net::responder& respond, std::string_view key,
               std::string_view message) {
  respond(net::xml_response(net::failed_xml(key, message)));
}

/// Answers a job with a BBB error document.
void fail(const create_job& job, std::string_view key,
          std::string_view message) {
  fail_with(job.respond, key, message);
}

/// The node's answer as the client must see it: its own meetingID and
/// duration.
std::string client_view(std::string body, const create_job& job) {
  body = net::rewrite_meeting_id(std::move(body), job.node_meeting_id,
                                 job.meeting_id);
  // A duplicate answers with the running meeting's data, as BBB does.
  return net::replace_element(std::move(body), "duration",
                              job.existing ? job.existing->client_duration
                                           : job.client_duration);
}

/// Calls the wrapped function once: with the commit's outcome, or with
/// false when destroyed uncalled (the store stopped with the write queued
/// or in its mailbox), so a creator always gets an answer.
class once_hook {
public:
  explicit once_hook(std::function<void(bool)> fn) : fn_(std::move(fn)) {}
  ~once_hook() {
    if (fn_)
      fn_(false);
  }
  once_hook(const once_hook&) = delete;
  once_hook& operator=(const once_hook&) = delete;

  void operator()(bool saved) {
    auto fn = std::move(fn_);
    fn_ = nullptr;
    if (fn)
      fn(saved);
  }

private:
  std::function<void(bool)> fn_;
};

/// Publishes the snapshot now (after a create: read-after-write): the
/// last one with the changes since applied.
void publish(self_ptr self) {
  auto& st = self->state;
  st.dirty = false;
  tenant_view_builder next{*st.env->view->load()};
  for (const auto& [old, row] : st.changes)
    if (row)
      next.put(row, old);
    else
      next.remove(old);
  st.changes.clear();
  st.env->view->store(next.build());
}

/// Puts `row` in place of the meeting with its ID (published later).
void set_row(self_ptr self, std::shared_ptr<const meeting_row> row) {
  auto& st = self->state;
  std::shared_ptr<const meeting_row> old;
  if (auto it = st.meetings.find(row->meeting_id); it != st.meetings.end()) {
    old = it->second;
    st.meetings.erase(it);
  }
  st.meetings.emplace(row->meeting_id, row);
  st.changes.emplace_back(std::move(old), std::move(row));
}

/// Keeps one lapse timer set for the earliest booking end. One timer per
/// meeting cost 15 us of a create (CAF's clock: a lock, a wake-up of its
/// thread) and held an entry for every meeting created within a duration.
void arm_lapse_timer(self_ptr self) {
  auto& st = self->state;
  auto next = st.book.next_end();
  if (!next || (!st.lapse_timers.empty() && *st.lapse_timers.begin() <= *next))
    return;
  auto delay = std::max<int64_t>(0, *next - wall_ms());
  self->delayed_send(self, std::chrono::milliseconds(delay), atom::lapse_v,
                     *next);
  st.lapse_timers.insert(*next);
}

int64_t booking_end(const tenant_env& env, int64_t booked_at, int64_t minutes) {
  return booked_at
         + static_cast<int64_t>(static_cast<double>(minutes) * env.minute_ms);
}

/// Forgets a meeting: its booking, its node commitment, its row.
void forget(self_ptr self, const std::string& id) {
  auto& st = self->state;
  st.book.release(id);
  auto it = st.meetings.find(id);
  if (it == st.meetings.end())
    return;
  auto row = it->second;
  st.meetings.erase(it);
  st.changes.emplace_back(row, nullptr);
  self->send(st.env->fleet, atom::release_v, row->node_id,
             meeting_key(*st.env, id));
  self->send(st.env->store, atom::erase_v, st.env->cfg.id, id);
  // Removals are published once per batch (a node that lost all its
  // meetings reports them together): the flush is queued behind them.
  if (!st.dirty) {
    st.dirty = true;
    self->send(self, atom::flush_v);
  }
}

/// Ends a meeting on its node, then forgets it (`why` goes to the log).
void end_and_forget(self_ptr self, const std::string& id, net::io_shard* shard,
                    std::string_view why) {
  auto& st = self->state;
  auto it = st.meetings.find(id);
  if (it == st.meetings.end())
    return;
  auto row = it->second;
  spdlog::info("tenant {}: ending meeting {} on {} ({})", st.env->cfg.id, id,
               row->node_id, why);
  auto env = st.env;
  // The row keeps the node's id; its URL and secret live in the fleet.
  self->request(env->fleet, ask_timeout, atom::lookup_v, row->node_id)
    .then(
      [env, row, shard](const placement& found) {
        for (const auto& ref : *found) {
          node_request req;
          req.target =
            ref.info->api_path + "end?"
            + net::sign_query(
              "end", "meetingID=" + net::percent_encode(row->node_meeting_id),
              ref.info->secret, node_checksum);
          env->call_node(shard, ref.info, std::move(req),
                         [id = row->meeting_id](net::client_response&& r) {
                           if (r.ec || r.status != 200)
                             spdlog::warn("meeting {}: end call failed", id);
                         });
        }
      },
      [id](caf::error&) {
        spdlog::warn("meeting {}: no node list to end it", id);
      });
  forget(self, id);
}

/// Ends a lapsed meeting on its node to make room, then forgets it.
void preempt(self_ptr self, const std::string& id, net::io_shard* shard) {
  end_and_forget(self, id, shard, "lapsed, making room");
}

void wake_waiters(self_ptr self, const std::string& id) {
  auto it = self->state.waiting.find(id);
  if (it == self->state.waiting.end())
    return;
  auto jobs = std::move(it->second);
  self->state.waiting.erase(it);
  for (auto& job : jobs)
    self->send(self, atom::create_v, job);
}

void send_create(self_ptr self, const create_job_ptr& job, node_ref ref) {
  const auto& env = *self->state.env;
  node_request req;
  req.target =
    ref.info->api_path + "create?" + node_create_query(*job, env, *ref.info);
  if (!job->body.empty()) {
    req.post = true;
    req.body = job->body;
    req.content_type =
      job->content_type.empty() ? "application/xml" : job->content_type;
  }
  auto handle = caf::actor_cast<tenant_actor>(self);
  env.call_node(job->shard, ref.info, std::move(req),
                [handle, job, ref](net::client_response&& res) {
                  auto out = std::make_shared<node_outcome>();
                  out->job = job;
                  out->node = ref;
                  out->res = std::move(res);
                  caf::anon_send(handle, atom::answer_v, out);
                });
}

/// Gives up on a job: a new meeting's booking is released; a meeting that
/// was being moved keeps its booking (it still runs, somewhere).
void give_up(self_ptr self, const create_job_ptr& job, std::string_view key,
             std::string_view message) {
  if (!job->relocating)
    self->state.book.release(job->meeting_id);
  wake_waiters(self, job->meeting_id);
  if (job->on_placed)
    return job->on_placed(nullptr);
  fail(*job, key, message);
}

/// Tries the next candidate node: asks its actor to commit, then creates.
void try_next(self_ptr self, const create_job_ptr& job) {
  if (!job->candidates || job->next_candidate >= job->candidates->size())
    return give_up(self, job, "noServerAvailable",
                   "No server has room for this meeting.");
  auto ref = (*job->candidates)[job->next_candidate++];
  auto key = meeting_key(*self->state.env, job->meeting_id);
  self
    ->request(ref.actor, ask_timeout, atom::commit_v, key, job->node_meeting_id,
              job->max_participants)
    .then(
      [self, job, ref](bool accepted) {
        if (accepted)
          send_create(self, job, ref);
        else
          try_next(self, job);
      },
      [self, job](caf::error&) { try_next(self, job); });
}

void start_new(self_ptr self, const create_job_ptr& job) {
  auto& st = self->state;
  auto plan = st.book.reserve(job->max_participants);
  if (plan.result == ledger::verdict::exceeds_subscription)
    return fail(*job, "maxParticipantsExceedsSubscription",
                "maxParticipants (" + std::to_string(job->max_participants)
                  + ") exceeds the subscription of "
                  + std::to_string(st.book.connections()) + " connections.");
  if (plan.result == ledger::verdict::not_enough)
    return fail(*job, "notEnoughConnections",
                "Not enough free connections for "
                  + std::to_string(job->max_participants) + " participants ("
                  + std::to_string(st.book.connections() - st.book.committed())
                  + " free).");
  for (const auto& id : plan.preempt)
    preempt(self, id, job->shard);
  st.book.book(job->meeting_id, job->max_participants);
  st.waiting[job->meeting_id];
  job->callback_nonce = net::random_hex(16);
  self
    ->request(st.env->fleet, ask_timeout, atom::place_v, job->max_participants)
    .then(
      [self, job](const placement& candidates) {
        job->candidates = candidates;
        try_next(self, job);
      },
      [self, job](caf::error&) {
        give_up(self, job, "noServerAvailable", "No server is available.");
      });
}

/// Moves a meeting whose node is unusable to another node, re-creating it
/// from the stored create call; its booking moves with it.
void relocate(self_ptr self, const create_job_ptr& job,
              std::shared_ptr<const meeting_row> row) {
  auto& st = self->state;
  spdlog::warn("tenant {}: node {} of meeting {} is unusable, re-creating it "
               "elsewhere",
               st.env->cfg.id, row->node_id, row->meeting_id);
  job->relocating = row;
  job->existing = nullptr;
  job->node_meeting_id = row->node_meeting_id;
  job->max_participants = row->max_participants;
  job->duration_minutes = row->duration_minutes;
  job->client_duration = row->client_duration;
  job->callback_nonce = row->callback_nonce;
  st.waiting[row->meeting_id];
  // The create call lives in the store only (memory holds what routing
  // needs); fetch it, then place the meeting anew.
  self
    ->request(st.env->store, ask_timeout, atom::fetch_v, st.env->cfg.id,
              row->meeting_id)
    .then(
      [self, job](const create_call& call) {
        if (!call.found)
          return give_up(self, job, "internalError",
                         "The meeting's create call is not stored.");
        job->q = net::query::parse(call.query).value_or(net::query{});
        auto t = job->q.get("deactivateBbbserverDefaultChatTexts");
        job->only_client_texts = t && net::is_true(*t);
        job->body = call.body;
        job->content_type = call.content_type;
        self
          ->request(self->state.env->fleet, ask_timeout, atom::place_v,
                    job->max_participants)
          .then(
            [self, job](const placement& candidates) {
              job->candidates = candidates;
              try_next(self, job);
            },
            [self, job](caf::error&) {
              give_up(self, job, "noServerAvailable",
                      "No server is available.");
            });
      },
      [self, job](caf::error&) {
        give_up(self, job, "internalError",
                "The meeting's create call could not be read.");
      });
}

void forward_duplicate(self_ptr self, const create_job_ptr& job,
                       std::shared_ptr<const meeting_row> row) {
  job->existing = row;
  job->node_meeting_id = row->node_meeting_id;
  auto env = self->state.env;
  self->request(env->fleet, ask_timeout, atom::lookup_v, row->node_id)
    .then(
      [self, job](const placement& found) {
        for (const auto& ref : *found)
          return send_create(self, job, ref);
        fail(*job, "serverUnavailable",
             "The server for this meeting is disabled/offline.");
      },
      [job](caf::error&) {
        fail(*job, "serverUnavailable",
             "The server for this meeting is disabled/offline.");
      });
}

void on_answer(self_ptr self, const node_outcome_ptr& out) {
  auto& st = self->state;
  const auto& job = out->job;
  const auto& res = out->res;
  bool usable = !res.ec && res.status == 200 && net::is_bbb_response(res.body);
  auto key = meeting_key(*st.env, job->meeting_id);
  if (job->existing) {
    if (!usable)
      return fail(*job, "internalError", "Unable to access meeting on server.");
    return job->respond(net::xml_response(client_view(res.body, *job)));
  }
  if (!usable) {
    spdlog::warn("tenant {}: node {} gave no usable answer to create {} ({})",
                 st.env->cfg.id, out->node.info->id, job->meeting_id,
                 res.ec ? res.ec.message()
                        : "HTTP " + std::to_string(res.status));
    self->send(out->node.actor, atom::release_v, key);
    return try_next(self, job);
  }
  if (net::element_text(res.body, "returncode") != "SUCCESS") {
    self->send(out->node.actor, atom::release_v, key);
    if (job->relocating)
      return try_next(self, job);
    self->state.book.release(job->meeting_id);
    wake_waiters(self, job->meeting_id);
    return job->respond(net::xml_response(client_view(res.body, *job)));
  }
  auto row = std::make_shared<meeting_row>();
  row->tenant = st.env->cfg.id;
  row->meeting_id = job->meeting_id;
  row->node_id = out->node.info->id;
  row->node_meeting_id = job->node_meeting_id;
  row->internal_id = net::element_text(res.body, "internalMeetingID");
  auto ct = net::element_text(res.body, "createTime");
  row->create_time = net::is_digits(ct) ? std::stoll(ct) : 0;
  row->booked_at = job->relocating ? job->relocating->booked_at : wall_ms();
  row->create_date = net::element_text(res.body, "createDate");
  auto name = job->q.get("name");
  row->name = job->relocating ? job->relocating->name
                              : net::sanitize(name ? *name : std::string{});
  row->attendee_pw = net::element_text(res.body, "attendeePW");
  row->moderator_pw = net::element_text(res.body, "moderatorPW");
  row->voice_bridge = net::element_text(res.body, "voiceBridge");
  row->dial_number = net::element_text(res.body, "dialNumber");
  row->max_participants = job->max_participants;
  row->duration_minutes = job->duration_minutes;
  row->client_duration = job->client_duration;
  auto rec = job->q.get("record");
  row->record = rec && net::is_true(*rec);
  for (const auto& p : job->q.params()) {
    if (p.name.rfind("meta_", 0) != 0
        || !net::is_valid_meta_name(p.name.substr(5)))
      continue;
    auto k = net::ascii_lower(p.name.substr(5));
    bool seen = false;
    for (const auto& kv : row->metadata)
      seen = seen || kv.first == k;
    if (!seen)
      row->metadata.emplace_back(k, p.value);
  }
  create_call call;
  call.query = job->q.rewrite({"checksum"}, {});
  call.body = job->body;
  call.content_type = job->content_type;
  call.found = true;
  row->callback_nonce = job->callback_nonce;
  for (const auto& p : job->q.params())
    if (net::ascii_lower(p.name) == "meta_endcallbackurl") {
      row->client_end_callback = p.value;
      break;
    }
  // The meeting runs on the node now: it is booked, routed and published
  // at once, as BBB shows a meeting before its creator hears SUCCESS. The
  // creator hears SUCCESS only once the row is committed: the store calls
  // the hook, which answers from the store's thread (one hand-off less
  // than a reply through this actor).
  auto ends_at = booking_end(*st.env, row->booked_at, row->duration_minutes);
  st.book.confirm(row->meeting_id, row->create_time, ends_at);
  if (job->relocating)
    self->send(st.env->fleet, atom::release_v, job->relocating->node_id, key);
  set_row(self, row);
  publish(self);
  arm_lapse_timer(self);
  wake_waiters(self, row->meeting_id);
  saved_hook hook;
  if (job->on_placed) {
    // A join waits on a moved meeting: it runs on the new node, so the
    // join goes there now; a failed save only means the store still names
    // the old node (a restart would move the meeting again).
    job->on_placed(row);
    hook.fn = [id = row->meeting_id](bool saved) {
      if (!saved)
        spdlog::error("meeting {} moved but not saved", id);
    };
  } else {
    auto once = std::make_shared<once_hook>(
      [handle = caf::actor_cast<tenant_actor>(self), respond = job->respond,
       answer = client_view(res.body, *job), id = row->meeting_id,
       create_time = row->create_time](bool saved) {
        if (saved)
          return respond(net::xml_response(answer));
        caf::anon_send(handle, atom::unsaved_v, id, create_time);
        fail_with(respond, "internalError", "Unable to save the meeting.");
      });
    hook.fn = [once](bool saved) { (*once)(saved); };
  }
  self->send(st.env->store, atom::put_v, meeting_row{*row}, std::move(call),
             std::move(hook));
}

} // namespace

bool node_usable(const node_directory& nodes, const std::string& node_id) {
  auto it = nodes.find(node_id);
  if (it == nodes.end())
    return false;
  auto live = it->second->live->load();
  return live->online && live->state != config::node_state::disabled;
}

std::string tenant_prefix(const std::string& tenant_id) {
  return "t"
         + net::hex_digest(net::checksum_algo::sha1,
                           "bbbgate-tenant:" + tenant_id)
             .substr(0, 8)
         + "-";
}

std::string node_meeting_id(const std::string& prefix, const std::string& id) {
  if (net::utf8_length(prefix) + net::utf8_length(id) <= 256)
    return prefix + id;
  return prefix + "h" + net::hex_digest(net::checksum_algo::sha256, id);
}

std::string end_callback_url(const tenant_env& env, const std::string& id,
                             const std::string& nonce) {
  return env.public_url
         + "/_gw/callback/end?t=" + net::percent_encode(env.cfg.id)
         + "&m=" + net::percent_encode(id) + "&n=" + nonce;
}

std::string node_create_query(const create_job& job, const tenant_env& env,
                              const node_info& node) {
  std::vector<std::string> drop{"checksum",
                                "deactivateBbbserverDefaultChatTexts"};
  // BBB keeps one end callback per meeting: the gateway's, which relays to
  // the client's own afterwards.
  for (const auto& p : job.q.params())
    if (net::ascii_lower(p.name) == "meta_endcallbackurl")
      drop.push_back(p.name);
  std::vector<std::pair<std::string, std::string>> replace{
    {"meetingID", job.node_meeting_id},
    {"maxParticipants", std::to_string(job.max_participants)},
    {"duration", "0"}};
  if (!job.callback_nonce.empty())
    replace.emplace_back(
      "meta_endCallbackUrl",
      end_callback_url(env, job.meeting_id, job.callback_nonce));
  if (!job.only_client_texts) {
    auto welcome = join_texts(env.texts.welcome, job.q.get("welcome"));
    if (!welcome.empty())
      replace.emplace_back("welcome", welcome);
    auto mod =
      join_texts(env.texts.moderator_only, job.q.get("moderatorOnlyMessage"));
    if (!mod.empty())
      replace.emplace_back("moderatorOnlyMessage", mod);
  }
  auto qs = job.q.rewrite(drop, replace);
  return net::sign_query("create", qs, node.secret, node_checksum);
}

tenant_actor::behavior_type
tenant(tenant_actor::stateful_pointer<tenant_actor_state> self,
       std::shared_ptr<const tenant_env> env, std::vector<meeting_row> rows) {
  auto& st = self->state;
  st.env = env;
  st.book = ledger{env->cfg.connections};
  auto now = wall_ms();
  for (auto& r : rows) {
    auto row = std::make_shared<const meeting_row>(std::move(r));
    auto ends_at = booking_end(*env, row->booked_at, row->duration_minutes);
    st.book.restore(row->meeting_id, row->max_participants, row->create_time,
                    ends_at, now);
    set_row(self, std::move(row));
  }
  arm_lapse_timer(self);
  publish(self);
  return {
    [self](atom::create, const create_job_ptr& job) {
      auto& s = self->state;
      job->node_meeting_id =
        node_meeting_id(s.env->node_prefix, job->meeting_id);
      // A create or move of this ID is under way: wait for its outcome.
      if (auto it = s.waiting.find(job->meeting_id); it != s.waiting.end())
        return it->second.push_back(job);
      auto it = s.meetings.find(job->meeting_id);
      if (job->join_failover) {
        if (it == s.meetings.end())
          return job->on_placed(nullptr);
        if (it->second->node_id != job->stale_node
            && node_usable(*s.env->nodes->load(), it->second->node_id))
          return job->on_placed(it->second); // already moved
        return relocate(self, job, it->second);
      }
      if (it != s.meetings.end()) {
        if (!node_usable(*s.env->nodes->load(), it->second->node_id))
          return relocate(self, job, it->second);
        return forward_duplicate(self, job, it->second);
      }
      start_new(self, job);
    },
    [self](atom::answer, const node_outcome_ptr& out) { on_answer(self, out); },
    [self](atom::ended, const std::string& id) { forget(self, id); },
    [self](atom::flush) {
      if (self->state.dirty)
        publish(self);
    },
    [self](atom::unsaved, const std::string& id, int64_t create_time) {
      // Its creator hears internalError: the meeting is not the gateway's,
      // so it must not go on running on the node.
      auto& m = self->state.meetings;
      if (auto it = m.find(id);
          it != m.end() && it->second->create_time == create_time) {
        spdlog::error("tenant {}: meeting {} could not be saved",
                      self->state.env->cfg.id, id);
        end_and_forget(self, id, nullptr, "not saved, its creator was told");
      }
    },
    [self](atom::vanished, const std::string& id, const std::string& node) {
      auto& m = self->state.meetings;
      if (auto it = m.find(id); it != m.end() && it->second->node_id == node)
        forget(self, id);
    },
    [self](atom::lapse, int64_t at) {
      auto& s = self->state;
      s.lapse_timers.erase(at);
      if (auto n = s.book.lapse_until(at); n > 0)
        spdlog::debug("tenant {}: {} meeting(s) lapsed", s.env->cfg.id, n);
      arm_lapse_timer(self);
    },
    [self](atom::stats) {
      const auto& b = self->state.book;
      tenant_stats s;
      s.connections = b.connections();
      s.committed = b.committed();
      s.meetings = static_cast<int64_t>(b.size());
      s.lapsed = static_cast<int64_t>(b.lapsed_count());
      return s;
    },
  };
}

} // namespace gw
