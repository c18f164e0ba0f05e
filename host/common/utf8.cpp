#include "common/utf8.hpp"

#include <cstdint>

namespace mdp::common {

Utf8Sequence utf8_sequence_at(std::string_view text) noexcept {
    const auto byte_at = [&](std::size_t offset) -> std::uint8_t { return static_cast<std::uint8_t>(text[offset]); };
    const std::uint8_t lead = byte_at(0);
    if (lead < 0x80) {
        return {1, true};
    }
    std::size_t length = 0;
    // The second byte's range is narrower for some leads; checking it there is what makes
    // the invalid subpart maximal (an overlong or surrogate lead is a subpart of one byte).
    std::uint8_t second_min = 0x80;
    std::uint8_t second_max = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        if (lead == 0xE0) {
            second_min = 0xA0;  // no overlongs
        } else if (lead == 0xED) {
            second_max = 0x9F;  // no surrogates
        }
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        if (lead == 0xF0) {
            second_min = 0x90;  // no overlongs
        } else if (lead == 0xF4) {
            second_max = 0x8F;  // nothing above U+10FFFF
        }
    } else {
        return {1, false};
    }
    for (std::size_t offset = 1; offset < length; ++offset) {
        if (offset >= text.size()) {
            return {offset, false};
        }
        const std::uint8_t minimum = offset == 1 ? second_min : std::uint8_t{0x80};
        const std::uint8_t maximum = offset == 1 ? second_max : std::uint8_t{0xBF};
        if (byte_at(offset) < minimum || byte_at(offset) > maximum) {
            return {offset, false};
        }
    }
    return {length, true};
}

bool is_valid_utf8(std::string_view text) noexcept {
    std::size_t index = 0;
    while (index < text.size()) {
        if (static_cast<std::uint8_t>(text[index]) < 0x80) {  // most text is ASCII
            ++index;
            continue;
        }
        const Utf8Sequence sequence = utf8_sequence_at(text.substr(index));
        if (!sequence.valid) {
            return false;
        }
        index += sequence.length;
    }
    return true;
}

void append_valid_utf8(std::string& out, std::string_view text) {
    if (is_valid_utf8(text)) {
        out.append(text);
        return;
    }
    std::size_t index = 0;
    while (index < text.size()) {
        const Utf8Sequence sequence = utf8_sequence_at(text.substr(index));
        if (sequence.valid) {
            out.append(text.substr(index, sequence.length));
        } else {
            out.append(kUtf8ReplacementCharacter);
        }
        index += sequence.length;
    }
}

std::string to_valid_utf8(std::string_view text) {
    std::string result;
    result.reserve(text.size());
    append_valid_utf8(result, text);
    return result;
}

}  // namespace mdp::common
