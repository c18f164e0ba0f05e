#include "field_writer.hpp"

#include "decode_error.hpp"
#include "wire_constants.hpp"

#include <cstring>

namespace mdp::ibkr {

void FieldWriter::text(std::string_view value) {
    if (value.find('\0') != std::string_view::npos) {
        throw EncodeError("field value contains a NUL byte, which would split the field");
    }
    out_.append(value);
    out_.push_back('\0');
}

void FieldWriter::integer(std::int64_t value) {
    append_integer(out_, value);
    out_.push_back('\0');
}

void FieldWriter::number(double value, DoubleStyle style) {
    append_double(out_, value, style);
    out_.push_back('\0');
}

void FieldWriter::flag(bool value) {
    out_.push_back(value ? '1' : '0');
    out_.push_back('\0');
}

void FieldWriter::empty() { out_.push_back('\0'); }

std::size_t begin_frame(std::string& out) {
    const std::size_t offset = out.size();
    out.append(wire::kFrameHeaderBytes, '\0');
    return offset;
}

void end_frame(std::string& out, std::size_t frame_offset) {
    const std::size_t payload_bytes = out.size() - frame_offset - wire::kFrameHeaderBytes;
    if (payload_bytes > wire::kMaxFramePayloadBytes) {
        out.resize(frame_offset);
        throw EncodeError("message of " + std::to_string(payload_bytes) + " bytes exceeds the protocol limit of " +
                          std::to_string(wire::kMaxFramePayloadBytes) + " bytes");
    }
    const auto length = static_cast<std::uint32_t>(payload_bytes);
    out[frame_offset + 0] = static_cast<char>((length >> 24) & 0xff);
    out[frame_offset + 1] = static_cast<char>((length >> 16) & 0xff);
    out[frame_offset + 2] = static_cast<char>((length >> 8) & 0xff);
    out[frame_offset + 3] = static_cast<char>(length & 0xff);
}

void append_raw_frame(std::string& out, std::string_view payload) {
    const std::size_t offset = begin_frame(out);
    out.append(payload);
    end_frame(out, offset);
}

}  // namespace mdp::ibkr
