#include "sinks/nats/nats_subject.hpp"

#include "sinks/event_fields.hpp"

#include <algorithm>

namespace mdp::sinks {

namespace {

bool is_plain_token_char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

bool is_plain_token(std::string_view token) {
    return !token.empty() && std::all_of(token.begin(), token.end(), is_plain_token_char);
}

}  // namespace

std::string subject_token(std::string_view text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    if (text.empty()) {
        return "%00";
    }
    std::string token;
    token.reserve(text.size());
    for (const char c : text) {
        if (is_plain_token_char(c)) {
            token += c;
        } else {
            const auto byte = static_cast<unsigned char>(c);
            token += '%';
            token += kHex[byte >> 4];
            token += kHex[byte & 0x0F];
        }
    }
    return token;
}

std::string event_subject(std::string_view prefix, std::string_view provider, common::EventType type,
                          std::string_view symbol) {
    std::string subject(prefix);
    subject += '.';
    subject += subject_token(provider);
    subject += '.';
    subject += common::to_string(type);
    subject += '.';
    subject += subject_token(symbol);
    return subject;
}

std::string message_id(std::string_view provider, std::string_view run_id, std::uint64_t first_seq,
                       std::uint64_t last_seq) {
    return subject_token(provider) + ":" + std::string(run_id) + ":" + std::to_string(first_seq) + "-" +
           std::to_string(last_seq);
}

bool is_valid_stream_name(std::string_view name) { return name.size() <= 255 && is_plain_token(name); }

bool is_valid_subject_prefix(std::string_view prefix) {
    std::size_t start = 0;
    while (true) {
        const std::size_t dot = prefix.find('.', start);
        if (!is_plain_token(prefix.substr(start, dot == std::string_view::npos ? dot : dot - start))) {
            return false;
        }
        if (dot == std::string_view::npos) {
            return true;
        }
        start = dot + 1;
    }
}

}  // namespace mdp::sinks
