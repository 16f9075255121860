#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/usage.hpp"

namespace gw::api {

/// `{"tenant": ..., "days": [...]}` (design.md §8); minutes rounded to
/// hundredths.
nlohmann::json usage_json(const std::string& tenant,
                          const std::vector<usage_day>& days);

/// One row per day under a header whose first column is `date`; refused
/// creates as one `refused_<messageKey>` column per key seen.
std::string usage_csv(const std::vector<usage_day>& days);

/// A bar chart (server-side SVG, no script) of reserved connection-minutes
/// per day, with the peak as a line: for the console.
std::string usage_svg(const std::vector<usage_day>& days);

} // namespace gw::api
