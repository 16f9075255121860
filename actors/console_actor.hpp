#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/messages.hpp"
#include "actors/password_actor.hpp"

namespace gw {

/// The outcome of a console sign-in.
struct console_login {
  bool ok = false;
  /// Signed in: the session's token (the cookie) and its CSRF token.
  std::string token;
  std::string csrf;
  /// Refused without checking the password: too many recent failures for
  /// this tenant or address; try again after this long.
  int64_t retry_after_ms = 0;
};

/// A console session as a request finds it (tenant empty: none, or
/// expired).
struct console_session {
  std::string tenant;
  std::string csrf;
  /// The operator's session (tenant empty): the operator view.
  bool op = false;

  bool valid() const {
    return op || !tenant.empty();
  }
};

/// The CONSOLE actor: owns the customer console's sessions and the record
/// of failed sign-ins (per tenant and per address) that slows guessing.
using console_actor = caf::typed_actor<
  // Signs in tenant `t` (empty: the operator) from address `a` with
  // `password`, checked against the stored hashes `h` (any may match; none:
  // no console password, always refused after the same work) by the
  // password actor.
  caf::replies_to<atom::verify, std::string, std::string, std::string,
                  std::vector<std::string>>::with<console_login>,
  // Returns the session of a cookie token.
  caf::replies_to<atom::lookup, std::string>::with<console_session>,
  // Ends the session of a token (sign-out).
  caf::reacts_to<atom::remove, std::string>,
  // Forgets expired sessions and old failures (to itself, every minute).
  caf::reacts_to<atom::tick>>;

/// Failed sign-ins of one tenant or address.
struct failures {
  int count = 0;
  int64_t last_ms = 0;
};

struct console_state {
  password_actor passwords;
  std::chrono::milliseconds session_length{3600000};
  std::unordered_map<std::string, std::pair<console_session, int64_t>>
    sessions; // token -> (session, expires at, ms)
  std::map<std::string, failures> by_tenant;
  std::map<std::string, failures> by_address;

  static inline const char* name = "gw.console";
};

/// How many failures are free before each further attempt must wait
/// (1 s, doubling, at most 15 min, after the last failure); failures older
/// than 15 min are forgotten.
constexpr int free_sign_in_failures = 5;

/// Spawns the console actor.
console_actor::behavior_type
console_service(console_actor::stateful_pointer<console_state> self,
                password_actor passwords,
                std::chrono::milliseconds session_length);

} // namespace gw

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(gw::console_login)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(gw::console_session)
