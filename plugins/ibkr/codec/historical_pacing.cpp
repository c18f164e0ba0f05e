#include "historical_pacing.hpp"

#include "client_messages.hpp"
#include "number_text.hpp"

#include <algorithm>

namespace mdp::ibkr {

namespace {

void append_field(std::string& out, std::string_view field) {
    out.append(field);
    out.push_back('\x1f');  // a separator no field contains
}

}  // namespace

HistoricalRequestKey historical_request_key(const ReqHistoricalData& request) {
    const ContractFields& c = request.contract;
    HistoricalRequestKey key;
    append_integer(key.contract, c.con_id);
    key.contract.push_back('\x1f');
    for (const std::string_view field :
         {c.symbol, c.sec_type, c.last_trade_date_or_contract_month, c.right, c.multiplier, c.exchange,
          c.primary_exchange, c.currency, c.local_symbol, c.trading_class, request.what_to_show}) {
        append_field(key.contract, field);
    }
    append_double(key.contract, c.strike, DoubleStyle::shortest);
    key.identity = key.contract;
    key.identity.push_back('\x1f');
    for (const std::string_view field : {request.end_date_time, request.bar_size_setting, request.duration}) {
        append_field(key.identity, field);
    }
    append_integer(key.identity, (request.use_rth ? 1 : 0) + 2 * request.format_date);
    return key;
}

HistoricalPacing::Bound HistoricalPacing::lower_bound(const HistoricalRequestKey& key, Clock::duration margin) const {
    Bound bound{Clock::time_point::min(), nullptr};
    const auto raise = [&bound](Clock::time_point at, const char* rule) {
        if (at > bound.at) {
            bound = {at, rule};
        }
    };
    int same_contract = 0;
    int in_window = 0;
    // Newest first: the k-th most recent send of a kind bounds the next one of that kind.
    for (auto sent = sent_.rbegin(); sent != sent_.rend(); ++sent) {
        if (sent->key.identity == key.identity) {
            raise(sent->at + limits_.identical_gap + margin, "identical request within 15 s");
        }
        if (sent->key.contract == key.contract && ++same_contract == limits_.max_same_contract) {
            raise(sent->at + limits_.same_contract_window + margin,
                  "six or more requests for the same contract, exchange and data type within 2 s");
        }
        if (++in_window == limits_.max_in_window) {
            raise(sent->at + limits_.window + margin, "more than 60 requests within ten minutes");
        }
    }
    return bound;
}

HistoricalPacing::Clock::time_point HistoricalPacing::earliest_send(const HistoricalRequestKey& key,
                                                                    Clock::time_point now) const {
    if (limits_.max_open > 0 && open_ >= limits_.max_open) {
        return Clock::time_point::max();
    }
    return std::max(now, lower_bound(key, limits_.safety_margin).at);
}

std::optional<std::string> HistoricalPacing::violation(const HistoricalRequestKey& key, Clock::time_point now) const {
    const Bound bound = lower_bound(key, Clock::duration::zero());
    if (bound.rule != nullptr && now < bound.at) {
        return std::string(bound.rule);
    }
    return std::nullopt;
}

void HistoricalPacing::record_sent(const HistoricalRequestKey& key, Clock::time_point now) {
    prune(now);
    sent_.push_back({now, key});
    ++open_;
}

void HistoricalPacing::finished() { open_ = std::max(0, open_ - 1); }

void HistoricalPacing::prune(Clock::time_point now) {
    const auto longest = std::max({limits_.window, limits_.identical_gap, limits_.same_contract_window});
    while (!sent_.empty() && now - sent_.front().at >= longest) {
        sent_.pop_front();
    }
}

}  // namespace mdp::ibkr
