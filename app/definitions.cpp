#include "app/definitions.hpp"

#include <map>

#include "core/digest.hpp"
#include "net/tenant_json.hpp"

namespace gw {

std::string node_fingerprint(const node_spec& spec) {
  return hex_digest(digest_algo::sha256,
                    spec.id + "\n" + spec.url + "\n" + spec.secret + "\n"
                      + std::to_string(spec.capacity) + "\n"
                      + std::to_string(spec.overcommit) + "\n" + spec.state);
}

std::string tenant_fingerprint(const config::tenant_config& t) {
  const tenant_spec& spec = t;
  return hex_digest(digest_algo::sha256, net::tenant_to_stored(spec),
                    "\n" + t.console_password);
}

node_merge merge_nodes(const std::vector<store::stored_node>& stored,
                       const std::vector<node_config>& file) {
  std::map<std::string, const store::stored_node*> left;
  for (const auto& r : stored)
    left[r.spec.id] = &r;
  node_merge out;
  for (const auto& n : file) {
    auto spec = spec_of(n);
    auto fp = node_fingerprint(spec);
    auto it = left.find(n.id);
    if (it != left.end() && it->second->file_fingerprint == fp) {
      node_config cfg;
      if (!it->second->removed && !validate_node(it->second->spec, cfg))
        out.run.push_back(cfg);
    } else {
      out.put.push_back({spec, fp, false});
      out.run.push_back(n);
    }
    if (it != left.end())
      left.erase(it);
  }
  for (const auto& [id, r] : left) {
    node_config cfg;
    if (r->file_fingerprint.empty() && !r->removed
        && !validate_node(r->spec, cfg))
      out.run.push_back(cfg);
    else if (!r->file_fingerprint.empty() && !r->removed)
      out.drop.push_back(id);
  }
  return out;
}

tenant_merge
merge_tenants(const std::vector<store::stored_tenant>& stored,
              const std::vector<config::tenant_config>& file,
              const std::function<std::string(const std::string&)>& hash) {
  std::map<std::string, const store::stored_tenant*> left;
  for (const auto& r : stored)
    left[r.spec.id] = &r;
  tenant_merge out;
  for (const auto& t : file) {
    auto fp = tenant_fingerprint(t);
    auto it = left.find(t.id);
    if (it != left.end() && it->second->file_fingerprint == fp) {
      if (!it->second->removed && !validate_tenant(it->second->spec))
        out.run.push_back(it->second->spec);
    } else {
      tenant_spec next = t;
      if (!t.console_password.empty())
        next.console_password_hash = hash(t.console_password);
      else if (it != left.end())
        next.console_password_hash = it->second->spec.console_password_hash;
      out.put.push_back({next, fp, false});
      out.run.push_back(std::move(next));
    }
    if (it != left.end())
      left.erase(it);
  }
  for (const auto& [id, r] : left) {
    if (r->file_fingerprint.empty() && !r->removed && !validate_tenant(r->spec))
      out.run.push_back(r->spec);
    else if (!r->file_fingerprint.empty() && !r->removed)
      out.drop.push_back(id);
  }
  return out;
}

bool same_tenant(const tenant_spec& a, const tenant_spec& b) {
  return net::tenant_to_stored(a) == net::tenant_to_stored(b);
}

} // namespace gw
