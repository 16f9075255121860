#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace gw {

/// One playback format of a recording (`<playback><format>`), as its node
/// reported it.
struct playback_format {
  std::string type;
  std::string url;
  int64_t processing_time = 0;
  /// Minutes.
  int64_t length = 0;
  int64_t size = 0;
  /// The format's `<preview>` children as XML (escaped), when it has some.
  std::string preview_xml;
};

/// One recording of a tenant's meeting, as the recordings index holds it:
/// everything getRecordings answers, in the client's IDs, with the node
/// that holds it (docs/recordings.md).
struct recording {
  std::string tenant;
  /// The node's record ID (`<internalMeetingID of the session>-<time>`).
  std::string record_id;
  /// The client's meetingID (without the tenant's prefix).
  std::string meeting_id;
  std::string internal_meeting_id;
  std::string node_id;
  std::string name;
  /// processing, processed, published, unpublished or deleted.
  std::string state;
  bool published = false;
  bool is_breakout = false;
  int64_t start_time = 0;
  int64_t end_time = 0;
  int64_t participants = 0;
  int64_t raw_size = 0;
  int64_t size = 0;
  /// The client's metadata (lowercased names, in order), without the
  /// gateway's own keys.
  std::vector<std::pair<std::string, std::string>> metadata;
  /// `<breakout>` and `<breakoutRooms>` children as XML, when present.
  std::string breakout_xml;
  std::string breakout_rooms_xml;
  std::vector<playback_format> formats;
};

/// True when `a` and `b` hold the same values (the index writes a
/// recording only when a node shows it changed).
bool same_recording(const recording& a, const recording& b);

/// A recording's state as one byte: the index's scans compare these, not
/// the strings in each recording (a page of all recordings counts every
/// match for totalElements).
enum class state_code : std::uint8_t {
  processing,
  processed,
  published,
  unpublished,
  deleted,
  /// Any other text (compared as text).
  other,
};

state_code code_of(std::string_view state);

/// One tenant's recordings as the API reads them: an immutable snapshot,
/// ordered by start time then record ID.
struct recording_index {
  std::vector<std::shared_ptr<const recording>> items;
  /// The same, as the plain pointers select_recordings takes.
  std::vector<const recording*> view;
  /// The same by record ID (keys view the recordings' own strings).
  std::unordered_map<std::string_view, const recording*> by_id;
  /// The same by the client's meetingID (each list in index order).
  std::unordered_map<std::string_view, std::vector<const recording*>>
    by_meeting;
  /// The same ordered by record ID (recordID prefixes are ranges).
  std::vector<const recording*> by_record_id;
  /// Each recording's state, in view order.
  std::vector<state_code> states;
};

/// Fills an index's lookups (view, by_id, by_meeting, by_record_id, states)
/// from its items, which must already be in index order.
void build_lookups(recording_index& idx);

/// What a getRecordings asks for, parsed (net/recording_params builds it).
struct recording_query {
  /// Client meetingIDs (exact); ignored when record_ids is not empty.
  std::vector<std::string> meeting_ids;
  /// recordID prefixes.
  std::vector<std::string> record_ids;
  /// States asked for; empty: published and unpublished; "any": all.
  std::vector<std::string> states;
  /// meta_ filters: lowercased name, pattern (`%` wildcards at either end).
  std::vector<std::pair<std::string, std::string>> meta;
  /// Pagination (2.6+): both unset means all matches.
  std::optional<int64_t> offset;
  std::optional<int64_t> limit;
};

/// BBB's meta filter: `%x%` contains, `%x` ends with, `x%` starts with,
/// anything else equal.
bool meta_matches(std::string_view pattern, std::string_view value);

/// True when `r` passes every filter of `q` (IDs, state, metadata; not the
/// page).
bool matches(const recording& r, const recording_query& q);

/// One page of matches: those to show, and how many matched in all.
struct recording_page {
  std::vector<const recording*> shown;
  int64_t total = 0;
};

/// Filters `all` by `q` and cuts the page (`offset` from 0, `limit` 1-100;
/// only a limit: from 0), keeping their order.
recording_page select_recordings(const std::vector<const recording*>& all,
                                 const recording_query& q);

/// The same on an index: a query naming meetingIDs or recordIDs looks only
/// at those (by_meeting, by_record_id ranges), not at every recording.
recording_page select_recordings(const recording_index& idx,
                                 const recording_query& q);

} // namespace gw
