#include "api/usage_format.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

#include "net/html.hpp"

namespace gw::api {

using json = nlohmann::json;

namespace {

double hundredths(double v) {
  return std::round(v * 100.0) / 100.0;
}

std::string number(double v) {
  std::ostringstream out;
  out << hundredths(v);
  return out.str();
}

} // namespace

json usage_json(const std::string& tenant, const std::vector<usage_day>& days) {
  auto out = json::array();
  for (const auto& d : days) {
    json refused = json::object();
    for (const auto& [k, n] : d.refused)
      refused[k] = n;
    out.push_back({{"date", d.date},
                   {"reserved_connection_minutes",
                    hundredths(d.reserved_connection_minutes)},
                   {"peak_reserved_connections", d.peak_reserved_connections},
                   {"meetings", d.meetings},
                   {"preemptions", d.preemptions},
                   {"refused", refused},
                   {"participant_minutes", hundredths(d.participant_minutes)}});
  }
  return json{{"tenant", tenant}, {"days", out}};
}

std::string usage_csv(const std::vector<usage_day>& days) {
  std::set<std::string> keys;
  for (const auto& d : days)
    for (const auto& [k, n] : d.refused)
      keys.insert(k);
  std::string out = "date,reserved_connection_minutes,peak_reserved_"
                    "connections,meetings,preemptions,participant_minutes";
  for (const auto& k : keys)
    out += ",refused_" + k;
  out += "\r\n";
  for (const auto& d : days) {
    out += d.date + "," + number(d.reserved_connection_minutes) + ","
           + std::to_string(d.peak_reserved_connections) + ","
           + std::to_string(d.meetings) + "," + std::to_string(d.preemptions)
           + "," + number(d.participant_minutes);
    for (const auto& k : keys) {
      auto it = d.refused.find(k);
      out += "," + std::to_string(it == d.refused.end() ? 0 : it->second);
    }
    out += "\r\n";
  }
  return out;
}

std::string usage_svg(const std::vector<usage_day>& days) {
  constexpr int width = 600, height = 160, pad = 24;
  double top = 1;
  for (const auto& d : days)
    top = std::max(top, d.reserved_connection_minutes);
  auto n = std::max<std::size_t>(days.size(), 1);
  double bar = static_cast<double>(width - 2 * pad) / static_cast<double>(n);
  std::ostringstream svg;
  svg
    << R"(<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 )" << width
    << " " << height + pad
    << R"(" role="img" aria-labelledby="chart-title" class="chart">)"
    << R"(<title id="chart-title">Reserved connection-minutes per day</title>)";
  for (std::size_t i = 0; i < days.size(); ++i) {
    const auto& d = days[i];
    double h = d.reserved_connection_minutes / top * (height - pad);
    double x = pad + static_cast<double>(i) * bar;
    svg << R"(<rect x=")" << x + 1 << R"(" y=")" << height - h << R"(" width=")"
        << std::max(1.0, bar - 2) << R"(" height=")" << h
        << R"(" fill="#1d4ed8"><title>)"
        << net::html_escape(d.date + ": "
                            + number(d.reserved_connection_minutes)
                            + " connection-minutes, peak "
                            + std::to_string(d.peak_reserved_connections))
        << "</title></rect>";
  }
  svg << R"(<line x1=")" << pad << R"(" y1=")" << height << R"(" x2=")"
      << width - pad << R"(" y2=")" << height
      << R"(" stroke="#374151"/><text x=")" << pad << R"(" y=")" << height + 16
      << R"(" font-size="12" fill="#374151">)"
      << (days.empty() ? "" : net::html_escape(days.front().date))
      << R"(</text><text x=")" << width - pad << R"(" y=")" << height + 16
      << R"(" font-size="12" text-anchor="end" fill="#374151">)"
      << (days.empty() ? "" : net::html_escape(days.back().date))
      << R"(</text><text x=")" << pad
      << R"(" y="12" font-size="12" fill="#374151">max )" << number(top)
      << "</text></svg>";
  return svg.str();
}

} // namespace gw::api
