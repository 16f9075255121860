#pragma once

#include <caf/typed_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/messages.hpp"
#include "actors/recordings_actor.hpp"

namespace gw {

/// The RECORDINGS PARSER: parses the pages of reconciliations (a node's
/// getRecordings, 100 recordings and about 130 KB a page) on a thread of
/// its own at a lower scheduling priority (nice 10), then hands each on
/// after the page's pause. Reconciliation is background work: under a
/// full CPU it yields to the io threads and to the actors serving API
/// calls instead of taking a scheduler worker from them for each page.
/// Spawned detached and linked by the recordings actor, which forwards its
/// `parse` messages here.
using recordings_parser_actor =
  caf::typed_actor<caf::reacts_to<atom::parse, node_page_ptr>>;

/// The nice value the parser's thread runs at.
constexpr int recordings_parser_nice = 10;

/// Reads a page: its fingerprint first (the SHA-256 of its body but for
/// `totalElements`, which any change elsewhere in the node's list moves);
/// the same as the one the index took last time (`known_fingerprint`):
/// `unchanged`, nothing parsed but the total; otherwise parsed. The body
/// is released either way.
void read_page(node_page& page);

/// `own_thread`: spawned detached, so its thread's priority is lowered.
recordings_parser_actor::behavior_type
recordings_parser(recordings_parser_actor::pointer self, bool own_thread);

} // namespace gw
