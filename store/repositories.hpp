#pragma once

#include <memory>

#include "store/hook_repo.hpp"
#include "store/meeting_repo.hpp"
#include "store/node_repo.hpp"
#include "store/outbox_repo.hpp"
#include "store/recording_repo.hpp"
#include "store/tenant_repo.hpp"
#include "store/usage_repo.hpp"

namespace gw::store {

/// Every repository the store actor serves, one per concern. The SQLite
/// implementation provides all of them (store/sqlite_store.hpp); a
/// PostgreSQL one can replace it without touching the actors.
struct repositories {
  std::shared_ptr<meeting_repo> meetings;
  std::shared_ptr<node_repo> nodes;
  std::shared_ptr<recording_repo> recordings;
  /// Relays owed to clients (none: relays are kept in memory only).
  std::shared_ptr<outbox_repo> outbox;
  std::shared_ptr<tenant_repo> tenants;
  std::shared_ptr<usage_repo> usage;
  std::shared_ptr<hook_repo> hooks;
};

} // namespace gw::store
