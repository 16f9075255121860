#include "net/prometheus.hpp"

#include <cmath>
#include <cstdio>

namespace gw::net {

namespace {

std::string number(double v) {
  if (std::isnan(v))
    return "NaN";
  if (std::isinf(v))
    return v > 0 ? "+Inf" : "-Inf";
  if (v == std::floor(v) && std::fabs(v) < 1e15)
    return std::to_string(static_cast<long long>(v));
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

} // namespace

std::string prom_escape(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out.push_back(c);
  }
  return out;
}

void prometheus_writer::family(std::string_view name, std::string_view type,
                               std::string_view help) {
  out_ += "# HELP ";
  out_ += name;
  out_ += ' ';
  out_ += help;
  out_ += "\n# TYPE ";
  out_ += name;
  out_ += ' ';
  out_ += type;
  out_ += '\n';
}

void prometheus_writer::sample(std::string_view name, const prom_labels& labels,
                               double value) {
  out_ += name;
  if (!labels.empty()) {
    out_ += '{';
    bool first = true;
    for (const auto& [k, v] : labels) {
      if (!first)
        out_ += ',';
      first = false;
      out_ += k;
      out_ += "=\"";
      out_ += prom_escape(v);
      out_ += '"';
    }
    out_ += '}';
  }
  out_ += ' ';
  out_ += number(value);
  out_ += '\n';
}

void prometheus_writer::histogram(std::string_view name,
                                  const prom_labels& labels,
                                  const histogram_sum& h) {
  uint64_t cumulative = 0;
  auto bucket = std::string{name} + "_bucket";
  for (std::size_t i = 0; i < h.buckets.size(); ++i) {
    cumulative += h.buckets[i];
    auto l = labels;
    l.emplace_back("le", i < latency_buckets.size() ? number(latency_buckets[i])
                                                    : std::string{"+Inf"});
    sample(bucket, l, static_cast<double>(cumulative));
  }
  sample(std::string{name} + "_sum", labels, h.sum_seconds);
  sample(std::string{name} + "_count", labels, static_cast<double>(h.count));
}

} // namespace gw::net
