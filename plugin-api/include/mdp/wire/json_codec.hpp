// mdp wire format — the JSON encoding `mdp.events.json/1`, for consumers that would rather
// not parse the binary layout. One UTF-8 JSON object:
//
//   {"format":"mdp.events.json/1","origin":"synthetic-a","run_id":"5f0c...","events":[
//     {"seq":1,"type":"quote","flags":0,"event_time_ns":...,"receive_time_ns":...,"symbol":"AAPL",
//      "bid":..,"ask":..,"bid_size":..,"ask_size":..,"last":..},
//     {"seq":2,"type":"trade",...,"price":..,"size":..,"exchange":"..","conditions":".."},
//     {"seq":3,"type":"bar",...,"interval_ns":..,"open":..,"high":..,"low":..,"close":..,
//      "volume":..,"vwap":..,"trade_count":..},
//     {"seq":4,"type":7,...,"body_hex":"<128 hex digits>"}]}      (a type this format has no name for)
//
// Finite doubles are written in the shortest form that reads back to the same bits; NaN and
// the infinities are written as null and read back as a quiet NaN ("not known" in the ABI),
// so unlike the binary encoding JSON does not keep NaN payloads or infinities. Integers are
// exact in JSON text (a JavaScript reader loses precision above 2^53). Text fields stop at
// their first NUL; bytes that are not UTF-8 become U+FFFD.
//
// Uses nlohmann/json (Debian nlohmann-json3-dev), as the SDK's config reader does.
#ifndef MDP_WIRE_JSON_CODEC_HPP
#define MDP_WIRE_JSON_CODEC_HPP

#include <mdp/wire/binary_codec.hpp>
#include <mdp/wire/event_batch.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>

namespace mdp::wire {

namespace json_detail {

template <std::size_t Capacity>
[[nodiscard]] inline std::string text_of(const char (&text)[Capacity]) {
    const void* nul = std::memchr(text, '\0', Capacity);
    return {text, nul == nullptr ? Capacity : static_cast<std::size_t>(static_cast<const char*>(nul) - text)};
}

[[nodiscard]] inline nlohmann::json number_or_null(double value) {
    return std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(nullptr);
}

[[nodiscard]] inline nlohmann::json event_json(std::uint64_t seq, const mdp_event_t& event) {
    nlohmann::json object = {{"seq", seq},
                             {"flags", event.flags},
                             {"event_time_ns", event.event_time_ns},
                             {"receive_time_ns", event.receive_time_ns},
                             {"symbol", text_of(event.symbol)}};
    switch (event.type) {
        case MDP_EVENT_QUOTE:
            object["type"] = "quote";
            object["bid"] = number_or_null(event.body.quote.bid);
            object["ask"] = number_or_null(event.body.quote.ask);
            object["bid_size"] = number_or_null(event.body.quote.bid_size);
            object["ask_size"] = number_or_null(event.body.quote.ask_size);
            object["last"] = number_or_null(event.body.quote.last);
            break;
        case MDP_EVENT_TRADE:
            object["type"] = "trade";
            object["price"] = number_or_null(event.body.trade.price);
            object["size"] = number_or_null(event.body.trade.size);
            object["exchange"] = text_of(event.body.trade.exchange);
            object["conditions"] = text_of(event.body.trade.conditions);
            break;
        case MDP_EVENT_BAR:
            object["type"] = "bar";
            object["interval_ns"] = event.body.bar.interval_ns;
            object["open"] = number_or_null(event.body.bar.open);
            object["high"] = number_or_null(event.body.bar.high);
            object["low"] = number_or_null(event.body.bar.low);
            object["close"] = number_or_null(event.body.bar.close);
            object["volume"] = number_or_null(event.body.bar.volume);
            object["vwap"] = number_or_null(event.body.bar.vwap);
            object["trade_count"] = event.body.bar.trade_count;
            break;
        default: {
            static constexpr char kHex[] = "0123456789abcdef";
            std::string hex;
            for (const std::uint8_t byte : event.body.reserved) {
                hex += kHex[byte >> 4];
                hex += kHex[byte & 0x0F];
            }
            object["type"] = event.type;
            object["body_hex"] = hex;
            break;
        }
    }
    return object;
}

// Reads `object[key]` into `out`; returns "" or what was wrong.
[[nodiscard]] inline std::string read_double(const nlohmann::json& object, const char* key, double& out) {
    const auto found = object.find(key);
    if (found == object.end()) {
        return std::string("missing \"") + key + "\"";
    }
    if (found->is_null()) {
        out = std::numeric_limits<double>::quiet_NaN();
        return {};
    }
    if (!found->is_number()) {
        return std::string("\"") + key + "\": expected a number or null";
    }
    out = found->get<double>();
    return {};
}

template <typename Integer>
[[nodiscard]] inline std::string read_integer(const nlohmann::json& object, const char* key, Integer& out) {
    const auto found = object.find(key);
    if (found == object.end()) {
        return std::string("missing \"") + key + "\"";
    }
    const bool fits = found->is_number_unsigned() ? found->get<std::uint64_t>() <= std::numeric_limits<Integer>::max()
                      : found->is_number_integer()
                          ? found->get<std::int64_t>() >= static_cast<std::int64_t>(std::numeric_limits<Integer>::min())
                          : false;
    if (!fits) {
        return std::string("\"") + key + "\": expected an integer in range";
    }
    out = found->is_number_unsigned() ? static_cast<Integer>(found->get<std::uint64_t>())
                                      : static_cast<Integer>(found->get<std::int64_t>());
    return {};
}

template <std::size_t Capacity>
[[nodiscard]] inline std::string read_text(const nlohmann::json& object, const char* key, char (&out)[Capacity]) {
    const auto found = object.find(key);
    if (found == object.end() || !found->is_string()) {
        return std::string("\"") + key + "\": expected a string";
    }
    const auto& text = found->get_ref<const std::string&>();
    if (text.size() >= Capacity || text.find('\0') != std::string::npos) {
        return std::string("\"") + key + "\": expected at most " + std::to_string(Capacity - 1) + " bytes without NUL";
    }
    std::memset(out, 0, Capacity);
    std::memcpy(out, text.data(), text.size());
    return {};
}

[[nodiscard]] inline std::string read_body_hex(const nlohmann::json& object, mdp_event_t& event) {
    const auto found = object.find("body_hex");
    if (found == object.end() || !found->is_string() || found->get_ref<const std::string&>().size() != 128) {
        return "\"body_hex\": expected 128 hex digits";
    }
    const auto& hex = found->get_ref<const std::string&>();
    for (std::size_t i = 0; i < sizeof(event.body.reserved); ++i) {
        int byte = 0;
        for (const char digit : {hex[2 * i], hex[2 * i + 1]}) {
            const int value = digit >= '0' && digit <= '9'   ? digit - '0'
                              : digit >= 'a' && digit <= 'f' ? digit - 'a' + 10
                                                             : -1;
            if (value < 0) {
                return "\"body_hex\": expected lower-case hex digits";
            }
            byte = byte * 16 + value;
        }
        event.body.reserved[i] = static_cast<std::uint8_t>(byte);
    }
    return {};
}

[[nodiscard]] inline std::string read_body(const nlohmann::json& object, mdp_event_t& event) {
    std::string error;
    const auto keep_first = [&error](std::string problem) {
        if (error.empty()) {
            error = std::move(problem);
        }
    };
    switch (event.type) {
        case MDP_EVENT_QUOTE:
            keep_first(read_double(object, "bid", event.body.quote.bid));
            keep_first(read_double(object, "ask", event.body.quote.ask));
            keep_first(read_double(object, "bid_size", event.body.quote.bid_size));
            keep_first(read_double(object, "ask_size", event.body.quote.ask_size));
            keep_first(read_double(object, "last", event.body.quote.last));
            break;
        case MDP_EVENT_TRADE:
            keep_first(read_double(object, "price", event.body.trade.price));
            keep_first(read_double(object, "size", event.body.trade.size));
            keep_first(read_text(object, "exchange", event.body.trade.exchange));
            keep_first(read_text(object, "conditions", event.body.trade.conditions));
            break;
        case MDP_EVENT_BAR:
            keep_first(read_integer(object, "interval_ns", event.body.bar.interval_ns));
            keep_first(read_double(object, "open", event.body.bar.open));
            keep_first(read_double(object, "high", event.body.bar.high));
            keep_first(read_double(object, "low", event.body.bar.low));
            keep_first(read_double(object, "close", event.body.bar.close));
            keep_first(read_double(object, "volume", event.body.bar.volume));
            keep_first(read_double(object, "vwap", event.body.bar.vwap));
            keep_first(read_integer(object, "trade_count", event.body.bar.trade_count));
            break;
        default:
            keep_first(read_body_hex(object, event));
            break;
    }
    return error;
}

[[nodiscard]] inline std::string read_type(const nlohmann::json& object, std::uint16_t& type) {
    const auto found = object.find("type");
    if (found != object.end() && found->is_string()) {
        const auto& name = found->get_ref<const std::string&>();
        type = name == "quote"   ? MDP_EVENT_QUOTE
               : name == "trade" ? MDP_EVENT_TRADE
               : name == "bar"   ? MDP_EVENT_BAR
                                 : 0;
        return type == 0 ? "\"type\": unknown name \"" + name + "\"" : std::string();
    }
    return read_integer(object, "type", type);
}

[[nodiscard]] inline std::string read_event(const nlohmann::json& object, WireEvent& wire) {
    if (!object.is_object()) {
        return "expected an object";
    }
    mdp_event_t& event = wire.event;
    event.size = sizeof(mdp_event_t);
    std::string error = read_integer(object, "seq", wire.seq);
    if (error.empty() && wire.seq == 0) {
        error = "seq 0 (sequence numbers start at 1)";
    }
    for (std::string problem :
         {read_type(object, event.type), read_integer(object, "flags", event.flags),
          read_integer(object, "event_time_ns", event.event_time_ns),
          read_integer(object, "receive_time_ns", event.receive_time_ns), read_text(object, "symbol", event.symbol)}) {
        if (error.empty()) {
            error = std::move(problem);
        }
    }
    return error.empty() ? read_body(object, event) : error;
}

}  // namespace json_detail

// Replaces `out` with the JSON encoding of `count` events (see encode_binary_batch for
// `event_at` and the exceptions).
template <typename EventAt>
void encode_json_batch(std::string& out, std::string_view origin, std::string_view run_id, std::size_t count,
                       EventAt&& event_at) {
    if (origin.empty() || origin.size() > kMaxOriginBytes) {
        throw std::invalid_argument("mdp.events.json: the origin must have 1 to 1024 bytes");
    }
    nlohmann::json events = nlohmann::json::array();
    for (std::size_t i = 0; i < count; ++i) {
        const EventRef ref = event_at(i);
        events.push_back(json_detail::event_json(ref.seq, *ref.event));
    }
    const nlohmann::json document = {{"format", kJsonFormatId},
                                     {"origin", std::string(origin)},
                                     {"run_id", std::string(run_id)},
                                     {"events", std::move(events)}};
    out = document.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Decodes a `mdp.events.json` payload of version 1. Never throws for bad input; the error
// names the event index and key that were wrong.
[[nodiscard]] inline DecodeResult decode_json_batch(std::string_view payload) {
    DecodeResult result;
    const auto fail = [&result](std::string message) -> DecodeResult {
        result.batch = {};
        result.error = std::string(kJsonFormatName) + ": " + std::move(message);
        return std::move(result);
    };
    const nlohmann::json document = nlohmann::json::parse(payload, nullptr, false);
    if (document.is_discarded() || !document.is_object()) {
        return fail("not a JSON object");
    }
    const auto format = document.find("format");
    if (format == document.end() || !format->is_string()) {
        return fail("missing \"format\"");
    }
    const FormatId id = parse_format_id(format->get_ref<const std::string&>());
    if (id.name != kJsonFormatName || id.version == 0 || id.version > kJsonFormatVersion) {
        return fail("\"format\" is \"" + format->get<std::string>() + "\", expected " + std::string(kJsonFormatId));
    }
    const auto origin = document.find("origin");
    const auto run_id = document.find("run_id");
    const auto events = document.find("events");
    if (origin == document.end() || !origin->is_string() || origin->get_ref<const std::string&>().empty()) {
        return fail("\"origin\": expected a non-empty string");
    }
    if (run_id == document.end() || !run_id->is_string()) {
        return fail("\"run_id\": expected a string");
    }
    if (events == document.end() || !events->is_array()) {
        return fail("\"events\": expected an array");
    }
    result.batch.origin = origin->get<std::string>();
    result.batch.run_id = run_id->get<std::string>();
    result.batch.events.resize(events->size());
    for (std::size_t i = 0; i < events->size(); ++i) {
        std::string error = json_detail::read_event((*events)[i], result.batch.events[i]);
        if (!error.empty()) {
            return fail("events[" + std::to_string(i) + "]: " + error);
        }
    }
    return result;
}

}  // namespace mdp::wire

#endif  // MDP_WIRE_JSON_CODEC_HPP
