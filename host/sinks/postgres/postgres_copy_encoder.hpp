#pragma once
// Encodes rows in PostgreSQL's binary COPY format (COPY ... FROM STDIN (FORMAT binary)) into
// a reused buffer: no text formatting or parsing of numbers on either side, which is most of
// what makes binary COPY faster than text COPY. Layout: a fixed header, per row a 16-bit
// field count and per field a 32-bit length (-1 = NULL) plus big-endian bytes, and a -1
// trailer. Field order must match the COPY column list.

#include <cstdint>
#include <string>
#include <string_view>

namespace mdp::sinks {

class PostgresCopyEncoder {
   public:
    // Clears the buffer (keeping its capacity) and writes the COPY header.
    void begin();
    void begin_row(std::uint16_t field_count);
    // Text in the server's encoding (UTF8): invalid UTF-8 bytes become U+FFFD.
    void add_text(std::string_view text);
    void add_int64(std::int64_t value);
    void add_bool(bool value);
    // NULL unless finite (NaN = "not known").
    void add_float8_or_null(double value);
    // timestamptz from nanoseconds since the Unix epoch (truncated to microseconds).
    void add_timestamptz_ns(std::int64_t unix_ns);
    // interval of `duration_ns` nanoseconds (truncated to microseconds).
    void add_interval_ns(std::int64_t duration_ns);
    void add_null();
    // Writes the trailer; the buffer is then complete.
    void finish();

    [[nodiscard]] const std::string& buffer() const { return buffer_; }
    [[nodiscard]] std::uint64_t rows() const { return rows_; }

   private:
    void put_int16(std::int16_t value);
    void put_int32(std::int32_t value);
    void put_int64(std::int64_t value);

    std::string buffer_;
    std::uint64_t rows_ = 0;
};

// Microseconds since 2000-01-01 UTC (PostgreSQL's timestamp epoch) for Unix nanoseconds.
[[nodiscard]] std::int64_t postgres_timestamp_us(std::int64_t unix_ns) noexcept;

}  // namespace mdp::sinks
