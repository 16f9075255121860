#include "actors/checkpoint_actor.hpp"

#include <filesystem>
#include <system_error>

#include <spdlog/spdlog.h>

#include "net/log_limit.hpp"

namespace gw {

namespace {

using self_ptr = checkpoint_actor::stateful_pointer<checkpoint_state>;
using mode = store::sqlite_store::checkpoint_mode;

void checkpoint(self_ptr self, int64_t written) {
  auto& s = self->state;
  s.written_at_last = written;
  s.last = std::chrono::steady_clock::now();
  ++s.checkpoints;
  auto r = s.db->checkpoint(mode::passive);
  if (!r.error.empty()) {
    s.complete = false;
    GW_LOG_LIMITED(warn, "store: checkpoint failed: {}", r.error);
    return;
  }
  s.complete = r.copied_frames == r.log_frames;
  if (static_cast<std::uintmax_t>(r.log_frames * s.page_size)
      < s.policy.max_wal_bytes)
    return;
  // Writes that never pause: only a blocking checkpoint lets the log start
  // over.
  r = s.db->checkpoint(mode::restart);
  if (!r.error.empty())
    spdlog::warn("store: restart checkpoint failed: {}", r.error);
  else
    s.complete = true;
}

} // namespace

checkpoint_actor::behavior_type
checkpointer(checkpoint_actor::stateful_pointer<checkpoint_state> self,
             std::shared_ptr<store::sqlite_store> db, std::string path,
             store::sqlite_store::log_counter written,
             checkpoint_policy policy) {
  auto& st = self->state;
  st.db = std::move(db);
  st.wal_path = path + "-wal";
  st.written = std::move(written);
  st.policy = policy;
  st.page_size = st.db->page_size();
  self->delayed_send(self, policy.check_every, atom::tick_v);
  return {
    [self](atom::tick) {
      auto& s = self->state;
      auto total = s.written->load(std::memory_order_relaxed);
      auto pending =
        static_cast<std::uintmax_t>((total - s.written_at_last) * s.page_size);
      auto now = std::chrono::steady_clock::now();
      if (total != s.written_seen) {
        s.written_seen = total;
        s.written_changed = now;
      }
      if (pending >= s.policy.min_wal_bytes
          || (pending > 0 && now - s.last >= s.policy.max_age)) {
        checkpoint(self, total);
      } else if (pending == 0 && s.complete
                 && now - s.written_changed >= s.policy.truncate_after) {
        // Writes paused after a checkpoint that copied everything: a large
        // log file can be cut now, and a commit is unlikely to wait for it.
        std::error_code ec;
        auto size = std::filesystem::file_size(s.wal_path, ec);
        if (!ec && size > s.policy.truncate_above) {
          auto r = s.db->checkpoint(mode::truncate);
          if (!r.error.empty())
            spdlog::warn("store: truncating checkpoint failed: {}", r.error);
          else
            ++s.truncations;
        }
      }
      self->delayed_send(self, s.policy.check_every, atom::tick_v);
    },
  };
}

} // namespace gw
