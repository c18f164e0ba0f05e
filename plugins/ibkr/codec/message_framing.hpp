#pragma once
// The two steps every message codec shares, for either direction: encode one message as a
// framed `id, fields...` record (all or nothing: a failure leaves `out` as it was), and
// decode a message's fields through its layout.

#include "field_archive.hpp"
#include "field_writer.hpp"

#include <string>
#include <string_view>

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

// Reads a payload's message id and hands the rest to `dispatch(id, reader)`; a DecodeError
// is rethrown prefixed with the message's name (`name_of(id)`).
template <typename Dispatch, typename NameOf>
void decode_with_id(std::string_view payload, Dispatch&& dispatch, NameOf&& name_of) {
    int message_id = 0;
    try {
        FieldReader reader(payload);
        message_id = static_cast<int>(reader.integer());
        dispatch(message_id, reader);
    } catch (const DecodeError& error) {
        throw DecodeError(name_of(message_id) + ": " + error.what());
    }
}

}  // namespace mdp::ibkr
