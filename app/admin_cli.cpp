// `bbbgate admin` (the admin API: docs/admin-api.md) and `bbbgate check`.
#include "app/admin_cli.hpp"

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <sstream>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include "config/config.hpp"
#include "core/url.hpp"
#include "net/query.hpp"

namespace gw {

namespace http = boost::beast::http;
using nlohmann::json;

struct admin_cli::options {
  std::string url;
  std::string token;
  std::string config;
  bool as_json = false;
  // The verb and its arguments.
  std::string group;
  std::string verb;
  std::string id;
  std::string node_url;
  std::string secret;
  std::string state;
  std::string from;
  std::string to;
  long long capacity = -1;
  double overcommit = -1;
  long long connections = -1;
  long long max_participants = -1;
  long long duration = -1;
  std::string api_enabled;
  std::string password;
  bool force = false;
  bool csv = false;
  std::string check_config;
};

namespace {

struct answer {
  unsigned status = 0;
  std::string body;
  std::string error;
};

answer call(const url_parts& ep, const std::string& token, http::verb method,
            const std::string& target, const std::string& body = {},
            const std::string& accept = "application/json") {
  answer out;
  try {
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::resolver resolver(ioc);
    boost::beast::tcp_stream stream(ioc);
    stream.expires_after(std::chrono::seconds(30));
    stream.connect(resolver.resolve(ep.host, ep.port));
    http::request<http::string_body> req{method, ep.path + target.substr(1),
                                         11};
    req.set(http::field::host, ep.host);
    req.set(http::field::authorization, "Bearer " + token);
    req.set(http::field::accept, accept);
    if (!body.empty()) {
      req.set(http::field::content_type, "application/json");
      req.body() = body;
    }
    req.prepare_payload();
    http::write(stream, req);
    boost::beast::flat_buffer buf;
    http::response<http::string_body> res;
    http::read(stream, buf, res);
    out.status = res.result_int();
    out.body = std::move(res.body());
  } catch (const std::exception& e) {
    out.error = e.what();
  }
  return out;
}

std::string cell(const json& v) {
  if (v.is_null())
    return "-";
  if (v.is_string())
    return v.get<std::string>();
  return v.dump();
}

/// A table of `rows` with these columns (JSON keys; "a.b" reads a member).
void table(const json& rows, const std::vector<std::string>& cols) {
  std::vector<std::vector<std::string>> out;
  out.push_back(cols);
  for (const auto& r : rows) {
    std::vector<std::string> line;
    for (const auto& c : cols) {
      auto dot = c.find('.');
      const json* v = &r;
      if (dot == std::string::npos) {
        v = r.contains(c) ? &r[c] : nullptr;
      } else {
        auto a = c.substr(0, dot);
        auto b = c.substr(dot + 1);
        v = r.contains(a) && r[a].is_object() && r[a].contains(b) ? &r[a][b]
                                                                  : nullptr;
      }
      line.push_back(v ? cell(*v) : "-");
    }
    out.push_back(std::move(line));
  }
  std::vector<std::size_t> width(cols.size(), 0);
  for (const auto& line : out)
    for (std::size_t i = 0; i < line.size(); ++i)
      width[i] = std::max(width[i], line[i].size());
  for (const auto& line : out) {
    std::string text;
    for (std::size_t i = 0; i < line.size(); ++i) {
      text += line[i];
      if (i + 1 < line.size())
        text += std::string(width[i] - line[i].size() + 2, ' ');
    }
    std::cout << text << "\n";
  }
}

void show(const json& obj) {
  for (auto it = obj.begin(); it != obj.end(); ++it)
    std::cout << it.key() << ": " << cell(it.value()) << "\n";
}

int check(const std::string& path) {
  auto loaded = config::load_file(path);
  if (!loaded.value) {
    std::cerr << "bbbgate: " << path << ": " << loaded.error << "\n";
    return 2;
  }
  const auto& c = *loaded.value;
  std::cout << path << ": valid\n"
            << "listen: " << c.listen << "\npublic_url: " << c.public_url
            << "\ndatabase: " << c.database
            << "\nadmin API: " << (c.admin_token.empty() ? "off" : "on")
            << "\nconsole: " << (c.console.enabled ? "on" : "off")
            << "\nmetrics: "
            << (c.metrics_token.empty() ? "open" : "token required")
            << "\nlog: " << c.log_format
            << (c.log_access ? " with access log" : "") << "\n";
  std::cout << c.nodes.size() << " node(s):\n";
  for (const auto& n : c.nodes)
    std::cout << "  " << n.id << "  " << n.url << "  capacity " << n.capacity
              << "\n";
  std::cout << c.tenants.size() << " tenant(s):\n";
  for (const auto& t : c.tenants)
    std::cout << "  " << t.id << "  " << t.connections << " connections, "
              << t.secrets.size() << " secret(s)\n";
  return 0;
}

} // namespace

admin_cli::admin_cli(CLI::App& app) : o_(std::make_shared<options>()) {
  auto& o = *o_;
  check_ = app.add_subcommand("check", "Validate a configuration file");
  check_->add_option("--config", o.check_config, "YAML configuration file")
    ->required();

  admin_ = app.add_subcommand(
    "admin", "The admin API from the command line (docs/operations.md)");
  admin_->require_subcommand(1);
  admin_->add_option("--url", o.url,
                     "The gateway (default: from --config, else "
                     "http://127.0.0.1:8080)");
  admin_->add_option("--token", o.token,
                     "Admin token (default: $BBBGATE_ADMIN_TOKEN, else "
                     "admin.token of --config)");
  admin_->add_option("--config", o.config, "The gateway's YAML file");
  admin_->add_flag("--json", o.as_json, "Print the API's JSON");

  auto verb = [&o](CLI::App* group, const char* name, const char* what) {
    auto* v = group->add_subcommand(name, what);
    // --json, --token, ... may also follow the verb.
    v->fallthrough();
    v->callback([&o, group, v] {
      o.group = group->get_name();
      o.verb = v->get_name();
    });
    return v;
  };
  auto* nodes = admin_->add_subcommand("nodes", "BBB nodes");
  nodes->fallthrough();
  nodes->require_subcommand(1);
  verb(nodes, "list", "Every node");
  verb(nodes, "show", "One node")->add_option("id", o.id)->required();
  auto* nadd = verb(nodes, "add", "Add a node");
  nadd->add_option("id", o.id)->required();
  nadd->add_option("--url", o.node_url, "Its BBB URL")->required();
  nadd->add_option("--secret", o.secret, "Its BBB secret")->required();
  nadd->add_option("--capacity", o.capacity, "Connections")->required();
  nadd->add_option("--overcommit", o.overcommit);
  nadd->add_option("--state", o.state);
  auto* nstate =
    verb(nodes, "set-state", "enabled, cordoned, draining, disabled");
  nstate->add_option("id", o.id)->required();
  nstate->add_option("state", o.state)->required();
  auto* nset = verb(nodes, "set", "Change capacity or overcommit");
  nset->add_option("id", o.id)->required();
  nset->add_option("--capacity", o.capacity);
  nset->add_option("--overcommit", o.overcommit);
  auto* nrm = verb(nodes, "remove", "Remove a node");
  nrm->add_option("id", o.id)->required();
  nrm->add_flag("--force", o.force, "Even with meetings (they move)");

  auto* tenants = admin_->add_subcommand("tenants", "Customers");
  tenants->fallthrough();
  tenants->require_subcommand(1);
  verb(tenants, "list", "Every tenant");
  verb(tenants, "show", "One tenant")->add_option("id", o.id)->required();
  auto* tadd = verb(tenants, "add", "Add a tenant (a secret is made)");
  tadd->add_option("id", o.id)->required();
  tadd->add_option("--connections", o.connections)->required();
  tadd->add_option("--secret", o.secret, "Its secret (default: generated)");
  tadd->add_option("--console-password", o.password);
  auto* tset = verb(tenants, "set", "Change a tenant");
  tset->add_option("id", o.id)->required();
  tset->add_option("--connections", o.connections);
  tset->add_option("--api-enabled", o.api_enabled, "true or false");
  tset->add_option("--max-participants", o.max_participants);
  tset->add_option("--duration", o.duration, "Default duration (minutes)");
  tset->add_option("--console-password", o.password);
  auto* trm = verb(tenants, "remove", "Remove a tenant");
  trm->add_option("id", o.id)->required();
  trm->add_flag("--force", o.force, "End its meetings first");
  verb(tenants, "rotate-secret", "Add a new secret (the old ones stay)")
    ->add_option("id", o.id)
    ->required();
  auto* trs = verb(tenants, "remove-secret", "Remove one secret");
  trs->add_option("id", o.id)->required();
  trs->add_option("secret", o.secret)->required();
  auto* tus = verb(tenants, "usage", "Usage per UTC day");
  tus->add_option("id", o.id)->required();
  tus->add_option("--from", o.from, "YYYY-MM-DD");
  tus->add_option("--to", o.to, "YYYY-MM-DD");
  tus->add_flag("--csv", o.csv, "As CSV");
}

bool admin_cli::chosen() const {
  return check_->parsed() || admin_->parsed();
}

int admin_cli::run() {
  auto& o = *o_;
  if (check_->parsed())
    return check(o.check_config);
  // Where and who.
  std::string config_token;
  std::string base = o.url;
  if (!o.config.empty()) {
    auto loaded = config::load_file(o.config);
    if (!loaded.value) {
      std::cerr << "bbbgate: " << o.config << ": " << loaded.error << "\n";
      return 2;
    }
    config_token = loaded.value->admin_token;
    if (base.empty())
      base = "http://" + loaded.value->listen;
  }
  if (base.empty())
    base = "http://127.0.0.1:8080";
  std::string token = o.token;
  if (token.empty())
    if (const char* env = std::getenv("BBBGATE_ADMIN_TOKEN"))
      token = env;
  if (token.empty())
    token = config_token;
  if (token.empty()) {
    std::cerr << "bbbgate admin: no token (--token, BBBGATE_ADMIN_TOKEN or "
                 "--config)\n";
    return 2;
  }
  url_parts ep;
  if (!parse_url(base + (base.back() == '/' ? "" : "/"), ep)) {
    std::cerr << "bbbgate admin: --url must be an http(s) URL\n";
    return 2;
  }
  if (ep.tls) {
    std::cerr << "bbbgate admin: use the plain-HTTP listen address (the admin "
                 "API is for the operator's own machine)\n";
    return 2;
  }
  auto enc = [](const std::string& s) { return net::percent_encode(s); };
  auto node_path = "/admin/nodes/" + enc(o.id);
  auto tenant_path = "/admin/tenants/" + enc(o.id);
  http::verb method = http::verb::get;
  std::string target;
  json body;
  std::string accept = "application/json";
  if (o.group == "nodes") {
    if (o.verb == "list") {
      target = "/admin/nodes";
    } else if (o.verb == "show") {
      target = node_path;
    } else if (o.verb == "add") {
      method = http::verb::post;
      target = "/admin/nodes";
      body = {{"id", o.id},
              {"url", o.node_url},
              {"secret", o.secret},
              {"capacity", o.capacity}};
      if (o.overcommit >= 0)
        body["overcommit"] = o.overcommit;
      if (!o.state.empty())
        body["state"] = o.state;
    } else if (o.verb == "set-state" || o.verb == "set") {
      method = http::verb::patch;
      target = node_path;
      body = json::object();
      if (!o.state.empty())
        body["state"] = o.state;
      if (o.capacity >= 0)
        body["capacity"] = o.capacity;
      if (o.overcommit >= 0)
        body["overcommit"] = o.overcommit;
    } else if (o.verb == "remove") {
      method = http::verb::delete_;
      target = node_path + (o.force ? "?force=true" : "");
    }
  } else {
    if (o.verb == "list") {
      target = "/admin/tenants";
    } else if (o.verb == "show") {
      target = tenant_path;
    } else if (o.verb == "add" || o.verb == "set") {
      method = o.verb == "add" ? http::verb::post : http::verb::patch;
      target = o.verb == "add" ? "/admin/tenants" : tenant_path;
      body = json::object();
      if (o.verb == "add")
        body["id"] = o.id;
      if (!o.secret.empty())
        body["secrets"] = json::array({o.secret});
      if (o.connections >= 0)
        body["connections"] = o.connections;
      if (!o.api_enabled.empty()) {
        if (o.api_enabled != "true" && o.api_enabled != "false") {
          std::cerr << "bbbgate admin: --api-enabled must be true or false\n";
          return 2;
        }
        body["api_enabled"] = o.api_enabled == "true";
      }
      if (o.max_participants >= 0)
        body["defaults"]["max_participants"] = o.max_participants;
      if (o.duration >= 0)
        body["defaults"]["duration_minutes"] = o.duration;
      if (!o.password.empty())
        body["console_password"] = o.password;
    } else if (o.verb == "remove") {
      method = http::verb::delete_;
      target = tenant_path + (o.force ? "?force=true" : "");
    } else if (o.verb == "rotate-secret") {
      method = http::verb::post;
      target = tenant_path + "/secrets";
    } else if (o.verb == "remove-secret") {
      method = http::verb::delete_;
      target = tenant_path + "/secrets/" + enc(o.secret);
    } else if (o.verb == "usage") {
      target = tenant_path + "/usage";
      std::string q;
      if (!o.from.empty())
        q += "from=" + enc(o.from);
      if (!o.to.empty())
        q += (q.empty() ? "" : "&") + std::string{"to="} + enc(o.to);
      if (!q.empty())
        target += "?" + q;
      if (o.csv)
        accept = "text/csv";
    }
  }
  auto res = call(ep, token, method, target,
                  body.is_null() ? std::string{} : body.dump(), accept);
  if (!res.error.empty()) {
    std::cerr << "bbbgate admin: " << base << ": " << res.error << "\n";
    return 3;
  }
  auto doc = json::parse(res.body, nullptr, false);
  if (res.status >= 400) {
    std::cerr << "bbbgate admin: HTTP " << res.status << ": "
              << (doc.is_object() && doc.contains("error") ? cell(doc["error"])
                                                           : res.body)
              << "\n";
    return 1;
  }
  if (o.as_json || o.csv || doc.is_discarded()) {
    std::cout << (doc.is_discarded() ? res.body : doc.dump(2)) << "\n";
    return 0;
  }
  if (o.verb == "list" && o.group == "nodes" && doc.contains("nodes"))
    table(doc["nodes"], {"id", "state", "online", "capacity", "committed",
                         "meetings", "participants", "webhooks", "url"});
  else if (o.verb == "list" && doc.contains("tenants"))
    table(doc["tenants"], {"id", "connections", "api_enabled", "now.meetings",
                           "now.reserved_connections", "now.lapsed_connections",
                           "now.free_connections"});
  else if (o.verb == "usage" && doc.contains("days"))
    table(doc["days"],
          {"date", "reserved_connection_minutes", "peak_reserved_connections",
           "meetings_started", "preemptions", "participant_minutes"});
  else if (doc.is_object())
    show(doc);
  else
    std::cout << doc.dump(2) << "\n";
  return 0;
}

} // namespace gw
