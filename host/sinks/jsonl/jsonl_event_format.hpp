#pragma once
// The jsonl sink's line format: one JSON object per event, terminated by '\n'.
//
//   {"provider":"synthetic","run_id":"5f0c...","seq":1,"type":"quote","symbol":"AAPL",
//    "event_time_ns":1700000000000000000,"receive_time_ns":1700000000000100000,
//    "flags":{"delayed":false,"snapshot":false},
//    "bid":189.1,"ask":189.12,"bid_size":100,"ask_size":200,"last":189.11}
//
// trade adds price, size, exchange, conditions; bar adds interval_ns, open, high, low, close,
// volume, vwap, trade_count. Unknown numbers (NaN) are null.

#include "pipeline/store_event.hpp"
#include "sinks/event_fields.hpp"

#include <string>
#include <string_view>

namespace mdp::sinks {

// Appends the event's line (with its '\n') to `out`; allocates only when `out` must grow.
// `identity` is what the line names as provider, run_id and seq (stored_identity()).
void append_event_line(std::string& out, const pipeline::StoreEvent& record, const StoredIdentity& identity);

}  // namespace mdp::sinks
