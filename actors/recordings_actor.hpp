#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <caf/stateful_actor.hpp>
#include <caf/typed_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/interfaces.hpp"
#include "actors/relay_actor.hpp"
#include "core/recording.hpp"
#include "core/snapshot_slot.hpp"
#include "net/recording_xml.hpp"

namespace gw {

/// Recordings to read again from their nodes (after a recording-ready
/// callback, or a publish/update/delete the nodes acknowledged): the index
/// takes what the nodes show for these IDs, then the relays are handed to
/// the relay actor and `done` runs once they are in its outbox (it may
/// only post or send).
struct recordings_fetch {
  std::map<std::string, std::vector<std::string>> ids_by_node;
  std::vector<relay_job_ptr> relays;
  std::function<void()> done;
};

/// A fetch on its way to the recordings actor (local only).
using recordings_fetch_ptr = std::shared_ptr<const recordings_fetch>;

/// What the index last took from one page of a node's list: the page
/// body's SHA-256 (all but its `totalElements`) and the record IDs on it.
/// A page that comes back the same is neither parsed nor compared again (a
/// reconciliation of an unchanged node costs its reads and a hash per
/// page).
struct page_memo {
  std::string fingerprint;
  /// The record IDs on the page (every one, a tenant's or not).
  std::vector<std::string> record_ids;
};

/// One page of a node's recording list as it arrived, to be read off the
/// io threads (a page of 100 takes about a millisecond to parse), then
/// handed on.
struct node_page {
  std::string node;
  int64_t offset = 0;
  node_response res;
  std::function<void(node_page&)> then;
  /// How long to wait after parsing before handing it on (pacing).
  std::chrono::milliseconds pause{0};
  /// What the index took from this page last time (set by the recordings
  /// actor; empty fingerprint: nothing).
  std::string known_fingerprint;
  std::size_t known_count = 0;
  /// Set by the parser: the page's fingerprint, and whether it is the
  /// known one (then `parsed` holds no recordings, only the node's total).
  std::string fingerprint;
  bool unchanged = false;
  std::optional<net::node_recordings> parsed;
};

/// A page on its way to the recordings actor (local only).
using node_page_ptr = std::shared_ptr<node_page>;

/// One page of a reconciliation as the list holds it: its offset and
/// fingerprint, and its recordings `[first, first + count)` in the list
/// (none when unchanged: the index's memo of the page names them).
struct page_mark {
  int64_t offset = 0;
  std::string fingerprint;
  std::size_t first = 0;
  std::size_t count = 0;
  bool unchanged = false;
};

/// A node's list as a reconciliation read it (local only; the recordings
/// actor takes the recordings out of it).
struct node_sync {
  net::node_recordings list;
  /// The pages it was read in (none: read at once, nothing to remember).
  std::vector<page_mark> pages;
};
using node_sync_ptr = std::shared_ptr<node_sync>;

/// Where a tenant's recordings index is published (local only).
using recording_slot_ptr = std::shared_ptr<snapshot_slot<recording_index>>;

/// What the recordings actor serves (immutable, shared).
struct recordings_env {
  /// The tenants at start: ids by the prefix of their meeting IDs on the
  /// nodes (more come and go by messages).
  std::unordered_map<std::string, std::string> tenant_by_prefix;
  /// Where each tenant's index is published (the API reads it).
  std::unordered_map<std::string, recording_slot_ptr> slots;
  /// Metadata values starting with this are the gateway's own (its
  /// callback URLs): never shown to a client.
  std::string own_url_prefix;
  store_actor store;
  /// Nodes by id and how to call them (for fetches).
  std::shared_ptr<snapshot_slot<node_directory>> nodes;
  node_caller call_node;
  /// Where relays go once their recording is indexed.
  relay_actor relay;
  /// Pages are parsed on a thread of their own at a lower priority (false:
  /// on the scheduler like any actor, as deterministic tests need).
  bool parser_thread = true;
};

/// The RECORDINGS actor: owns the recordings index of every tenant. One
/// for the fleet, because it is fed per node (a node's reconciliation
/// covers every tenant at once) and no tenant decision depends on it;
/// getRecordings reads each tenant's published snapshot without a message
/// (docs/recordings.md).
using recordings_actor = caf::typed_actor<
  // Node `node` answered getRecordings (every state) with SUCCESS: what it
  // holds for the tenants is put in the index, and what the index had on
  // it and it no longer shows leaves.
  caf::reacts_to<atom::synced, std::string, node_sync_ptr>,
  // Reads the given recordings again from their nodes (see
  // recordings_fetch).
  caf::reacts_to<atom::refresh, recordings_fetch_ptr>,
  // Parses a page of a reconciliation (see node_page), on the recordings
  // parser's thread.
  caf::reacts_to<atom::parse, node_page_ptr>,
  // Node `node` answered a fetch of batch `b` for `ids`.
  caf::reacts_to<atom::found, int64_t, std::string, std::vector<std::string>,
                 node_sync_ptr>,
  // Returns how many recordings the index holds (all tenants).
  caf::replies_to<atom::stats>::with<int64_t>,
  // Tenant `id` (node prefix `p`) is served from now on; its index is
  // published in the slot.
  caf::reacts_to<atom::add, std::string, std::string, recording_slot_ptr>,
  // Tenant `id` was removed: its recordings are no longer served (their
  // rows stay, as the recordings stay on the nodes).
  caf::reacts_to<atom::remove, std::string>>;

struct recordings_state {
  std::shared_ptr<const recordings_env> env;
  /// The tenants served now (from the env, then the supervisor's
  /// messages).
  std::unordered_map<std::string, std::string> tenant_by_prefix;
  std::unordered_map<std::string, recording_slot_ptr> slots;
  /// By tenant, then record ID.
  std::unordered_map<std::string,
                     std::map<std::string, std::shared_ptr<const recording>>>
    index;
  /// Fetches waiting for node answers: the fetch and how many are due.
  std::map<int64_t, std::pair<recordings_fetch_ptr, int>> fetches;
  int64_t next_fetch = 1;
  /// By node, then offset: what the index took from each page of the
  /// node's last reconciliation (forgotten when anything else changes the
  /// node's recordings or the tenants change).
  std::unordered_map<std::string, std::map<int64_t, page_memo>> pages;
  /// Parses the reconciliations' pages (actors/recordings_parser.hpp).
  caf::typed_actor<caf::reacts_to<atom::parse, node_page_ptr>> parser;

  static inline const char* name = "gw.recordings";
};

/// Spawns the recordings actor with the index restored from the store.
recordings_actor::behavior_type
recordings(recordings_actor::stateful_pointer<recordings_state> self,
           std::shared_ptr<const recordings_env> env,
           std::vector<recording> restored);

} // namespace gw

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(gw::recordings_fetch_ptr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(gw::node_page_ptr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(gw::node_sync_ptr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(gw::recording_slot_ptr)
