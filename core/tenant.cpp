#include "core/tenant.hpp"

#include <algorithm>
#include <set>

namespace gw {

namespace {

bool has_control(const std::string& s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
  });
}

} // namespace

std::optional<field_error> validate_tenant(const tenant_spec& t) {
  if (!is_valid_id(t.id, false))
    return field_error{"id", "must be 1-64 letters, digits, '-' or '_' (it "
                             "is a URL path segment)"};
  if (t.secrets.empty())
    return field_error{"secrets", "must list at least one secret"};
  if (t.secrets.size() > max_tenant_secrets)
    return field_error{
      "secrets", "at most " + std::to_string(max_tenant_secrets) + " secrets"};
  std::set<std::string> seen;
  for (const auto& s : t.secrets) {
    if (s.empty() || s.size() > max_secret_length || has_control(s)
        || s.find(' ') != std::string::npos)
      return field_error{"secrets", "each secret must be 1-"
                                      + std::to_string(max_secret_length)
                                      + " printable characters, no spaces"};
    if (!seen.insert(s).second)
      return field_error{"secrets", "a secret is listed twice"};
  }
  if (t.connections < 1 || t.connections > max_connections_per_tenant)
    return field_error{"connections",
                       "must be an integer from 1 to "
                         + std::to_string(max_connections_per_tenant)};
  if (t.default_max_participants
      && (*t.default_max_participants < 1
          || *t.default_max_participants > max_connections_per_tenant))
    return field_error{"max_participants", "must be an integer of at least 1"};
  if (t.default_duration_minutes
      && (*t.default_duration_minutes < 1
          || *t.default_duration_minutes > max_duration_minutes))
    return field_error{"duration_minutes",
                       "must be an integer from 1 to "
                         + std::to_string(max_duration_minutes)};
  if (t.checksum_algorithms.empty())
    return field_error{"checksum_algorithms",
                       "must list at least one algorithm"};
  if (t.texts
      && (t.texts->welcome.size() > max_chat_text_length
          || t.texts->moderator_only.size() > max_chat_text_length))
    return field_error{"chat_texts", "each text must be at most "
                                       + std::to_string(max_chat_text_length)
                                       + " bytes"};
  std::set<std::string> hosts;
  for (const auto& h : t.hosts) {
    if (h.empty() || h.size() > 253 || has_control(h)
        || h.find_first_of(" /") != std::string::npos)
      return field_error{"hosts", "each host must be a host name"};
    if (!hosts.insert(h).second)
      return field_error{"hosts", "host '" + h + "' is listed twice"};
  }
  return std::nullopt;
}

std::optional<field_error> apply_patch(tenant_spec& spec,
                                       const tenant_patch& p) {
  auto t = spec;
  if (p.secrets)
    t.secrets = *p.secrets;
  if (p.connections)
    t.connections = *p.connections;
  if (p.api_enabled)
    t.api_enabled = *p.api_enabled;
  if (p.default_max_participants)
    t.default_max_participants = *p.default_max_participants;
  if (p.default_duration_minutes)
    t.default_duration_minutes = *p.default_duration_minutes;
  if (p.checksum_algorithms)
    t.checksum_algorithms = *p.checksum_algorithms;
  if (p.texts)
    t.texts = *p.texts;
  if (p.hosts)
    t.hosts = *p.hosts;
  if (p.default_chat_texts)
    t.default_chat_texts = *p.default_chat_texts;
  if (p.console_password_hash)
    t.console_password_hash = *p.console_password_hash;
  if (p.add_secret) {
    if (std::find(t.secrets.begin(), t.secrets.end(), *p.add_secret)
        == t.secrets.end())
      t.secrets.push_back(*p.add_secret);
  }
  if (p.remove_secret) {
    auto it = std::find(t.secrets.begin(), t.secrets.end(), *p.remove_secret);
    if (it == t.secrets.end())
      return field_error{"secrets", "the tenant has no such secret"};
    if (t.secrets.size() == 1)
      return field_error{"secrets", "cannot remove the last secret"};
    t.secrets.erase(it);
  }
  if (auto err = validate_tenant(t))
    return err;
  spec = std::move(t);
  return std::nullopt;
}

std::string new_tenant_secret() {
  return random_hex(32);
}

} // namespace gw
