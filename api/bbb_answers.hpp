#pragma once

#include <string>
#include <string_view>

#include "core/create.hpp"
#include "core/ec.hpp"
#include "net/bbb_params.hpp"
#include "net/http_types.hpp"
#include "net/meeting_xml.hpp"
#include "net/query.hpp"

namespace gw::api {

/// Answers with BBB's error document.
void answer_failed(const net::responder& respond, std::string_view key,
                   std::string_view message);

/// Answers a validation error of the BBB layer.
void answer_failed(const net::responder& respond, const net::api_error& e);

/// Answers a failure of the gateway's own (its messageKey from core/ec).
void answer_failed(const net::responder& respond, const failure& f);

/// Renders what a create came to (net/meeting_xml.hpp).
using net::render_create;

/// The URL a failing browser join is sent to: the client's
/// errorRedirectUrl (else logoutURL, else `fallback`) with BBB's `errors`
/// parameter (a JSON list of key and message).
std::string error_redirect(const net::query& q, const std::string& fallback,
                           std::string_view key, std::string_view message);

} // namespace gw::api
