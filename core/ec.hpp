#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace gw {

/// Every error the gateway itself produces. Each has one row in the table
/// of ec.cpp: its BBB messageKey (the API answers
/// `<returncode>FAILED</returncode><messageKey>...`), its HTTP status (the
/// admin API answers with it) and a default message. Answers are rendered
/// from the code, never by searching an error's text.
enum class ec : uint8_t {
  none = 0,
  // -- BBB API: the gateway's own rules (design.md §2) ----------------------
  /// The tenant's API is switched off.
  integration_api_disabled,
  /// A create asks for more than the whole subscription.
  max_participants_exceeds_subscription,
  /// Not enough free connections, even after preemption.
  not_enough_connections,
  /// No node has room or is usable.
  no_server_available,
  /// The meeting's node is disabled or offline.
  server_unavailable,
  /// Something in the gateway failed (a store write, a node answer).
  internal_error,
  /// No tenant is served at this URL.
  unknown_tenant,
  /// The request body exceeds the configured limit.
  body_too_large,
  // -- admin API ------------------------------------------------------------
  /// A field of a definition is invalid; the message names it.
  invalid_field,
  /// The id exists already.
  already_exists,
  /// No such node or tenant.
  no_such_entity,
  /// The node still has meetings (remove with force).
  has_meetings,
  /// An actor did not answer.
  unavailable,
};

/// Returns the BBB messageKey of `code` (empty for none).
std::string_view message_key(ec code);

/// Returns the HTTP status the admin API answers `code` with.
unsigned http_status(ec code);

/// Returns true when the table has one row per code, in order (tests).
bool ec_table_in_order();

/// Returns the default human-readable message of `code`.
std::string_view default_message(ec code);

/// An error with its code and the message shown to the caller.
struct failure {
  ec code = ec::internal_error;
  std::string message;

  /// A failure with the code's default message.
  static failure of(ec code) {
    return {code, std::string{default_message(code)}};
  }
};

} // namespace gw
