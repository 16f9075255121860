#pragma once

#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "net/bbb_params.hpp"
#include "net/xml.hpp"
#include "sim/sim_state.hpp"

namespace gw::sim {

/// An XML answer (200).
inline reply xml(std::string body) {
  reply r;
  r.body = std::move(body);
  return r;
}

/// BBB's FAILED document for `e`.
inline reply failed(const net::api_error& e) {
  return xml(net::failed_xml(e.key, e.message));
}

/// A JSON answer (200) `{"response": body}`.
inline reply json_reply(nlohmann::json body) {
  reply r;
  r.content_type = "application/json";
  r.body = nlohmann::json{{"response", std::move(body)}}.dump();
  return r;
}

} // namespace gw::sim
