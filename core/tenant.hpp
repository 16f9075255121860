#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/digest.hpp"
#include "core/validate.hpp"

namespace gw {

/// Default texts put in front of a client's welcome / moderatorOnlyMessage.
struct chat_texts {
  std::string welcome;
  std::string moderator_only;
};

/// One customer account as the config file, the admin API and the store
/// define it (design.md §4 and §8).
struct tenant_spec {
  std::string id;
  /// Several during a rotation; never empty.
  std::vector<std::string> secrets;
  long long connections = 0;
  bool api_enabled = true;
  std::optional<long long> default_max_participants;
  std::optional<long long> default_duration_minutes;
  std::vector<digest_algo> checksum_algorithms = {
    digest_algo::sha1, digest_algo::sha256, digest_algo::sha384,
    digest_algo::sha512};
  std::optional<chat_texts> texts;
  std::vector<std::string> hosts;
  /// What a create without `deactivateBbbserverDefaultChatTexts` gets:
  /// the default texts (true) or only the client's (false).
  bool default_chat_texts = true;
  /// The console password as core/password.hpp stores it (never the
  /// password itself); empty: no console sign-in.
  std::string console_password_hash;
};

/// Bounds of a tenant definition.
constexpr std::size_t max_tenant_secrets = 8;
constexpr long long max_connections_per_tenant = 1'000'000'000;
constexpr long long max_duration_minutes = 525'600; // a year
constexpr std::size_t max_chat_text_length = 4096;

/// Checks a tenant definition: the one implementation the config file, the
/// tenants supervisor and the admin API share.
std::optional<field_error> validate_tenant(const tenant_spec& spec);

/// A change to a tenant (admin API PATCH, console forms, secret rotation):
/// fields left empty keep their values.
struct tenant_patch {
  std::optional<std::vector<std::string>> secrets;
  std::optional<long long> connections;
  std::optional<bool> api_enabled;
  /// Set: the new default (an empty inner value removes the tenant's own).
  std::optional<std::optional<long long>> default_max_participants;
  std::optional<std::optional<long long>> default_duration_minutes;
  std::optional<std::vector<digest_algo>> checksum_algorithms;
  std::optional<std::optional<chat_texts>> texts;
  std::optional<std::vector<std::string>> hosts;
  std::optional<bool> default_chat_texts;
  /// A new console password, already hashed.
  std::optional<std::string> console_password_hash;
  /// Adds this secret (rotation: POST .../secrets).
  std::optional<std::string> add_secret;
  /// Removes this secret (never the last: DELETE .../secrets/{secret}).
  std::optional<std::string> remove_secret;
};

/// Applies `p` to `spec` and validates the result; `spec` is unchanged on
/// error.
std::optional<field_error> apply_patch(tenant_spec& spec,
                                       const tenant_patch& p);

/// Returns a new random secret (256 bits, hex).
std::string new_tenant_secret();

} // namespace gw
