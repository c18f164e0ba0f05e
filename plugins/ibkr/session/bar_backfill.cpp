#include "session/bar_backfill.hpp"

#include "codec/client_message_codec.hpp"
#include "codec/decode_error.hpp"
#include "codec/error_codes.hpp"
#include "codec/historical_time.hpp"
#include "codec/number_text.hpp"
#include "market_data/market_data_translator.hpp"
#include "session/request_ids.hpp"
#include "session/subscription_book.hpp"

#include <mdp/plugin_api.h>

#include <algorithm>

namespace mdp::ibkr {

namespace {

constexpr std::int64_t kBarSeconds = 5;
constexpr std::string_view kBarSizeSetting = "5 secs";  // the live real-time bars' interval
constexpr int kFormatEpochSeconds = 2;

HistoricalPacingLimits provider_limits() {
    HistoricalPacingLimits limits;
    limits.max_open = kMaxOpenBackfillRequests;
    limits.safety_margin = kBackfillPacingMargin;
    return limits;
}

std::string window_text(std::int64_t from_seconds, std::int64_t to_seconds) {
    return utc_date_time(from_seconds) + " to " + utc_date_time(to_seconds) + " UTC";
}

bool is_active(const SubscriptionBook& book, std::size_t slot) {
    const auto& active = book.active_slots();
    return std::find(active.begin(), active.end(), slot) != active.end();
}

}  // namespace

BarBackfill::BarBackfill(const IbkrConfig& config, Log log)
    : config_(config), log_(std::move(log)), pacing_(provider_limits()) {}

void BarBackfill::on_connection_lost() {
    for (auto open = open_.rbegin(); open != open_.rend(); ++open) {
        pending_.push_front(open->second);
    }
    open_.clear();
    pacing_.forget_open();
    note_data_loss();
    wake();
}

void BarBackfill::on_live_bar(std::size_t slot, std::int64_t start_seconds) {
    const auto [found, inserted] = last_bar_.try_emplace(slot, LastBar{start_seconds, loss_epoch_});
    if (inserted) {
        return;  // nothing to compare with: what came before this provider started is not ours
    }
    LastBar& last = found->second;
    if (start_seconds <= last.start_seconds) {
        return;  // a late or repeated bar
    }
    if (start_seconds > last.start_seconds + kBarSeconds && last.loss_epoch != loss_epoch_) {
        const std::int64_t from = std::max(last.start_seconds + kBarSeconds, start_seconds - kMaxBackfillSeconds);
        pending_.push_back(Window{slot, from, start_seconds, 0, 0, {}});
        ++counters_.windows_queued;
        wake();
    }
    last = LastBar{start_seconds, loss_epoch_};
}

ReqHistoricalData BarBackfill::request_for(const Window& window, const SubscriptionBook& book, std::string& end_text,
                                           std::string& duration_text) const {
    end_text = utc_date_time(window.to_seconds);
    duration_text = duration_seconds_text(window.to_seconds - window.from_seconds);
    ReqHistoricalData request;
    request.request_id = request_ids::historical(window.slot);
    request.contract = book.contract(window.slot).wire_fields();
    request.end_date_time = end_text;
    request.bar_size_setting = kBarSizeSetting;
    request.duration = duration_text;
    request.use_rth = config_.real_time_bars.use_rth;
    request.what_to_show = config_.real_time_bars.what_to_show;
    request.format_date = kFormatEpochSeconds;
    return request;
}

void BarBackfill::release(PacedOutbox& outbox, const SubscriptionBook& book, int server_version,
                          Clock::time_point now) {
    if (now < next_release_) {
        return;
    }
    next_release_ = Clock::time_point::max();
    for (auto window = pending_.begin(); window != pending_.end();) {
        const int request_id = request_ids::historical(window->slot);
        if (!is_active(book, window->slot)) {
            window = pending_.erase(window);  // removed by a reconfigure: nobody wants its bars
            continue;
        }
        if (open_.count(request_id) > 0) {
            ++window;  // its slot's reply wakes us
            continue;
        }
        std::string end_text;
        std::string duration_text;
        const ReqHistoricalData request = request_for(*window, book, end_text, duration_text);
        const HistoricalRequestKey key = historical_request_key(request);
        if (const auto earliest = pacing_.earliest_send(key, now); earliest > now) {
            next_release_ = std::min(next_release_, earliest);  // max() while the open cap is full: a reply wakes us
            ++window;
            continue;
        }
        window->name = book.contract(window->slot).display_name;
        const std::string& name = window->name;
        std::string frame;
        try {
            encode(frame, request, server_version);
        } catch (const EncodeError& error) {
            log_(MDP_LOG_WARN, "backfill of " + name + " cannot be requested: " + error.what());
            ++counters_.windows_failed;
            window = pending_.erase(window);
            continue;
        }
        outbox.push(std::move(frame));
        pacing_.record_sent(key, now);
        ++counters_.requests_sent;
        ++window->attempts;
        log_(MDP_LOG_INFO, "backfill: requesting " + name + " bars " +
                               window_text(window->from_seconds, window->to_seconds) + " (" +
                               std::to_string((window->to_seconds - window->from_seconds) / kBarSeconds) +
                               " missed by the live stream)");
        open_[request_id] = *window;
        window = pending_.erase(window);
    }
}

bool BarBackfill::on_historical_data(const HistoricalData& message, MarketDataTranslator& translator) {
    const auto found = open_.find(message.request_id);
    if (found == open_.end()) {
        return false;
    }
    Window& window = found->second;
    for (const HistoricalBar& bar : message.bars) {
        const ParsedInteger start = parse_integer(bar.date);
        if (start.status != NumberStatus::value) {
            log_(MDP_LOG_WARN, "backfill: skipped a bar with date \"" + std::string(bar.date) +
                                   "\" (expected epoch seconds) in the reply to request " +
                                   std::to_string(message.request_id));
            continue;
        }
        // Only the hole: bars the live stream delivered stay the live stream's.
        if (start.value < window.from_seconds || start.value >= window.to_seconds) {
            continue;
        }
        translator.on_backfilled_bar(window.slot, RealTimeBar{message.request_id, start.value, bar.open, bar.high,
                                                              bar.low, bar.close, bar.volume, bar.wap, bar.count});
        ++counters_.bars_published;
        ++window.bars;
    }
    return true;
}

bool BarBackfill::on_historical_data_end(const HistoricalDataEnd& message) {
    const auto window = take_open(message.request_id);
    if (!window) {
        return false;
    }
    ++counters_.windows_completed;
    log_(MDP_LOG_INFO, "backfill: recovered " + std::to_string(window->bars) + " bars " +
                           window_text(window->from_seconds, window->to_seconds) + " for " + window->name);
    return true;
}

bool BarBackfill::on_request_error(const ErrorMessage& error) {
    const auto window = take_open(error.request_id);
    if (!window) {
        return false;
    }
    const std::string text = std::to_string(error.code) + " " + std::string(error.message);
    const bool pacing = error.code == error_code::kHistoricalDataQueryError &&
                        std::string_view(error.message).find("pacing violation") != std::string_view::npos;
    if (pacing && window->attempts < kMaxBackfillAttempts) {
        log_(MDP_LOG_WARN, "backfill request " + std::to_string(error.request_id) + " hit IB's pacing (" + text +
                               "); trying again under the pacing rules");
        Window retry = *window;
        retry.bars = 0;
        pending_.push_back(retry);
        return true;
    }
    ++counters_.windows_failed;
    log_(MDP_LOG_WARN, "backfill request " + std::to_string(error.request_id) + " for " + window->name + " " +
                           window_text(window->from_seconds, window->to_seconds) + " refused: " + text);
    return true;
}

std::optional<BarBackfill::Window> BarBackfill::take_open(int request_id) {
    const auto found = open_.find(request_id);
    if (found == open_.end()) {
        return std::nullopt;
    }
    Window window = found->second;
    open_.erase(found);
    pacing_.finished();
    wake();
    return window;
}

BackfillCounters BarBackfill::counters() const noexcept {
    BackfillCounters counters = counters_;
    counters.pending = pending_.size();
    counters.open = open_.size();
    return counters;
}

}  // namespace mdp::ibkr
