#include "core/usage.hpp"

#include <algorithm>
#include <cstdio>

namespace gw {

namespace {

constexpr int64_t day_ms = 86'400'000;

// Howard Hinnant's days_from_civil / civil_from_days.
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void civil_from_days(int64_t z, int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

int64_t floor_div(int64_t a, int64_t b) {
  return a >= 0 ? a / b : -((-a + b - 1) / b);
}

} // namespace

std::optional<int64_t> parse_day(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-')
    return std::nullopt;
  auto digits = [&](std::size_t at, std::size_t n, unsigned& out) {
    out = 0;
    for (std::size_t i = at; i < at + n; ++i) {
      if (s[i] < '0' || s[i] > '9')
        return false;
      out = out * 10 + static_cast<unsigned>(s[i] - '0');
    }
    return true;
  };
  unsigned y = 0, m = 0, d = 0;
  if (!digits(0, 4, y) || !digits(5, 2, m) || !digits(8, 2, d) || m < 1
      || m > 12 || d < 1 || y < 1970)
    return std::nullopt;
  auto day = days_from_civil(y, m, d);
  // 2023-02-30 is not a date: it must come back as itself.
  int64_t yy = 0;
  unsigned mm = 0, dd = 0;
  civil_from_days(day, yy, mm, dd);
  if (yy != y || mm != m || dd != d)
    return std::nullopt;
  return day;
}

std::string format_day(int64_t day) {
  int64_t y = 0;
  unsigned m = 0, d = 0;
  civil_from_days(day, y, m, d);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(y),
                m, d);
  return buf;
}

std::vector<usage_day> compute_usage(const std::vector<usage_meeting>& meetings,
                                     const std::vector<usage_event>& events,
                                     int64_t from_day, int64_t to_day,
                                     double minute_ms, int64_t now_ms) {
  std::vector<usage_day> out;
  if (to_day < from_day || minute_ms <= 0)
    return out;
  for (int64_t day = from_day; day <= to_day; ++day) {
    usage_day u;
    u.date = format_day(day);
    const int64_t lo = day * day_ms;
    const int64_t hi = lo + day_ms;
    // Sweep: +c where a booking starts within the day (or before it, at
    // its start), -c where it ends; ends before starts at the same moment.
    std::vector<std::pair<int64_t, int64_t>> changes;
    double connection_ms = 0;
    for (const auto& m : meetings) {
      auto end = m.ended_ms > 0 ? m.ended_ms : now_ms;
      auto a = std::max(m.started_ms, lo);
      auto b = std::min(end, hi);
      if (m.started_ms >= lo && m.started_ms < hi)
        ++u.meetings;
      if (b <= a)
        continue;
      connection_ms +=
        static_cast<double>(m.connections) * static_cast<double>(b - a);
      changes.emplace_back(a, m.connections);
      changes.emplace_back(b, -m.connections);
    }
    std::sort(changes.begin(), changes.end());
    int64_t running = 0;
    for (const auto& [at, delta] : changes) {
      running += delta;
      u.peak_reserved_connections =
        std::max(u.peak_reserved_connections, running);
    }
    u.reserved_connection_minutes = connection_ms / minute_ms;
    double participant_ms = 0;
    for (const auto& e : events) {
      if (floor_div(e.at_ms, day_ms) != day)
        continue;
      if (e.kind == usage_preemption)
        u.preemptions += e.value;
      else if (e.kind == usage_participant_ms)
        participant_ms += static_cast<double>(e.value);
      else if (e.kind.rfind(usage_refused_prefix, 0) == 0)
        u.refused[e.kind.substr(usage_refused_prefix.size())] += e.value;
    }
    u.participant_minutes = participant_ms / minute_ms;
    out.push_back(std::move(u));
  }
  return out;
}

} // namespace gw
