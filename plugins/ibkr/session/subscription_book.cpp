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

int request_id_of(std::size_t slot, LineKind kind) {
    return kind == LineKind::market_data ? request_ids::market_data(slot) : request_ids::real_time_bars(slot);
}

// A line TWS holds a subscription for: requested (and not refused since) or streaming.
bool is_held_by_tws(const Line& line) {
    return line.state == LineState::requested || line.state == LineState::streaming;
}

std::string failure_reason(const ErrorMessage& error) {
    const std::string_view known = describe_error_code(error.code);
    std::string text = known.empty() ? std::string(error.message.substr(0, 80)) : std::string(known);
    return text + " (" + std::to_string(error.code) + ")";
}

}  // namespace

SubscriptionBook::SubscriptionBook(const IbkrConfig& config)
    : config_(config), contracts_by_slot_(config.contracts), market_data_type_(config.market_data_type) {
    active_slots_.reserve(contracts_by_slot_.size());
    for (std::size_t slot = 0; slot < contracts_by_slot_.size(); ++slot) {
        active_slots_.push_back(slot);
    }
    lines_ = lines_for(active_slots_);
    index_lines();
    admit_refused(nullptr, 0);
}

std::vector<Line> SubscriptionBook::lines_for(const std::vector<std::size_t>& slots) {
    std::vector<Line> lines;
    auto add = [&](std::size_t slot, LineKind kind) {
        const int request_id = request_id_of(slot, kind);
        if (Line* existing = find_line(request_id)) {
            lines.push_back(std::move(*existing));
            return;
        }
        Line line;
        line.contract_index = slot;
        line.kind = kind;
        line.request_id = request_id;
        line.state = LineState::refused;  // until admit_refused() finds it a free line
        lines.push_back(std::move(line));
    };
    // Market data first for every contract, so a tight limit keeps quotes before bars.
    for (const std::size_t slot : slots) {
        add(slot, LineKind::market_data);
    }
    if (config_.real_time_bars.enabled) {
        for (const std::size_t slot : slots) {
            add(slot, LineKind::real_time_bars);
        }
    }
    return lines;
}

std::size_t SubscriptionBook::admit_refused(PacedOutbox* outbox, int server_version) {
    const auto limit = static_cast<std::size_t>(config_.max_market_data_lines);
    std::size_t used = 0;
    for (const Line& line : lines_) {
        used += line.state == LineState::refused ? 0 : 1;
    }
    std::size_t requests = 0;
    for (Line& line : lines_) {
        if (line.state != LineState::refused) {
            continue;
        }
        if (used >= limit) {
            line.reason = "beyond max_market_data_lines " + std::to_string(limit);
            continue;
        }
        ++used;
        line.reason.clear();
        line.state = outbox != nullptr ? LineState::requested : LineState::pending;
        if (outbox != nullptr) {
            queue_request(line, *outbox, server_version);
            ++requests;
        }
    }
    return requests;
}

void SubscriptionBook::index_lines() {
    line_by_request_.clear();
    for (std::size_t index = 0; index < lines_.size(); ++index) {
        line_by_request_.emplace(lines_[index].request_id, index);
    }
}

ContractChange SubscriptionBook::change_contracts(const std::vector<ContractConfig>& next, PacedOutbox* outbox,
                                                  int server_version) {
    ContractChange change{diff_contracts(contracts_by_slot_, active_slots_, next), 0, 0};
    // Added slots are numbered in the new list's order from the first free one.
    for (std::size_t position = 0; position < next.size(); ++position) {
        if (change.diff.next_slots[position] == contracts_by_slot_.size()) {
            contracts_by_slot_.push_back(next[position]);
        }
    }
    for (const std::size_t slot : change.diff.removed_slots) {
        for (const LineKind kind : {LineKind::market_data, LineKind::real_time_bars}) {
            const Line* line = find_line(request_id_of(slot, kind));
            if (outbox != nullptr && line != nullptr && is_held_by_tws(*line)) {
                queue_cancel(*line, *outbox, server_version);
                ++change.cancels;
            }
        }
    }
    lines_ = lines_for(change.diff.next_slots);
    active_slots_ = change.diff.next_slots;
    index_lines();
    change.requests = admit_refused(outbox, server_version);
    return change;
}

const std::string& SubscriptionBook::name_of(const Line& line) const {
    return contracts_by_slot_[line.contract_index].display_name;
}

Line* SubscriptionBook::find_line(int request_id) {
    const auto found = line_by_request_.find(request_id);
    return found == line_by_request_.end() ? nullptr : &lines_[found->second];
}

void SubscriptionBook::queue_request(const Line& line, PacedOutbox& outbox, int server_version) const {
    const ContractConfig& contract = contracts_by_slot_[line.contract_index];
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
        queue_cancel(line, outbox, server_version);
        line.state = LineState::requested;
        line.error_code = 0;
        line.reason.clear();
        queue_request(line, outbox, server_version);
    }
}

void SubscriptionBook::queue_cancel(const Line& line, PacedOutbox& outbox, int server_version) {
    std::string cancel;
    if (line.kind == LineKind::market_data) {
        encode(cancel, CancelMktData{line.request_id}, server_version);
    } else {
        encode(cancel, CancelRealTimeBars{line.request_id}, server_version);
    }
    outbox.push(std::move(cancel));
}

void SubscriptionBook::on_connection_lost() {
    for (Line& line : lines_) {
        if (line.state != LineState::refused) {
            line.state = LineState::pending;
        }
    }
}

bool SubscriptionBook::on_data(std::size_t contract_index, LineKind kind) {
    Line* line = find_line(request_id_of(contract_index, kind));
    if (line == nullptr || (line->state != LineState::requested && line->state != LineState::pending)) {
        return false;
    }
    line->state = LineState::streaming;
    return true;
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
