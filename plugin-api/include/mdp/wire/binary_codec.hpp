// mdp wire format — the fixed-layout binary encoding `mdp.events.bin/1`.
//
// Little-endian, explicit sizes, no padding left to the compiler: the byte layout is the
// one specified in docs/scale-out.md ("Wire format") and pinned by a golden-bytes test.
//
//   header (header_bytes, a multiple of 8)
//     0  4  magic "MDPE"
//     4  2  version (1)
//     6  2  header_bytes: offset of the first record
//     8  4  event_count
//    12  2  record_bytes (128 in version 1; a reader skips bytes past the ones it knows)
//    14  2  origin_bytes (1..1024)
//    16  2  run_id_bytes (0..1024)
//    18  6  zero
//    24     origin (UTF-8), then run_id, then zero padding up to header_bytes
//   record (record_bytes each)
//     0  8  seq (u64, > 0)
//     8  8  event_time_ns (i64)
//    16  8  receive_time_ns (i64)
//    24  2  type (u16)         26  2  flags (u16)         28  4  zero
//    32 32  symbol: the mdp_event_t bytes, NUL-terminated within the 32
//    64 64  body by type, every double an IEEE 754 binary64 bit pattern:
//           quote: bid, ask, bid_size, ask_size, last (f64 at 0, 8, 16, 24, 32), zero after
//           trade: price (f64 @0), size (f64 @8), exchange[16] @16, conditions[16] @32, zero after
//           bar:   interval_ns (i64 @0), open, high, low, close, volume, vwap (f64 @8..@48),
//                  trade_count (i64 @56)
//           another type: the body's 64 bytes as the publisher left them
//
// Thread safety: the functions are pure; call them from any thread.
#ifndef MDP_WIRE_BINARY_CODEC_HPP
#define MDP_WIRE_BINARY_CODEC_HPP

#include <mdp/wire/event_batch.hpp>

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>

namespace mdp::wire {

inline constexpr std::array<char, 4> kBinaryMagic = {'M', 'D', 'P', 'E'};
inline constexpr std::size_t kBinaryFixedHeaderBytes = 24;
inline constexpr std::size_t kBinaryRecordBytes = 128;
inline constexpr std::size_t kMaxOriginBytes = 1024;
inline constexpr std::size_t kMaxRunIdBytes = 1024;

// What an encoder is handed for each event: the origin's seq and the record (borrowed).
struct EventRef {
    std::uint64_t seq;
    const mdp_event_t* event;
};

namespace binary_detail {

static_assert(std::endian::native == std::endian::little || std::endian::native == std::endian::big,
              "mixed-endian platforms are not supported");

template <typename Unsigned>
inline void put(char* at, Unsigned value) noexcept {
    if constexpr (std::endian::native == std::endian::big) {
        for (std::size_t i = 0; i < sizeof(Unsigned); ++i) {
            at[i] = static_cast<char>((value >> (8 * i)) & 0xFFU);
        }
    } else {
        std::memcpy(at, &value, sizeof(Unsigned));
    }
}

template <typename Unsigned>
[[nodiscard]] inline Unsigned get(const char* at) noexcept {
    Unsigned value = 0;
    if constexpr (std::endian::native == std::endian::big) {
        for (std::size_t i = 0; i < sizeof(Unsigned); ++i) {
            value |= static_cast<Unsigned>(static_cast<unsigned char>(at[i])) << (8 * i);
        }
    } else {
        std::memcpy(&value, at, sizeof(Unsigned));
    }
    return value;
}

inline void put_f64(char* at, double value) noexcept { put<std::uint64_t>(at, std::bit_cast<std::uint64_t>(value)); }
inline void put_i64(char* at, std::int64_t value) noexcept {
    put<std::uint64_t>(at, static_cast<std::uint64_t>(value));
}
[[nodiscard]] inline double get_f64(const char* at) noexcept { return std::bit_cast<double>(get<std::uint64_t>(at)); }
[[nodiscard]] inline std::int64_t get_i64(const char* at) noexcept {
    return static_cast<std::int64_t>(get<std::uint64_t>(at));
}

[[nodiscard]] constexpr std::size_t round_up_to_8(std::size_t bytes) noexcept { return (bytes + 7) / 8 * 8; }

inline void put_body(char* body, const mdp_event_t& event) noexcept {
    switch (event.type) {
        case MDP_EVENT_QUOTE: {
            const mdp_quote_t& quote = event.body.quote;
            put_f64(body, quote.bid);
            put_f64(body + 8, quote.ask);
            put_f64(body + 16, quote.bid_size);
            put_f64(body + 24, quote.ask_size);
            put_f64(body + 32, quote.last);
            return;
        }
        case MDP_EVENT_TRADE: {
            const mdp_trade_t& trade = event.body.trade;
            put_f64(body, trade.price);
            put_f64(body + 8, trade.size);
            std::memcpy(body + 16, trade.exchange, MDP_EXCHANGE_CAPACITY);
            std::memcpy(body + 32, trade.conditions, MDP_CONDITIONS_CAPACITY);
            return;
        }
        case MDP_EVENT_BAR: {
            const mdp_bar_t& bar = event.body.bar;
            put_i64(body, bar.interval_ns);
            put_f64(body + 8, bar.open);
            put_f64(body + 16, bar.high);
            put_f64(body + 24, bar.low);
            put_f64(body + 32, bar.close);
            put_f64(body + 40, bar.volume);
            put_f64(body + 48, bar.vwap);
            put_i64(body + 56, bar.trade_count);
            return;
        }
        default:
            std::memcpy(body, event.body.reserved, sizeof(event.body.reserved));
            return;
    }
}

inline void get_body(const char* body, mdp_event_t& event) noexcept {
    switch (event.type) {
        case MDP_EVENT_QUOTE: {
            mdp_quote_t& quote = event.body.quote;
            quote.bid = get_f64(body);
            quote.ask = get_f64(body + 8);
            quote.bid_size = get_f64(body + 16);
            quote.ask_size = get_f64(body + 24);
            quote.last = get_f64(body + 32);
            return;
        }
        case MDP_EVENT_TRADE: {
            mdp_trade_t& trade = event.body.trade;
            trade.price = get_f64(body);
            trade.size = get_f64(body + 8);
            std::memcpy(trade.exchange, body + 16, MDP_EXCHANGE_CAPACITY);
            std::memcpy(trade.conditions, body + 32, MDP_CONDITIONS_CAPACITY);
            return;
        }
        case MDP_EVENT_BAR: {
            mdp_bar_t& bar = event.body.bar;
            bar.interval_ns = get_i64(body);
            bar.open = get_f64(body + 8);
            bar.high = get_f64(body + 16);
            bar.low = get_f64(body + 24);
            bar.close = get_f64(body + 32);
            bar.volume = get_f64(body + 40);
            bar.vwap = get_f64(body + 48);
            bar.trade_count = get_i64(body + 56);
            return;
        }
        default:
            std::memcpy(event.body.reserved, body, sizeof(event.body.reserved));
            return;
    }
}

inline void put_record(char* record, std::uint64_t seq, const mdp_event_t& event) noexcept {
    std::memset(record, 0, kBinaryRecordBytes);
    put<std::uint64_t>(record, seq);
    put_i64(record + 8, event.event_time_ns);
    put_i64(record + 16, event.receive_time_ns);
    put<std::uint16_t>(record + 24, event.type);
    put<std::uint16_t>(record + 26, event.flags);
    std::memcpy(record + 32, event.symbol, MDP_SYMBOL_CAPACITY);
    put_body(record + 64, event);
}

}  // namespace binary_detail

// Bytes of a batch of `count` events from `origin` and `run_id`.
[[nodiscard]] constexpr std::size_t binary_batch_bytes(std::size_t origin_bytes, std::size_t run_id_bytes,
                                                       std::size_t count) noexcept {
    return binary_detail::round_up_to_8(kBinaryFixedHeaderBytes + origin_bytes + run_id_bytes) +
           count * kBinaryRecordBytes;
}

// Replaces `out` with the encoding of `count` events; `event_at(i)` returns the EventRef of
// event i (i from 0 to count - 1), in the order they are to travel. Throws
// std::invalid_argument for an origin of 0 or more than kMaxOriginBytes bytes, a run id
// longer than kMaxRunIdBytes, or more than 2^32 - 1 events.
template <typename EventAt>
void encode_binary_batch(std::string& out, std::string_view origin, std::string_view run_id, std::size_t count,
                         EventAt&& event_at) {
    using namespace binary_detail;
    if (origin.empty() || origin.size() > kMaxOriginBytes) {
        throw std::invalid_argument("mdp.events.bin: the origin must have 1 to 1024 bytes");
    }
    if (run_id.size() > kMaxRunIdBytes) {
        throw std::invalid_argument("mdp.events.bin: the run id must have at most 1024 bytes");
    }
    if (count > UINT32_MAX) {
        throw std::invalid_argument("mdp.events.bin: more than 2^32 - 1 events in one batch");
    }
    const std::size_t header_bytes = round_up_to_8(kBinaryFixedHeaderBytes + origin.size() + run_id.size());
    out.assign(header_bytes + count * kBinaryRecordBytes, '\0');
    char* data = out.data();
    std::memcpy(data, kBinaryMagic.data(), kBinaryMagic.size());
    put<std::uint16_t>(data + 4, static_cast<std::uint16_t>(kBinaryFormatVersion));
    put<std::uint16_t>(data + 6, static_cast<std::uint16_t>(header_bytes));
    put<std::uint32_t>(data + 8, static_cast<std::uint32_t>(count));
    put<std::uint16_t>(data + 12, static_cast<std::uint16_t>(kBinaryRecordBytes));
    put<std::uint16_t>(data + 14, static_cast<std::uint16_t>(origin.size()));
    put<std::uint16_t>(data + 16, static_cast<std::uint16_t>(run_id.size()));
    std::memcpy(data + kBinaryFixedHeaderBytes, origin.data(), origin.size());
    std::memcpy(data + kBinaryFixedHeaderBytes + origin.size(), run_id.data(), run_id.size());
    char* record = data + header_bytes;
    for (std::size_t i = 0; i < count; ++i, record += kBinaryRecordBytes) {
        const EventRef ref = event_at(i);
        put_record(record, ref.seq, *ref.event);
    }
}

// Decodes a `mdp.events.bin` payload of version 1. Never throws for bad input (only
// std::bad_alloc); rejects a wrong magic, a version from the future, truncated or trailing
// bytes, an empty origin, seq 0, and a symbol without its terminating NUL. Decoded records
// have size == sizeof(mdp_event_t) and every field the encoder wrote.
[[nodiscard]] inline DecodeResult decode_binary_batch(std::string_view payload) {
    using namespace binary_detail;
    DecodeResult result;
    const auto fail = [&result](std::string message) -> DecodeResult {
        result.batch = {};
        result.error = std::string(kBinaryFormatName) + ": " + std::move(message);
        return std::move(result);
    };
    if (payload.size() < kBinaryFixedHeaderBytes) {
        return fail("truncated: " + std::to_string(payload.size()) + " bytes, the header alone has " +
                    std::to_string(kBinaryFixedHeaderBytes));
    }
    const char* data = payload.data();
    if (std::memcmp(data, kBinaryMagic.data(), kBinaryMagic.size()) != 0) {
        return fail("not an mdp event batch (the payload does not start with \"MDPE\")");
    }
    const std::uint16_t version = get<std::uint16_t>(data + 4);
    if (version == 0 || version > kBinaryFormatVersion) {
        return fail("payload version " + std::to_string(version) + " is not readable here (this reader reads 1 to " +
                    std::to_string(kBinaryFormatVersion) + ")");
    }
    const std::size_t header_bytes = get<std::uint16_t>(data + 6);
    const std::size_t count = get<std::uint32_t>(data + 8);
    const std::size_t record_bytes = get<std::uint16_t>(data + 12);
    const std::size_t origin_bytes = get<std::uint16_t>(data + 14);
    const std::size_t run_id_bytes = get<std::uint16_t>(data + 16);
    if (origin_bytes == 0 || origin_bytes > kMaxOriginBytes || run_id_bytes > kMaxRunIdBytes) {
        return fail("origin of " + std::to_string(origin_bytes) + " bytes or run id of " +
                    std::to_string(run_id_bytes) + " bytes (expected 1 to 1024 and 0 to 1024)");
    }
    if (header_bytes < kBinaryFixedHeaderBytes + origin_bytes + run_id_bytes || header_bytes % 8 != 0) {
        return fail("header_bytes " + std::to_string(header_bytes) + " cannot hold the origin and run id");
    }
    if (record_bytes < kBinaryRecordBytes) {
        return fail("record_bytes " + std::to_string(record_bytes) + " is below the 128 of version 1");
    }
    const std::size_t expected_bytes = header_bytes + count * record_bytes;
    if (payload.size() != expected_bytes) {
        return fail(std::string(payload.size() < expected_bytes ? "truncated" : "trailing bytes") + ": " +
                    std::to_string(count) + " events need " + std::to_string(expected_bytes) + " bytes, found " +
                    std::to_string(payload.size()));
    }
    result.batch.origin.assign(data + kBinaryFixedHeaderBytes, origin_bytes);
    result.batch.run_id.assign(data + kBinaryFixedHeaderBytes + origin_bytes, run_id_bytes);
    result.batch.events.resize(count);
    const char* record = data + header_bytes;
    for (std::size_t i = 0; i < count; ++i, record += record_bytes) {
        WireEvent& wire = result.batch.events[i];
        wire.seq = get<std::uint64_t>(record);
        if (wire.seq == 0) {
            return fail("event " + std::to_string(i) + ": seq 0 (sequence numbers start at 1)");
        }
        mdp_event_t& event = wire.event;
        event.size = sizeof(mdp_event_t);
        event.event_time_ns = get_i64(record + 8);
        event.receive_time_ns = get_i64(record + 16);
        event.type = get<std::uint16_t>(record + 24);
        event.flags = get<std::uint16_t>(record + 26);
        std::memcpy(event.symbol, record + 32, MDP_SYMBOL_CAPACITY);
        if (std::memchr(event.symbol, '\0', MDP_SYMBOL_CAPACITY) == nullptr) {
            return fail("event " + std::to_string(i) + ": symbol without its terminating NUL");
        }
        get_body(record + 64, event);
    }
    return result;
}

}  // namespace mdp::wire

#endif  // MDP_WIRE_BINARY_CODEC_HPP
