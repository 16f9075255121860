#include "net/webhooks.hpp"

#include "net/callback_urls.hpp"
#include "net/query.hpp"
#include "net/xml.hpp"
#include "net/xml_reader.hpp"

namespace gw::net {

namespace {

using nlohmann::json;

const json* at_path(const json& doc, std::initializer_list<const char*> path) {
  const json* cur = &doc;
  for (const char* key : path) {
    if (!cur->is_object())
      return nullptr;
    auto it = cur->find(key);
    if (it == cur->end())
      return nullptr;
    cur = &*it;
  }
  return cur;
}

std::string string_at(const json& doc,
                      std::initializer_list<const char*> path) {
  const auto* v = at_path(doc, path);
  return v != nullptr && v->is_string() ? v->get<std::string>() : std::string{};
}

/// Gives a metadata object the client's own callback URLs back.
void restore_metadata(json& md, std::string_view own_prefix) {
  if (!md.is_object())
    return;
  metadata_list list;
  bool any = false;
  for (auto it = md.begin(); it != md.end(); ++it) {
    if (!it.value().is_string())
      continue;
    auto v = it.value().get<std::string>();
    any = any || v.compare(0, own_prefix.size(), own_prefix) == 0;
    list.emplace_back(it.key(), std::move(v));
  }
  if (!any)
    return;
  auto restored = client_metadata(list, own_prefix);
  json out = json::object();
  for (auto it = md.begin(); it != md.end(); ++it)
    if (!it.value().is_string())
      out[it.key()] = it.value();
  for (auto& [k, v] : restored)
    out[k] = v;
  md = std::move(out);
}

} // namespace

std::string form_urlencode(std::string_view in) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(in.size() + in.size() / 4);
  for (char ch : in) {
    auto c = static_cast<unsigned char>(ch);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
        || (c >= '0' && c <= '9') || c == '*' || c == '-' || c == '.'
        || c == '_') {
      out.push_back(static_cast<char>(c));
    } else if (c == ' ') {
      out.push_back('+');
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    }
  }
  return out;
}

std::string webhook_body(std::string_view domain, std::string_view events,
                         int64_t timestamp_ms) {
  return "domain=" + form_urlencode(domain) + "&event=" + form_urlencode(events)
         + "&timestamp=" + std::to_string(timestamp_ms);
}

std::string webhook_signed_url(const std::string& url, std::string_view body,
                               std::string_view secret, digest_algo algo) {
  auto sum = hex_digest(algo, url, body, secret);
  return url + (url.find('?') == std::string::npos ? "?" : "&")
         + "checksum=" + sum;
}

bool webhook_delivery_valid(std::string_view url, std::string_view checksum,
                            std::string_view authorization,
                            std::string_view body, std::string_view secret) {
  constexpr std::string_view bearer = "Bearer ";
  if (checksum.empty()) {
    if (authorization.substr(0, bearer.size()) != bearer)
      return false;
    return constant_time_equal(authorization.substr(bearer.size()), secret);
  }
  auto algo = algo_for_length(checksum.size());
  if (!algo)
    return false;
  return constant_time_equal(hex_digest(*algo, url, body, secret), checksum);
}

std::optional<std::vector<json>> read_webhook_events(std::string_view body) {
  auto form = query::parse(body);
  if (!form)
    return std::nullopt;
  const auto* text = form->get("event");
  if (text == nullptr)
    return std::nullopt;
  auto doc = json::parse(*text, nullptr, false);
  if (doc.is_discarded())
    return std::nullopt;
  std::vector<json> out;
  if (doc.is_array()) {
    for (auto& e : doc)
      if (e.is_object())
        out.push_back(std::move(e));
  } else if (doc.is_object()) {
    out.push_back(std::move(doc));
  } else {
    return std::nullopt;
  }
  return out;
}

std::optional<event_route> route_of(const json& event) {
  auto id = string_at(event, {"data", "id"});
  if (id.empty())
    return std::nullopt;
  event_route r;
  r.id = std::move(id);
  r.external_meeting_id =
    string_at(event, {"data", "attributes", "meeting", "external-meeting-id"});
  r.internal_meeting_id =
    string_at(event, {"data", "attributes", "meeting", "internal-meeting-id"});
  r.record_id = string_at(event, {"data", "attributes", "record-id"});
  return r;
}

namespace {

void replace_in(std::string& s, const std::string& from,
                const std::string& to) {
  for (auto pos = s.find(from); pos != std::string::npos;
       pos = s.find(from, pos + to.size()))
    s.replace(pos, from.size(), to);
}

} // namespace

void replace_in_strings(json& doc, const std::string& from,
                        const std::string& to) {
  if (from.empty())
    return;
  if (doc.is_string()) {
    replace_in(doc.get_ref<std::string&>(), from, to);
  } else if (doc.is_object()) {
    // Keys too (metadata keys are the client's own words, but nothing
    // node-side may remain anywhere).
    json out = json::object();
    for (auto it = doc.begin(); it != doc.end(); ++it) {
      auto key = it.key();
      replace_in(key, from, to);
      replace_in_strings(it.value(), from, to);
      out[key] = std::move(it.value());
    }
    doc = std::move(out);
  } else if (doc.is_array()) {
    for (auto& v : doc)
      replace_in_strings(v, from, to);
  }
}

void rewrite_event(json& event, const std::string& node_id,
                   const std::string& client_id, std::string_view own_prefix) {
  if (auto* attrs = event.contains("data") && event["data"].is_object()
                        && event["data"].contains("attributes")
                      ? &event["data"]["attributes"]
                      : nullptr;
      attrs != nullptr && attrs->is_object()) {
    if (attrs->contains("meeting") && (*attrs)["meeting"].is_object()
        && (*attrs)["meeting"].contains("metadata"))
      restore_metadata((*attrs)["meeting"]["metadata"], own_prefix);
    if (attrs->contains("recording") && (*attrs)["recording"].is_object()
        && (*attrs)["recording"].contains("metadata"))
      restore_metadata((*attrs)["recording"]["metadata"], own_prefix);
  }
  replace_in_strings(event, node_id, client_id);
}

std::string hooks_failure(std::string_view key, std::string_view message) {
  return failed_xml(key, message);
}

std::string hooks_checksum_error() {
  return hooks_failure("checksumError",
                       "You did not pass the checksum security check.");
}

std::string hooks_created(const hook& h) {
  xml_writer w;
  w.open("response")
    .elem("returncode", std::string_view{"SUCCESS"})
    .elem("hookID", std::string_view{h.id})
    .elem("permanentHook", false)
    .elem("rawData", h.raw)
    .close("response");
  return w.take();
}

std::string hooks_duplicate(const std::string& id) {
  xml_writer w;
  w.open("response")
    .elem("returncode", std::string_view{"SUCCESS"})
    .elem("hookID", std::string_view{id})
    .elem("messageKey", std::string_view{"duplicateWarning"})
    .elem("message",
          std::string_view{"There is already a hook for this callback URL."})
    .close("response");
  return w.take();
}

std::string hooks_destroyed() {
  return "<response><returncode>SUCCESS</returncode><removed>true</removed>"
         "</response>";
}

std::string hooks_list(const std::vector<hook>& hooks) {
  // CDATA as bbb-webhooks writes it; a "]]>" inside is split across two
  // sections so the text reads back unchanged.
  auto cdata = [](const std::string& s) {
    std::string out = "<![CDATA[";
    std::size_t from = 0;
    for (auto pos = s.find("]]>"); pos != std::string::npos;
         pos = s.find("]]>", from)) {
      out.append(s, from, pos + 2 - from);
      out += "]]><![CDATA[";
      from = pos + 2;
    }
    out.append(s, from, std::string::npos);
    return out + "]]>";
  };
  std::string out = "<response><returncode>SUCCESS</returncode><hooks>";
  for (const auto& h : hooks) {
    out += "<hook><hookID>" + xml_escape(h.id) + "</hookID>";
    out += "<callbackURL>" + cdata(h.callback_url) + "</callbackURL>";
    if (!h.meeting_id.empty())
      out += "<meetingID>" + cdata(h.meeting_id) + "</meetingID>";
    if (!h.event_ids.empty())
      out +=
        "<eventID>" + xml_escape(join_event_ids(h.event_ids)) + "</eventID>";
    out += "<permanentHook>false</permanentHook><rawData>";
    out += h.raw ? "true" : "false";
    out += "</rawData></hook>";
  }
  return out + "</hooks></response>";
}

std::optional<std::vector<std::pair<std::string, std::string>>>
read_hooks_list(std::string_view body) {
  auto doc = bbb_answer::parse(body);
  if (!doc || doc->text("returncode") != "SUCCESS")
    return std::nullopt;
  std::vector<std::pair<std::string, std::string>> out;
  if (const auto* hooks = child(doc->root(), "hooks"))
    for_each_child(*hooks, "hook", [&](const xml_node& h) {
      out.emplace_back(child_text(h, "hookID"), child_text(h, "callbackURL"));
    });
  return out;
}

std::optional<std::string> read_hooks_create(std::string_view body) {
  auto doc = bbb_answer::parse(body);
  if (!doc || doc->text("returncode") != "SUCCESS")
    return std::nullopt;
  return doc->text("hookID");
}

} // namespace gw::net
