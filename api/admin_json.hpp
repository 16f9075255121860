#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "actors/messages.hpp"
#include "net/http_types.hpp"

namespace gw::api {

/// A JSON answer of the admin API.
inline net::http_response json_answer(unsigned status,
                                      const nlohmann::json& body) {
  return net::make_response(status, "application/json", body.dump() + "\n");
}

/// `{"error": what}` with `status`.
inline net::http_response error_answer(unsigned status,
                                       const std::string& what) {
  return json_answer(status, nlohmann::json{{"error", what}});
}

/// Answers a core failure with its HTTP status.
inline net::http_response failure_answer(const failure& f) {
  return error_answer(http_status(f.code), f.message);
}

} // namespace gw::api
