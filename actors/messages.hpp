#pragma once

#include <caf/error.hpp>
#include <caf/make_message.hpp>
#include <caf/meta/type_name.hpp>
#include <caf/type_id.hpp>

#include "core/ec.hpp"
#include "core/hook.hpp"
#include "core/meeting.hpp"
#include "core/node.hpp"
#include "core/recording.hpp"
#include "core/relay.hpp"
#include "core/usage.hpp"

// Everything the actors exchange: the domain types' inspect overloads (so
// they can cross to another instance later), the one type-ID block with
// every atom, and core's error codes as CAF errors.

namespace gw {

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, meeting_row& x) {
  return f(caf::meta::type_name("meeting_row"), x.tenant, x.meeting_id,
           x.node_id, x.node_meeting_id, x.internal_id, x.create_time,
           x.first_create_time, x.booked_at, x.create_date, x.name,
           x.attendee_pw, x.moderator_pw, x.voice_bridge, x.dial_number,
           x.max_participants, x.duration_minutes, x.client_duration, x.record,
           x.metadata, x.callback_nonce, x.client_end_callback);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, create_call& x) {
  return f(caf::meta::type_name("create_call"), x.query, x.body, x.content_type,
           x.found);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, create_intent& x) {
  return f(caf::meta::type_name("create_intent"), x.tenant, x.meeting_id,
           x.node_id, x.node_meeting_id, x.max_participants, x.duration_minutes,
           x.client_duration, x.callback_nonce, x.created_at, x.call);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, tenant_meetings& x) {
  return f(caf::meta::type_name("tenant_meetings"), x.rows, x.intents);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, playback_format& x) {
  return f(caf::meta::type_name("playback_format"), x.type, x.url,
           x.processing_time, x.length, x.size, x.preview_xml);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, recording& x) {
  return f(caf::meta::type_name("recording"), x.tenant, x.record_id,
           x.meeting_id, x.internal_meeting_id, x.node_id, x.name, x.state,
           x.published, x.is_breakout, x.start_time, x.end_time, x.participants,
           x.raw_size, x.size, x.metadata, x.breakout_xml, x.breakout_rooms_xml,
           x.formats);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, relay_job& x) {
  return f(caf::meta::type_name("relay_job"), x.id, x.url, x.post, x.body,
           x.content_type, x.headers, x.what, x.tenant, x.created_ms, x.dest);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, hook& x) {
  return f(caf::meta::type_name("hook"), x.id, x.tenant, x.callback_url,
           x.meeting_id, x.event_ids, x.raw, x.created_ms);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, node_spec& x) {
  return f(caf::meta::type_name("node_spec"), x.id, x.url, x.secret, x.capacity,
           x.overcommit, x.state);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, node_load& x) {
  return f(caf::meta::type_name("node_load"), x.id, x.capacity, x.overcommit,
           x.committed, x.meetings, x.state, x.online);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, tenant_stats& x) {
  return f(caf::meta::type_name("tenant_stats"), x.connections, x.committed,
           x.meetings, x.lapsed, x.lapsed_connections, x.preemptions,
           x.failovers);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, usage_event& x) {
  return f(caf::meta::type_name("usage_event"), x.tenant, x.kind, x.at_ms,
           x.value);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, create_probe& x) {
  return f(caf::meta::type_name("create_probe"), x.verdict, x.preempt);
}

/// Turns a CAF error into a core failure (an error of ours keeps its code
/// and message; anything else, such as a dead actor, is `unavailable`).
failure failure_of(const caf::error& err);

/// Makes a CAF error of a core failure.
caf::error make_error(const failure& f);

} // namespace gw

// The one type-ID block of bbbgate: every atom the actors exchange.
CAF_BEGIN_TYPE_ID_BLOCK(gw, caf::first_custom_type_id)

  // -- tenant actor ------------------------------------------------------
  CAF_ADD_ATOM(gw, gw::atom, create, "create")
  CAF_ADD_ATOM(gw, gw::atom, answer, "answer")
  CAF_ADD_ATOM(gw, gw::atom, ended, "ended")
  CAF_ADD_ATOM(gw, gw::atom, lapse, "lapse")
  CAF_ADD_ATOM(gw, gw::atom, stats, "stats")
  CAF_ADD_ATOM(gw, gw::atom, vanished, "vanished")
  CAF_ADD_ATOM(gw, gw::atom, flush, "flush")
  CAF_ADD_ATOM(gw, gw::atom, unsaved, "unsaved")
  CAF_ADD_ATOM(gw, gw::atom, strangers, "strangers")
  CAF_ADD_ATOM(gw, gw::atom, expire, "expire")
  CAF_ADD_ATOM(gw, gw::atom, adopt, "adopt")

  // -- node and fleet actors ---------------------------------------------
  CAF_ADD_ATOM(gw, gw::atom, commit, "commit")
  CAF_ADD_ATOM(gw, gw::atom, release, "release")
  CAF_ADD_ATOM(gw, gw::atom, load, "load")
  CAF_ADD_ATOM(gw, gw::atom, place, "place")
  CAF_ADD_ATOM(gw, gw::atom, nodes, "nodes")
  CAF_ADD_ATOM(gw, gw::atom, lookup, "lookup")
  CAF_ADD_ATOM(gw, gw::atom, tick, "tick")
  CAF_ADD_ATOM(gw, gw::atom, polled, "polled")
  CAF_ADD_ATOM(gw, gw::atom, add, "add")
  CAF_ADD_ATOM(gw, gw::atom, update, "update")
  CAF_ADD_ATOM(gw, gw::atom, remove, "remove")
  CAF_ADD_ATOM(gw, gw::atom, confirm, "confirm")
  CAF_ADD_ATOM(gw, gw::atom, refresh, "refresh")

  // -- store actor -------------------------------------------------------
  CAF_ADD_ATOM(gw, gw::atom, put, "put")
  CAF_ADD_ATOM(gw, gw::atom, erase, "erase")
  CAF_ADD_ATOM(gw, gw::atom, fetch, "fetch")
  CAF_ADD_ATOM(gw, gw::atom, meetings, "meetings")
  CAF_ADD_ATOM(gw, gw::atom, intend, "intend")
  CAF_ADD_ATOM(gw, gw::atom, unintend, "unintend")
  CAF_ADD_ATOM(gw, gw::atom, recordings, "recordings")

  // -- recordings actor --------------------------------------------------
  CAF_ADD_ATOM(gw, gw::atom, synced, "synced")
  CAF_ADD_ATOM(gw, gw::atom, sync, "sync")
  CAF_ADD_ATOM(gw, gw::atom, ready, "ready")
  CAF_ADD_ATOM(gw, gw::atom, found, "found")
  CAF_ADD_ATOM(gw, gw::atom, parse, "parse")

  // -- relay actor -------------------------------------------------------
  CAF_ADD_ATOM(gw, gw::atom, relay, "relay")
  CAF_ADD_ATOM(gw, gw::atom, delivered, "delivered")
  CAF_ADD_ATOM(gw, gw::atom, retry, "retry")

  // -- hooks actor -------------------------------------------------------
  CAF_ADD_ATOM(gw, gw::atom, hook, "hook")
  CAF_ADD_ATOM(gw, gw::atom, hooks, "hooks")
  CAF_ADD_ATOM(gw, gw::atom, event, "event")
  CAF_ADD_ATOM(gw, gw::atom, destroy, "destroy")

  // -- tenants supervisor ------------------------------------------------
  CAF_ADD_ATOM(gw, gw::atom, restart, "restart")
  CAF_ADD_ATOM(gw, gw::atom, tenant, "tenant")
  CAF_ADD_ATOM(gw, gw::atom, tenants, "tenants")
  CAF_ADD_ATOM(gw, gw::atom, end_all, "end_all")
  CAF_ADD_ATOM(gw, gw::atom, usage, "usage")
  CAF_ADD_ATOM(gw, gw::atom, probe, "probe")
  // -- password actor ----------------------------------------------------
  CAF_ADD_ATOM(gw, gw::atom, hash, "hash")
  CAF_ADD_ATOM(gw, gw::atom, verify, "verify")

CAF_END_TYPE_ID_BLOCK(gw)

CAF_ERROR_CODE_ENUM(gw::ec, "gw")
