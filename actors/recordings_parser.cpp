#include "actors/recordings_parser.hpp"

#include <pthread.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "net/recording_xml.hpp"

namespace gw {

recordings_parser_actor::behavior_type
recordings_parser(recordings_parser_actor::pointer self, bool own_thread) {
  // A detached actor runs this on its own thread: the nice value is the
  // thread's (Linux keeps it per thread), so nothing else is lowered.
  if (own_thread) {
    pthread_setname_np(pthread_self(), "gw-rec-parse");
    auto tid = static_cast<id_t>(::syscall(SYS_gettid));
    if (::setpriority(PRIO_PROCESS, tid, recordings_parser_nice) != 0)
      spdlog::debug("recordings parser: priority unchanged");
  }
  return {
    [self](atom::parse, const node_page_ptr& page) {
      if (!page->parsed) {
        page->parsed = net::read_node_recordings(page->res);
        page->res = {};
        if (page->pause.count() > 0) {
          self->delayed_send(self, page->pause, atom::parse_v, page);
          return;
        }
      }
      page->then(std::move(*page->parsed));
    },
  };
}

} // namespace gw
