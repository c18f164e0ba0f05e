#include "common/json_text.hpp"

#include "common/utf8.hpp"

#include <array>
#include <charconv>
#include <cmath>

namespace mdp::common::json_text {

namespace {

void append_control_escape(std::string& out, unsigned char byte) {
    static constexpr std::string_view hex = "0123456789abcdef";
    switch (byte) {
        case '\n':
            out += "\\n";
            return;
        case '\r':
            out += "\\r";
            return;
        case '\t':
            out += "\\t";
            return;
        case '\b':
            out += "\\b";
            return;
        case '\f':
            out += "\\f";
            return;
        default:
            out += "\\u00";
            out += hex[byte >> 4];
            out += hex[byte & 0x0F];
    }
}

}  // namespace

void append_escaped(std::string& out, std::string_view text) {
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
        } else {
            const Utf8Sequence sequence = utf8_sequence_at(text.substr(index));
            if (sequence.valid) {
                out.append(text.substr(index, sequence.length));
            } else {
                out += kUtf8ReplacementCharacter;
            }
            index += sequence.length;
        }
    }
}

void append_string(std::string& out, std::string_view text) {
    out += '"';
    append_escaped(out, text);
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

}  // namespace mdp::common::json_text
