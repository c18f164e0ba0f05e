#include "market_data/market_data_translator.hpp"

#include "codec/decode_error.hpp"
#include "codec/number_text.hpp"
#include "codec/tick_types.hpp"
#include "session/request_ids.hpp"

#include <mdp/plugin.hpp>

#include <cmath>

namespace mdp::ibkr {

namespace {

constexpr std::int64_t kNanosPerSecond = 1'000'000'000;
constexpr std::int64_t kNanosPerMilli = 1'000'000;
constexpr std::int64_t kRealTimeBarSeconds = 5;

// TWS sends -1 (and 0 with size 0) for "no price".
double price_or_unknown(double price, double size) {
    if (std::isnan(price) || price == -1.0 || (price == 0.0 && (size == 0.0 || std::isnan(size)))) {
        return QuoteState::kUnknown;
    }
    return price;
}

// A size that is not there (or is the -1 "no size") is unknown.
double size_or_unknown(double size) { return size < 0.0 ? QuoteState::kUnknown : size; }

double rt_volume_number(std::string_view field, std::string_view whole, bool allow_empty) {
    const ParsedDouble parsed = parse_double(field);
    if (parsed.status == NumberStatus::value) {
        return parsed.value;
    }
    if ((parsed.status == NumberStatus::empty && allow_empty) || parsed.status == NumberStatus::unset) {
        return QuoteState::kUnknown;
    }
    throw DecodeError("RTVolume: expected \"price;size;epochMillis;totalVolume;vwap;singleTrade\", found \"" +
                      std::string(whole.substr(0, 80)) + "\"");
}

}  // namespace

MarketDataTranslator::MarketDataTranslator(const std::vector<ContractConfig>& contracts, bool trades_from_rt_volume)
    : contracts_(contracts.size()), trades_from_rt_volume_(trades_from_rt_volume) {
    for (std::size_t index = 0; index < contracts.size(); ++index) {
        contracts_[index].event_template = sdk::make_event(0, contracts[index].display_name, 0, 0);
    }
    batch_.reserve(4096);
}

std::vector<std::size_t> MarketDataTranslator::take_newly_streaming() {
    std::vector<std::size_t> result;
    result.swap(newly_streaming_);
    return result;
}

void MarketDataTranslator::reset_quotes() {
    for (auto& slot : contracts_) {
        slot.quote.clear();
        slot.delayed_by_type = false;
        slot.seen = false;
    }
}

void MarketDataTranslator::add_contract(std::size_t slot, const ContractConfig& contract) {
    if (slot >= contracts_.size()) {
        contracts_.resize(slot + 1);
    }
    contracts_[slot] = ContractSlot{};
    contracts_[slot].event_template = sdk::make_event(0, contract.display_name, 0, 0);
}

void MarketDataTranslator::remove_contract(std::size_t slot) {
    if (slot < contracts_.size()) {
        contracts_[slot].active = false;
    }
}

MarketDataTranslator::ContractSlot* MarketDataTranslator::market_data_slot(int request_id) noexcept {
    const auto index = request_ids::market_data_index(request_id, contracts_.size());
    if (!index || !contracts_[*index].active) {
        ++unknown_requests_;
        return nullptr;
    }
    return &contracts_[*index];
}

MarketDataTranslator::ContractSlot* MarketDataTranslator::real_time_bars_slot(int request_id) noexcept {
    const auto index = request_ids::real_time_bars_index(request_id, contracts_.size());
    if (!index || !contracts_[*index].active) {
        ++unknown_requests_;
        return nullptr;
    }
    return &contracts_[*index];
}

std::uint32_t MarketDataTranslator::index_of(const ContractSlot& slot) const noexcept {
    return static_cast<std::uint32_t>(&slot - contracts_.data());
}

void MarketDataTranslator::note_seen(ContractSlot& slot) {
    if (!slot.seen) {
        slot.seen = true;
        newly_streaming_.push_back(index_of(slot));
    }
}

std::uint16_t MarketDataTranslator::flags_for(const ContractSlot& slot, bool delayed_tick) const noexcept {
    return (delayed_tick || slot.delayed_by_type) ? MDP_EVENT_FLAG_DELAYED : 0;
}

void MarketDataTranslator::emit_quote(ContractSlot& slot, bool delayed_tick) {
    OutboundEvent& out = batch_.emplace_back();
    out.event = slot.event_template;
    out.event.type = MDP_EVENT_QUOTE;
    out.event.flags = flags_for(slot, delayed_tick);
    out.event.event_time_ns = receive_time_ns_;
    out.event.receive_time_ns = receive_time_ns_;
    out.event.body.quote = slot.quote.as_quote();
    out.slot = index_of(slot);
}

void MarketDataTranslator::emit_trade(ContractSlot& slot, double price, double size, std::int64_t event_time_ns,
                                      bool delayed_tick) {
    OutboundEvent& out = batch_.emplace_back();
    out.event = slot.event_template;
    out.event.type = MDP_EVENT_TRADE;
    out.event.flags = flags_for(slot, delayed_tick);
    out.event.event_time_ns = event_time_ns;
    out.event.receive_time_ns = receive_time_ns_;
    out.event.body.trade.price = price;
    out.event.body.trade.size = size;
    out.event.body.trade.exchange[0] = '\0';
    out.event.body.trade.conditions[0] = '\0';
    if (!trades_from_rt_volume_ && !slot.quote.last_exchange.empty()) {
        sdk::copy_fixed(out.event.body.trade.exchange, slot.quote.last_exchange);
    }
    out.slot = index_of(slot);
}

void MarketDataTranslator::on_tick_price(const TickPrice& message) {
    ContractSlot* slot = market_data_slot(message.request_id);
    if (slot == nullptr) {
        return;
    }
    note_seen(*slot);
    const tick::NormalisedTick normalised = tick::normalise(message.tick_type);
    const double price = price_or_unknown(message.price, message.size);
    const double size = size_or_unknown(message.size);
    QuoteState& quote = slot->quote;
    bool changed = false;
    switch (normalised.live_type) {
        case tick::kBid:
            changed = quote.set_bid(price);
            changed = (!std::isnan(size) && quote.set_bid_size(size)) || changed;
            break;
        case tick::kAsk:
            changed = quote.set_ask(price);
            changed = (!std::isnan(size) && quote.set_ask_size(size)) || changed;
            break;
        case tick::kLast:
            changed = quote.set_last(price);
            if (!std::isnan(size)) {
                quote.set_last_size(size);
            }
            if (!trades_from_rt_volume_ && !std::isnan(price)) {
                emit_trade(*slot, price, size, receive_time_ns_, normalised.delayed);
            }
            break;
        default:
            return;  // high/low/close/open: not part of a quote
    }
    if (changed) {
        emit_quote(*slot, normalised.delayed);
    }
}

void MarketDataTranslator::on_tick_size(const TickSize& message) {
    ContractSlot* slot = market_data_slot(message.request_id);
    if (slot == nullptr) {
        return;
    }
    note_seen(*slot);
    const tick::NormalisedTick normalised = tick::normalise(message.tick_type);
    const double size = size_or_unknown(message.size);
    bool changed = false;
    switch (normalised.live_type) {
        case tick::kBidSize:
            changed = slot->quote.set_bid_size(size);
            break;
        case tick::kAskSize:
            changed = slot->quote.set_ask_size(size);
            break;
        case tick::kLastSize:
            slot->quote.set_last_size(size);
            return;  // not part of the quote record
        default:
            return;
    }
    if (changed) {
        emit_quote(*slot, normalised.delayed);
    }
}

void MarketDataTranslator::apply_rt_volume(ContractSlot& slot, std::string_view value) {
    // price;size;epochMillis;totalVolume;vwap;singleTradeFlag
    std::string_view fields[6];
    std::size_t count = 0;
    std::string_view rest = value;
    while (count < 6) {
        const std::size_t separator = rest.find(';');
        fields[count++] = rest.substr(0, separator);
        if (separator == std::string_view::npos) {
            break;
        }
        rest.remove_prefix(separator + 1);
    }
    if (count < 3) {
        rt_volume_number("x", value, false);  // throws with the expected layout
    }
    const double price = rt_volume_number(fields[0], value, true);
    const double size = rt_volume_number(fields[1], value, true);
    const double epoch_ms = rt_volume_number(fields[2], value, true);
    if (std::isnan(price) || std::isnan(size) || size <= 0.0) {
        return;  // a volume-only correction, not a trade
    }
    const std::int64_t event_time_ns =
        std::isnan(epoch_ms) ? receive_time_ns_ : static_cast<std::int64_t>(epoch_ms) * kNanosPerMilli;
    emit_trade(slot, price, size, event_time_ns, false);
}

void MarketDataTranslator::on_tick_string(const TickString& message) {
    ContractSlot* slot = market_data_slot(message.request_id);
    if (slot == nullptr) {
        return;
    }
    note_seen(*slot);
    const tick::NormalisedTick normalised = tick::normalise(message.tick_type);
    switch (normalised.live_type) {
        case tick::kRtVolume:
            if (trades_from_rt_volume_) {
                apply_rt_volume(*slot, message.value);
            }
            return;
        case tick::kLastTimestamp: {
            const ParsedInteger seconds = parse_integer(message.value);
            if (seconds.status == NumberStatus::value) {
                slot->quote.last_trade_time_ns = seconds.value * kNanosPerSecond;
            }
            return;
        }
        case tick::kLastExchange:
            slot->quote.last_exchange = std::string(message.value);
            return;
        default:
            return;
    }
}

void MarketDataTranslator::on_real_time_bar(const RealTimeBar& message) {
    ContractSlot* found = real_time_bars_slot(message.request_id);
    if (found != nullptr) {
        emit_bar(*found, message, 0);
    }
}

void MarketDataTranslator::on_backfilled_bar(std::size_t slot, const RealTimeBar& bar) {
    if (slot >= contracts_.size() || !contracts_[slot].active) {
        ++unknown_requests_;
        return;
    }
    emit_bar(contracts_[slot], bar, MDP_EVENT_FLAG_BACKFILLED);
}

void MarketDataTranslator::emit_bar(ContractSlot& slot, const RealTimeBar& message, std::uint16_t flags) {
    OutboundEvent& out = batch_.emplace_back();
    out.event = slot.event_template;
    out.event.type = MDP_EVENT_BAR;
    out.event.flags = flags;
    out.event.event_time_ns = message.time_seconds * kNanosPerSecond;
    out.event.receive_time_ns = receive_time_ns_;
    mdp_bar_t& bar = out.event.body.bar;
    bar.interval_ns = kRealTimeBarSeconds * kNanosPerSecond;
    bar.open = message.open;
    bar.high = message.high;
    bar.low = message.low;
    bar.close = message.close;
    bar.volume = message.volume;
    bar.vwap = message.wap;
    bar.trade_count = message.count;
    out.slot = index_of(slot);
}

void MarketDataTranslator::on_market_data_type(const MarketDataTypeMessage& message) {
    ContractSlot* slot = market_data_slot(message.request_id);
    if (slot == nullptr) {
        return;
    }
    slot->delayed_by_type = message.market_data_type == 3 || message.market_data_type == 4;
}

}  // namespace mdp::ibkr
