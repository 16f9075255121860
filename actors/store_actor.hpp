#pragma once

#include <memory>

#include "actors/interfaces.hpp"
#include "store/store.hpp"

namespace gw {

/// State of the store actor: the open database.
struct store_state {
  std::shared_ptr<store::store> db;
  static inline const char* name = "gw.store";
};

/// Serves the database; spawn it detached (SQLite blocks).
store_actor::behavior_type
store_service(store_actor::stateful_pointer<store_state> self,
              std::shared_ptr<store::store> db);

} // namespace gw
