#pragma once

#include <string>

#include <caf/typed_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/messages.hpp"

namespace gw {

/// The PASSWORD actor (detached): hashes and checks console passwords with
/// scrypt (core/password.hpp), about 50 ms of one core each, off the io
/// threads and off the scheduler's workers.
using password_actor = caf::typed_actor<
  // Returns the stored form of a password (empty on failure).
  caf::replies_to<atom::hash, std::string>::with<std::string>,
  // Returns whether `password` (first) matches the stored form (second).
  caf::replies_to<atom::verify, std::string, std::string>::with<bool>>;

/// Spawn with caf::detached.
password_actor::behavior_type password_service();

} // namespace gw
