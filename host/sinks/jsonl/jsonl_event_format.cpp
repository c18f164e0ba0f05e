#include "sinks/jsonl/jsonl_event_format.hpp"

#include "common/json_text.hpp"
#include "sinks/event_fields.hpp"

namespace mdp::sinks {

namespace {

using namespace common::json_text;

void append_double_field(std::string& out, std::string_view key, double value) {
    out += ",\"";
    out += key;
    out += "\":";
    append_double(out, value);
}

void append_quote_fields(std::string& out, const mdp_quote_t& quote) {
    append_double_field(out, "bid", quote.bid);
    append_double_field(out, "ask", quote.ask);
    append_double_field(out, "bid_size", quote.bid_size);
    append_double_field(out, "ask_size", quote.ask_size);
    append_double_field(out, "last", quote.last);
}

void append_trade_fields(std::string& out, const mdp_trade_t& trade) {
    append_double_field(out, "price", trade.price);
    append_double_field(out, "size", trade.size);
    out += ",\"exchange\":";
    append_string(out, fixed_text(trade.exchange));
    out += ",\"conditions\":";
    append_string(out, fixed_text(trade.conditions));
}

void append_bar_fields(std::string& out, const mdp_bar_t& bar) {
    out += ",\"interval_ns\":";
    append_int(out, bar.interval_ns);
    append_double_field(out, "open", bar.open);
    append_double_field(out, "high", bar.high);
    append_double_field(out, "low", bar.low);
    append_double_field(out, "close", bar.close);
    append_double_field(out, "volume", bar.volume);
    append_double_field(out, "vwap", bar.vwap);
    out += ",\"trade_count\":";
    append_int(out, bar.trade_count);
}

void append_type(std::string& out, common::EventType type) {
    out += ",\"type\":";
    append_string(out, common::to_string(type));
}

}  // namespace

void append_event_line(std::string& out, const pipeline::StoreEvent& record, const StoredIdentity& identity) {
    const mdp_event_t& event = record.event;
    out += "{\"provider\":";
    append_string(out, identity.provider);
    out += ",\"run_id\":";
    append_string(out, identity.run_id);
    out += ",\"seq\":";
    append_uint(out, identity.sequence);
    append_type(out, stored_type(record));
    out += ",\"symbol\":";
    append_string(out, fixed_text(event.symbol));
    out += ",\"event_time_ns\":";
    append_int(out, event.event_time_ns);
    out += ",\"receive_time_ns\":";
    append_int(out, event.receive_time_ns);
    out += ",\"flags\":{\"delayed\":";
    append_bool(out, is_delayed(event));
    out += ",\"snapshot\":";
    append_bool(out, is_snapshot(event));
    out += '}';
    switch (stored_type(record)) {
        case common::EventType::quote:
            append_quote_fields(out, event.body.quote);
            break;
        case common::EventType::trade:
            append_trade_fields(out, event.body.trade);
            break;
        case common::EventType::bar:
            append_bar_fields(out, event.body.bar);
            break;
    }
    out += "}\n";
}

}  // namespace mdp::sinks
