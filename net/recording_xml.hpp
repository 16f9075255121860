#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/node_call.hpp"
#include "core/recording.hpp"

namespace gw::net {

/// Renders a getRecordings answer from the index: BBB's element order
/// (../shared/docs/bbb-api.md 3.8), the client's IDs and metadata, the
/// `noRecordings` shape when the page is empty, `totalElements` when the
/// client asked for a page (`paged`).
std::string render_recordings(const recording_page& page, bool paged);

/// A node's getRecordings answer, read.
struct node_recordings {
  /// A BBB SUCCESS document arrived.
  bool ok = false;
  /// Why not, for the log.
  std::string problem;
  /// As the node shows them: `meeting_id` is the node's meetingID and the
  /// metadata is all of it (the caller maps both to a tenant's).
  std::vector<recording> recordings;
  /// The node's `totalElements` (-1: it sent none, an older BBB).
  int64_t total = -1;
  /// The list is the node's whole list: what it lacks is gone from the
  /// node (false when pages shifted while they were read).
  bool complete = true;
};

/// Reads a node's answer to getRecordings.
node_recordings read_node_recordings(const node_response& res);

} // namespace gw::net
