#include "sinks/json_text.hpp"

#include "sinks/utf8_text.hpp"

#include <array>
#include <charconv>
#include <cmath>

namespace mdp::sinks::json_text {

namespace {

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
        } else if (const std::size_t length = utf8::multibyte_sequence_length(text.substr(index)); length > 0) {
            out.append(text.substr(index, length));
            index += length;
        } else {
            out += utf8::replacement_character;
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
