#pragma once
// Writes NUL-terminated ASCII fields and wraps them in length-prefixed frames.
//
//   std::string out;
//   append_frame(out, [&](FieldWriter& fields) { fields.integer(71); fields.integer(2); ... });
//
// Strings are checked: a NUL inside a field would split it and corrupt the stream, so it
// is an EncodeError rather than silently mangled data.

#include "number_text.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace mdp::ibkr {

class FieldWriter {
   public:
    explicit FieldWriter(std::string& out) noexcept : out_(out) {}

    void text(std::string_view value);
    void integer(std::int64_t value);
    // NaN writes an empty field.
    void number(double value, DoubleStyle style);
    void flag(bool value);
    // An empty field.
    void empty();

   private:
    std::string& out_;
};

// Starts a frame at the end of `out` (reserves the length) and returns its offset.
std::size_t begin_frame(std::string& out);
// Fills in the length of the frame begun at `frame_offset`. Throws EncodeError when the
// payload exceeds the protocol's limit.
void end_frame(std::string& out, std::size_t frame_offset);

// Appends one frame whose fields `write_fields(FieldWriter&)` writes.
template <typename WriteFields>
void append_frame(std::string& out, WriteFields&& write_fields) {
    const std::size_t offset = begin_frame(out);
    FieldWriter fields(out);
    write_fields(fields);
    end_frame(out, offset);
}

// Appends a frame with a raw payload (the handshake's version string is not NUL-terminated).
void append_raw_frame(std::string& out, std::string_view payload);

}  // namespace mdp::ibkr
