#include "core/ec.hpp"

#include <array>

namespace gw {

namespace {

struct ec_row {
  ec code;
  std::string_view key;
  unsigned status;
  std::string_view message;
};

// One row per code, in the enum's order (checked by a test).
constexpr std::array<ec_row, 14> table{{
  {ec::none, "", 200, ""},
  {ec::integration_api_disabled, "integrationApiDisabled", 403,
   "The API of this account is switched off."},
  {ec::max_participants_exceeds_subscription,
   "maxParticipantsExceedsSubscription", 409,
   "maxParticipants exceeds the subscription."},
  {ec::not_enough_connections, "notEnoughConnections", 409,
   "Not enough free connections."},
  {ec::no_server_available, "noServerAvailable", 503,
   "No server is available."},
  {ec::server_unavailable, "serverUnavailable", 503,
   "The server for this meeting is disabled/offline."},
  {ec::internal_error, "internalError", 500, "An internal error occurred."},
  {ec::unknown_tenant, "unknownTenant", 404,
   "No BigBlueButton API is served at this URL. Check the API URL you were "
   "given."},
  {ec::body_too_large, "bodyTooLarge", 413, "The request body is too large."},
  {ec::invalid_field, "invalidField", 400, "A field is invalid."},
  {ec::already_exists, "alreadyExists", 409, "It exists already."},
  {ec::no_such_entity, "notFound", 404, "Not found."},
  {ec::has_meetings, "hasMeetings", 409, "It still has meetings."},
  {ec::unavailable, "unavailable", 503, "The service did not answer."},
}};

const ec_row& row_of(ec code) {
  auto i = static_cast<std::size_t>(code);
  return i < table.size() ? table[i]
                          : table[static_cast<std::size_t>(ec::internal_error)];
}

} // namespace

std::string_view message_key(ec code) {
  return row_of(code).key;
}

unsigned http_status(ec code) {
  return row_of(code).status;
}

std::string_view default_message(ec code) {
  return row_of(code).message;
}

bool ec_table_in_order() {
  for (std::size_t i = 0; i < table.size(); ++i)
    if (static_cast<std::size_t>(table[i].code) != i)
      return false;
  return true;
}

} // namespace gw
