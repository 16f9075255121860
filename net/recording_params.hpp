#pragma once

#include <string>
#include <vector>

#include "core/recording.hpp"
#include "net/query.hpp"

namespace gw::net {

/// Splits a recording call's ID list as bbb-web does: the value is
/// percent-decoded once more, then split on `,`; empty entries are dropped.
std::vector<std::string> split_id_list(const std::string* value);

/// Reads getRecordings' parameters: `meetingID` and `recordID` lists,
/// `state` list, `meta_*` filters (names lowercased), `offset` (>= 0) and
/// `limit` (1-100; only a limit: offset 0). Invalid numbers are ignored, as
/// bbb-web logs and ignores them.
recording_query parse_recording_query(const query& q);

} // namespace gw::net
