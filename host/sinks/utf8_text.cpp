#include "sinks/utf8_text.hpp"

#include <cstdint>

namespace mdp::sinks::utf8 {

std::size_t multibyte_sequence_length(std::string_view text) noexcept {
    if (text.empty()) {
        return 0;
    }
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

bool is_valid(std::string_view text) noexcept {
    std::size_t index = 0;
    while (index < text.size()) {
        if (static_cast<unsigned char>(text[index]) < 0x80) {
            ++index;
            continue;
        }
        const std::size_t length = multibyte_sequence_length(text.substr(index));
        if (length == 0) {
            return false;
        }
        index += length;
    }
    return true;
}

void append_sanitized(std::string& out, std::string_view text) {
    if (is_valid(text)) {
        out.append(text);
        return;
    }
    std::size_t index = 0;
    while (index < text.size()) {
        if (static_cast<unsigned char>(text[index]) < 0x80) {
            out += text[index++];
        } else if (const std::size_t length = multibyte_sequence_length(text.substr(index)); length > 0) {
            out.append(text.substr(index, length));
            index += length;
        } else {
            out += replacement_character;
            ++index;
        }
    }
}

}  // namespace mdp::sinks::utf8
