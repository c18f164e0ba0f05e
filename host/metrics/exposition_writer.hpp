#pragma once
// Prometheus text exposition format 0.0.4, built series by series and rendered once.
//
// Guarantees of finish(): every family appears once, with one HELP and one TYPE line,
// followed by all of its series in the order they were added (even when the caller
// interleaves families); label values and help text are escaped and made valid UTF-8;
// a series added twice (same family, same label set) is kept once (the first) and
// counted in duplicates_dropped(); histograms get cumulative `_bucket{le}` lines in
// ascending order ending with `le="+Inf"` equal to `_count`, then `_sum` and `_count`;
// the document ends with a newline.
//
// Metric and label names are fixed by the code that calls this, so an invalid name is a
// programming error: std::invalid_argument.
//
// Not thread-safe: one writer per rendering.

#include "metrics/histogram.hpp"

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace mdp::metrics {

enum class MetricType { counter, gauge, histogram };

// What a family is; `name` is the full name as exposed (counters end in `_total`).
struct MetricFamily {
    std::string_view name;
    std::string_view help;
    MetricType type = MetricType::gauge;
};

struct Label {
    std::string_view name;
    std::string_view value;
};

class ExpositionWriter {
   public:
    using Labels = std::initializer_list<Label>;

    ExpositionWriter() = default;
    // Not copyable or movable: the series index points into this object.
    ExpositionWriter(const ExpositionWriter&) = delete;
    ExpositionWriter& operator=(const ExpositionWriter&) = delete;

    // A counter or gauge sample. Integers are written exactly.
    void add(const MetricFamily& family, Labels labels, double value);
    void add(const MetricFamily& family, Labels labels, std::uint64_t value);
    // All series of one histogram (family.type must be histogram).
    void add_histogram(const MetricFamily& family, Labels labels, const HistogramSnapshot& histogram);

    // The whole document; the writer is empty afterwards.
    [[nodiscard]] std::string finish();

    // Series ignored because an identical one was added before.
    [[nodiscard]] std::size_t duplicates_dropped() const { return duplicates_dropped_; }

   private:
    struct FamilyBuffer {
        std::string name;
        std::string help;
        MetricType type = MetricType::gauge;
        std::string series_text;
    };
    // A series identity (family index + label set, labels sorted by name), stored as a
    // range of key_arena_ so registering a series allocates no string of its own.
    struct SeriesKey {
        std::size_t offset = 0;
        std::size_t length = 0;
        std::size_t hash = 0;
    };
    struct SeriesKeyHash {
        std::size_t operator()(const SeriesKey& key) const noexcept { return key.hash; }
    };
    struct SeriesKeyEqual {
        const std::string* arena = nullptr;
        bool operator()(const SeriesKey& left, const SeriesKey& right) const noexcept;
    };
    struct NameHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view name) const noexcept { return std::hash<std::string_view>{}(name); }
    };

    std::size_t family_for(const MetricFamily& family);
    // Registers the label set; false when this family already has it.
    bool register_series(std::size_t family_index, Labels labels);
    void add_sample_line(FamilyBuffer& buffer, std::string_view suffix, Labels labels,
                         std::string_view extra_label_name, std::string_view extra_label_value,
                         std::string_view value_text);

    std::vector<FamilyBuffer> families_;
    std::unordered_map<std::string, std::size_t, NameHash, std::equal_to<>> family_index_;
    std::string key_arena_;
    std::unordered_set<SeriesKey, SeriesKeyHash, SeriesKeyEqual> series_{64, SeriesKeyHash{},
                                                                         SeriesKeyEqual{&key_arena_}};
    std::size_t duplicates_dropped_ = 0;
};

// Exposition helpers, exposed for tests.
[[nodiscard]] std::string escape_label_value(std::string_view value);
[[nodiscard]] std::string escape_help_text(std::string_view text);
// A sample value: NaN, +Inf, -Inf, integers without a fraction, otherwise the shortest text
// that reads back as the same double.
[[nodiscard]] std::string format_sample_value(double value);
[[nodiscard]] bool is_valid_metric_name(std::string_view name) noexcept;
[[nodiscard]] bool is_valid_label_name(std::string_view name) noexcept;

// The Content-Type of the document finish() returns.
inline constexpr std::string_view kExpositionContentType = "text/plain; version=0.0.4; charset=utf-8";

}  // namespace mdp::metrics
