#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/replies_to.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/messages.hpp"
#include "core/meeting.hpp"
#include "core/node.hpp"
#include "core/node_call.hpp"
#include "core/snapshot_slot.hpp"
#include "core/tenant.hpp"
#include "core/usage.hpp"
#include "store/node_repo.hpp"
#include "store/tenant_repo.hpp"

namespace gw {

struct create_job;
struct node_outcome;
struct node_ref;

struct tenant_env;

/// A tenant actor's configuration (actors/tenant_actor.hpp; local only).
using tenant_env_ptr = std::shared_ptr<const tenant_env>;

/// A tenant's definition on its way to the store or its supervisor (local
/// only).
using tenant_spec_ptr = std::shared_ptr<const tenant_spec>;

/// A tenant's usage rows for a period, read by the store (local only).
struct usage_rows_read {
  std::vector<usage_meeting> meetings;
  std::vector<usage_event> events;
};
using usage_rows_ptr = std::shared_ptr<const usage_rows_read>;

/// A change to a tenant on its way to its supervisor (local only).
using tenant_patch_ptr = std::shared_ptr<const tenant_patch>;

/// A node's answer to a poll, parsed on the io thread (local only).
using poll_result_ptr = std::shared_ptr<const poll_result>;

/// A create call on its way through the tenant actor (local only).
using create_job_ptr = std::shared_ptr<create_job>;

/// A node's answer to a create the tenant actor sent (local only).
using node_outcome_ptr = std::shared_ptr<node_outcome>;

/// Nodes that can take a meeting, best first (local only).
using placement = std::shared_ptr<const std::vector<node_ref>>;

/// Called on the store's thread once a write is committed (true) or failed
/// (false); it may only send messages or post to io threads (local only).
struct saved_hook {
  std::function<void(bool)> fn;
};

/// Called once a node's live data is fresh (or cannot be had: the node is
/// offline or did not answer in time); it may only post or send (local
/// only).
struct live_waiter {
  std::function<void()> fn;
};

/// The NODE actor: owns one BBB node's committed connections.
using node_actor = caf::typed_actor<
  // Commits `n` connections for meeting key `k` (node meeting ID `nid`) if
  // they fit under capacity * overcommit and the node takes meetings.
  caf::replies_to<atom::commit, std::string, std::string, int64_t>::with<bool>,
  // Releases the connections of meeting key `k`.
  caf::reacts_to<atom::release, std::string>,
  // The node answered SUCCESS to the create of meeting key `k`: from now
  // on a poll that does not list it proves it gone.
  caf::reacts_to<atom::confirm, std::string>,
  // Calls the waiter once the published live data is no older than
  // `max_age_ms` (polling now if needed, one poll shared by all waiters).
  caf::reacts_to<atom::refresh, int64_t, live_waiter>,
  // Returns the node's load.
  caf::replies_to<atom::load>::with<node_load>,
  // Time to poll the node (sent by the actor to itself).
  caf::reacts_to<atom::tick>,
  // The answer to poll number `seq`.
  caf::reacts_to<atom::polled, int64_t, poll_result_ptr>,
  // A step of registering the gateway's webhook on the node (kind, detail:
  // actors/node_actor.cpp, node_hooks).
  caf::reacts_to<atom::hooks, int64_t, std::string>,
  // The operator changed state, capacity or overcommit.
  caf::reacts_to<atom::update, node_spec>,
  // Time to list the node's recordings for the index (to itself).
  caf::reacts_to<atom::sync>,
  // Its recordings reconciliation finished (whatever the outcome).
  caf::reacts_to<atom::synced>>;

/// The FLEET actor: knows every node and their last reported load.
using fleet_actor = caf::typed_actor<
  // Returns the nodes that could host `n` connections, least utilised first.
  caf::replies_to<atom::place, int64_t>::with<placement>,
  // A node reports its load.
  caf::reacts_to<atom::load, node_load>,
  // Forwards a release of meeting key `k` to node `id`.
  caf::reacts_to<atom::release, std::string, std::string>,
  // Returns the node with id `id` whatever its state (empty if unknown).
  caf::replies_to<atom::lookup, std::string>::with<placement>,
  // Returns every node's load.
  caf::replies_to<atom::nodes>::with<std::vector<node_load>>,
  // Adds a node (admin API); an invalid spec or a known id is an error
  // (ec::invalid_field, ec::already_exists).
  caf::replies_to<atom::add, node_spec>::with<bool>,
  // Changes state, capacity, overcommit of node `spec.id` (admin API);
  // fields left out (0, empty) keep their values.
  caf::replies_to<atom::update, node_spec>::with<bool>,
  // Removes node `id`; refuses one with meetings unless `force`
  // (ec::has_meetings), or an unknown one (ec::no_such_entity).
  caf::replies_to<atom::remove, std::string, bool>::with<bool>>;

/// The CHECKPOINT actor (detached): copies the SQLite write-ahead log into
/// the database on its own connection and thread, so no commit of the
/// store actor ever waits for a checkpoint.
using checkpoint_actor = caf::typed_actor<caf::reacts_to<atom::tick>>;

/// The STORE actor (detached): owns the SQLite database.
/// The operator's node and tenant definitions as stored, each with the
/// fingerprint of the config-file entry it came from (local only): what a
/// reload merges the file with.
struct stored_definitions {
  std::vector<store::stored_node> nodes;
  std::vector<store::stored_tenant> tenants;
};
using stored_definitions_ptr = std::shared_ptr<const stored_definitions>;

using store_actor = caf::typed_actor<
  // Persists a meeting and its create call; replies once it is committed.
  caf::replies_to<atom::put, meeting_row, create_call>::with<bool>,
  // The same, calling the hook once committed instead of replying (the
  // hook answers the client: one thread hand-off less on a create).
  caf::reacts_to<atom::put, meeting_row, create_call, saved_hook>,
  // Deletes the meeting (tenant, meetingID).
  caf::reacts_to<atom::erase, std::string, std::string>,
  // Returns the create call of meeting (tenant, meetingID).
  caf::replies_to<atom::fetch, std::string, std::string>::with<create_call>,
  // Returns every stored meeting and create intent of tenant `t` (a
  // restarted tenant actor restores from it; queued writes are committed
  // first).
  caf::replies_to<atom::meetings, std::string>::with<tenant_meetings>,
  // Records a create intent before its node is asked; the hook hears
  // whether it was committed.
  caf::reacts_to<atom::intend, create_intent, saved_hook>,
  // Removes the intent of meeting (tenant, meetingID): its create failed
  // (a successful one's row removes it in the same transaction).
  caf::reacts_to<atom::unintend, std::string, std::string>,
  // Writes changes to the recordings index: recordings put, then
  // recordings removed (by tenant and record ID).
  caf::reacts_to<atom::recordings, std::vector<recording>,
                 std::vector<recording>>,
  // Writes the outbox: relays put, then relays (by id) removed; replies
  // once committed (group-committed with other writes).
  caf::replies_to<atom::relay, std::vector<relay_job>,
                  std::vector<int64_t>>::with<bool>,
  // Up to `limit` pending relays to destination `dest` after id `after`.
  caf::replies_to<atom::relay, atom::load, std::string, int64_t,
                  int64_t>::with<std::vector<relay_job>>,
  // Persists a client's webhook; removes one by id.
  caf::replies_to<atom::hook, atom::put, hook>::with<bool>,
  caf::replies_to<atom::hook, atom::remove, std::string>::with<bool>,
  // Persists a tenant as the operator set it.
  caf::replies_to<atom::tenant, atom::put, tenant_spec_ptr>::with<bool>,
  // Marks tenant `id` removed.
  caf::replies_to<atom::tenant, atom::remove, std::string>::with<bool>,
  // Appends usage events (preemptions, refused creates, participants).
  caf::reacts_to<atom::usage, std::vector<usage_event>>,
  // Returns tenant `t`'s usage rows for [from_ms, to_ms).
  caf::replies_to<atom::usage, std::string, int64_t,
                  int64_t>::with<usage_rows_ptr>,
  // Forgets usage rows older than `before_ms` (the retention).
  caf::reacts_to<atom::usage, atom::remove, int64_t>,
  // Forgets usage rows older than `retention_ms` now and every day after
  // (the store sends it to itself).
  caf::reacts_to<atom::usage, atom::tick, int64_t>,
  // Persists a node as the operator set it.
  caf::replies_to<atom::put, node_spec>::with<bool>,
  // Marks node `id` removed.
  caf::replies_to<atom::remove, std::string>::with<bool>,
  // Returns every stored node and tenant definition.
  caf::replies_to<atom::load, atom::nodes,
                  atom::tenants>::with<stored_definitions_ptr>,
  // Writes these definitions as they are (with their fingerprints).
  caf::replies_to<atom::put, stored_definitions_ptr>::with<bool>,
  // Commits the queued meeting writes (sent by the store to itself).
  caf::reacts_to<atom::flush>>;

/// The TENANT actor: owns one customer's meetings and connection ledger.
using tenant_actor = caf::typed_actor<
  // A validated create call; answered through the job's responder.
  caf::reacts_to<atom::create, create_job_ptr>,
  // A node answered a create this actor sent.
  caf::reacts_to<atom::answer, node_outcome_ptr>,
  // The meeting (by client meetingID) has ended: release it.
  caf::reacts_to<atom::ended, std::string>,
  // Node `node` no longer reports meeting `id`: release it if it still
  // lives there.
  caf::reacts_to<atom::vanished, std::string, std::string>,
  // Publishes the meetings snapshot after a batch of removals (to self).
  caf::reacts_to<atom::flush>,
  // The store could not save meeting `id` created at `create_time`.
  caf::reacts_to<atom::unsaved, std::string, int64_t>,
  // The lapse timer set for time `t` (ms): bookings ending by then lapse.
  caf::reacts_to<atom::lapse, int64_t>,
  // The store committed (true) or failed to record the create intent of a
  // job about to be sent to `out->node` (`out->res` unused).
  caf::reacts_to<atom::intend, node_outcome_ptr, bool>,
  // Node `node` runs these meetings with this tenant's prefix that it has
  // no confirmed commitment for (sent after each poll).
  caf::reacts_to<atom::strangers, std::string, std::vector<std::string>>,
  // A node's getMeetingInfo answer for a meeting a recorded create left
  // there: adopted when it runs.
  caf::reacts_to<atom::adopt, node_outcome_ptr>,
  // The grace of a restored create intent (meetingID, recorded at) is over.
  caf::reacts_to<atom::expire, std::string, int64_t>,
  // Returns the ledger's totals.
  caf::replies_to<atom::stats>::with<tenant_stats>,
  // The tenant's definition changed (admin API, console): applies to the
  // next call; a smaller subscription ends nothing.
  caf::reacts_to<atom::update, tenant_env_ptr>,
  // What a create of `n` connections would do now (nothing changes).
  caf::replies_to<atom::probe, int64_t>::with<create_probe>,
  // Ends every meeting of the tenant on its node (a forced removal);
  // replies how many once the end calls are sent.
  caf::replies_to<atom::end_all>::with<int64_t>>;

/// Tenant actors (published once the tenants are spawned): by tenant id,
/// and by the prefix of their meeting IDs on the nodes (node actors find
/// the owner of a meeting they do not know by it).
struct tenant_registry {
  std::unordered_map<std::string, tenant_actor> by_id;
  std::unordered_map<std::string, tenant_actor> by_prefix;
  /// Tenant ids by prefix (usage accounting names the tenant).
  std::unordered_map<std::string, std::string> id_by_prefix;
};

/// A node's descriptor with the actor that owns its capacity.
struct node_ref {
  std::shared_ptr<const node_info> info;
  node_actor actor;
};

} // namespace gw

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(gw::create_job_ptr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(gw::node_outcome_ptr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(gw::placement)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(gw::poll_result_ptr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(gw::saved_hook)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(gw::live_waiter)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(gw::tenant_spec_ptr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(gw::usage_rows_ptr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(gw::tenant_env_ptr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(gw::tenant_patch_ptr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(gw::stored_definitions_ptr)
