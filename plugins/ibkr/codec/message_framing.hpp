#pragma once
// The two steps every message codec shares, for either direction: encode one message as a
// framed `id, fields...` record (all or nothing: a failure leaves `out` as it was), and
// decode a message's fields through its layout.

#include "field_archive.hpp"
#include "field_writer.hpp"

#include <string>

namespace mdp::ibkr {

template <typename Message>
void encode_with_id(std::string& out, int message_id, const Message& message, int server_version) {
    const std::size_t original_size = out.size();
    try {
        append_frame(out, [&](FieldWriter& fields) {
            fields.integer(message_id);
            EncodeArchive archive(fields, server_version);
            layout(archive, message);
        });
    } catch (...) {
        out.resize(original_size);
        throw;
    }
}

template <typename Message>
Message decode_layout(FieldReader& reader, int server_version) {
    Message message{};
    DecodeArchive archive(reader, server_version);
    layout(archive, message);
    return message;
}

}  // namespace mdp::ibkr
