#include "sinks/postgres/postgres_copy_encoder.hpp"

#include "common/utf8.hpp"

#include <bit>
#include <cmath>
#include <cstring>

namespace mdp::sinks {

namespace {

// "PGCOPY\n\377\r\n\0", then 32-bit flags (0) and header extension length (0).
constexpr char kHeader[] = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', '\377', '\r', '\n', '\0', 0, 0, 0, 0, 0, 0, 0, 0};

// Seconds from 1970-01-01 to 2000-01-01.
constexpr std::int64_t kPostgresEpochOffsetSeconds = 946'684'800;

std::int64_t floor_divide(std::int64_t value, std::int64_t divisor) {
    const std::int64_t quotient = value / divisor;
    return (value % divisor != 0 && value < 0) ? quotient - 1 : quotient;
}

}  // namespace

std::int64_t postgres_timestamp_us(std::int64_t unix_ns) noexcept {
    return floor_divide(unix_ns, 1000) - kPostgresEpochOffsetSeconds * 1'000'000;
}

void PostgresCopyEncoder::begin() {
    buffer_.clear();
    buffer_.append(kHeader, sizeof(kHeader));
    rows_ = 0;
}

void PostgresCopyEncoder::begin_row(std::uint16_t field_count) {
    put_int16(static_cast<std::int16_t>(field_count));
    ++rows_;
}

void PostgresCopyEncoder::add_text(std::string_view text) {
    const std::size_t length_at = buffer_.size();
    put_int32(0);  // patched below: sanitising may change the length
    common::append_valid_utf8(buffer_, text);
    const auto length = static_cast<std::uint32_t>(buffer_.size() - length_at - 4);
    const std::uint32_t big_endian = std::endian::native == std::endian::big ? length : __builtin_bswap32(length);
    std::memcpy(buffer_.data() + length_at, &big_endian, 4);
}

void PostgresCopyEncoder::add_int64(std::int64_t value) {
    put_int32(8);
    put_int64(value);
}

void PostgresCopyEncoder::add_bool(bool value) {
    put_int32(1);
    buffer_ += value ? '\1' : '\0';
}

void PostgresCopyEncoder::add_float8_or_null(double value) {
    if (!std::isfinite(value)) {
        add_null();
        return;
    }
    put_int32(8);
    put_int64(std::bit_cast<std::int64_t>(value));
}

void PostgresCopyEncoder::add_timestamptz_ns(std::int64_t unix_ns) {
    put_int32(8);
    put_int64(postgres_timestamp_us(unix_ns));
}

void PostgresCopyEncoder::add_interval_ns(std::int64_t duration_ns) {
    put_int32(16);
    put_int64(floor_divide(duration_ns, 1000));  // microseconds
    put_int32(0);  // days
    put_int32(0);  // months
}

void PostgresCopyEncoder::add_null() { put_int32(-1); }

void PostgresCopyEncoder::finish() { put_int16(-1); }

void PostgresCopyEncoder::put_int16(std::int16_t value) {
    auto bits = static_cast<std::uint16_t>(value);
    if constexpr (std::endian::native == std::endian::little) {
        bits = __builtin_bswap16(bits);
    }
    buffer_.append(reinterpret_cast<const char*>(&bits), sizeof(bits));
}

void PostgresCopyEncoder::put_int32(std::int32_t value) {
    auto bits = static_cast<std::uint32_t>(value);
    if constexpr (std::endian::native == std::endian::little) {
        bits = __builtin_bswap32(bits);
    }
    buffer_.append(reinterpret_cast<const char*>(&bits), sizeof(bits));
}

void PostgresCopyEncoder::put_int64(std::int64_t value) {
    auto bits = static_cast<std::uint64_t>(value);
    if constexpr (std::endian::native == std::endian::little) {
        bits = __builtin_bswap64(bits);
    }
    buffer_.append(reinterpret_cast<const char*>(&bits), sizeof(bits));
}

}  // namespace mdp::sinks
