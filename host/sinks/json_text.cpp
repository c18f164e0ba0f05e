#include "sinks/json_text.hpp"

#include <array>
#include <charconv>
#include <cmath>

namespace mdp::sinks::json_text {

namespace {

constexpr std::string_view replacement_character = "\xEF\xBF\xBD";

// Length of the valid UTF-8 sequence starting at text[0] (1..4), or 0 when invalid.
std::size_t utf8_sequence_length(std::string_view text) {
    const auto lead = static_cast<unsigned char>(text[0]);
    std::size_t length = 0;
    std::uint32_t minimum = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
        minimum = 0x80;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        minimum = 0x800;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        minimum = 0x10000;
    } else {
        return 0;
    }
    if (text.size() < length) {
        return 0;
    }
    std::uint32_t code_point = lead & (0xFFu >> (length + 1));
    for (std::size_t index = 1; index < length; ++index) {
        const auto continuation = static_cast<unsigned char>(text[index]);
        if ((continuation & 0xC0) != 0x80) {
            return 0;
        }
        code_point = (code_point << 6) | (continuation & 0x3Fu);
    }
    const bool surrogate = code_point >= 0xD800 && code_point <= 0xDFFF;
    return (code_point < minimum || code_point > 0x10FFFF || surrogate) ? 0 : length;
}

void append_control_escape(std::string& out, unsigned char byte) {
    static constexpr std::string_view hex = "0123456789abcdef";
    switch (byte) {
        case '\n': out += "\\n"; return;
        case '\r': out += "\\r"; return;
        case '\t': out += "\\t"; return;
        case '\b': out += "\\b"; return;
        case '\f': out += "\\f"; return;
        default:
            out += "\\u00";
            out += hex[byte >> 4];
            out += hex[byte & 0x0F];
    }
}

}  // namespace

void append_string(std::string& out, std::string_view text) {
    out += '"';
    std::size_t index = 0;
    while (index < text.size()) {
        const auto byte = static_cast<unsigned char>(text[index]);
        if (byte == '"' || byte == '\\') {
            out += '\\';
            out += static_cast<char>(byte);
            ++index;
        } else if (byte < 0x20 || byte == 0x7F) {
            append_control_escape(out, byte);
            ++index;
        } else if (byte < 0x80) {
            out += static_cast<char>(byte);
            ++index;
        } else if (const std::size_t length = utf8_sequence_length(text.substr(index)); length > 0) {
            out.append(text.substr(index, length));
            index += length;
        } else {
            out += replacement_character;
            ++index;
        }
    }
    out += '"';
}

void append_double(std::string& out, double value) {
    if (!std::isfinite(value)) {
        out += "null";
        return;
    }
    std::array<char, 32> digits{};
    const auto result = std::to_chars(digits.data(), digits.data() + digits.size(), value);
    out.append(digits.data(), result.ptr);
}

void append_int(std::string& out, std::int64_t value) {
    std::array<char, 24> digits{};
    const auto result = std::to_chars(digits.data(), digits.data() + digits.size(), value);
    out.append(digits.data(), result.ptr);
}

void append_uint(std::string& out, std::uint64_t value) {
    std::array<char, 24> digits{};
    const auto result = std::to_chars(digits.data(), digits.data() + digits.size(), value);
    out.append(digits.data(), result.ptr);
}

void append_bool(std::string& out, bool value) { out += value ? "true" : "false"; }

}  // namespace mdp::sinks::json_text
