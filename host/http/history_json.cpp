#include "http/history_json.hpp"

#include <cmath>

namespace mdp::http {
namespace {

using nlohmann::json;

constexpr double kRateSteps = 100.0;  // per 1/s: rates are sent to 0.01/s

json rates_to_json(const std::vector<double>& per_second) {
    json values = json::array();
    for (const double rate : per_second) {
        if (std::isfinite(rate)) {
            values.push_back(std::round(rate * kRateSteps) / kRateSteps);
        } else {
            values.push_back(nullptr);
        }
    }
    return values;
}

json series_to_json(const std::vector<status::RateSeries>& series, const char* values_key) {
    json list = json::array();
    for (const status::RateSeries& line : series) {
        list.push_back({{"name", line.name}, {values_key, rates_to_json(line.per_second)}});
    }
    return list;
}

}  // namespace

json history_to_json(const status::HistorySnapshot& history) {
    return {{"now_ns", history.now_ns},
            {"interval_seconds", history.interval_seconds},
            {"max_samples", history.max_samples},
            {"queue",
             {{"capacity", history.queue_capacity},
              {"low_watermark", history.low_watermark},
              {"high_watermark", history.high_watermark}}},
            {"time_ns", history.time_ns},
            {"queue_depth", history.queue_depth},
            {"level_value", history.level_value},
            {"providers", series_to_json(history.providers, "events_per_second")},
            {"sinks", series_to_json(history.sinks, "stored_per_second")}};
}

}  // namespace mdp::http
