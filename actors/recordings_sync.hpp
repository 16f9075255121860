#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>

#include "actors/recordings_actor.hpp"
#include "core/node.hpp"
#include "core/node_call.hpp"

namespace gw {

/// Reads every recording of one node, `page_size` at a time (offset/limit,
/// BBB 2.6+; a node that sends no totalElements gave its whole list at
/// once), and hands the whole list to the recordings actor as one
/// `synced`. Each page is parsed on the recordings actor's thread (`parse`),
/// never on an io thread; nothing blocks. A list
/// whose total changed between pages is marked incomplete (the index then
/// adds what it lacks and removes nothing). Failures are logged; the next
/// reconciliation tries again.
/// `pause` passes between one page's answer and the next request (the
/// work spread out); `finished` runs once it is over, whatever the outcome
/// (it may only send).
void sync_recordings(
  node_caller call, std::shared_ptr<const node_info> node,
  recordings_actor index, int64_t page_size = 100,
  std::chrono::milliseconds pause = std::chrono::milliseconds(0),
  std::function<void()> finished = {});

} // namespace gw
