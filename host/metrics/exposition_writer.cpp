#include "metrics/exposition_writer.hpp"

#include "common/utf8.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <stdexcept>

namespace mdp::metrics {
namespace {

constexpr std::string_view type_name(MetricType type) {
    switch (type) {
        case MetricType::counter:
            return "counter";
        case MetricType::gauge:
            return "gauge";
        case MetricType::histogram:
            return "histogram";
    }
    return "untyped";
}

bool is_name_start(char character, bool allow_colon) {
    return (character >= 'a' && character <= 'z') || (character >= 'A' && character <= 'Z') || character == '_' ||
           (allow_colon && character == ':');
}

bool is_name_character(char character, bool allow_colon) {
    return is_name_start(character, allow_colon) || (character >= '0' && character <= '9');
}

bool is_valid_name(std::string_view name, bool allow_colon) {
    if (name.empty() || !is_name_start(name.front(), allow_colon)) {
        return false;
    }
    return std::all_of(name.begin(), name.end(),
                       [allow_colon](char character) { return is_name_character(character, allow_colon); });
}

void validate_labels(const MetricFamily& family, ExpositionWriter::Labels labels) {
    for (auto label = labels.begin(); label != labels.end(); ++label) {
        if (!is_valid_label_name(label->name)) {
            throw std::invalid_argument("metric " + std::string(family.name) + ": invalid label name \"" +
                                        std::string(label->name) + "\"");
        }
        if (family.type == MetricType::histogram && label->name == "le") {
            throw std::invalid_argument("metric " + std::string(family.name) + ": label \"le\" is reserved");
        }
        for (auto other = labels.begin(); other != label; ++other) {
            if (other->name == label->name) {
                throw std::invalid_argument("metric " + std::string(family.name) + ": label \"" +
                                            std::string(label->name) + "\" given twice");
            }
        }
    }
}

// Appends the identity of a series: its family and its labels sorted by name, so the same
// label set given in another order is recognised.
void append_series_key(std::string& out, std::size_t family_index, ExpositionWriter::Labels labels) {
    std::array<const Label*, 8> sorted_small{};
    std::vector<const Label*> sorted_large;
    const Label** first = sorted_small.data();
    if (labels.size() > sorted_small.size()) {
        sorted_large.resize(labels.size());
        first = sorted_large.data();
    }
    std::size_t count = 0;
    for (const Label& label : labels) {
        first[count++] = &label;
    }
    std::sort(first, first + count, [](const Label* left, const Label* right) { return left->name < right->name; });
    out.append(reinterpret_cast<const char*>(&family_index), sizeof(family_index));
    for (std::size_t index = 0; index < count; ++index) {
        out.append(first[index]->name);
        out.push_back('\0');
        out.append(first[index]->value);
        out.push_back('\0');
    }
}

void append_escaped_label_value(std::string& out, std::string_view value) {
    std::string repaired;
    if (!common::is_valid_utf8(value)) {
        repaired = common::to_valid_utf8(value);
        value = repaired;
    }
    for (std::size_t special = value.find_first_of("\\\"\n"); special != std::string_view::npos;
         special = value.find_first_of("\\\"\n")) {
        out.append(value.substr(0, special));
        out.append(value[special] == '\n' ? "\\n" : value[special] == '"' ? "\\\"" : "\\\\");
        value.remove_prefix(special + 1);
    }
    out.append(value);
}

std::string format_unsigned(std::uint64_t value) {
    std::array<char, 24> buffer{};
    const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
    return {buffer.data(), result.ptr};
}

}  // namespace

bool is_valid_metric_name(std::string_view name) noexcept { return is_valid_name(name, true); }

bool is_valid_label_name(std::string_view name) noexcept {
    return is_valid_name(name, false) && !name.starts_with("__");
}

std::string escape_label_value(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    append_escaped_label_value(out, value);
    return out;
}

std::string escape_help_text(std::string_view text) {
    const std::string valid = common::to_valid_utf8(text);
    std::string out;
    out.reserve(valid.size());
    for (const char character : valid) {
        if (character == '\\') {
            out.append("\\\\");
        } else if (character == '\n') {
            out.append("\\n");
        } else {
            out.push_back(character);
        }
    }
    return out;
}

std::string format_sample_value(double value) {
    if (std::isnan(value)) {
        return "NaN";
    }
    if (std::isinf(value)) {
        return value > 0 ? "+Inf" : "-Inf";
    }
    std::array<char, 64> buffer{};
    constexpr double kExactIntegerLimit = 9007199254740992.0;  // 2^53
    if (value == std::trunc(value) && std::fabs(value) < kExactIntegerLimit) {
        const auto result =
            std::to_chars(buffer.data(), buffer.data() + buffer.size(), static_cast<std::int64_t>(value));
        return {buffer.data(), result.ptr};
    }
    // Plain decimals where they stay short (bucket bounds like 0.0001 read better that way),
    // otherwise whichever shortest form the library picks.
    const double magnitude = std::fabs(value);
    const auto result =
        magnitude >= 1e-4 && magnitude < 1e15
            ? std::to_chars(buffer.data(), buffer.data() + buffer.size(), value, std::chars_format::fixed)
            : std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
    return {buffer.data(), result.ptr};
}

bool ExpositionWriter::SeriesKeyEqual::operator()(const SeriesKey& left, const SeriesKey& right) const noexcept {
    return left.length == right.length && std::string_view(*arena).substr(left.offset, left.length) ==
                                              std::string_view(*arena).substr(right.offset, right.length);
}

std::size_t ExpositionWriter::family_for(const MetricFamily& family) {
    const auto found = family_index_.find(family.name);
    if (found != family_index_.end()) {
        const FamilyBuffer& existing = families_[found->second];
        if (existing.type != family.type) {
            throw std::invalid_argument("metric " + existing.name + " added as " + std::string(type_name(family.type)) +
                                        " but declared " + std::string(type_name(existing.type)));
        }
        return found->second;
    }
    if (!is_valid_metric_name(family.name)) {
        throw std::invalid_argument("invalid metric name \"" + std::string(family.name) + "\"");
    }
    FamilyBuffer& created = families_.emplace_back();
    created.name = std::string(family.name);
    created.help = escape_help_text(family.help);
    created.type = family.type;
    family_index_.emplace(created.name, families_.size() - 1);
    return families_.size() - 1;
}

bool ExpositionWriter::register_series(std::size_t family_index, Labels labels) {
    const std::size_t offset = key_arena_.size();
    append_series_key(key_arena_, family_index, labels);
    const std::size_t length = key_arena_.size() - offset;
    const std::size_t hash = std::hash<std::string_view>{}(std::string_view(key_arena_).substr(offset, length));
    if (series_.insert(SeriesKey{offset, length, hash}).second) {
        return true;
    }
    key_arena_.resize(offset);
    ++duplicates_dropped_;
    return false;
}

void ExpositionWriter::add_sample_line(FamilyBuffer& buffer, std::string_view suffix, Labels labels,
                                       std::string_view extra_label_name, std::string_view extra_label_value,
                                       std::string_view value_text) {
    std::string& out = buffer.series_text;
    out.append(buffer.name);
    out.append(suffix);
    if (labels.size() != 0 || !extra_label_name.empty()) {
        out.push_back('{');
        bool first = true;
        const auto append_label = [&](std::string_view name, std::string_view value) {
            if (!first) {
                out.push_back(',');
            }
            first = false;
            out.append(name);
            out.append("=\"");
            append_escaped_label_value(out, value);
            out.push_back('"');
        };
        for (const Label& label : labels) {
            append_label(label.name, label.value);
        }
        if (!extra_label_name.empty()) {
            append_label(extra_label_name, extra_label_value);
        }
        out.push_back('}');
    }
    out.push_back(' ');
    out.append(value_text);
    out.push_back('\n');
}

void ExpositionWriter::add(const MetricFamily& family, Labels labels, double value) {
    if (family.type == MetricType::histogram) {
        throw std::invalid_argument("metric " + std::string(family.name) + " is a histogram: use add_histogram");
    }
    validate_labels(family, labels);
    const std::size_t index = family_for(family);
    if (register_series(index, labels)) {
        add_sample_line(families_[index], "", labels, {}, {}, format_sample_value(value));
    }
}

void ExpositionWriter::add(const MetricFamily& family, Labels labels, std::uint64_t value) {
    if (family.type == MetricType::histogram) {
        throw std::invalid_argument("metric " + std::string(family.name) + " is a histogram: use add_histogram");
    }
    validate_labels(family, labels);
    const std::size_t index = family_for(family);
    if (register_series(index, labels)) {
        add_sample_line(families_[index], "", labels, {}, {}, format_unsigned(value));
    }
}

void ExpositionWriter::add_histogram(const MetricFamily& family, Labels labels, const HistogramSnapshot& histogram) {
    if (family.type != MetricType::histogram) {
        throw std::invalid_argument("metric " + std::string(family.name) + " is not declared as a histogram");
    }
    validate_labels(family, labels);
    const std::size_t index = family_for(family);
    if (!register_series(index, labels)) {
        return;
    }
    FamilyBuffer& buffer = families_[index];
    // Cumulative counts must never decrease and +Inf must equal _count; a snapshot read
    // while observations land could disagree slightly, so clamp rather than emit nonsense.
    std::uint64_t running = 0;
    double previous_bound = -INFINITY;
    const std::size_t bound_count = std::min(histogram.upper_bounds.size(), histogram.cumulative.size());
    for (std::size_t index = 0; index < bound_count; ++index) {
        const double bound = histogram.upper_bounds[index];
        if (std::isnan(bound) || std::isinf(bound) || bound <= previous_bound) {
            continue;
        }
        previous_bound = bound;
        running = std::max(running, histogram.cumulative[index]);
        add_sample_line(buffer, "_bucket", labels, "le", format_sample_value(bound), format_unsigned(running));
    }
    const std::uint64_t total = std::max(running, histogram.count);
    const std::string total_text = format_unsigned(total);
    add_sample_line(buffer, "_bucket", labels, "le", "+Inf", total_text);
    add_sample_line(buffer, "_sum", labels, {}, {}, format_sample_value(histogram.sum));
    add_sample_line(buffer, "_count", labels, {}, {}, total_text);
}

std::string ExpositionWriter::finish() {
    std::size_t total_size = 0;
    for (const FamilyBuffer& family : families_) {
        total_size += family.series_text.size() + family.help.size() + 2 * family.name.size() + 32;
    }
    std::string document;
    document.reserve(total_size + 1);
    for (const FamilyBuffer& family : families_) {
        document.append("# HELP ").append(family.name).push_back(' ');
        document.append(family.help).push_back('\n');
        document.append("# TYPE ").append(family.name).push_back(' ');
        document.append(type_name(family.type)).push_back('\n');
        document.append(family.series_text);
    }
    if (document.empty() || document.back() != '\n') {
        document.push_back('\n');
    }
    families_.clear();
    family_index_.clear();
    series_.clear();
    key_arena_.clear();
    return document;
}

}  // namespace mdp::metrics
