#include "app/reload.hpp"

#include <map>
#include <set>

namespace gw {

namespace {

bool same_node(const node_spec& a, const node_spec& b) {
  return a.capacity == b.capacity && a.overcommit == b.overcommit
         && a.state == b.state;
}

} // namespace

reload_plan plan_reload(node_merge nodes, tenant_merge tenants,
                        const running_definitions& running) {
  reload_plan plan;
  std::map<std::string, const node_spec*> nodes_now;
  for (const auto& n : running.nodes)
    nodes_now[n.id] = &n;
  std::set<std::string> keep;
  for (const auto& cfg : nodes.run) {
    auto want = spec_of(cfg);
    keep.insert(want.id);
    auto it = nodes_now.find(want.id);
    if (it == nodes_now.end())
      plan.add_nodes.push_back(want);
    else if (it->second->url != want.url || it->second->secret != want.secret)
      plan.replace_nodes.push_back(want);
    else if (!same_node(*it->second, want))
      plan.change_nodes.push_back(want);
  }
  for (const auto& n : running.nodes)
    if (keep.count(n.id) == 0)
      plan.remove_nodes.push_back(n.id);

  std::map<std::string, const tenant_spec*> tenants_now;
  for (const auto& t : running.tenants)
    tenants_now[t.id] = &t;
  keep.clear();
  for (auto& want : tenants.run) {
    keep.insert(want.id);
    auto it = tenants_now.find(want.id);
    if (it == tenants_now.end())
      plan.add_tenants.push_back(std::move(want));
    else if (!same_tenant(*it->second, want))
      plan.change_tenants.push_back(std::move(want));
  }
  for (const auto& t : running.tenants)
    if (keep.count(t.id) == 0)
      plan.remove_tenants.push_back(t.id);
  plan.put_nodes = std::move(nodes.put);
  plan.put_tenants = std::move(tenants.put);
  return plan;
}

tenant_patch replacing_patch(const tenant_spec& spec) {
  tenant_patch p;
  p.secrets = spec.secrets;
  p.connections = spec.connections;
  p.api_enabled = spec.api_enabled;
  p.default_max_participants = spec.default_max_participants;
  p.default_duration_minutes = spec.default_duration_minutes;
  p.checksum_algorithms = spec.checksum_algorithms;
  p.texts = spec.texts;
  p.hosts = spec.hosts;
  p.default_chat_texts = spec.default_chat_texts;
  if (!spec.console_password_hash.empty())
    p.console_password_hash = spec.console_password_hash;
  return p;
}

std::vector<std::string> restart_only_changes(const config::config& a,
                                              const config::config& b) {
  std::vector<std::string> out;
  auto check = [&out](bool same, const char* key) {
    if (!same)
      out.emplace_back(key);
  };
  check(a.listen == b.listen, "listen");
  check(a.public_url == b.public_url, "public_url");
  check(a.database == b.database, "database");
  check(a.admin_token == b.admin_token, "admin.token");
  check(a.poll_interval_seconds == b.poll_interval_seconds,
        "poll_interval_seconds");
  check(a.live_data_max_age_ms == b.live_data_max_age_ms,
        "live_data_max_age_ms");
  check(a.minute_seconds == b.minute_seconds, "testing.minute_seconds");
  check(a.recordings_sync_seconds == b.recordings_sync_seconds,
        "recordings.sync_interval_seconds");
  check(a.callbacks_retry_hours == b.callbacks_retry_hours,
        "callbacks.retry_for_hours");
  check(a.defaults.max_participants == b.defaults.max_participants
          && a.defaults.duration_minutes == b.defaults.duration_minutes,
        "defaults");
  check(a.texts.welcome == b.texts.welcome
          && a.texts.moderator_only == b.texts.moderator_only,
        "chat_texts");
  check(a.console.enabled == b.console.enabled
          && a.console.session_minutes == b.console.session_minutes
          && a.console.operator_password == b.console.operator_password,
        "console");
  check(a.metrics_token == b.metrics_token, "metrics.token");
  check(a.log_format == b.log_format && a.log_access == b.log_access, "log");
  check(a.usage_retention_days == b.usage_retention_days,
        "usage.retention_days");
  check(a.overcommit == b.overcommit, "overcommit");
  check(a.io_threads == b.io_threads, "io_threads");
  check(a.body_limit_bytes == b.body_limit_bytes, "body_limit_bytes");
  check(a.max_connections == b.max_connections, "max_connections");
  return out;
}

} // namespace gw

#include <caf/scoped_actor.hpp>

#include "core/password.hpp"

namespace gw {

namespace {

constexpr auto reload_timeout = std::chrono::seconds(30);

/// The nodes and tenants that run now.
running_definitions running_now(const reload_actors& a, caf::scoped_actor& self,
                                std::string& error) {
  running_definitions out;
  auto dir = a.directory->load();
  self->request(a.fleet, reload_timeout, atom::nodes_v)
    .receive(
      [&](const std::vector<node_load>& loads) {
        for (const auto& l : loads) {
          node_spec s;
          s.id = l.id;
          s.capacity = l.capacity;
          s.overcommit = l.overcommit;
          s.state = l.state;
          if (auto it = dir->find(l.id); it != dir->end()) {
            s.url = it->second->url;
            s.secret = it->second->secret;
          }
          out.nodes.push_back(std::move(s));
        }
      },
      [&](caf::error& e) { error = "fleet: " + failure_of(e).message; });
  for (const auto& [id, entry] : a.tenant_dir->load()->by_id)
    out.tenants.push_back(entry->env->cfg);
  return out;
}

} // namespace

reload_report apply_reload(const reload_actors& a, const config::config& file) {
  reload_report report;
  caf::scoped_actor self{*a.sys};
  stored_definitions_ptr stored;
  std::string error;
  self
    ->request(a.store, reload_timeout, atom::load_v, atom::nodes_v,
              atom::tenants_v)
    .receive([&](stored_definitions_ptr& d) { stored = std::move(d); },
             [&](caf::error& e) { error = failure_of(e).message; });
  if (!stored) {
    report.failed.push_back("store: " + error);
    return report;
  }
  auto running = running_now(a, self, error);
  if (!error.empty()) {
    report.failed.push_back(error);
    return report;
  }
  auto plan = plan_reload(
    merge_nodes(stored->nodes, file.nodes),
    merge_tenants(stored->tenants, file.tenants,
                  [](const std::string& pw) { return hash_password(pw); }),
    running);
  // Entries whose change was refused keep their old fingerprint: the next
  // reload (or restart) tries again.
  std::set<std::string> refused_nodes;
  std::set<std::string> refused_tenants;
  auto node_call = [&](const std::string& what, const std::string& id,
                       auto... msg) {
    bool ok = false;
    self->request(a.fleet, reload_timeout, msg...)
      .receive([&](bool) { ok = true; },
               [&](caf::error& e) {
                 report.failed.push_back(what + ": " + failure_of(e).message);
                 refused_nodes.insert(id);
               });
    if (ok)
      report.done.push_back(what);
    return ok;
  };
  auto drain = [&](const std::string& id) {
    node_spec s;
    s.id = id;
    s.state = "draining";
    self->request(a.fleet, reload_timeout, atom::update_v, s)
      .receive([](bool) {}, [](caf::error&) {});
  };
  for (const auto& n : plan.add_nodes)
    node_call("node " + n.id + " added", n.id, atom::add_v, n);
  for (const auto& n : plan.change_nodes)
    node_call("node " + n.id + " changed", n.id, atom::update_v, n);
  for (const auto& n : plan.replace_nodes)
    if (node_call("node " + n.id + " removed (new URL or secret)", n.id,
                  atom::remove_v, n.id, false))
      node_call("node " + n.id + " added again", n.id, atom::add_v, n);
    else
      drain(n.id);
  for (const auto& id : plan.remove_nodes)
    if (!node_call("node " + id + " removed", id, atom::remove_v, id, false))
      drain(id);
  auto tenant_done = [&](const std::string& what) {
    report.done.push_back(what);
  };
  auto tenant_refused = [&](const std::string& what, const std::string& id) {
    return [&report, &refused_tenants, what, id](caf::error& e) {
      report.failed.push_back(what + ": " + failure_of(e).message);
      refused_tenants.insert(id);
    };
  };
  for (const auto& t : plan.add_tenants) {
    auto what = "tenant " + t.id + " added";
    self
      ->request(a.tenants, reload_timeout, atom::tenant_v, atom::add_v,
                std::make_shared<const tenant_spec>(t))
      .receive([&](bool) { tenant_done(what); }, tenant_refused(what, t.id));
  }
  for (const auto& t : plan.change_tenants) {
    auto what = "tenant " + t.id + " changed";
    self
      ->request(a.tenants, reload_timeout, atom::tenant_v, atom::update_v, t.id,
                std::make_shared<const tenant_patch>(replacing_patch(t)))
      .receive([&](const tenant_spec_ptr&) { tenant_done(what); },
               tenant_refused(what, t.id));
  }
  for (const auto& id : plan.remove_tenants) {
    auto what = "tenant " + id + " removed";
    self
      ->request(a.tenants, reload_timeout, atom::tenant_v, atom::remove_v, id,
                false)
      .receive([&](int64_t) { tenant_done(what); }, tenant_refused(what, id));
  }
  auto remember = std::make_shared<stored_definitions>();
  for (auto& n : plan.put_nodes)
    if (refused_nodes.count(n.spec.id) == 0)
      remember->nodes.push_back(std::move(n));
  for (auto& t : plan.put_tenants)
    if (refused_tenants.count(t.spec.id) == 0)
      remember->tenants.push_back(std::move(t));
  if (remember->nodes.empty() && remember->tenants.empty())
    return report;
  self
    ->request(a.store, reload_timeout, atom::put_v,
              stored_definitions_ptr{std::move(remember)})
    .receive([](bool) {},
             [&](caf::error& e) {
               report.failed.push_back("store: " + failure_of(e).message);
             });
  return report;
}

} // namespace gw
