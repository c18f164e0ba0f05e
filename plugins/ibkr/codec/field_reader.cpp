#include "field_reader.hpp"

#include "decode_error.hpp"
#include "number_text.hpp"

#include <cmath>
#include <cstring>
#include <limits>
#include <string>

namespace mdp::ibkr {

namespace {

// How a bad field reads in an error message: quoted, shortened, non-printables escaped.
std::string quote_for_message(std::string_view text) {
    constexpr std::size_t kMaxShown = 32;
    std::string quoted = "\"";
    for (std::size_t index = 0; index < text.size() && index < kMaxShown; ++index) {
        const auto byte = static_cast<unsigned char>(text[index]);
        if (byte >= 0x20 && byte < 0x7f && byte != '"' && byte != '\\') {
            quoted.push_back(static_cast<char>(byte));
        } else {
            constexpr char kHex[] = "0123456789abcdef";
            quoted += "\\x";
            quoted.push_back(kHex[byte >> 4]);
            quoted.push_back(kHex[byte & 0xf]);
        }
    }
    if (text.size() > kMaxShown) {
        quoted += "...";
    }
    return quoted + "\"";
}

}  // namespace

FieldReader::FieldReader(std::string_view payload) : payload_(payload) {
    if (payload_.empty()) {
        throw DecodeError("empty message");
    }
    if (payload_.back() != '\0') {
        throw DecodeError("message does not end with a NUL field terminator");
    }
}

std::string_view FieldReader::text() {
    if (at_end()) {
        throw DecodeError("field " + std::to_string(fields_read_ + 1) + ": missing (message has only " +
                          std::to_string(fields_read_) + " fields)");
    }
    const char* start = payload_.data() + position_;
    const auto* terminator = static_cast<const char*>(std::memchr(start, '\0', payload_.size() - position_));
    // The constructor guarantees a final NUL, so a terminator always exists.
    const auto length = static_cast<std::size_t>(terminator - start);
    position_ += length + 1;
    ++fields_read_;
    return {start, length};
}

std::int64_t FieldReader::integer() {
    const std::string_view field = text();
    const ParsedInteger parsed = parse_integer(field);
    switch (parsed.status) {
        case NumberStatus::value:
        case NumberStatus::unset:
            return parsed.value;
        case NumberStatus::empty:
            return 0;
        case NumberStatus::invalid:
            break;
    }
    fail("an integer", field);
}

std::optional<std::int64_t> FieldReader::optional_integer() {
    const std::string_view field = text();
    const ParsedInteger parsed = parse_integer(field);
    switch (parsed.status) {
        case NumberStatus::value:
            return parsed.value;
        case NumberStatus::unset:
        case NumberStatus::empty:
            return std::nullopt;
        case NumberStatus::invalid:
            break;
    }
    fail("an integer", field);
}

double FieldReader::number() {
    const std::string_view field = text();
    const ParsedDouble parsed = parse_double(field);
    switch (parsed.status) {
        case NumberStatus::value:
            return parsed.value;
        case NumberStatus::unset:
        case NumberStatus::empty:
            return std::numeric_limits<double>::quiet_NaN();
        case NumberStatus::invalid:
            break;
    }
    fail("a number", field);
}

bool FieldReader::flag() {
    const std::string_view field = text();
    if (field == "1" || field == "true" || field == "True") {
        return true;
    }
    if (field.empty() || field == "0" || field == "false" || field == "False") {
        return false;
    }
    fail("a boolean (\"1\" or \"0\")", field);
}

void FieldReader::skip(std::size_t count) {
    for (std::size_t index = 0; index < count; ++index) {
        (void)text();
    }
}

void FieldReader::fail(std::string_view expected, std::string_view found) const {
    throw DecodeError("field " + std::to_string(fields_read_) + ": expected " + std::string(expected) + ", found " +
                      quote_for_message(found));
}

}  // namespace mdp::ibkr
