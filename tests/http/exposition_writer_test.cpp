// The Prometheus exposition writer: escaping, grouping, duplicates, histograms, values.
#include "exposition_parser.hpp"
#include "metrics/exposition_writer.hpp"
#include "metrics/histogram.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

using mdp::metrics::ExpositionWriter;
using mdp::metrics::HistogramSnapshot;
using mdp::metrics::MetricFamily;
using mdp::metrics::MetricType;

namespace {

constexpr MetricFamily kGauge{"test_gauge", "A gauge.", MetricType::gauge};
constexpr MetricFamily kCounter{"test_events_total", "A counter.", MetricType::counter};
constexpr MetricFamily kHistogram{"test_duration_seconds", "A histogram.", MetricType::histogram};

std::size_t count_occurrences(const std::string& text, const std::string& needle) {
    std::size_t count = 0;
    for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
        ++count;
    }
    return count;
}

}  // namespace

TEST_CASE("label values escape backslash, double quote and newline", "[http][exposition]") {
    ExpositionWriter writer;
    writer.add(kGauge, {{"provider", "a\\b\"c\nd"}}, 1.0);
    const std::string text = writer.finish();
    CHECK(text.find(R"(test_gauge{provider="a\\b\"c\nd"} 1)") != std::string::npos);
    const auto parsed = mdp::test::parse_exposition(text);
    REQUIRE(parsed.problems.empty());
    CHECK(parsed.samples.at(0).labels.at("provider") == "a\\b\"c\nd");
}

TEST_CASE("escape helpers follow the 0.0.4 rules", "[http][exposition]") {
    CHECK(mdp::metrics::escape_label_value("plain") == "plain");
    CHECK(mdp::metrics::escape_label_value("\\") == "\\\\");
    CHECK(mdp::metrics::escape_label_value("\"") == "\\\"");
    CHECK(mdp::metrics::escape_label_value("\n") == "\\n");
    // Help text escapes backslash and newline but leaves quotes alone.
    CHECK(mdp::metrics::escape_help_text("say \"hi\"\\\n") == "say \"hi\"\\\\\\n");
}

TEST_CASE("invalid UTF-8 in a label value is replaced, valid UTF-8 kept", "[http][exposition]") {
    CHECK(mdp::metrics::escape_label_value("caf\xC3\xA9") == "caf\xC3\xA9");
    CHECK(mdp::metrics::escape_label_value("bad\xC3\x28") == "bad\xEF\xBF\xBD(");
    CHECK(mdp::metrics::escape_label_value("\xFF") == "\xEF\xBF\xBD");
}

TEST_CASE("a family's series stay together under one HELP and TYPE even when added interleaved", "[http][exposition]") {
    ExpositionWriter writer;
    writer.add(kGauge, {{"provider", "a"}}, 1.0);
    writer.add(kCounter, {{"provider", "a"}}, std::uint64_t{10});
    writer.add(kGauge, {{"provider", "b"}}, 2.0);
    writer.add(kCounter, {{"provider", "b"}}, std::uint64_t{20});
    const std::string text = writer.finish();

    CHECK(text ==
          "# HELP test_gauge A gauge.\n"
          "# TYPE test_gauge gauge\n"
          "test_gauge{provider=\"a\"} 1\n"
          "test_gauge{provider=\"b\"} 2\n"
          "# HELP test_events_total A counter.\n"
          "# TYPE test_events_total counter\n"
          "test_events_total{provider=\"a\"} 10\n"
          "test_events_total{provider=\"b\"} 20\n");
    CHECK(mdp::test::parse_exposition(text).problems.empty());
}

TEST_CASE("a series added twice is written once, whatever the label order", "[http][exposition]") {
    ExpositionWriter writer;
    writer.add(kCounter, {{"provider", "a"}, {"level", "ok"}}, std::uint64_t{1});
    writer.add(kCounter, {{"level", "ok"}, {"provider", "a"}}, std::uint64_t{2});
    writer.add(kCounter, {{"provider", "a"}, {"level", "hard"}}, std::uint64_t{3});
    writer.add(kGauge, {}, 1.0);
    writer.add(kGauge, {}, 2.0);
    CHECK(writer.duplicates_dropped() == 2);
    const std::string text = writer.finish();
    CHECK(count_occurrences(text, "level=\"ok\"") == 1);
    CHECK(text.find("test_events_total{provider=\"a\",level=\"ok\"} 1\n") != std::string::npos);
    CHECK(text.find("test_gauge 1\n") != std::string::npos);
    CHECK(text.find("test_gauge 2\n") == std::string::npos);
    CHECK(mdp::test::parse_exposition(text).problems.empty());
}

TEST_CASE("histograms: cumulative buckets ascending, +Inf equals _count, then _sum and _count", "[http][exposition]") {
    mdp::metrics::Histogram histogram({0.1, 0.5, 1.0});
    histogram.observe(0.0625);
    histogram.observe(0.25);
    histogram.observe(0.375);
    histogram.observe(5.0);  // only in +Inf
    ExpositionWriter writer;
    writer.add_histogram(kHistogram, {{"sink", "main"}}, histogram.snapshot());
    const std::string text = writer.finish();
    CHECK(text ==
          "# HELP test_duration_seconds A histogram.\n"
          "# TYPE test_duration_seconds histogram\n"
          "test_duration_seconds_bucket{sink=\"main\",le=\"0.1\"} 1\n"
          "test_duration_seconds_bucket{sink=\"main\",le=\"0.5\"} 3\n"
          "test_duration_seconds_bucket{sink=\"main\",le=\"1\"} 3\n"
          "test_duration_seconds_bucket{sink=\"main\",le=\"+Inf\"} 4\n"
          "test_duration_seconds_sum{sink=\"main\"} 5.6875\n"
          "test_duration_seconds_count{sink=\"main\"} 4\n");
}

TEST_CASE("an inconsistent histogram snapshot is clamped so buckets never decrease", "[http][exposition]") {
    HistogramSnapshot snapshot;
    snapshot.upper_bounds = {0.001, 0.01, 0.1};
    snapshot.cumulative = {5, 3, 7};  // a torn read: 3 < 5
    snapshot.count = 6;  // less than the last bucket
    snapshot.sum = 0.5;
    ExpositionWriter writer;
    writer.add_histogram(kHistogram, {}, snapshot);
    const auto parsed = mdp::test::parse_exposition(writer.finish());
    REQUIRE(parsed.problems.empty());
    CHECK(parsed.value("test_duration_seconds_bucket", {{"le", "0.001"}}) == 5);
    CHECK(parsed.value("test_duration_seconds_bucket", {{"le", "0.01"}}) == 5);
    CHECK(parsed.value("test_duration_seconds_bucket", {{"le", "0.1"}}) == 7);
    CHECK(parsed.value("test_duration_seconds_bucket", {{"le", "+Inf"}}) == 7);
    CHECK(parsed.value("test_duration_seconds_count") == 7);
}

TEST_CASE("an empty histogram still has its +Inf bucket", "[http][exposition]") {
    ExpositionWriter writer;
    writer.add_histogram(kHistogram, {}, HistogramSnapshot{});
    const std::string text = writer.finish();
    CHECK(text.find("test_duration_seconds_bucket{le=\"+Inf\"} 0\n") != std::string::npos);
    CHECK(text.find("test_duration_seconds_sum 0\n") != std::string::npos);
    CHECK(text.find("test_duration_seconds_count 0\n") != std::string::npos);
}

TEST_CASE("bucket bounds of the duration histogram read as plain decimals", "[http][exposition]") {
    mdp::metrics::Histogram histogram(mdp::metrics::Histogram::duration_bounds_seconds());
    ExpositionWriter writer;
    writer.add_histogram(kHistogram, {}, histogram.snapshot());
    const std::string text = writer.finish();
    CHECK(text.find("le=\"0.0001\"") != std::string::npos);
    CHECK(text.find("le=\"0.00025\"") != std::string::npos);
    CHECK(text.find("le=\"2.5\"") != std::string::npos);
    CHECK(text.find("le=\"10\"") != std::string::npos);
}

TEST_CASE("event latency buckets: fine steps from 100 us to 10 ms, every duration bound kept", "[http][exposition]") {
    const auto bounds = mdp::metrics::Histogram::event_latency_bounds_seconds();
    REQUIRE(std::is_sorted(bounds.begin(), bounds.end()));
    for (const double bound : mdp::metrics::Histogram::duration_bounds_seconds()) {
        CHECK(std::find(bounds.begin(), bounds.end(), bound) != bounds.end());
    }
    // No step between 100 us and 10 ms is wider than a third, so p50/p99 read to within one.
    for (std::size_t index = 1; index < bounds.size() && bounds[index] <= 0.01; ++index) {
        CHECK(bounds[index] / bounds[index - 1] <= 1.34);
    }
    mdp::metrics::Histogram histogram(bounds);
    ExpositionWriter writer;
    writer.add_histogram(kHistogram, {}, histogram.snapshot());
    const std::string text = writer.finish();
    CHECK(text.find("le=\"0.000125\"") != std::string::npos);
    CHECK(text.find("le=\"0.00075\"") != std::string::npos);
    CHECK(text.find("le=\"0.0075\"") != std::string::npos);
}

TEST_CASE("sample values: integers exact, special values spelled as Prometheus expects", "[http][exposition]") {
    using mdp::metrics::format_sample_value;
    CHECK(format_sample_value(0.0) == "0");
    CHECK(format_sample_value(8000.0) == "8000");
    CHECK(format_sample_value(-3.0) == "-3");
    CHECK(format_sample_value(0.5) == "0.5");
    CHECK(format_sample_value(1.0 / 3.0) == "0.3333333333333333");
    CHECK(format_sample_value(1.5e-9) == "1.5e-09");
    CHECK(format_sample_value(1e300) == "1e+300");
    CHECK(format_sample_value(NAN) == "NaN");
    CHECK(format_sample_value(INFINITY) == "+Inf");
    CHECK(format_sample_value(-INFINITY) == "-Inf");
    for (const double value : {0.1, 1.0 / 3.0, 123456.789, 1.5e-9, 6.02e23}) {
        CHECK(std::stod(format_sample_value(value)) == value);
    }
    ExpositionWriter writer;
    writer.add(kCounter, {}, std::uint64_t{18446744073709551615ull});
    CHECK(writer.finish().find("test_events_total 18446744073709551615\n") != std::string::npos);
}

TEST_CASE("the document ends with a newline, even when empty", "[http][exposition]") {
    ExpositionWriter empty;
    CHECK(empty.finish() == "\n");
    ExpositionWriter writer;
    writer.add(kGauge, {}, 1.0);
    const std::string text = writer.finish();
    CHECK(text.back() == '\n');
    CHECK(writer.finish() == "\n");  // finish() empties the writer
}

TEST_CASE("help text is escaped and made valid UTF-8", "[http][exposition]") {
    ExpositionWriter writer;
    writer.add(MetricFamily{"test_help", "line one\nline two \\ \xFF", MetricType::gauge}, {}, 1.0);
    CHECK(writer.finish().starts_with("# HELP test_help line one\\nline two \\\\ \xEF\xBF\xBD\n"));
}

TEST_CASE("invalid names and misuse are programming errors", "[http][exposition]") {
    ExpositionWriter writer;
    CHECK_THROWS_AS(writer.add(MetricFamily{"1bad", "", MetricType::gauge}, {}, 1.0), std::invalid_argument);
    CHECK_THROWS_AS(writer.add(MetricFamily{"bad-name", "", MetricType::gauge}, {}, 1.0), std::invalid_argument);
    CHECK_THROWS_AS(writer.add(kGauge, {{"bad-label", "x"}}, 1.0), std::invalid_argument);
    CHECK_THROWS_AS(writer.add(kGauge, {{"__reserved", "x"}}, 1.0), std::invalid_argument);
    CHECK_THROWS_AS(writer.add(kGauge, {{"a", "x"}, {"a", "y"}}, 1.0), std::invalid_argument);
    CHECK_THROWS_AS(writer.add_histogram(kHistogram, {{"le", "1"}}, HistogramSnapshot{}), std::invalid_argument);
    CHECK_THROWS_AS(writer.add(kHistogram, {}, 1.0), std::invalid_argument);
    CHECK_THROWS_AS(writer.add_histogram(kGauge, {}, HistogramSnapshot{}), std::invalid_argument);
    writer.add(kGauge, {}, 1.0);
    CHECK_THROWS_AS(writer.add(MetricFamily{"test_gauge", "", MetricType::counter}, {}, 1.0), std::invalid_argument);
    CHECK(mdp::metrics::is_valid_metric_name("ns:sub_name_total"));
    CHECK_FALSE(mdp::metrics::is_valid_label_name("ns:colon"));
}
