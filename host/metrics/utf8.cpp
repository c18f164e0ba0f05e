#include "metrics/utf8.hpp"

#include <cstdint>

namespace mdp::metrics {
namespace {

constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";

// Length of the well-formed sequence starting at text[index], or 0 when the bytes there
// do not start one. `invalid_length` receives how many bytes to replace in that case.
std::size_t valid_sequence_length(std::string_view text, std::size_t index, std::size_t& invalid_length) noexcept {
    const auto byte_at = [&](std::size_t offset) -> std::uint8_t {
        return static_cast<std::uint8_t>(text[index + offset]);
    };
    const std::uint8_t lead = byte_at(0);
    invalid_length = 1;
    if (lead < 0x80) {
        return 1;
    }
    std::size_t length = 0;
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
        return 0;
    }
    for (std::size_t offset = 1; offset < length; ++offset) {
        if (index + offset >= text.size()) {
            invalid_length = offset;
            return 0;
        }
        const std::uint8_t minimum = offset == 1 ? second_min : std::uint8_t{0x80};
        const std::uint8_t maximum = offset == 1 ? second_max : std::uint8_t{0xBF};
        if (byte_at(offset) < minimum || byte_at(offset) > maximum) {
            invalid_length = offset;
            return 0;
        }
    }
    return length;
}

}  // namespace

bool is_valid_utf8(std::string_view text) noexcept {
    // Fast path: most text is ASCII.
    std::size_t index = 0;
    while (index < text.size() && static_cast<std::uint8_t>(text[index]) < 0x80) {
        ++index;
    }
    std::size_t invalid_length = 0;
    while (index < text.size()) {
        const std::size_t length = valid_sequence_length(text, index, invalid_length);
        if (length == 0) {
            return false;
        }
        index += length;
    }
    return true;
}

std::string to_valid_utf8(std::string_view text) {
    if (is_valid_utf8(text)) {
        return std::string(text);
    }
    std::string result;
    result.reserve(text.size() + 8);
    std::size_t index = 0;
    std::size_t invalid_length = 0;
    while (index < text.size()) {
        const std::size_t length = valid_sequence_length(text, index, invalid_length);
        if (length == 0) {
            result.append(kReplacementCharacter);
            index += invalid_length;
        } else {
            result.append(text.substr(index, length));
            index += length;
        }
    }
    return result;
}

}  // namespace mdp::metrics
