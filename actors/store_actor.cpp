#include "actors/store_actor.hpp"

#include <spdlog/spdlog.h>

namespace gw {

store_actor::behavior_type
store_service(store_actor::stateful_pointer<store_state> self,
              std::shared_ptr<store::store> db) {
  self->state.db = std::move(db);
  return {
    [self](atom::put, const meeting_row& row) {
      auto err = self->state.db->put_meeting(row);
      if (!err.empty()) {
        spdlog::error("store: cannot save meeting {}/{}: {}", row.tenant,
                      row.meeting_id, err);
        return false;
      }
      return true;
    },
    [self](atom::fetch, const std::string& tenant, const std::string& id) {
      return self->state.db->load_meeting(tenant, id);
    },
    [self](atom::put, const node_spec& spec) {
      if (auto err = self->state.db->update_node(spec); !err.empty())
        spdlog::error("store: cannot save node {}: {}", spec.id, err);
    },
    [self](atom::remove, const std::string& id) {
      if (auto err = self->state.db->remove_node(id); !err.empty())
        spdlog::error("store: cannot remove node {}: {}", id, err);
    },
    [self](atom::erase, const std::string& tenant, const std::string& id) {
      auto err = self->state.db->erase_meeting(tenant, id);
      if (!err.empty())
        spdlog::error("store: cannot delete meeting {}/{}: {}", tenant, id,
                      err);
    },
  };
}

} // namespace gw
