#pragma once

#include <string>
#include <vector>

#include "core/expected.hpp"
#include "core/hook.hpp"

namespace gw::store {

/// The clients' webhooks (migration 8), owned by the hooks actor. Used by
/// the store actor only (blocking).
class hook_repo {
public:
  virtual ~hook_repo() = default;

  /// Every hook of every tenant, oldest first.
  virtual expected<std::vector<hook>> load_hooks() = 0;

  /// Inserts or replaces a hook.
  virtual expected<void> put_hook(const hook& h) = 0;

  /// Removes hook `id` (nothing when unknown).
  virtual expected<void> remove_hook(const std::string& id) = 0;
};

} // namespace gw::store
