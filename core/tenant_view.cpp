#include "core/tenant_view.hpp"

namespace gw {

tenant_view_builder::index&
tenant_view_builder::writable(tenant_view::shards& s, owned& own,
                              std::size_t i) {
  if (!own[i]) {
    own[i] = s[i] ? std::make_shared<index>(*s[i]) : std::make_shared<index>();
    s[i] = own[i];
  }
  return *own[i];
}

void tenant_view_builder::erase_if(tenant_view::shards& s, owned& own,
                                   std::string_view key, const row_ptr& row) {
  auto i = tenant_view::shard_of(key);
  if (!s[i])
    return;
  auto it = s[i]->find(key);
  if (it == s[i]->end() || it->second != row)
    return;
  writable(s, own, i).erase(key);
}

void tenant_view_builder::put(const row_ptr& row, const row_ptr& old) {
  auto& ids =
    writable(next_.by_id_, own_id_, tenant_view::shard_of(row->meeting_id));
  // The key is a view into the row it maps to: a replaced row's key goes
  // with it.
  if (ids.erase(row->meeting_id) == 0)
    ++next_.size_;
  ids.emplace(row->meeting_id, row);
  if (old)
    erase_if(next_.by_internal_, own_internal_, old->internal_id, old);
  auto& internal = writable(next_.by_internal_, own_internal_,
                            tenant_view::shard_of(row->internal_id));
  internal.erase(row->internal_id);
  internal.emplace(row->internal_id, row);
}

void tenant_view_builder::remove(const row_ptr& old) {
  auto i = tenant_view::shard_of(old->meeting_id);
  if (next_.by_id_[i]) {
    auto it = next_.by_id_[i]->find(old->meeting_id);
    if (it != next_.by_id_[i]->end() && it->second == old) {
      writable(next_.by_id_, own_id_, i).erase(old->meeting_id);
      --next_.size_;
    }
  }
  erase_if(next_.by_internal_, own_internal_, old->internal_id, old);
}

} // namespace gw
