// Fuzzes what the gateway reads of a node's webhook delivery: the form
// body, the events' JSON, their route and the rewriting for the client,
// and the hooks/list answer of a node. Whatever the bytes, no crash, and
// - a rewritten event no longer contains the node-side meeting ID,
// - an event rendered into a delivery reads back with the route it was
//   rewritten to.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/ids.hpp"
#include "net/webhooks.hpp"
#include "tests/fuzz/fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  (void)gw::net::read_hooks_list(in);
  (void)gw::net::read_hooks_create(in);
  auto events = gw::net::read_webhook_events(in);
  // The same bytes as the `event` field of a delivery.
  auto wrapped =
    gw::net::read_webhook_events("event=" + gw::net::form_urlencode(in));
  for (auto* list :
       {events ? &*events : nullptr, wrapped ? &*wrapped : nullptr}) {
    if (list == nullptr)
      continue;
    for (auto& ev : *list) {
      auto route = gw::net::route_of(ev);
      if (!route)
        continue;
      auto node_id = route->external_meeting_id;
      gw::net::rewrite_event(ev, node_id, "client-room",
                             "http://gw.example/_gw/");
      auto text =
        ev.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      // For a node-side ID as the gateway makes them (`t` + 8 hex + `-`).
      if (!gw::prefix_of(node_id).empty())
        FUZZ_CHECK(text.find(node_id) == std::string::npos);
      // What the client reads back is what the gateway rewrote.
      auto rewritten = gw::net::route_of(ev);
      FUZZ_CHECK(rewritten.has_value());
      auto again = gw::net::read_webhook_events(
        gw::net::webhook_body("d", "[" + text + "]", 1));
      FUZZ_CHECK(again && again->size() == 1);
      auto back = gw::net::route_of(again->front());
      FUZZ_CHECK(back && back->id == rewritten->id
                 && back->external_meeting_id
                      == rewritten->external_meeting_id);
    }
  }
  return 0;
}
