#include "api/api_metrics.hpp"

#include <algorithm>

namespace gw::api {

namespace {

std::string_view element(std::string_view body, std::string_view name) {
  auto open = "<" + std::string{name} + ">";
  auto at = body.find(open);
  if (at == std::string_view::npos)
    return {};
  at += open.size();
  auto end = body.find('<', at);
  return end == std::string_view::npos ? std::string_view{}
                                       : body.substr(at, end - at);
}

template <class List>
std::size_t index_in(std::string_view what, const List& list) {
  auto it = std::find(list.begin(), list.end(), what);
  return it == list.end() ? list.size() - 1
                          : static_cast<std::size_t>(it - list.begin());
}

} // namespace

api_metrics::api_metrics(std::size_t shards) {
  for (std::size_t i = 0; i < std::max<std::size_t>(1, shards); ++i)
    shards_.push_back(std::make_unique<shard_counters>());
}

std::size_t api_metrics::call_index(std::string_view call) {
  return index_in(call, counted_calls);
}

std::size_t api_metrics::returncode_of(const net::http_response& r) {
  auto status = r.result_int();
  if (status >= 300 && status < 400)
    return 2;
  // The returncode is among the first elements of every BBB answer.
  std::string_view body = r.body();
  auto rc = element(body.substr(0, 256), "returncode");
  if (rc == "SUCCESS")
    return 0;
  if (rc == "FAILED")
    return 1;
  return 3;
}

std::size_t api_metrics::create_outcome_of(const net::http_response& r) {
  std::string_view body = r.body();
  auto rc = returncode_of(r);
  auto key = element(body, "messageKey");
  if (rc == 0)
    return key == "duplicateWarning" ? 1 : 0;
  if (key.empty())
    return create_outcomes.size() - 1;
  return index_in(key, create_outcomes);
}

net::responder api_metrics::counting(net::responder inner, std::size_t shard,
                                     std::string_view call) {
  auto* s = shards_[shard % shards_.size()].get();
  auto index = call_index(call);
  auto start = std::chrono::steady_clock::now();
  return [s, index, start, inner = std::move(inner)](net::http_response&& r) {
    auto& c = s->calls[index];
    c.answers[returncode_of(r)].fetch_add(1, std::memory_order_relaxed);
    c.duration.observe(std::chrono::steady_clock::now() - start);
    if (index == 0)
      s->creates[create_outcome_of(r)].fetch_add(1, std::memory_order_relaxed);
    inner(std::move(r));
  };
}

api_totals api_metrics::totals() const {
  api_totals out;
  for (const auto& s : shards_) {
    for (std::size_t c = 0; c < counted_calls.size(); ++c) {
      for (std::size_t r = 0; r < returncodes.size(); ++r)
        out.answers[c][r] +=
          s->calls[c].answers[r].load(std::memory_order_relaxed);
      out.duration[c].add(s->calls[c].duration);
    }
    for (std::size_t o = 0; o < create_outcomes.size(); ++o)
      out.creates[o] += s->creates[o].load(std::memory_order_relaxed);
  }
  return out;
}

} // namespace gw::api
