#include "number_text.hpp"

#include "wire_constants.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <limits>

namespace mdp::ibkr {

namespace {

std::string_view trim(std::string_view text) noexcept {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
        text.remove_prefix(1);
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
        text.remove_suffix(1);
    }
    if (text.size() > 1 && text.front() == '+') {
        text.remove_prefix(1);
    }
    return text;
}

bool is_non_finite_spelling(std::string_view text) noexcept {
    // Java writes "Infinity", "-Infinity" and "NaN"; other programs "inf"/"nan".
    if (!text.empty() && text.front() == '-') {
        text.remove_prefix(1);
    }
    return text == "Infinity" || text == "NaN" || text == "inf" || text == "nan" || text == "INF" || text == "NAN";
}

// For a number from_chars found out of range: true when its magnitude is too large (rather
// than too small). A negative exponent or a leading "0." means too small.
bool is_overflow_spelling(std::string_view text) noexcept {
    const std::size_t exponent = text.find_first_of("eE");
    if (exponent != std::string_view::npos) {
        return exponent + 1 >= text.size() || text[exponent + 1] != '-';
    }
    if (!text.empty() && text.front() == '-') {
        text.remove_prefix(1);
    }
    return !text.starts_with("0.") && !text.starts_with(".");
}

}  // namespace

ParsedInteger parse_integer(std::string_view text) noexcept {
    text = trim(text);
    if (text.empty()) {
        return {NumberStatus::empty, 0};
    }
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error == std::errc() && end == text.data() + text.size()) {
        if (value == wire::kUnsetInteger || value == wire::kUnsetLong) {
            return {NumberStatus::unset, value};
        }
        return {NumberStatus::value, value};
    }
    // Lenient: an integral decimal such as "5.0" or "1E2".
    const ParsedDouble as_double = parse_double(text);
    if (as_double.status == NumberStatus::unset) {
        return {NumberStatus::unset, 0};
    }
    if (as_double.status == NumberStatus::value && std::trunc(as_double.value) == as_double.value &&
        std::fabs(as_double.value) < 9.2e18) {
        return {NumberStatus::value, static_cast<std::int64_t>(as_double.value)};
    }
    return {NumberStatus::invalid, 0};
}

ParsedDouble parse_double(std::string_view text) noexcept {
    text = trim(text);
    if (text.empty()) {
        return {NumberStatus::empty, 0.0};
    }
    double value = 0.0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (end != text.data() + text.size()) {
        if (is_non_finite_spelling(text)) {
            return {NumberStatus::unset, 0.0};
        }
        return {NumberStatus::invalid, 0.0};
    }
    if (error == std::errc::result_out_of_range) {
        // Beyond Double.MAX_VALUE is unset as well; a too small magnitude is zero.
        return is_overflow_spelling(text) ? ParsedDouble{NumberStatus::unset, 0.0}
                                          : ParsedDouble{NumberStatus::value, 0.0};
    }
    if (error != std::errc()) {
        return {NumberStatus::invalid, 0.0};
    }
    if (!std::isfinite(value) || std::fabs(value) >= wire::kUnsetDouble) {
        return {NumberStatus::unset, 0.0};
    }
    return {NumberStatus::value, value};
}

void append_integer(std::string& out, std::int64_t value) {
    std::array<char, 24> buffer{};
    const auto [end, error] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
    (void)error;  // 24 bytes always fit an int64
    out.append(buffer.data(), end);
}

void append_double(std::string& out, double value, DoubleStyle style) {
    if (std::isnan(value)) {
        return;
    }
    // Plain decimals for every magnitude a price or size can have ("0.0001", not "1e-04");
    // exponent form only beyond that, where fixed notation would be absurdly long.
    const double magnitude = std::fabs(value);
    const bool fixed = magnitude == 0.0 || (magnitude >= 1e-9 && magnitude < 1e16);
    std::array<char, 64> buffer{};
    const auto [end, error] =
        fixed ? std::to_chars(buffer.data(), buffer.data() + buffer.size(), value, std::chars_format::fixed)
              : std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
    (void)error;  // 64 bytes fit the shortest fixed form below 1e16 and any general form
    const std::string_view text(buffer.data(), static_cast<std::size_t>(end - buffer.data()));
    out.append(text);
    if (style == DoubleStyle::shortest || text.find_first_of("eEn") != std::string_view::npos) {
        return;  // exponent forms and "inf" are left as they are
    }
    const std::size_t dot = text.find('.');
    const std::size_t fraction_digits = dot == std::string_view::npos ? 0 : text.size() - dot - 1;
    const std::size_t wanted = style == DoubleStyle::python ? 1 : 2;
    if (dot == std::string_view::npos) {
        out.push_back('.');
    }
    for (std::size_t digits = fraction_digits; digits < wanted; ++digits) {
        out.push_back('0');
    }
}

}  // namespace mdp::ibkr
