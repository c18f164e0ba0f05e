#include "session/subscription_book.hpp"

#include "codec/client_message_codec.hpp"
#include "session/error_policy.hpp"
#include "session/request_ids.hpp"

namespace mdp::ibkr {

namespace {

constexpr std::size_t kNamedFailures = 3;

// Delayed types for the fallback: live -> delayed, frozen -> delayed-frozen.
int delayed_type_for(int market_data_type) {
    switch (market_data_type) {
        case 1:
            return 3;
        case 2:
            return 4;
        default:
            return market_data_type;
    }
}

std::string failure_reason(const ErrorMessage& error) {
    const std::string_view known = describe_error_code(error.code);
    std::string text = known.empty() ? std::string(error.message.substr(0, 80)) : std::string(known);
    return text + " (" + std::to_string(error.code) + ")";
}

}  // namespace

SubscriptionBook::SubscriptionBook(const IbkrConfig& config)
    : config_(config), market_data_type_(config.market_data_type) {
    const auto limit = static_cast<std::size_t>(config.max_market_data_lines);
    std::size_t used = 0;
    auto add = [&](std::size_t index, LineKind kind) {
        Line line;
        line.contract_index = index;
        line.kind = kind;
        line.request_id =
            kind == LineKind::market_data ? request_ids::market_data(index) : request_ids::real_time_bars(index);
        if (used < limit) {
            ++used;
        } else {
            line.state = LineState::refused;
            line.reason = "beyond max_market_data_lines " + std::to_string(limit);
        }
        lines_.push_back(std::move(line));
    };
    // Market data first for every contract, so a tight limit keeps quotes before bars.
    for (std::size_t index = 0; index < config.contracts.size(); ++index) {
        add(index, LineKind::market_data);
    }
    if (config.real_time_bars.enabled) {
        for (std::size_t index = 0; index < config.contracts.size(); ++index) {
            add(index, LineKind::real_time_bars);
        }
    }
}

const std::string& SubscriptionBook::name_of(const Line& line) const {
    return config_.contracts[line.contract_index].display_name;
}

Line* SubscriptionBook::find_line(int request_id) {
    const std::size_t count = config_.contracts.size();
    if (const auto index = request_ids::market_data_index(request_id, count)) {
        return &lines_[*index];
    }
    if (const auto index = request_ids::real_time_bars_index(request_id, count);
        index && config_.real_time_bars.enabled) {
        return &lines_[count + *index];
    }
    return nullptr;
}

void SubscriptionBook::queue_request(const Line& line, PacedOutbox& outbox, int server_version) const {
    const ContractConfig& contract = config_.contracts[line.contract_index];
    std::string frame;
    if (line.kind == LineKind::market_data) {
        ReqMktData request;
        request.request_id = line.request_id;
        request.contract = contract.wire_fields();
        request.generic_tick_list = config_.generic_ticks;
        encode(frame, request, server_version);
    } else {
        ReqRealTimeBars request;
        request.request_id = line.request_id;
        request.contract = contract.wire_fields();
        request.bar_size_seconds = 5;
        request.what_to_show = config_.real_time_bars.what_to_show;
        request.use_rth = config_.real_time_bars.use_rth;
        encode(frame, request, server_version);
    }
    outbox.push(std::move(frame));
}

void SubscriptionBook::queue_initial_requests(PacedOutbox& outbox, int server_version) {
    std::string frame;
    encode(frame, ReqMarketDataType{market_data_type_}, server_version);
    outbox.push(std::move(frame));
    for (Line& line : lines_) {
        if (line.state == LineState::refused) {
            continue;
        }
        line.state = LineState::requested;
        line.delayed = false;
        line.error_code = 0;
        line.reason.clear();
        queue_request(line, outbox, server_version);
    }
}

void SubscriptionBook::queue_resubscription(PacedOutbox& outbox, int server_version) {
    for (Line& line : lines_) {
        if (line.state == LineState::refused) {
            continue;
        }
        std::string cancel;
        if (line.kind == LineKind::market_data) {
            encode(cancel, CancelMktData{line.request_id}, server_version);
        } else {
            encode(cancel, CancelRealTimeBars{line.request_id}, server_version);
        }
        outbox.push(std::move(cancel));
        line.state = LineState::requested;
        line.error_code = 0;
        line.reason.clear();
        queue_request(line, outbox, server_version);
    }
}

void SubscriptionBook::on_connection_lost() {
    for (Line& line : lines_) {
        if (line.state != LineState::refused) {
            line.state = LineState::pending;
        }
    }
}

void SubscriptionBook::on_data(std::size_t contract_index, LineKind kind) {
    const std::size_t position =
        kind == LineKind::market_data ? contract_index : config_.contracts.size() + contract_index;
    if (position >= lines_.size()) {
        return;
    }
    Line& line = lines_[position];
    if (line.state == LineState::requested || line.state == LineState::pending) {
        line.state = LineState::streaming;
    }
}

void SubscriptionBook::apply_delayed_fallback(Line& line, PacedOutbox& outbox, int server_version) {
    if (!fallback_active_) {
        fallback_active_ = true;
        market_data_type_ = delayed_type_for(market_data_type_);
        std::string frame;
        encode(frame, ReqMarketDataType{market_data_type_}, server_version);
        outbox.push(std::move(frame));
    }
    line.state = LineState::requested;
    line.delayed = true;
    queue_request(line, outbox, server_version);
}

bool SubscriptionBook::on_request_error(const ErrorMessage& error, PacedOutbox& outbox, int server_version) {
    Line* line = find_line(error.request_id);
    if (line == nullptr) {
        return false;
    }
    switch (classify_request_error(error.code)) {
        case RequestErrorAction::ignore:
        case RequestErrorAction::warning:
        case RequestErrorAction::session:
            return true;
        case RequestErrorAction::delayed_shown:
            line->delayed = true;
            line->reason = failure_reason(error);
            return true;
        case RequestErrorAction::not_subscribed: {
            // Once per line: a delayed re-request that is refused again stays refused.
            const bool can_fall_back = config_.delayed_fallback && line->kind == LineKind::market_data &&
                                       !line->delayed && (market_data_type_ <= 2 || fallback_active_);
            line->error_code = error.code;
            line->reason = failure_reason(error);
            if (can_fall_back) {
                apply_delayed_fallback(*line, outbox, server_version);
                line->reason += "; falling back to delayed data";
                return true;
            }
            line->state = LineState::not_subscribed;
            return true;
        }
        case RequestErrorAction::failed:
            line->state = LineState::failed;
            line->error_code = error.code;
            line->reason = failure_reason(error);
            return true;
    }
    return true;
}

BookSummary SubscriptionBook::summary() const {
    BookSummary summary;
    std::size_t named = 0;
    std::size_t named_delayed = 0;
    for (const Line& line : lines_) {
        const std::string suffix = line.kind == LineKind::real_time_bars ? " bars" : "";
        switch (line.state) {
            case LineState::refused:
                ++summary.refused;
                continue;
            case LineState::pending:
            case LineState::requested:
                ++summary.waiting;
                break;
            case LineState::streaming:
                ++summary.streaming;
                break;
            case LineState::failed:
            case LineState::not_subscribed:
                ++summary.failed;
                if (named < kNamedFailures) {
                    summary.failures += (named == 0 ? "" : "; ") + name_of(line) + suffix + ": " + line.reason;
                }
                ++named;
                break;
        }
        ++summary.lines;
        if (line.delayed && line.state == LineState::streaming) {
            ++summary.delayed;
            if (named_delayed++ < kNamedFailures) {
                summary.delayed_names += (summary.delayed_names.empty() ? "" : ", ") + name_of(line) + suffix;
            }
        }
    }
    if (named > kNamedFailures) {
        summary.failures += "; +" + std::to_string(named - kNamedFailures) + " more";
    }
    if (named_delayed > kNamedFailures) {
        summary.delayed_names += ", +" + std::to_string(named_delayed - kNamedFailures) + " more";
    }
    return summary;
}

std::string SubscriptionBook::refused_text() const {
    std::size_t refused = 0;
    for (const Line& line : lines_) {
        refused += line.state == LineState::refused ? 1 : 0;
    }
    if (refused == 0) {
        return {};
    }
    return std::to_string(refused) + (refused == 1 ? " line" : " lines") + " refused: beyond max_market_data_lines " +
           std::to_string(config_.max_market_data_lines);
}

}  // namespace mdp::ibkr
