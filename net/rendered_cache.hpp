#pragma once

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace gw::net {

/// A document rendered from immutable snapshots, reused while every
/// snapshot it was rendered from is still the published one. The snapshots
/// are held type-erased (the net layer does not know their types); only
/// their identity is compared.
struct rendered_document {
  std::vector<std::shared_ptr<const void>> sources;
  std::string xml;
};

/// getMeetings documents rendered on one io thread, by tenant. Not
/// thread-safe by design: each io shard owns one, only its thread uses it.
struct rendered_cache {
  std::unordered_map<std::string, rendered_document> meetings;
};

} // namespace gw::net
