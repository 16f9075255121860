#include "actors/recordings_sync.hpp"

#include <caf/send.hpp>

#include "net/log_limit.hpp"
#include "net/node_api.hpp"

namespace gw {

namespace {

struct page_reader : std::enable_shared_from_this<page_reader> {
  node_caller call;
  std::shared_ptr<const node_info> node;
  recordings_actor index;
  int64_t page_size = 100;
  std::chrono::milliseconds pause{0};
  std::function<void()> finished;
  int64_t offset = 0;
  int64_t pages = 0;
  node_sync_ptr sync = std::make_shared<node_sync>();

  ~page_reader() {
    // The last page was handled (or the chain broke): over either way.
    if (finished)
      finished();
  }

  void deliver() {
    sync->list.ok = true;
    caf::anon_send(index, atom::synced_v, node->id, std::move(sync));
  }

  void next() {
    // The page is parsed by the recordings actor, not on the io thread
    // that received it.
    call(background_shard, node,
         net::recordings_request(*node, offset, page_size),
         [self = shared_from_this()](node_response&& res) {
           auto page = std::make_shared<node_page>();
           page->node = self->node->id;
           page->offset = self->offset;
           page->res = std::move(res);
           page->pause = self->pause;
           page->then = [self](node_page& got) { self->on_page(got); };
           caf::anon_send(self->index, atom::parse_v, page);
         });
  }

  void on_page(node_page& read) {
    auto& page = *read.parsed;
    auto& list = sync->list;
    if (!page.ok) {
      GW_LOG_LIMITED(warn, "recordings: node {} gave no list ({})", node->id,
                     page.problem);
      return;
    }
    if (page.total < 0 && pages == 0) {
      // An older BBB ignores offset and limit: this is everything.
      list = std::move(page);
      return deliver();
    }
    ++pages;
    if (list.total >= 0 && page.total != list.total)
      list.complete = false;
    list.total = page.total;
    page_mark mark;
    mark.offset = offset;
    mark.fingerprint = std::move(read.fingerprint);
    mark.first = list.recordings.size();
    mark.unchanged = read.unchanged;
    auto got = static_cast<int64_t>(read.unchanged ? read.known_count
                                                   : page.recordings.size());
    for (auto& r : page.recordings)
      list.recordings.push_back(std::move(r));
    mark.count = list.recordings.size() - mark.first;
    sync->pages.push_back(std::move(mark));
    offset += got;
    // The last page, or a node whose list shrank under the reader.
    if (got == 0 || offset >= page.total
        || pages > page.total / page_size + 2) {
      if (offset < page.total)
        list.complete = false;
      return deliver();
    }
    next();
  }
};

} // namespace

void sync_recordings(node_caller call, std::shared_ptr<const node_info> node,
                     recordings_actor index, int64_t page_size,
                     std::chrono::milliseconds pause,
                     std::function<void()> finished) {
  auto reader = std::make_shared<page_reader>();
  reader->call = std::move(call);
  reader->node = std::move(node);
  reader->index = std::move(index);
  reader->page_size = page_size;
  reader->pause = pause;
  reader->finished = std::move(finished);
  reader->next();
}

} // namespace gw
