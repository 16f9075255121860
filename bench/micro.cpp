// Micro-benchmarks (Google Benchmark): the costs on the hot paths.
#include "bench/micro.hpp"

#include <chrono>

#include <benchmark/benchmark.h>
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include "actors/fleet_actor.hpp"
#include "actors/recordings_parser.hpp"
#include "core/ledger.hpp"
#include "core/placement.hpp"
#include "core/recording.hpp"
#include "net/checksum.hpp"
#include "net/query.hpp"
#include "net/recording_params.hpp"
#include "net/recording_xml.hpp"

namespace gw::bench {

namespace {

/// A create call as Moodle sends it (about 700 bytes of query).
const std::string moodle_create =
  "meetingID=6f1b0d1a7c2e4f5aa9d3e8b7c6a5f4e3d2c1b0a9-12-34%5B0%5D"
  "&name=Physics+101+-+Lecture&attendeePW=Ab3dEf7h&moderatorPW=Zx9yWv5u"
  "&logoutURL=https%3A%2F%2Fmoodle.example.org%2Fmod%2Fbigbluebuttonbn%2F"
  "bbb_view.php%3Faction%3Dlogout%26id%3D34&record=true&welcome=Welcome"
  "+to+%3Cb%3EPhysics%3C%2Fb%3E&maxParticipants=40&muteOnStart=true"
  "&meta_bbb-origin=Moodle&meta_bbb-origin-version=4.3&meta_bbb-origin-"
  "server-name=moodle.example.org&meta_bbb-origin-server-common-name="
  "&meta_bbb-origin-tag=moodle-mod_bigbluebuttonbn+%282023100900%29"
  "&meta_bbb-context=Physics+101&meta_bbb-context-id=12&meta_bbb-context-"
  "name=Physics+101&meta_bbb-context-label=PHY101&meta_bbb-recording-name="
  "Lecture&meta_bbb-recording-description=&meta_bbb-recording-tags="
  "&meta_bbb-meeting-size-hint=38";

void checksum(benchmark::State& state, net::checksum_algo algo) {
  auto signed_q = net::sign_query("create", moodle_create, "secret", algo);
  std::vector<std::string> secrets{"secret"};
  std::vector<net::checksum_algo> all{algo};
  for (auto _ : state)
    benchmark::DoNotOptimize(
      net::verify_checksum("create", signed_q, secrets, all));
}

void BM_ChecksumSha1(benchmark::State& s) {
  checksum(s, net::checksum_algo::sha1);
}
void BM_ChecksumSha256(benchmark::State& s) {
  checksum(s, net::checksum_algo::sha256);
}
void BM_ChecksumSha384(benchmark::State& s) {
  checksum(s, net::checksum_algo::sha384);
}
void BM_ChecksumSha512(benchmark::State& s) {
  checksum(s, net::checksum_algo::sha512);
}

void BM_QueryParse(benchmark::State& state) {
  for (auto _ : state)
    benchmark::DoNotOptimize(net::query::parse(moodle_create));
}

void BM_Placement10kNodes(benchmark::State& state) {
  std::vector<node_load> loads(10000);
  for (std::size_t i = 0; i < loads.size(); ++i) {
    loads[i].id = "node-" + std::to_string(i);
    loads[i].capacity = 300;
    loads[i].committed = static_cast<int64_t>((i * 7919) % 300);
    loads[i].meetings = static_cast<int64_t>(i % 20);
  }
  // The fleet keeps the compact slots in step with the loads.
  std::vector<placement_slot> slots;
  for (const auto& l : loads)
    slots.push_back(slot_of(l));
  for (auto _ : state)
    benchmark::DoNotOptimize(rank_slots(slots, loads, 10, 8));
}

ledger big_ledger(bool lapsed) {
  ledger l{2'000'000};
  for (int i = 0; i < 100000; ++i) {
    auto id = "m" + std::to_string(i);
    l.book(id, 10);
    l.confirm(id, i, i);
    if (lapsed)
      l.lapse(id, i);
  }
  return l;
}

void BM_Ledger100kReserveFits(benchmark::State& state) {
  auto l = big_ledger(false);
  for (auto _ : state)
    benchmark::DoNotOptimize(l.reserve(10));
}

void BM_Ledger100kBookRelease(benchmark::State& state) {
  auto l = big_ledger(false);
  for (auto _ : state) {
    l.book("new-one", 5);
    l.release("new-one");
  }
}

void BM_Ledger100kPreemptPlan(benchmark::State& state) {
  // Full and every booking lapsed: the worst case, a scan and a sort.
  ledger l{1'000'000};
  for (int i = 0; i < 100000; ++i) {
    auto id = "m" + std::to_string(i);
    l.book(id, 10);
    l.confirm(id, i, i);
    l.lapse(id, i);
  }
  for (auto _ : state)
    benchmark::DoNotOptimize(l.reserve(100));
}

/// A tenant's index of 10,000 recordings, 3 per meeting, shaped as the
/// simulator reports them (the recordings bench's data).
std::shared_ptr<const recording_index> ten_thousand_recordings() {
  auto idx = std::make_shared<recording_index>();
  for (int i = 0; i < 10000; ++i) {
    auto r = std::make_shared<recording>();
    r->tenant = "rec";
    r->meeting_id = "course-" + std::to_string(i % 3333);
    r->record_id = "9f3c1e0b7a5d4c3b2a190817263544536271809a-"
                   + std::to_string(1700000000000 + i);
    r->internal_meeting_id = r->record_id;
    r->node_id = "rec" + std::to_string(1 + i % 4);
    r->name = "Course " + std::to_string(i % 3333);
    r->state = "published";
    r->published = true;
    r->start_time = 1700000000000 + i;
    r->end_time = r->start_time + 3600000;
    r->participants = 12;
    r->raw_size = 1 << 20;
    r->size = 1 << 19;
    r->metadata = {{"bbb-context", r->name},
                   {"meetingname", r->name},
                   {"meetingid", r->meeting_id},
                   {"isbreakout", "false"}};
    for (const char* type : {"presentation", "video"}) {
      playback_format f;
      f.type = type;
      f.url =
        "https://bbb1.example.org/playback/" + f.type + "/2.3/" + r->record_id;
      f.processing_time = 7177;
      f.length = 60;
      f.size = 1 << 19;
      f.preview_xml = "<images><image alt=\"Welcome\" height=\"136\" "
                      "width=\"176\">https://bbb1.example.org/presentation/"
                      + r->record_id
                      + "/thumbnails/thumb-1.png</image></images>";
      r->formats.push_back(std::move(f));
    }
    idx->items.push_back(std::move(r));
  }
  build_lookups(*idx);
  return idx;
}

/// getRecordings' query `qs`, parsed as the API parses it.
recording_query recording_ask(std::string_view qs) {
  return net::parse_recording_query(*net::query::parse(qs));
}

/// Selecting what `qs` asks for from 10,000 recordings.
void select_bench(benchmark::State& state, std::string_view qs) {
  auto idx = ten_thousand_recordings();
  auto rq = recording_ask(qs);
  for (auto _ : state)
    benchmark::DoNotOptimize(select_recordings(*idx, rq));
}

/// Rendering the answer to `qs` (`paged`: with totalElements).
void render_bench(benchmark::State& state, std::string_view qs, bool paged) {
  auto idx = ten_thousand_recordings();
  auto page = select_recordings(*idx, recording_ask(qs));
  for (auto _ : state)
    benchmark::DoNotOptimize(net::render_recordings(page, paged));
}

void BM_RecordingsSelectOneMeeting(benchmark::State& state) {
  select_bench(state, "meetingID=course-1234");
}

void BM_RecordingsSelectPage100(benchmark::State& state) {
  // A page of all recordings with totalElements: every match is counted.
  select_bench(state, "limit=100&offset=5000");
}

void BM_RecordingsRenderThree(benchmark::State& state) {
  render_bench(state, "meetingID=course-1234", false);
}

void BM_RecordingsRenderPage100(benchmark::State& state) {
  render_bench(state, "limit=100&offset=5000", true);
}

/// A node's page of 100 (about 130 KB) as a reconciliation reads it.
node_response node_page_100() {
  auto idx = ten_thousand_recordings();
  node_response res;
  res.status = 200;
  res.body = net::render_recordings(
    select_recordings(*idx, recording_ask("limit=100&offset=5000")), true);
  return res;
}

void BM_RecordingsParseNodePage100(benchmark::State& state) {
  auto res = node_page_100();
  for (auto _ : state)
    benchmark::DoNotOptimize(net::read_node_recordings(res));
}

void BM_RecordingsReadUnchangedNodePage100(benchmark::State& state) {
  // The same page when the index took it last time: hashed, not parsed.
  auto res = node_page_100();
  node_page first;
  first.res = res;
  read_page(first);
  for (auto _ : state) {
    node_page page;
    page.res = res;
    page.known_fingerprint = first.fingerprint;
    read_page(page);
    benchmark::DoNotOptimize(page.unchanged);
  }
}

caf::actor_system_config& bench_config(caf::actor_system_config& cfg) {
  cfg.set("scheduler.max-threads", 1);
  cfg.add_message_types<caf::id_block::gw>();
  return cfg;
}

void BM_ActorRoundTrip(benchmark::State& state) {
  caf::actor_system_config cfg;
  caf::actor_system sys{bench_config(cfg)};
  config::node_config n;
  n.id = "n1";
  n.url = "http://127.0.0.1:1/";
  n.secret = "s";
  n.capacity = 10;
  auto f =
    sys.spawn(fleet, std::vector<config::node_config>{n}, node_commitments{},
              std::make_shared<snapshot_slot<node_directory>>(),
              std::make_shared<const fleet_env>());
  {
    caf::scoped_actor self{sys};
    for (auto _ : state)
      self->request(f, caf::infinite, atom::place_v, int64_t{1})
        .receive([](const placement& p) { benchmark::DoNotOptimize(p); },
                 [](caf::error&) {});
  }
  caf::anon_send_exit(f, caf::exit_reason::user_shutdown);
}

class collector : public benchmark::ConsoleReporter {
public:
  explicit collector(std::vector<micro_result>& out) : out_(out) {}
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const auto& r : runs)
      out_.push_back({r.benchmark_name(),
                      r.GetAdjustedRealTime()
                        * (r.time_unit == benchmark::kMicrosecond   ? 1e3
                           : r.time_unit == benchmark::kMillisecond ? 1e6
                                                                    : 1.0)});
  }

private:
  std::vector<micro_result>& out_;
};

} // namespace

std::vector<micro_result> run_micro(bool smoke, const std::string& filter) {
  benchmark::RegisterBenchmark("checksum_sha1_create", BM_ChecksumSha1);
  benchmark::RegisterBenchmark("checksum_sha256_create", BM_ChecksumSha256);
  benchmark::RegisterBenchmark("checksum_sha384_create", BM_ChecksumSha384);
  benchmark::RegisterBenchmark("checksum_sha512_create", BM_ChecksumSha512);
  benchmark::RegisterBenchmark("query_parse_moodle_create", BM_QueryParse);
  benchmark::RegisterBenchmark("placement_10000_nodes", BM_Placement10kNodes);
  benchmark::RegisterBenchmark("ledger_100k_reserve_fits",
                               BM_Ledger100kReserveFits);
  benchmark::RegisterBenchmark("ledger_100k_book_release",
                               BM_Ledger100kBookRelease);
  benchmark::RegisterBenchmark("ledger_100k_preempt_plan",
                               BM_Ledger100kPreemptPlan);
  benchmark::RegisterBenchmark("recordings_select_one_meeting_of_10k",
                               BM_RecordingsSelectOneMeeting);
  benchmark::RegisterBenchmark("recordings_select_page_100_of_10k",
                               BM_RecordingsSelectPage100);
  benchmark::RegisterBenchmark("recordings_render_3", BM_RecordingsRenderThree);
  benchmark::RegisterBenchmark("recordings_render_page_100",
                               BM_RecordingsRenderPage100);
  benchmark::RegisterBenchmark("recordings_parse_node_page_100",
                               BM_RecordingsParseNodePage100);
  benchmark::RegisterBenchmark("recordings_read_unchanged_node_page_100",
                               BM_RecordingsReadUnchangedNodePage100);
  benchmark::RegisterBenchmark("actor_round_trip_foreign_thread",
                               BM_ActorRoundTrip);
  std::string min_time =
    smoke ? "--benchmark_min_time=0.01" : "--benchmark_min_time=0.5";
  std::string filter_flag = "--benchmark_filter=" + filter;
  std::vector<char*> argv{const_cast<char*>("bbbgate-bench"), min_time.data()};
  if (!filter.empty())
    argv.push_back(filter_flag.data());
  int argc = static_cast<int>(argv.size());
  benchmark::Initialize(&argc, argv.data());
  std::vector<micro_result> out;
  collector rep{out};
  benchmark::RunSpecifiedBenchmarks(&rep);
  return out;
}

} // namespace gw::bench
