#include "actors/tenant_actor.hpp"

#include <chrono>

#include <caf/send.hpp>
#include <spdlog/spdlog.h>

#include "core/digest.hpp"
#include "net/bbb_params.hpp"
#include "net/callback_urls.hpp"
#include "net/log_limit.hpp"
#include "net/node_api.hpp"

namespace gw {

namespace {

using self_ptr = tenant_actor::stateful_pointer<tenant_actor_state>;

/// Requests to the fleet, node and store actors carry no timeout: they are
/// local actors that always answer (a dead one answers with an error), and
/// a timeout would put three clock entries per create into CAF's clock
/// thread (docs/performance.md). The store answers when the write is
/// durable, however long the disk takes: never SUCCESS before that.
constexpr auto ask_timeout = caf::infinite;

int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
           std::chrono::system_clock::now().time_since_epoch())
    .count();
}

std::string key_of(const tenant_env& env, const std::string& id) {
  return meeting_key(env.cfg.id, id);
}

/// Answers a job with a failure of the gateway's own.
void fail(create_job& job, ec code, std::string message) {
  job.answer(create_result::fail(code, std::move(message)));
}

/// The node's answer, with what the API layer needs to show it to the
/// client in the client's IDs (a duplicate shows the running meeting's
/// duration, as BBB does).
create_result node_result(std::string body, const create_job& job) {
  create_result r;
  r.node_answer = std::move(body);
  r.meeting_id = job.meeting_id;
  r.node_meeting_id = job.node_meeting_id;
  r.client_duration =
    job.existing ? job.existing->client_duration : job.client_duration;
  // A moved meeting shows the createTime its client was first told.
  if (const auto* first =
        job.existing ? job.existing.get() : job.relocating.get()) {
    r.shown_create_time = shown_create_time(*first);
    r.shown_create_date = first->create_date;
  }
  return r;
}

/// Publishes the snapshot now (after a create: read-after-write): the
/// last one with the changes since applied.
void publish(self_ptr self, bool from_scratch = false) {
  auto& st = self->state;
  st.dirty = false;
  // A (re)started actor owns nothing of what an earlier incarnation
  // published: its first snapshot replaces that one whole, in one store.
  tenant_view_builder next{from_scratch ? tenant_view{}
                                        : *st.env->view->load()};
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

/// Keeps one lapse timer set for the earliest booking end (one timer per
/// meeting cost each create a lock and a wake-up of CAF's clock thread, and
/// held an entry per meeting: docs/performance.md).
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
  self->send(st.env->fleet, atom::release_v, row->node_id, key_of(*st.env, id));
  self->send(st.env->store, atom::erase_v, st.env->cfg.id, id);
  // Removals are published once per batch (a node that lost all its
  // meetings reports them together): the flush is queued behind them.
  if (!st.dirty) {
    st.dirty = true;
    self->send(self, atom::flush_v);
  }
}

/// Ends a meeting on its node, then forgets it (`why` goes to the log).
void end_and_forget(self_ptr self, const std::string& id, int shard,
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
        for (const auto& ref : *found)
          env->call_node(
            shard, ref.info, net::end_request(*ref.info, row->node_meeting_id),
            [id = row->meeting_id](node_response&& r) {
              if (!r.error.empty() || r.status != 200)
                GW_LOG_LIMITED(warn, "meeting {}: end call failed", id);
            });
      },
      [id](caf::error&) {
        GW_LOG_LIMITED(warn, "meeting {}: no node list to end it", id);
      });
  forget(self, id);
}

/// Counts a usage event of this tenant now (usage accounting).
void count_usage(self_ptr self, std::string kind) {
  auto& st = self->state;
  self->send(
    st.env->store, atom::usage_v,
    std::vector<usage_event>{{st.env->cfg.id, std::move(kind), wall_ms(), 1}});
}

/// Ends a lapsed meeting on its node to make room, then forgets it.
void preempt(self_ptr self, const std::string& id, int shard) {
  ++self->state.preemptions;
  count_usage(self, std::string{usage_preemption});
  end_and_forget(self, id, shard, "lapsed, making room");
}

/// Counts a create the tenant refused (not a failed move or join).
void count_refusal(self_ptr self, const create_job& job, ec code) {
  if (job.join_failover || job.relocating)
    return;
  count_usage(self, std::string{usage_refused_prefix}
                      + std::string{message_key(code)});
}

/// Drops the create intent of meeting `id` (its create failed): from memory
/// and from the store.
void forget_intent(self_ptr self, const std::string& id) {
  auto& st = self->state;
  if (st.intents.erase(id) > 0)
    self->send(st.env->store, atom::unintend_v, st.env->cfg.id, id);
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
  net::create_forward f;
  f.q = &job->q;
  f.node_meeting_id = job->node_meeting_id;
  f.max_participants = job->max_participants;
  if (!job->callback_nonce.empty()) {
    std::string client_end;
    std::string client_analytics;
    net::metadata_list client_ready;
    for (const auto& p : job->q.params()) {
      if (p.value.empty())
        continue;
      if (net::ascii_lower(p.name) == "meta_endcallbackurl"
          && client_end.empty())
        client_end = p.value;
      if (net::is_analytics_param(p.name) && client_analytics.empty())
        client_analytics = p.value;
      if (!net::is_recording_ready_param(p.name))
        continue;
      auto key = net::ascii_lower(p.name.substr(5));
      bool seen = false;
      for (const auto& kv : client_ready)
        seen = seen || kv.first == key;
      if (!seen)
        client_ready.emplace_back(key, p.value);
    }
    f.end_callback_url =
      net::end_callback_url(env.public_url, env.cfg.id, job->meeting_id,
                            job->callback_nonce, client_end);
    f.recording_ready_url = net::recording_ready_url(
      env.public_url, env.cfg.id, job->meeting_id, client_ready);
    if (!client_analytics.empty())
      f.analytics_url = net::analytics_callback_url(
        env.public_url, env.cfg.id, job->meeting_id, client_analytics);
  }
  f.only_client_texts = job->only_client_texts;
  // A move keeps what the client was told: the new node must use the same
  // passwords (even generated ones the client never sent), voice bridge and
  // dial number.
  if (const auto& was = job->relocating)
    for (const auto& [name, value] :
         {std::pair<const char*, const std::string*>{"attendeePW",
                                                     &was->attendee_pw},
          {"moderatorPW", &was->moderator_pw},
          {"voiceBridge", &was->voice_bridge},
          {"dialNumber", &was->dial_number}})
      if (!value->empty())
        f.keep.emplace_back(name, *value);
  f.welcome = env.texts.welcome;
  f.moderator_only = env.texts.moderator_only;
  auto handle = caf::actor_cast<tenant_actor>(self);
  env.call_node(job->shard, ref.info,
                net::create_request(f, *ref.info, job->body, job->content_type),
                [handle, job, ref](node_response&& res) {
                  auto out = std::make_shared<node_outcome>();
                  out->job = job;
                  out->node = ref;
                  out->res = std::move(res);
                  caf::anon_send(handle, atom::answer_v, out);
                });
}

/// Gives up on a job: a new meeting's booking is released; a meeting that
/// was being moved keeps its booking (it still runs, somewhere).
void give_up(self_ptr self, const create_job_ptr& job, ec code,
             std::string message) {
  forget_intent(self, job->meeting_id);
  if (!job->relocating)
    self->state.book.release(job->meeting_id);
  wake_waiters(self, job->meeting_id);
  if (job->on_placed)
    return job->placed(nullptr);
  count_refusal(self, *job, code);
  fail(*job, code, std::move(message));
}

/// Records the create intent of `job` for node `ref` durably, then sends
/// the create (docs/hardening.md, "Crash recovery"): a gateway that dies
/// before it records the node's answer finds the intent on restart.
void record_intent(self_ptr self, const create_job_ptr& job,
                   const node_ref& ref) {
  auto& st = self->state;
  create_intent in;
  in.tenant = st.env->cfg.id;
  in.meeting_id = job->meeting_id;
  in.node_id = ref.info->id;
  in.node_meeting_id = job->node_meeting_id;
  in.max_participants = job->max_participants;
  in.duration_minutes = job->duration_minutes;
  in.client_duration = job->client_duration;
  in.callback_nonce = job->callback_nonce;
  in.created_at = wall_ms();
  in.call.query = job->q.rewrite({"checksum"}, {});
  in.call.body = job->body;
  in.call.content_type = job->content_type;
  in.call.found = true;
  st.intents[job->meeting_id] = pending_intent{in, false, false};
  auto out = std::make_shared<node_outcome>();
  out->job = job;
  out->node = ref;
  // Called once: with the commit's outcome, or with false when the hook is
  // destroyed uncalled (the store stopped with the write queued).
  auto once = std::make_shared<reply_once<bool>>(
    [handle = caf::actor_cast<tenant_actor>(self), out](bool&& saved) {
      caf::anon_send(handle, atom::intend_v, out, saved);
    },
    false);
  saved_hook hook;
  hook.fn = [once](bool saved) { (*once)(std::move(saved)); };
  self->send(st.env->store, atom::intend_v, std::move(in), std::move(hook));
}

/// Tries the next candidate node: asks its actor to commit, then creates.
void try_next(self_ptr self, const create_job_ptr& job) {
  if (!job->candidates || job->next_candidate >= job->candidates->size())
    return give_up(self, job, ec::no_server_available,
                   "No server has room for this meeting.");
  auto ref = (*job->candidates)[job->next_candidate++];
  auto key = key_of(*self->state.env, job->meeting_id);
  self
    ->request(ref.actor, ask_timeout, atom::commit_v, key, job->node_meeting_id,
              job->max_participants)
    .then(
      [self, job, ref](bool accepted) {
        if (accepted)
          record_intent(self, job, ref);
        else
          try_next(self, job);
      },
      [self, job](caf::error&) { try_next(self, job); });
}

void start_new(self_ptr self, const create_job_ptr& job) {
  auto& st = self->state;
  auto plan = st.book.reserve(job->max_participants);
  if (plan.result != ledger::verdict::ok)
    count_refusal(self, *job,
                  plan.result == ledger::verdict::exceeds_subscription
                    ? ec::max_participants_exceeds_subscription
                    : ec::not_enough_connections);
  if (plan.result == ledger::verdict::exceeds_subscription)
    return fail(*job, ec::max_participants_exceeds_subscription,
                "maxParticipants (" + std::to_string(job->max_participants)
                  + ") exceeds the subscription of "
                  + std::to_string(st.book.connections()) + " connections.");
  if (plan.result == ledger::verdict::not_enough)
    return fail(*job, ec::not_enough_connections,
                "Not enough free connections for "
                  + std::to_string(job->max_participants) + " participants ("
                  + std::to_string(st.book.connections() - st.book.committed())
                  + " free).");
  for (const auto& id : plan.preempt)
    preempt(self, id, job->shard);
  st.book.book(job->meeting_id, job->max_participants);
  st.waiting[job->meeting_id];
  job->callback_nonce = random_hex(16);
  self
    ->request(st.env->fleet, ask_timeout, atom::place_v, job->max_participants)
    .then(
      [self, job](const placement& candidates) {
        job->candidates = candidates;
        try_next(self, job);
      },
      [self, job](caf::error&) {
        give_up(self, job, ec::no_server_available, "No server is available.");
      });
}

/// Moves a meeting whose node is unusable to another node, re-creating it
/// from the stored create call; its booking moves with it.
void relocate(self_ptr self, const create_job_ptr& job,
              std::shared_ptr<const meeting_row> row) {
  auto& st = self->state;
  GW_LOG_LIMITED(warn,
                 "tenant {}: node {} of meeting {} is unusable, re-creating it "
                 "elsewhere",
                 st.env->cfg.id, row->node_id, row->meeting_id);
  ++st.failovers;
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
          return give_up(self, job, ec::internal_error,
                         "The meeting's create call is not stored.");
        job->q = net::query::parse(call.query).value_or(net::query{});
        auto t = job->q.get("deactivateBbbserverDefaultChatTexts");
        job->only_client_texts = t && !t->empty()
                                   ? net::is_true(*t)
                                   : !self->state.env->cfg.default_chat_texts;
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
              give_up(self, job, ec::no_server_available,
                      "No server is available.");
            });
      },
      [self, job](caf::error&) {
        give_up(self, job, ec::internal_error,
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
        fail(*job, ec::server_unavailable,
             std::string{default_message(ec::server_unavailable)});
      },
      [job](caf::error&) {
        fail(*job, ec::server_unavailable,
             std::string{default_message(ec::server_unavailable)});
      });
}

/// The row of a meeting a node just created for `job`.
std::shared_ptr<meeting_row> row_of(const tenant_env& env,
                                    const create_job& job,
                                    const net::create_answer& a,
                                    const std::string& node_id) {
  auto row = std::make_shared<meeting_row>();
  row->tenant = env.cfg.id;
  row->meeting_id = job.meeting_id;
  row->node_id = node_id;
  row->node_meeting_id = job.node_meeting_id;
  row->internal_id = a.internal_id;
  row->create_time = a.create_time;
  row->booked_at = job.relocating ? job.relocating->booked_at : wall_ms();
  row->create_date = a.create_date;
  if (job.relocating) {
    // The client keeps seeing the meeting it was told about.
    auto first = shown_create_time(*job.relocating);
    row->first_create_time = first != a.create_time ? first : 0;
    row->create_date = job.relocating->create_date;
  }
  auto name = job.q.get("name");
  row->name = job.relocating ? job.relocating->name
                             : net::sanitize(name ? *name : std::string{});
  row->attendee_pw = a.attendee_pw;
  row->moderator_pw = a.moderator_pw;
  row->voice_bridge = a.voice_bridge;
  row->dial_number = a.dial_number;
  row->max_participants = job.max_participants;
  row->duration_minutes = job.duration_minutes;
  row->client_duration = job.client_duration;
  auto rec = job.q.get("record");
  row->record = rec && net::is_true(*rec);
  for (const auto& p : job.q.params()) {
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
  row->callback_nonce = job.callback_nonce;
  for (const auto& p : job.q.params())
    if (net::ascii_lower(p.name) == "meta_endcallbackurl") {
      row->client_end_callback = p.value;
      break;
    }
  return row;
}

void commit_created(self_ptr self, const create_job_ptr& job,
                    const node_ref& node, const net::create_answer& a,
                    std::string body);

void on_answer(self_ptr self, const node_outcome_ptr& out) {
  auto& st = self->state;
  const auto& job = out->job;
  auto a = net::read_create_answer(out->res);
  auto key = key_of(*st.env, job->meeting_id);
  if (job->existing) {
    if (!a.usable)
      return fail(*job, ec::internal_error,
                  "Unable to access meeting on server.");
    return job->answer(node_result(std::move(out->res.body), *job));
  }
  if (!a.usable) {
    GW_LOG_LIMITED(
      warn, "tenant {}: node {} gave no usable answer to create {} ({})",
      st.env->cfg.id, out->node.info->id, job->meeting_id, a.problem);
    self->send(out->node.actor, atom::release_v, key);
    return try_next(self, job);
  }
  if (!a.success) {
    self->send(out->node.actor, atom::release_v, key);
    if (job->relocating)
      return try_next(self, job);
    forget_intent(self, job->meeting_id);
    self->state.book.release(job->meeting_id);
    wake_waiters(self, job->meeting_id);
    return job->answer(node_result(std::move(out->res.body), *job));
  }
  commit_created(self, job, out->node, a, std::move(out->res.body));
}

/// A node created the meeting of `job` (it answered the create, or a
/// restored intent's meeting was found there): book, route, publish, and
/// save it; its creator hears SUCCESS once the row is committed.
void commit_created(self_ptr self, const create_job_ptr& job,
                    const node_ref& node, const net::create_answer& a,
                    std::string body) {
  auto& st = self->state;
  auto key = key_of(*st.env, job->meeting_id);
  // The row's commit removes the intent from the store too.
  st.intents.erase(job->meeting_id);
  auto row = row_of(*st.env, *job, a, node.info->id);
  create_call call;
  call.query = job->q.rewrite({"checksum"}, {});
  call.body = job->body;
  call.content_type = job->content_type;
  call.found = true;
  // The meeting runs on the node now: it is booked, routed and published
  // at once, as BBB shows a meeting before its creator hears SUCCESS. The
  // creator hears SUCCESS only once the row is committed: the store calls
  // the hook, which answers from the store's thread (one hand-off less
  // than a reply through this actor).
  auto ends_at = booking_end(*st.env, row->booked_at, row->duration_minutes);
  st.book.confirm(row->meeting_id, row->create_time, ends_at);
  // The node has it: from now on a poll that does not list it proves it
  // gone (a create still on its way is never taken for gone).
  self->send(node.actor, atom::confirm_v, key);
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
    job->placed(row);
    hook.fn = [id = row->meeting_id](bool saved) {
      if (!saved)
        spdlog::error("meeting {} moved but not saved", id);
    };
  } else {
    // Called once: with the commit's outcome, or with false when the hook
    // is destroyed uncalled (the store stopped with the write queued).
    auto once = std::make_shared<reply_once<bool>>(
      [handle = caf::actor_cast<tenant_actor>(self), reply = job->take_reply(),
       answer = node_result(std::move(body), *job), id = row->meeting_id,
       create_time = row->create_time](bool&& saved) mutable {
        if (saved)
          return reply(std::move(answer));
        caf::anon_send(handle, atom::unsaved_v, id, create_time);
        reply(create_result::fail(ec::internal_error,
                                  "Unable to save the meeting."));
      },
      false);
    hook.fn = [once](bool saved) { (*once)(std::move(saved)); };
  }
  self->send(st.env->store, atom::put_v, meeting_row{*row}, std::move(call),
             std::move(hook));
}

// -- crash recovery (docs/hardening.md) -------------------------------------

/// Lets go of a restored intent whose meeting no node showed in time (or
/// that ended): its booking (unless it was a move: the meeting keeps its
/// own), its node commitment, its record; creates waiting for it go on.
void drop_restored(self_ptr self, const std::string& id, std::string_view why) {
  auto& st = self->state;
  auto it = st.intents.find(id);
  if (it == st.intents.end())
    return;
  auto in = std::move(it->second.intent);
  st.intents.erase(it);
  spdlog::info("tenant {}: create of {} on {} not found there ({}); its "
               "booking is released",
               st.env->cfg.id, id, in.node_id, why);
  auto row = st.meetings.find(id);
  if (row == st.meetings.end())
    st.book.release(id);
  self->send(st.env->fleet, atom::release_v, in.node_id, key_of(*st.env, id));
  self->send(st.env->store, atom::unintend_v, st.env->cfg.id, id);
  wake_waiters(self, id);
}

/// A restored intent's meeting runs on its node: read it there
/// (getMeetingInfo answers what a create answer does), then adopt it.
void adopt(self_ptr self, pending_intent& p) {
  p.adopting = true;
  const auto& in = p.intent;
  auto job = std::make_shared<create_job>();
  job->meeting_id = in.meeting_id;
  job->q = net::query::parse(in.call.query).value_or(net::query{});
  job->body = in.call.body;
  job->content_type = in.call.content_type;
  job->max_participants = in.max_participants;
  job->duration_minutes = in.duration_minutes;
  job->client_duration = in.client_duration;
  job->callback_nonce = in.callback_nonce;
  job->node_meeting_id = in.node_meeting_id;
  if (auto row = self->state.meetings.find(in.meeting_id);
      row != self->state.meetings.end())
    job->relocating = row->second; // a move the dead incarnation began
  // Nobody waits for this job's answer.
  job->on_placed = [](std::shared_ptr<const meeting_row>) {};
  auto env = self->state.env;
  auto handle = caf::actor_cast<tenant_actor>(self);
  self->request(env->fleet, ask_timeout, atom::lookup_v, in.node_id)
    .then(
      [self, env, handle, job](const placement& found) {
        if (found->empty()) {
          if (auto it = self->state.intents.find(job->meeting_id);
              it != self->state.intents.end())
            it->second.adopting = false;
          return;
        }
        auto ref = found->front();
        env->call_node(
          any_shard, ref.info,
          net::meeting_info_request(*ref.info, job->node_meeting_id),
          [handle, job, ref](node_response&& res) {
            auto out = std::make_shared<node_outcome>();
            out->job = job;
            out->node = ref;
            out->res = std::move(res);
            caf::anon_send(handle, atom::adopt_v, out);
          });
      },
      [self, id = in.meeting_id](caf::error&) {
        if (auto it = self->state.intents.find(id);
            it != self->state.intents.end())
          it->second.adopting = false;
      });
}

/// Returns true when `nid` on `node` is a meeting of this tenant's rows.
bool is_ours(const tenant_actor_state& st, const std::string& node,
             const std::string& nid) {
  const auto& prefix = st.env->node_prefix;
  if (nid.size() > prefix.size())
    if (auto it = st.meetings.find(std::string_view{nid}.substr(prefix.size()));
        it != st.meetings.end() && it->second->node_meeting_id == nid)
      return it->second->node_id == node;
  for (const auto& [id, row] : st.meetings) // hashed IDs (over 256 chars)
    if (row->node_meeting_id == nid)
      return row->node_id == node;
  return false;
}

/// A create under way or restored for `nid` on `node`, or null.
pending_intent* intent_for(tenant_actor_state& st, const std::string& node,
                           const std::string& nid) {
  for (auto& [id, p] : st.intents)
    if (p.intent.node_meeting_id == nid && p.intent.node_id == node)
      return &p;
  return nullptr;
}

/// Node `node` runs `ids` (this tenant's prefix) without a confirmed
/// commitment: adopt what a restored intent names, leave creates under way
/// alone, and end what nobody can reach once it has been seen for the
/// grace period.
void on_strangers(self_ptr self, const std::string& node,
                  const std::vector<std::string>& ids) {
  auto& st = self->state;
  auto now = self->clock().now();
  // Forget those this node no longer runs.
  for (auto it = st.strangers.lower_bound({node, std::string{}});
       it != st.strangers.end() && it->first.first == node;)
    it = std::find(ids.begin(), ids.end(), it->first.second) == ids.end()
           ? st.strangers.erase(it)
           : std::next(it);
  for (const auto& nid : ids) {
    if (is_ours(st, node, nid))
      continue; // its confirmation is on its way to the node actor
    if (auto* p = intent_for(st, node, nid)) {
      if (p->restored && !p->adopting)
        adopt(self, *p);
      continue;
    }
    auto [at, fresh] = st.strangers.try_emplace({node, nid}, now);
    if (fresh || now - at->second < st.env->orphan_grace)
      continue;
    st.strangers.erase({node, nid});
    spdlog::warn("tenant {}: node {} runs {}, a meeting nobody can reach "
                 "(no create was recorded for it there); ending it",
                 st.env->cfg.id, node, nid);
    auto env = st.env;
    self->request(env->fleet, ask_timeout, atom::lookup_v, node)
      .then(
        [env, nid](const placement& found) {
          for (const auto& ref : *found)
            env->call_node(any_shard, ref.info,
                           net::end_request(*ref.info, nid),
                           [nid](node_response&& r) {
                             if (!r.error.empty() || r.status != 200)
                               GW_LOG_LIMITED(warn, "ending {} failed", nid);
                           });
        },
        [](caf::error&) {});
  }
}

void on_adopt(self_ptr self, const node_outcome_ptr& out) {
  auto& st = self->state;
  const auto& id = out->job->meeting_id;
  auto it = st.intents.find(id);
  if (it == st.intents.end() || !it->second.adopting)
    return; // settled meanwhile
  auto a = net::read_create_answer(out->res);
  if (!a.usable) {
    it->second.adopting = false; // the next poll tries again
    return;
  }
  if (!a.success)
    return drop_restored(self, id, "it ended");
  spdlog::info("tenant {}: adopting {} on {}: its create was recorded, the "
               "node has it",
               st.env->cfg.id, id, out->node.info->id);
  commit_created(self, out->job, out->node, a, std::move(out->res.body));
}

} // namespace

tenant_actor::behavior_type
tenant(tenant_actor::stateful_pointer<tenant_actor_state> self,
       std::shared_ptr<const tenant_env> env, tenant_meetings stored) {
  auto& st = self->state;
  st.env = env;
  st.book = ledger{env->cfg.connections};
  auto now = wall_ms();
  for (auto& r : stored.rows) {
    auto row = std::make_shared<const meeting_row>(std::move(r));
    auto ends_at = booking_end(*env, row->booked_at, row->duration_minutes);
    st.book.restore(row->meeting_id, row->max_participants, row->create_time,
                    ends_at, now);
    set_row(self, std::move(row));
  }
  // Creates an earlier incarnation recorded and never finished: booked
  // (a move keeps its meeting's booking) until a poll finds their meeting
  // on their node (adopted) or the grace runs out (let go). Creates of the
  // same meetingID wait for the outcome.
  for (auto& in : stored.intents) {
    auto id = in.meeting_id;
    auto created_at = in.created_at;
    if (st.meetings.count(id) == 0)
      st.book.book(id, in.max_participants);
    st.waiting[id];
    st.intents[id] = pending_intent{std::move(in), true, false};
    self->delayed_send(self, env->intent_grace, atom::expire_v, id, created_at);
  }
  if (!stored.intents.empty())
    spdlog::info("tenant {}: {} create(s) were under way when it stopped; "
                 "looking for them on their nodes",
                 env->cfg.id, stored.intents.size());
  arm_lapse_timer(self);
  publish(self, true);
  // An exception in a handler ends this actor (and only this one): the
  // tenants supervisor restores it from the store, and every caller it
  // held hears internalError as their jobs are dropped.
  self->set_exception_handler([self](std::exception_ptr& eptr) -> caf::error {
    try {
      std::rethrow_exception(eptr);
    } catch (const std::exception& e) {
      spdlog::error("tenant {}: {}", self->state.env->cfg.id, e.what());
    } catch (...) {
      spdlog::error("tenant {}: unknown exception", self->state.env->cfg.id);
    }
    return caf::make_error(caf::exit_reason::unhandled_exception);
  });
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
          return job->placed(nullptr);
        if (it->second->node_id != job->stale_node
            && node_usable(*s.env->nodes->load(), it->second->node_id))
          return job->placed(it->second); // already moved
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
        end_and_forget(self, id, any_shard, "not saved, its creator was told");
      }
    },
    [self](atom::vanished, const std::string& id, const std::string& node) {
      auto& s = self->state;
      if (auto it = s.meetings.find(id);
          it != s.meetings.end() && it->second->node_id == node)
        return forget(self, id);
      // Not a meeting of ours on that node: a commitment left there by a
      // create this actor never booked (an earlier incarnation died with it
      // in flight) is freed; a create in flight keeps its own.
      if (s.waiting.count(id) == 0)
        self->send(s.env->fleet, atom::release_v, node, key_of(*s.env, id));
    },
    [self](atom::lapse, int64_t at) {
      auto& s = self->state;
      s.lapse_timers.erase(at);
      if (auto n = s.book.lapse_until(at); n > 0)
        spdlog::debug("tenant {}: {} meeting(s) lapsed", s.env->cfg.id, n);
      arm_lapse_timer(self);
    },
    [self](atom::intend, const node_outcome_ptr& out, bool saved) {
      auto& s = self->state;
      const auto& job = out->job;
      auto it = s.intents.find(job->meeting_id);
      if (it == s.intents.end()
          || it->second.intent.node_id != out->node.info->id)
        return; // settled meanwhile
      if (saved)
        return send_create(self, job, out->node);
      s.intents.erase(it);
      self->send(out->node.actor, atom::release_v,
                 key_of(*s.env, job->meeting_id));
      give_up(self, job, ec::internal_error,
              "The create could not be recorded.");
    },
    [self](atom::strangers, const std::string& node,
           const std::vector<std::string>& ids) {
      on_strangers(self, node, ids);
    },
    [self](atom::adopt, const node_outcome_ptr& out) { on_adopt(self, out); },
    [self](atom::expire, const std::string& id, int64_t created_at) {
      auto& s = self->state;
      auto it = s.intents.find(id);
      if (it != s.intents.end() && it->second.restored && !it->second.adopting
          && it->second.intent.created_at == created_at)
        drop_restored(self, id, "no poll of the node showed it in time");
    },
    [self](atom::update, const tenant_env_ptr& next) {
      auto& s = self->state;
      // The published view, store and fleet stay the same; what the
      // tenant set applies from the next call.
      s.env = next;
      s.book.set_connections(next->cfg.connections);
      spdlog::info("tenant {}: definition changed ({} connections)",
                   next->cfg.id, next->cfg.connections);
    },
    [self](atom::probe, int64_t n) {
      auto plan = self->state.book.reserve(n);
      create_probe out;
      switch (plan.result) {
      case ledger::verdict::ok:
        out.verdict = plan.preempt.empty() ? "fits" : "preempts";
        out.preempt = std::move(plan.preempt);
        break;
      case ledger::verdict::exceeds_subscription:
        out.verdict = "maxParticipantsExceedsSubscription";
        break;
      case ledger::verdict::not_enough:
        out.verdict = "notEnoughConnections";
        break;
      }
      return out;
    },
    [self](atom::end_all) -> int64_t {
      auto& s = self->state;
      std::vector<std::string> ids;
      for (const auto& [id, row] : s.meetings)
        ids.emplace_back(id);
      auto dir = s.env->nodes->load();
      for (const auto& id : ids) {
        auto row = s.meetings.find(id)->second;
        // The node's address from the published directory: the end calls
        // are on their way when this replies (the actor may stop next).
        if (auto n = dir->find(row->node_id); n != dir->end())
          s.env->call_node(any_shard, n->second,
                           net::end_request(*n->second, row->node_meeting_id),
                           [id](node_response&& r) {
                             if (!r.error.empty() || r.status != 200)
                               GW_LOG_LIMITED(
                                 warn, "meeting {}: end call failed", id);
                           });
        spdlog::info("tenant {}: ending meeting {} on {} (tenant removed)",
                     s.env->cfg.id, id, row->node_id);
        forget(self, id);
      }
      return static_cast<int64_t>(ids.size());
    },
    [self](atom::stats) {
      const auto& b = self->state.book;
      tenant_stats s;
      s.connections = b.connections();
      s.committed = b.committed();
      s.meetings = static_cast<int64_t>(b.size());
      s.lapsed = static_cast<int64_t>(b.lapsed_count());
      s.lapsed_connections = b.lapsed_connections();
      s.preemptions = self->state.preemptions;
      s.failovers = self->state.failovers;
      return s;
    },
  };
}

} // namespace gw
