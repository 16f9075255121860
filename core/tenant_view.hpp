#pragma once

#include <array>
#include <cstddef>
#include <memory>
#include <string_view>
#include <unordered_map>

#include "core/meeting.hpp"

namespace gw {

/// What the hot path reads for one tenant: its meetings by client ID and by
/// internal ID. Published by the tenant actor, read lock-free by io threads,
/// immutable once published. Both indexes are split into shards, so the
/// next snapshot copies only the shards a change touched: a create is
/// published at once (read-after-write) at a cost that does not grow with
/// the tenant's meetings (docs/performance.md).
class tenant_view {
public:
  using row_ptr = std::shared_ptr<const meeting_row>;
  static constexpr std::size_t shard_count = 64;

  /// Returns the meeting with client meetingID `id`, or null; valid while
  /// this snapshot is held (no reference count touched on the hot path).
  const row_ptr* find(std::string_view id) const {
    return lookup(by_id_, id);
  }

  /// Returns the meeting with internal ID `id`, or null (as find()).
  const row_ptr* find_internal(std::string_view id) const {
    return lookup(by_internal_, id);
  }

  std::size_t size() const {
    return size_;
  }

  bool empty() const {
    return size_ == 0;
  }

  /// Calls `f(row)` for every meeting.
  template <class F>
  void for_each(F&& f) const {
    for (const auto& shard : by_id_)
      if (shard)
        for (const auto& kv : *shard)
          f(kv.second);
  }

private:
  friend class tenant_view_builder;
  /// Keys point into the rows they map to.
  using index = std::unordered_map<std::string_view, row_ptr>;
  using shards = std::array<std::shared_ptr<const index>, shard_count>;

  static std::size_t shard_of(std::string_view key) {
    return std::hash<std::string_view>{}(key) % shard_count;
  }

  static const row_ptr* lookup(const shards& s, std::string_view key) {
    const auto& shard = s[shard_of(key)];
    if (!shard)
      return nullptr;
    auto it = shard->find(key);
    return it == shard->end() ? nullptr : &it->second;
  }

  shards by_id_;
  shards by_internal_;
  std::size_t size_ = 0;
};

/// Builds the next snapshot from the last one: unchanged shards are shared,
/// a touched shard is copied once per build. Tenant actor only.
class tenant_view_builder {
public:
  using row_ptr = tenant_view::row_ptr;

  explicit tenant_view_builder(const tenant_view& base) : next_(base) {}

  /// `row` replaces `old` (null when its ID was not there).
  void put(const row_ptr& row, const row_ptr& old);

  /// `old` is gone.
  void remove(const row_ptr& old);

  std::shared_ptr<const tenant_view> build() {
    return std::make_shared<const tenant_view>(std::move(next_));
  }

private:
  using index = tenant_view::index;
  /// The shards copied in this build (nobody else holds them yet).
  using owned = std::array<std::shared_ptr<index>, tenant_view::shard_count>;

  index& writable(tenant_view::shards& s, owned& own, std::size_t i);
  /// Erases `key` if it maps to `row`.
  void erase_if(tenant_view::shards& s, owned& own, std::string_view key,
                const row_ptr& row);

  tenant_view next_;
  owned own_id_;
  owned own_internal_;
};

} // namespace gw
