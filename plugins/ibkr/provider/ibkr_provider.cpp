#include "provider/ibkr_provider.hpp"

#include "session/contract_change.hpp"
#include "session/contract_diff.hpp"
#include "session/request_ids.hpp"

#include <chrono>

namespace mdp::ibkr {

namespace {

// True when `next` differs from `running` in nothing but the contract list.
bool only_contracts_differ(const IbkrConfig& running, const IbkrConfig& next) {
    IbkrConfig running_settings = running;
    IbkrConfig next_settings = next;
    running_settings.contracts.clear();
    next_settings.contracts.clear();
    return running_settings == next_settings;
}

// How many contracts of `next` are not in `current` (each would take a new slot).
std::size_t added_contracts(const std::vector<ContractConfig>& current, const std::vector<ContractConfig>& next) {
    std::vector<std::size_t> slots(current.size());
    for (std::size_t slot = 0; slot < slots.size(); ++slot) {
        slots[slot] = slot;
    }
    return diff_contracts(current, slots, next).added_slots.size();
}

}  // namespace

IbkrProvider::IbkrProvider(sdk::Host host, std::string instance_name, std::string_view config_json)
    : host_(host), name_(std::move(instance_name)), config_(parse_ibkr_config_for(config_json, host)),
      slots_reserved_(config_.contracts.size()),
      buffer_(config_.contracts.size(), config_.buffer_capacity, std::chrono::milliseconds(config_.max_quote_hold_ms)),
      book_(config_), translator_(config_.contracts, config_.uses_rt_volume()),
      publisher_(host_, buffer_, rate_scale_) {}

IbkrProvider::~IbkrProvider() {
    if (running_) {
        stop();
    }
}

void IbkrProvider::start() {
    rate_scale_.store(host_.rate_scale());
    const std::string refused = book_.refused_text();
    if (!refused.empty()) {
        host_.log(sdk::LogLevel::warn, refused + " (" + std::to_string(config_.contracts.size()) +
                                           " contracts configured; raise max_market_data_lines if your TWS account has "
                                           "more lines)");
    }
    publisher_.start();
    session_ = std::make_unique<TwsSession>(config_, book_, translator_, buffer_, rate_scale_,
                                            static_cast<SessionObserver&>(*this), [this] { return host_.now_ns(); });
    session_->start();
    running_ = true;
}

void IbkrProvider::stop() {
    if (session_) {
        session_->stop();
    }
    publisher_.stop();
    running_ = false;
    const OutboundBuffer::Counters counters = buffer_.counters();
    // One line tests and operators can read the provider's own accounting from.
    host_.log(sdk::LogLevel::info, "ibkr summary: decoded " + std::to_string(counters.pushed_quotes) + " quotes, " +
                                       std::to_string(counters.pushed_trades) + " trades, " +
                                       std::to_string(counters.pushed_bars) + " bars; accepted by the host " +
                                       std::to_string(publisher_.accepted()) + "; quotes conflated " +
                                       std::to_string(counters.quotes_conflated) + "; dropped (buffer full) " +
                                       std::to_string(counters.dropped_trades) + " trades, " +
                                       std::to_string(counters.dropped_bars) + " bars");
    if (session_) {
        const BackfillCounters backfill = session_->backfill_counters();
        host_.log(sdk::LogLevel::info, "ibkr backfill summary: " + std::to_string(backfill.windows_queued) +
                                           " gaps in the live bars, " + std::to_string(backfill.windows_completed) +
                                           " recovered with " + std::to_string(backfill.bars_published) + " bars in " +
                                           std::to_string(backfill.requests_sent) + " requests, " +
                                           std::to_string(backfill.windows_failed) + " refused, " +
                                           std::to_string(backfill.pending + backfill.open) + " unfinished");
    }
}

bool IbkrProvider::reconfigure(std::string_view config_json) {
    IbkrConfig next = parse_ibkr_config_for(config_json, host_);  // throws: nothing changed
    if (!only_contracts_differ(config_, next)) {
        host_.log(sdk::LogLevel::info,
                  "ibkr '" + name_ + "': settings other than contracts changed; the instance is restarted");
        return false;
    }
    if (next.contracts == config_.contracts) {
        return true;  // the same list (perhaps spelled differently): nothing to do
    }
    const std::size_t added = added_contracts(config_.contracts, next.contracts);
    if (slots_reserved_ + added > request_ids::kMaxContractSlots) {
        host_.log(sdk::LogLevel::info, "ibkr '" + name_ + "': contracts added in place since the start reach " +
                                           std::to_string(request_ids::kMaxContractSlots) +
                                           " request ids; the instance is restarted to number them afresh");
        return false;
    }
    slots_reserved_ += added;
    config_.contracts = next.contracts;
    if (session_) {
        session_->change_contracts(std::move(next.contracts));
    } else {
        // Never started: no session thread, this thread owns the book.
        const ContractChange change = apply_contract_list(next.contracts, book_, translator_, buffer_, nullptr, 0);
        host_.log(sdk::LogLevel::info, describe_contract_change(change, book_));
    }
    return true;
}

void IbkrProvider::on_feedback(const mdp_feedback_t& feedback) {
    // [feedback-thread] must not block: store and wake.
    rate_scale_.store(feedback.rate_scale);
    buffer_.wake();
}

void IbkrProvider::on_session_status(const SessionStatus& status, const SubscriptionBook& book) {
    StatusInputs inputs;
    inputs.session = status;
    inputs.book = book.summary();
    inputs.refused_text = book.refused_text();
    inputs.market_data_type = book.market_data_type();
    inputs.buffer = buffer_.counters();
    inputs.rate_scale = rate_scale_.load();
    report(describe_status(inputs));
}

void IbkrProvider::report(const ProviderStatus& status) {
    std::lock_guard lock(report_mutex_);
    if (status == last_reported_) {
        return;
    }
    last_reported_ = status;
    host_.report_state(static_cast<sdk::State>(status.state), status.detail);
}

void IbkrProvider::on_session_log(int level, const std::string& message) {
    host_.log(static_cast<sdk::LogLevel>(level), message);
}

}  // namespace mdp::ibkr
