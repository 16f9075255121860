#include "core/recording.hpp"

#include <algorithm>
#include <array>

namespace gw {

bool same_recording(const recording& a, const recording& b) {
  auto same_formats = [](const playback_format& x, const playback_format& y) {
    return x.type == y.type && x.url == y.url
           && x.processing_time == y.processing_time && x.length == y.length
           && x.size == y.size && x.preview_xml == y.preview_xml;
  };
  return a.tenant == b.tenant && a.record_id == b.record_id
         && a.meeting_id == b.meeting_id
         && a.internal_meeting_id == b.internal_meeting_id
         && a.node_id == b.node_id && a.name == b.name && a.state == b.state
         && a.published == b.published && a.is_breakout == b.is_breakout
         && a.start_time == b.start_time && a.end_time == b.end_time
         && a.participants == b.participants && a.raw_size == b.raw_size
         && a.size == b.size && a.metadata == b.metadata
         && a.breakout_xml == b.breakout_xml
         && a.breakout_rooms_xml == b.breakout_rooms_xml
         && std::equal(a.formats.begin(), a.formats.end(), b.formats.begin(),
                       b.formats.end(), same_formats);
}

bool meta_matches(std::string_view pattern, std::string_view value) {
  bool head = pattern.size() >= 1 && pattern.front() == '%';
  bool tail = pattern.size() >= 2 && pattern.back() == '%';
  if (head && tail)
    return value.find(pattern.substr(1, pattern.size() - 2))
           != std::string_view::npos;
  if (head) {
    auto s = pattern.substr(1);
    return value.size() >= s.size()
           && value.substr(value.size() - s.size()) == s;
  }
  if (pattern.size() >= 1 && pattern.back() == '%') {
    auto s = pattern.substr(0, pattern.size() - 1);
    return value.substr(0, s.size()) == s;
  }
  return pattern == value;
}

namespace {

/// The names of the state codes, in their order (all but `other`).
constexpr std::array<std::string_view, 5> state_names{
  "processing", "processed", "published", "unpublished", "deleted"};

} // namespace

state_code code_of(std::string_view state) {
  for (std::size_t i = 0; i < state_names.size(); ++i)
    if (state == state_names[i])
      return static_cast<state_code>(i);
  return state_code::other;
}

namespace {

bool state_wanted(std::string_view state,
                  const std::vector<std::string>& states) {
  if (states.empty())
    return state == "published" || state == "unpublished";
  for (const auto& s : states)
    if (s == "any" || s == state)
      return true;
  return false;
}

} // namespace

bool matches(const recording& r, const recording_query& q) {
  if (!q.record_ids.empty()) {
    bool hit = std::any_of(
      q.record_ids.begin(), q.record_ids.end(), [&](const std::string& p) {
        return !p.empty() && r.record_id.compare(0, p.size(), p) == 0;
      });
    if (!hit)
      return false;
  } else if (!q.meeting_ids.empty()) {
    if (std::find(q.meeting_ids.begin(), q.meeting_ids.end(), r.meeting_id)
        == q.meeting_ids.end())
      return false;
  }
  if (!state_wanted(r.state, q.states))
    return false;
  for (const auto& filter : q.meta) {
    auto it =
      std::find_if(r.metadata.begin(), r.metadata.end(),
                   [&](const auto& kv) { return kv.first == filter.first; });
    if (it == r.metadata.end() || !meta_matches(filter.second, it->second))
      return false;
  }
  return true;
}

recording_page select_recordings(const std::vector<const recording*>& all,
                                 const recording_query& q) {
  recording_page page;
  int64_t offset = q.offset.value_or(0);
  int64_t limit = q.limit.value_or(-1);
  for (const auto* r : all) {
    if (!matches(*r, q))
      continue;
    auto index = page.total++;
    if (index >= offset && (limit < 0 || index < offset + limit))
      page.shown.push_back(r);
  }
  return page;
}

namespace {

/// The page of a query with no IDs and no meta filters: only the states
/// are looked at, in the index's compact array, so counting every match
/// does not touch each recording.
recording_page select_by_state(const recording_index& idx,
                               const recording_query& q) {
  std::array<bool, state_names.size()> wanted{};
  for (std::size_t i = 0; i < state_names.size(); ++i)
    wanted[i] = state_wanted(state_names[i], q.states);
  recording_page page;
  int64_t offset = q.offset.value_or(0);
  int64_t limit = q.limit.value_or(-1);
  for (std::size_t i = 0; i < idx.view.size(); ++i) {
    auto c = idx.states[i];
    if (c == state_code::other ? !state_wanted(idx.view[i]->state, q.states)
                               : !wanted[static_cast<std::size_t>(c)])
      continue;
    auto n = page.total++;
    if (n >= offset && (limit < 0 || n < offset + limit))
      page.shown.push_back(idx.view[i]);
  }
  return page;
}

bool index_order(const recording* a, const recording* b) {
  if (a->start_time != b->start_time)
    return a->start_time < b->start_time;
  return a->record_id < b->record_id;
}

} // namespace

void build_lookups(recording_index& idx) {
  idx.view.clear();
  idx.by_id.clear();
  idx.by_meeting.clear();
  idx.view.reserve(idx.items.size());
  idx.by_id.reserve(idx.items.size());
  for (const auto& r : idx.items) {
    idx.view.push_back(r.get());
    idx.by_id.emplace(r->record_id, r.get());
    idx.by_meeting[r->meeting_id].push_back(r.get());
  }
  idx.states.clear();
  idx.states.reserve(idx.view.size());
  for (const auto* r : idx.view)
    idx.states.push_back(code_of(r->state));
  idx.by_record_id = idx.view;
  std::sort(idx.by_record_id.begin(), idx.by_record_id.end(),
            [](const recording* a, const recording* b) {
              return a->record_id < b->record_id;
            });
}

recording_page select_recordings(const recording_index& idx,
                                 const recording_query& q) {
  if (q.record_ids.empty() && q.meeting_ids.empty()) {
    if (q.meta.empty() && idx.states.size() == idx.view.size())
      return select_by_state(idx, q);
    return select_recordings(idx.view, q);
  }
  // Only the recordings the IDs name, in index order, then the filters.
  std::vector<const recording*> candidates;
  if (!q.record_ids.empty()) {
    for (const auto& prefix : q.record_ids) {
      if (prefix.empty())
        continue;
      auto it =
        std::lower_bound(idx.by_record_id.begin(), idx.by_record_id.end(),
                         prefix, [](const recording* r, const std::string& p) {
                           return r->record_id < p;
                         });
      for (; it != idx.by_record_id.end()
             && (*it)->record_id.compare(0, prefix.size(), prefix) == 0;
           ++it)
        candidates.push_back(*it);
    }
  } else {
    for (const auto& id : q.meeting_ids) {
      auto it = idx.by_meeting.find(id);
      if (it != idx.by_meeting.end())
        candidates.insert(candidates.end(), it->second.begin(),
                          it->second.end());
    }
  }
  std::sort(candidates.begin(), candidates.end(), index_order);
  candidates.erase(std::unique(candidates.begin(), candidates.end()),
                   candidates.end());
  return select_recordings(candidates, q);
}

} // namespace gw
