#include "config/config.hpp"

#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

#include <yaml-cpp/yaml.h>

#include "core/validate.hpp"

namespace gw::config {

namespace {

/// A validation failure at a YAML node; converted to load_result::error.
struct config_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::string where(const YAML::Node& n, const std::string& path) {
  auto mark = n.Mark();
  std::string line =
    mark.line >= 0 ? "line " + std::to_string(mark.line + 1) : "line ?";
  return line + ": " + path;
}

[[noreturn]] void fail(const YAML::Node& n, const std::string& path,
                       const std::string& what) {
  throw config_error(where(n, path) + ": " + what);
}

std::string join(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

void check_keys(const YAML::Node& map, const std::string& path,
                const std::set<std::string>& allowed) {
  if (!map.IsMap())
    fail(map, path.empty() ? "(top level)" : path, "must be a mapping");
  for (const auto& kv : map) {
    auto key = kv.first.as<std::string>();
    if (allowed.count(key) == 0)
      fail(kv.first, join(path, key), "unknown key");
  }
}

std::string scalar(const YAML::Node& n, const std::string& path) {
  if (!n.IsScalar())
    fail(n, path, "must be a single value");
  return n.Scalar();
}

std::string get_string(const YAML::Node& n, const std::string& path,
                       bool allow_empty = false) {
  auto s = scalar(n, path);
  if (s.empty() && !allow_empty)
    fail(n, path, "must not be empty");
  return s;
}

long long get_int(const YAML::Node& n, const std::string& path,
                  long long min_value) {
  auto s = scalar(n, path);
  long long v = 0;
  std::size_t used = 0;
  try {
    v = std::stoll(s, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != s.size())
    fail(n, path, "must be an integer");
  if (v < min_value)
    fail(n, path, "must be at least " + std::to_string(min_value));
  return v;
}

double get_double(const YAML::Node& n, const std::string& path,
                  double min_exclusive) {
  auto s = scalar(n, path);
  double v = 0;
  std::size_t used = 0;
  try {
    v = std::stod(s, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != s.size())
    fail(n, path, "must be a number");
  if (!(v > min_exclusive))
    fail(n, path, "must be greater than " + std::to_string(min_exclusive));
  return v;
}

bool get_bool(const YAML::Node& n, const std::string& path) {
  auto s = scalar(n, path);
  if (s == "true")
    return true;
  if (s == "false")
    return false;
  fail(n, path, "must be true or false");
}

std::vector<std::string> get_list(const YAML::Node& n,
                                  const std::string& path) {
  if (!n.IsSequence())
    fail(n, path, "must be a list");
  std::vector<std::string> out;
  std::size_t i = 0;
  for (const auto& item : n)
    out.push_back(get_string(item, path + "[" + std::to_string(i++) + "]"));
  return out;
}

chat_texts get_texts(const YAML::Node& n, const std::string& path) {
  check_keys(n, path, {"welcome", "moderator_only"});
  chat_texts t;
  if (n["welcome"])
    t.welcome = get_string(n["welcome"], join(path, "welcome"), true);
  if (n["moderator_only"])
    t.moderator_only =
      get_string(n["moderator_only"], join(path, "moderator_only"), true);
  return t;
}

node_config get_node(const YAML::Node& n, const std::string& path,
                     double platform_overcommit) {
  check_keys(n, path,
             {"id", "url", "secret", "capacity", "overcommit", "state"});
  for (const char* key : {"id", "url", "secret", "capacity"})
    if (!n[key])
      fail(n, join(path, key), "is required");
  // Types are read here (with their lines); what the values must be is
  // core's validate_node, shared with the fleet and the admin API.
  node_spec spec;
  spec.id = get_string(n["id"], join(path, "id"));
  spec.url = get_string(n["url"], join(path, "url"));
  spec.secret = get_string(n["secret"], join(path, "secret"));
  spec.capacity = get_int(n["capacity"], join(path, "capacity"), 1);
  spec.overcommit = n["overcommit"]
                      ? get_double(n["overcommit"], join(path, "overcommit"), 0)
                      : platform_overcommit;
  if (n["state"])
    spec.state = get_string(n["state"], join(path, "state"));
  node_config c;
  if (auto err = validate_node(spec, c)) {
    auto key = n[err->field] ? n[err->field] : n;
    fail(key, join(path, err->field), err->what);
  }
  return c;
}

tenant_config get_tenant(const YAML::Node& n, const std::string& path) {
  check_keys(n, path,
             {"id", "secrets", "connections", "api_enabled", "defaults",
              "checksum_algorithms", "chat_texts", "hosts",
              "default_chat_texts", "console_password"});
  for (const char* key : {"id", "secrets", "connections"})
    if (!n[key])
      fail(n, join(path, key), "is required");
  tenant_config t;
  t.id = get_string(n["id"], join(path, "id"));
  t.secrets = get_list(n["secrets"], join(path, "secrets"));
  t.connections = get_int(n["connections"], join(path, "connections"), 1);
  if (n["api_enabled"])
    t.api_enabled = get_bool(n["api_enabled"], join(path, "api_enabled"));
  if (n["defaults"]) {
    auto d = n["defaults"];
    auto dp = join(path, "defaults");
    check_keys(d, dp, {"max_participants", "duration_minutes"});
    if (d["max_participants"])
      t.default_max_participants =
        get_int(d["max_participants"], join(dp, "max_participants"), 1);
    if (d["duration_minutes"])
      t.default_duration_minutes =
        get_int(d["duration_minutes"], join(dp, "duration_minutes"), 1);
  }
  if (n["checksum_algorithms"]) {
    auto ap = join(path, "checksum_algorithms");
    auto names = get_list(n["checksum_algorithms"], ap);
    if (names.empty())
      fail(n["checksum_algorithms"], ap, "must list at least one algorithm");
    t.checksum_algorithms.clear();
    for (std::size_t i = 0; i < names.size(); ++i) {
      auto a = parse_algo(names[i]);
      if (!a)
        fail(n["checksum_algorithms"][i], ap + "[" + std::to_string(i) + "]",
             "must be sha1, sha256, sha384 or sha512");
      t.checksum_algorithms.push_back(*a);
    }
  }
  if (n["chat_texts"])
    t.texts = get_texts(n["chat_texts"], join(path, "chat_texts"));
  if (n["hosts"])
    t.hosts = get_list(n["hosts"], join(path, "hosts"));
  if (n["default_chat_texts"])
    t.default_chat_texts =
      get_bool(n["default_chat_texts"], join(path, "default_chat_texts"));
  if (n["console_password"])
    t.console_password =
      get_string(n["console_password"], join(path, "console_password"));
  // Types are read above (with their lines); what the values must be is
  // core's validate_tenant, shared with the admin API.
  if (auto err = validate_tenant(t)) {
    std::string key = err->field;
    auto at = n[key];
    if (key == "max_participants" || key == "duration_minutes") {
      at = n["defaults"][key];
      key = "defaults." + key;
    }
    fail(at ? at : n, join(path, key), err->what);
  }
  return t;
}

config build(const YAML::Node& root) {
  if (!root || root.IsNull())
    throw config_error("line 1: (top level): the file is empty");
  check_keys(root, "",
             {"listen",
              "public_url",
              "database",
              "admin",
              "poll_interval_seconds",
              "live_data_max_age_ms",
              "testing",
              "defaults",
              "chat_texts",
              "overcommit",
              "io_threads",
              "body_limit_bytes",
              "max_connections",
              "recordings",
              "callbacks",
              "console",
              "usage",
              "metrics",
              "log",
              "nodes",
              "tenants"});
  config c;
  if (root["listen"]) {
    c.listen = get_string(root["listen"], "listen");
    std::string host;
    uint16_t port = 0;
    if (!split_host_port(c.listen, host, port))
      fail(root["listen"], "listen", "must be HOST:PORT");
  }
  if (root["public_url"]) {
    c.public_url = get_string(root["public_url"], "public_url");
    url_parts parts;
    if (!parse_url(c.public_url, parts))
      fail(root["public_url"], "public_url", "must be an http(s) URL");
    while (!c.public_url.empty() && c.public_url.back() == '/')
      c.public_url.pop_back();
  }
  if (root["database"])
    c.database = get_string(root["database"], "database");
  if (root["admin"]) {
    check_keys(root["admin"], "admin", {"token"});
    if (root["admin"]["token"])
      c.admin_token = get_string(root["admin"]["token"], "admin.token");
  }
  if (root["poll_interval_seconds"])
    c.poll_interval_seconds =
      get_int(root["poll_interval_seconds"], "poll_interval_seconds", 1);
  if (root["live_data_max_age_ms"])
    c.live_data_max_age_ms =
      get_int(root["live_data_max_age_ms"], "live_data_max_age_ms", 0);
  if (root["testing"]) {
    check_keys(root["testing"], "testing", {"minute_seconds"});
    if (root["testing"]["minute_seconds"])
      c.minute_seconds = get_double(root["testing"]["minute_seconds"],
                                    "testing.minute_seconds", 0);
  }
  if (root["callbacks"]) {
    check_keys(root["callbacks"], "callbacks", {"retry_for_hours"});
    if (root["callbacks"]["retry_for_hours"])
      c.callbacks_retry_hours = get_int(root["callbacks"]["retry_for_hours"],
                                        "callbacks.retry_for_hours", 1);
  }
  if (root["console"]) {
    auto k = root["console"];
    check_keys(k, "console",
               {"enabled", "session_minutes", "operator_password"});
    if (k["enabled"])
      c.console.enabled = get_bool(k["enabled"], "console.enabled");
    if (k["session_minutes"])
      c.console.session_minutes =
        get_int(k["session_minutes"], "console.session_minutes", 1);
    if (k["operator_password"])
      c.console.operator_password =
        get_string(k["operator_password"], "console.operator_password");
  }
  if (root["metrics"]) {
    check_keys(root["metrics"], "metrics", {"token"});
    if (root["metrics"]["token"])
      c.metrics_token = get_string(root["metrics"]["token"], "metrics.token");
  }
  if (root["log"]) {
    auto k = root["log"];
    check_keys(k, "log", {"format", "access"});
    if (k["format"]) {
      c.log_format = get_string(k["format"], "log.format");
      if (c.log_format != "text" && c.log_format != "json")
        fail(k["format"], "log.format", "must be text or json");
    }
    if (k["access"])
      c.log_access = get_bool(k["access"], "log.access");
  }
  if (root["usage"]) {
    check_keys(root["usage"], "usage", {"retention_days"});
    if (root["usage"]["retention_days"])
      c.usage_retention_days =
        get_int(root["usage"]["retention_days"], "usage.retention_days", 1);
  }
  if (root["recordings"]) {
    check_keys(root["recordings"], "recordings", {"sync_interval_seconds"});
    if (root["recordings"]["sync_interval_seconds"])
      c.recordings_sync_seconds =
        get_int(root["recordings"]["sync_interval_seconds"],
                "recordings.sync_interval_seconds", 0);
  }
  if (root["defaults"]) {
    auto d = root["defaults"];
    check_keys(d, "defaults", {"max_participants", "duration_minutes"});
    if (d["max_participants"])
      c.defaults.max_participants =
        get_int(d["max_participants"], "defaults.max_participants", 1);
    if (d["duration_minutes"])
      c.defaults.duration_minutes =
        get_int(d["duration_minutes"], "defaults.duration_minutes", 1);
  }
  if (root["chat_texts"])
    c.texts = get_texts(root["chat_texts"], "chat_texts");
  if (root["overcommit"])
    c.overcommit = get_double(root["overcommit"], "overcommit", 0);
  if (root["io_threads"])
    c.io_threads =
      static_cast<std::size_t>(get_int(root["io_threads"], "io_threads", 1));
  if (root["body_limit_bytes"])
    c.body_limit_bytes = static_cast<std::size_t>(
      get_int(root["body_limit_bytes"], "body_limit_bytes", 1024));
  if (root["max_connections"])
    c.max_connections = static_cast<std::size_t>(
      get_int(root["max_connections"], "max_connections", 0));
  if (root["nodes"]) {
    if (!root["nodes"].IsSequence())
      fail(root["nodes"], "nodes", "must be a list");
    std::set<std::string> ids;
    std::size_t i = 0;
    for (const auto& n : root["nodes"]) {
      auto path = "nodes[" + std::to_string(i++) + "]";
      auto node = get_node(n, path, c.overcommit);
      if (!ids.insert(node.id).second)
        fail(n["id"], join(path, "id"), "duplicate node id '" + node.id + "'");
      c.nodes.push_back(std::move(node));
    }
  }
  if (root["tenants"]) {
    if (!root["tenants"].IsSequence())
      fail(root["tenants"], "tenants", "must be a list");
    std::set<std::string> ids;
    std::set<std::string> hosts;
    std::size_t i = 0;
    for (const auto& n : root["tenants"]) {
      auto path = "tenants[" + std::to_string(i++) + "]";
      auto t = get_tenant(n, path);
      if (!ids.insert(t.id).second)
        fail(n["id"], join(path, "id"), "duplicate tenant id '" + t.id + "'");
      for (const auto& h : t.hosts)
        if (!hosts.insert(h).second)
          fail(n["hosts"], join(path, "hosts"),
               "host '" + h + "' belongs to another tenant");
      c.tenants.push_back(std::move(t));
    }
  }
  return c;
}

} // namespace

namespace {

/// An error is one printable line: control characters from the file (a key
/// or a YAML message quoting the offending byte) are shown as `\xNN`.
std::string one_line(const std::string& s) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7f) {
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 0xf];
    } else {
      out += ch;
    }
  }
  return out;
}

} // namespace

load_result parse(const std::string& yaml_text) {
  load_result out;
  try {
    out.value = build(YAML::Load(yaml_text));
  } catch (const config_error& e) {
    out.error = one_line(e.what());
  } catch (const YAML::Exception& e) {
    out.error =
      one_line("line " + std::to_string(e.mark.line + 1) + ": " + e.msg);
  } catch (const std::exception& e) {
    out.error =
      one_line(std::string("cannot read the configuration: ") + e.what());
  }
  return out;
}

load_result load_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    load_result out;
    out.error = "cannot read config file '" + path + "'";
    return out;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return parse(ss.str());
}

} // namespace gw::config
