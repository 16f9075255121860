#include "net/recording_xml.hpp"

#include "net/bbb_params.hpp"
#include "net/xml.hpp"
#include "net/xml_reader.hpp"

namespace gw::net {

namespace {

void write_format(xml_writer& w, const playback_format& f) {
  w.open("format")
    .elem("type", f.type)
    .elem("url", f.url)
    .elem("processingTime", static_cast<long long>(f.processing_time))
    .elem("length", static_cast<long long>(f.length))
    .elem("size", static_cast<long long>(f.size));
  if (!f.preview_xml.empty())
    w.open("preview").raw(f.preview_xml).close("preview");
  w.close("format");
}

void write_recording(xml_writer& w, const recording& r) {
  w.open("recording")
    .elem("recordID", r.record_id)
    .elem("meetingID", r.meeting_id)
    .elem("internalMeetingID", r.internal_meeting_id)
    .elem("name", r.name)
    .elem("isBreakout", r.is_breakout)
    .elem("published", r.published)
    .elem("state", r.state)
    .elem("startTime", static_cast<long long>(r.start_time))
    .elem("endTime", static_cast<long long>(r.end_time))
    .elem("participants", static_cast<long long>(r.participants))
    .elem("rawSize", static_cast<long long>(r.raw_size))
    .open("metadata");
  for (const auto& [k, v] : r.metadata)
    w.elem(k, v);
  w.close("metadata");
  if (!r.breakout_xml.empty())
    w.open("breakout").raw(r.breakout_xml).close("breakout");
  if (!r.breakout_rooms_xml.empty())
    w.open("breakoutRooms").raw(r.breakout_rooms_xml).close("breakoutRooms");
  w.elem("size", static_cast<long long>(r.size)).open("playback");
  for (const auto& f : r.formats)
    write_format(w, f);
  w.close("playback").close("recording");
}

/// About the bytes write_recording() writes for `r` (tags and numbers at
/// their usual sizes), so the answer is built without growing.
std::size_t expected_bytes(const recording& r) {
  std::size_t n = 420 + 2 * r.record_id.size() + r.meeting_id.size()
                  + r.name.size() + r.breakout_xml.size()
                  + r.breakout_rooms_xml.size();
  for (const auto& [k, v] : r.metadata)
    n += 5 + 2 * k.size() + v.size();
  for (const auto& f : r.formats)
    n += 180 + f.type.size() + f.url.size() + f.preview_xml.size();
  return n;
}

int64_t number(const xml_node& parent, std::string_view name) {
  auto t = child_text(parent, name);
  return is_digits(t) && !t.empty() && t.size() < 19 ? std::stoll(t) : 0;
}

} // namespace

std::string render_recordings(const recording_page& page, bool paged) {
  std::size_t expected = 200;
  for (const auto* r : page.shown)
    expected += expected_bytes(*r);
  xml_writer w{expected};
  w.open("response").elem("returncode", std::string_view{"SUCCESS"});
  if (page.shown.empty()) {
    // BBB's documented shape, whatever was asked.
    w.open("recordings").close("recordings");
    w.elem("messageKey", std::string_view{"noRecordings"})
      .elem("message",
            std::string_view{"There are no recordings for the meeting(s)."});
    return w.close("response").take();
  }
  w.open("recordings");
  for (const auto* r : page.shown)
    write_recording(w, *r);
  w.close("recordings");
  if (paged)
    w.elem("totalElements", static_cast<long long>(page.total));
  return w.close("response").take();
}

node_recordings read_node_recordings(const node_response& res) {
  node_recordings out;
  if (!res.error.empty()) {
    out.problem = res.error;
    return out;
  }
  auto doc = res.status == 200 ? bbb_answer::parse(res.body) : nullptr;
  if (!doc) {
    out.problem = "HTTP " + std::to_string(res.status) + ", no BBB document";
    return out;
  }
  if (doc->text("returncode") != "SUCCESS") {
    out.problem = "FAILED " + doc->text("messageKey");
    return out;
  }
  out.ok = true;
  auto total = doc->text("totalElements");
  if (is_digits(total) && !total.empty() && total.size() < 19)
    out.total = std::stoll(total);
  const auto* list = child(doc->root(), "recordings");
  if (list == nullptr)
    return out;
  for_each_child(*list, "recording", [&](const xml_node& n) {
    recording r;
    r.record_id = child_text(n, "recordID");
    r.meeting_id = child_text(n, "meetingID");
    r.internal_meeting_id = child_text(n, "internalMeetingID");
    r.name = child_text(n, "name");
    r.is_breakout = child_text(n, "isBreakout") == "true";
    r.published = child_text(n, "published") == "true";
    r.state = child_text(n, "state");
    if (r.state.empty())
      r.state = r.published ? "published" : "unpublished";
    r.start_time = number(n, "startTime");
    r.end_time = number(n, "endTime");
    r.participants = number(n, "participants");
    r.raw_size = number(n, "rawSize");
    r.size = number(n, "size");
    if (const auto* md = child(n, "metadata"))
      for (auto* m = md->first_node(); m != nullptr; m = m->next_sibling())
        if (m->type() == rapidxml::node_element)
          r.metadata.emplace_back(
            std::string(m->name(), m->name_size()),
            child_text(*md, std::string_view(m->name(), m->name_size())));
    if (const auto* b = child(n, "breakout"))
      r.breakout_xml = inner_xml(*b);
    if (const auto* b = child(n, "breakoutRooms"))
      r.breakout_rooms_xml = inner_xml(*b);
    if (const auto* pb = child(n, "playback"))
      for_each_child(*pb, "format", [&](const xml_node& f) {
        playback_format p;
        p.type = child_text(f, "type");
        p.url = child_text(f, "url");
        p.processing_time = number(f, "processingTime");
        p.length = number(f, "length");
        p.size = number(f, "size");
        if (const auto* pv = child(f, "preview"))
          p.preview_xml = inner_xml(*pv);
        r.formats.push_back(std::move(p));
      });
    if (!r.record_id.empty())
      out.recordings.push_back(std::move(r));
  });
  return out;
}

} // namespace gw::net
