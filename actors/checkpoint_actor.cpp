#include "actors/checkpoint_actor.hpp"

#include <filesystem>
#include <system_error>

#include <spdlog/spdlog.h>

namespace gw {

checkpoint_actor::behavior_type
checkpointer(checkpoint_actor::stateful_pointer<checkpoint_state> self,
             std::shared_ptr<store::store> db, std::string path,
             checkpoint_policy policy) {
  auto& st = self->state;
  st.db = std::move(db);
  st.wal_path = path + "-wal";
  st.policy = policy;
  self->delayed_send(self, policy.check_every, atom::tick_v);
  return {
    [self](atom::tick) {
      auto& s = self->state;
      std::error_code ec;
      auto size = std::filesystem::file_size(s.wal_path, ec);
      auto now = std::chrono::steady_clock::now();
      // A log that was reset and not written since needs nothing.
      bool due =
        !ec && size > 0
        && (size >= s.policy.min_wal_bytes || now - s.last >= s.policy.max_age);
      if (due) {
        bool restart = size >= s.policy.max_wal_bytes;
        if (auto err = s.db->checkpoint(restart); !err.empty())
          spdlog::warn("store: checkpoint failed: {}", err);
        s.last = now;
        ++s.checkpoints;
      }
      self->delayed_send(self, s.policy.check_every, atom::tick_v);
    },
  };
}

} // namespace gw
