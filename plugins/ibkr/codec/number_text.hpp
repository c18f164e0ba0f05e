#pragma once
// Numbers as the text protocol writes them, in both directions.
//
// Parsing is lenient, as TWS output varies by version and field: surrounding spaces and a
// leading '+' are accepted, integers may arrive as "5.0", and the Java sentinels
// (Integer/Long.MAX_VALUE, Double.MAX_VALUE) and non-finite spellings mean "unset".
//
// Formatting is canonical per style so encoded messages are byte-exact with what IB's own
// programs send (see DoubleStyle).

#include <cstdint>
#include <string>
#include <string_view>

namespace mdp::ibkr {

enum class NumberStatus {
    value,  // parsed; `value` holds it
    empty,  // the field was empty (IB's way of saying "not set" for optional fields)
    unset,  // a sentinel or a non-finite spelling
    invalid,  // not a number
};

struct ParsedInteger {
    NumberStatus status = NumberStatus::invalid;
    std::int64_t value = 0;
};

struct ParsedDouble {
    NumberStatus status = NumberStatus::invalid;
    double value = 0.0;
};

ParsedInteger parse_integer(std::string_view text) noexcept;
ParsedDouble parse_double(std::string_view text) noexcept;

enum class DoubleStyle {
    // Shortest round-trip text, integral values without a fraction: "100", "1.5".
    // Decimal sizes (server version >= 163) look like this.
    shortest,
    // As Python's str(float) writes it, the way IB's Python client sends doubles: "0.0",
    // "150.5", "100.0".
    python,
    // At least two fraction digits, as TWS writes prices: "150.50", "4029.00", "3895.25".
    price,
};

// Appends `value` in `style`; NaN (our "unset") appends nothing, i.e. an empty field.
void append_double(std::string& out, double value, DoubleStyle style);
void append_integer(std::string& out, std::int64_t value);

}  // namespace mdp::ibkr
