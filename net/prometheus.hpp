#pragma once

// Writes the Prometheus text exposition format (version 0.0.4): one family
// at a time, label values escaped, histograms cumulative with +Inf, _sum
// and _count.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/metrics.hpp"

namespace gw::net {

using prom_labels = std::vector<std::pair<std::string, std::string>>;

class prometheus_writer {
public:
  /// Starts a family: `# HELP` and `# TYPE` (counter, gauge, histogram).
  void family(std::string_view name, std::string_view type,
              std::string_view help);

  /// One sample of the current family (`suffix` for histogram parts).
  void sample(std::string_view name, const prom_labels& labels, double value);

  /// A whole histogram sample set under the current family.
  void histogram(std::string_view name, const prom_labels& labels,
                 const histogram_sum& h);

  const std::string& text() const {
    return out_;
  }

private:
  std::string out_;
};

/// A label value escaped for the exposition format (`\`, `"`, newline).
std::string prom_escape(std::string_view v);

} // namespace gw::net
