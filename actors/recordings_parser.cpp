#include "actors/recordings_parser.hpp"

#include <charconv>
#include <string_view>
#include <system_error>

#include <pthread.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/digest.hpp"
#include "net/recording_xml.hpp"

namespace gw {

namespace {

/// Where a node's answer says `<totalElements>N</totalElements>` (after
/// its list: a metadata key of that name inside a recording is not it).
struct total_span {
  std::size_t begin = std::string::npos;
  std::size_t end = std::string::npos;
  int64_t total = -1;
};

total_span find_total(std::string_view body) {
  static constexpr std::string_view open = "<totalElements>";
  static constexpr std::string_view close = "</totalElements>";
  total_span out;
  auto list_end = body.rfind("</recordings>");
  if (list_end == std::string_view::npos)
    return out;
  auto b = body.find(open, list_end);
  auto e = b == std::string_view::npos ? b : body.find(close, b);
  if (e == std::string_view::npos)
    return out;
  auto digits = body.substr(b + open.size(), e - b - open.size());
  int64_t n = 0;
  auto [ptr, ec] =
    std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (ec != std::errc{} || ptr != digits.data() + digits.size() || n < 0)
    return out;
  out.begin = b;
  out.end = e + close.size();
  out.total = n;
  return out;
}

} // namespace

void read_page(node_page& page) {
  page.unchanged = false;
  page.fingerprint.clear();
  total_span total;
  if (page.res.error.empty() && page.res.status == 200) {
    // The page's recordings, not the node's total: a recording added or
    // removed elsewhere in the list changes every page's total only.
    std::string_view body = page.res.body;
    total = find_total(body);
    char hex[max_hex_digest];
    auto n = total.total < 0
               ? digest_hex(digest_algo::sha256, {body}, hex)
               : digest_hex(
                 digest_algo::sha256,
                 {body.substr(0, total.begin), body.substr(total.end)}, hex);
    page.fingerprint.assign(hex, n);
  }
  // Only a paged answer (one with its total) can be taken as known: a
  // list sent at once is read whole.
  if (!page.fingerprint.empty() && total.total >= 0
      && page.fingerprint == page.known_fingerprint) {
    // What the index took last time: nothing to read.
    page.unchanged = true;
    net::node_recordings same;
    same.ok = true;
    same.total = total.total;
    page.parsed = std::move(same);
  } else {
    page.parsed = net::read_node_recordings(page.res);
    if (!page.parsed->ok)
      page.fingerprint.clear();
  }
  page.res = {};
}

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
        read_page(*page);
        if (page->pause.count() > 0) {
          self->delayed_send(self, page->pause, atom::parse_v, page);
          return;
        }
      }
      page->then(*page);
    },
  };
}

} // namespace gw
