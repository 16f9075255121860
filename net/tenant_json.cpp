#include "net/tenant_json.hpp"

#include <set>

namespace gw::net {

using json = nlohmann::json;

namespace {

const char* algo_name(digest_algo a) {
  switch (a) {
  case digest_algo::sha1:
    return "sha1";
  case digest_algo::sha256:
    return "sha256";
  case digest_algo::sha384:
    return "sha384";
  case digest_algo::sha512:
    return "sha512";
  }
  return "sha1";
}

json common(const tenant_spec& t) {
  json j{{"id", t.id},
         {"secrets", t.secrets},
         {"connections", t.connections},
         {"api_enabled", t.api_enabled},
         {"default_chat_texts", t.default_chat_texts},
         {"hosts", t.hosts}};
  json d = json::object();
  if (t.default_max_participants)
    d["max_participants"] = *t.default_max_participants;
  if (t.default_duration_minutes)
    d["duration_minutes"] = *t.default_duration_minutes;
  j["defaults"] = d;
  auto algos = json::array();
  for (auto a : t.checksum_algorithms)
    algos.push_back(algo_name(a));
  j["checksum_algorithms"] = algos;
  if (t.texts)
    j["chat_texts"] = json{{"welcome", t.texts->welcome},
                           {"moderator_only", t.texts->moderator_only}};
  else
    j["chat_texts"] = nullptr;
  return j;
}

using error = std::optional<field_error>;

error bad(const std::string& field, const std::string& what) {
  return field_error{field, what};
}

error read_strings(const json& v, const std::string& field,
                   std::vector<std::string>& out) {
  if (!v.is_array())
    return bad(field, "must be a list of strings");
  out.clear();
  for (const auto& s : v) {
    if (!s.is_string())
      return bad(field, "must be a list of strings");
    out.push_back(s.get<std::string>());
  }
  return std::nullopt;
}

error read_int(const json& v, const std::string& field, long long& out) {
  if (!v.is_number_integer())
    return bad(field, "must be an integer");
  out = v.get<long long>();
  return std::nullopt;
}

error read_bool(const json& v, const std::string& field, bool& out) {
  if (!v.is_boolean())
    return bad(field, "must be true or false");
  out = v.get<bool>();
  return std::nullopt;
}

error read_algos(const json& v, std::vector<digest_algo>& out) {
  std::vector<std::string> names;
  if (auto e = read_strings(v, "checksum_algorithms", names))
    return e;
  out.clear();
  for (const auto& n : names) {
    auto a = parse_algo(n);
    if (!a)
      return bad("checksum_algorithms",
                 "must list sha1, sha256, sha384 or sha512");
    out.push_back(*a);
  }
  return std::nullopt;
}

error read_texts(const json& v, std::optional<chat_texts>& out) {
  if (v.is_null()) {
    out.reset();
    return std::nullopt;
  }
  if (!v.is_object())
    return bad("chat_texts", "must be an object with welcome and "
                             "moderator_only, or null");
  chat_texts t;
  for (const auto& [k, x] : v.items()) {
    if (k != "welcome" && k != "moderator_only")
      return bad(k, "unknown field");
    if (!x.is_string())
      return bad(k, "must be a string");
    (k == "welcome" ? t.welcome : t.moderator_only) = x.get<std::string>();
  }
  out = t;
  return std::nullopt;
}

/// The defaults object: each key set to a number, or null to remove.
error read_defaults(const json& v,
                    std::optional<std::optional<long long>>& max_p,
                    std::optional<std::optional<long long>>& dur) {
  if (!v.is_object())
    return bad("defaults", "must be an object with max_participants and "
                           "duration_minutes");
  for (const auto& [k, x] : v.items()) {
    if (k != "max_participants" && k != "duration_minutes")
      return bad(k, "unknown field");
    auto& slot = k == "max_participants" ? max_p : dur;
    if (x.is_null()) {
      slot = std::optional<long long>{};
      continue;
    }
    long long n = 0;
    if (auto e = read_int(x, k, n))
      return e;
    slot = std::optional<long long>{n};
  }
  return std::nullopt;
}

error read_fields(const json& body, tenant_patch& p, std::string& password,
                  bool allow_id) {
  if (!body.is_object())
    return bad("body", "must be a JSON object");
  static const std::set<std::string> known{"id",
                                           "secrets",
                                           "connections",
                                           "api_enabled",
                                           "defaults",
                                           "checksum_algorithms",
                                           "chat_texts",
                                           "hosts",
                                           "default_chat_texts",
                                           "console_password"};
  for (const auto& [k, v] : body.items()) {
    if (known.count(k) == 0)
      return bad(k, "unknown field");
    if (k == "id" && !allow_id)
      return bad("id", "cannot change; add a new tenant instead");
    if (k == "secrets") {
      std::vector<std::string> s;
      if (auto e = read_strings(v, k, s))
        return e;
      p.secrets = std::move(s);
    } else if (k == "connections") {
      long long n = 0;
      if (auto e = read_int(v, k, n))
        return e;
      p.connections = n;
    } else if (k == "api_enabled" || k == "default_chat_texts") {
      bool b = false;
      if (auto e = read_bool(v, k, b))
        return e;
      (k == "api_enabled" ? p.api_enabled : p.default_chat_texts) = b;
    } else if (k == "defaults") {
      if (auto e = read_defaults(v, p.default_max_participants,
                                 p.default_duration_minutes))
        return e;
    } else if (k == "checksum_algorithms") {
      std::vector<digest_algo> a;
      if (auto e = read_algos(v, a))
        return e;
      p.checksum_algorithms = std::move(a);
    } else if (k == "chat_texts") {
      std::optional<chat_texts> t;
      if (auto e = read_texts(v, t))
        return e;
      p.texts = t;
    } else if (k == "hosts") {
      std::vector<std::string> h;
      if (auto e = read_strings(v, k, h))
        return e;
      p.hosts = std::move(h);
    } else if (k == "console_password") {
      if (!v.is_string() || v.get<std::string>().size() < 8
          || v.get<std::string>().size() > 256)
        return bad(k, "must be a string of 8-256 characters");
      password = v.get<std::string>();
    }
  }
  return std::nullopt;
}

} // namespace

json tenant_to_json(const tenant_spec& t) {
  auto j = common(t);
  j["console_password_set"] = !t.console_password_hash.empty();
  return j;
}

std::optional<field_error> read_tenant(const json& body, tenant_spec& out,
                                       std::string& console_password) {
  tenant_patch p;
  if (auto e = read_fields(body, p, console_password, true))
    return e;
  if (!body.contains("id") || !body["id"].is_string())
    return bad("id", "is required (a string)");
  if (!p.connections)
    return bad("connections", "is required");
  tenant_spec t;
  t.id = body["id"].get<std::string>();
  t.secrets.clear();
  // Applied without validation: the caller adds a secret when none is
  // given, then validates.
  if (p.secrets)
    t.secrets = *p.secrets;
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
  out = std::move(t);
  return std::nullopt;
}

std::optional<field_error> read_tenant_patch(const json& body,
                                             tenant_patch& out,
                                             std::string& console_password) {
  tenant_patch p;
  if (auto e = read_fields(body, p, console_password, false))
    return e;
  out = std::move(p);
  return std::nullopt;
}

std::string tenant_to_stored(const tenant_spec& t) {
  auto j = common(t);
  j["console_password_hash"] = t.console_password_hash;
  return j.dump();
}

bool tenant_from_stored(const std::string& text, tenant_spec& out) {
  auto j = json::parse(text, nullptr, false);
  if (!j.is_object() || !j.contains("id") || !j["id"].is_string())
    return false;
  std::string hash;
  if (j.contains("console_password_hash")
      && j["console_password_hash"].is_string())
    hash = j["console_password_hash"].get<std::string>();
  j.erase("console_password_hash");
  j.erase("console_password_set");
  tenant_spec t;
  std::string ignored;
  if (read_tenant(j, t, ignored))
    return false;
  t.console_password_hash = hash;
  out = std::move(t);
  return true;
}

} // namespace gw::net
