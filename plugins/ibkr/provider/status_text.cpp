#include "provider/status_text.hpp"

#include <mdp/plugin_api.h>

#include <cmath>
#include <cstdio>

namespace mdp::ibkr {

namespace {

constexpr std::size_t kMaxDetailBytes = 511;

std::string seconds_text(std::chrono::milliseconds delay) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.1f s", static_cast<double>(delay.count()) / 1000.0);
    return buffer;
}

std::string data_type_text(int market_data_type) {
    switch (market_data_type) {
        case 2:
            return "frozen data";
        case 3:
            return "delayed data";
        case 4:
            return "delayed-frozen data";
        default:
            return "live data";
    }
}

std::string count_text(std::size_t count, const char* singular, const char* plural) {
    return std::to_string(count) + " " + (count == 1 ? singular : plural);
}

// Shown from the first gap on, so an operator sees that bars were recovered after an outage.
std::string backfill_clause(const BackfillCounters& backfill) {
    if (backfill.windows_queued == 0) {
        return {};
    }
    std::string text = "backfill: " + count_text(backfill.bars_published, "bar", "bars") + " recovered in " +
                       std::to_string(backfill.windows_completed) + " of " +
                       count_text(backfill.windows_queued, "gap", "gaps");
    if (backfill.pending + backfill.open > 0) {
        text += ", " + std::to_string(backfill.pending) + " waiting for IB's historical pacing, " +
                std::to_string(backfill.open) + " requested";
    }
    if (backfill.windows_failed > 0) {
        text += ", " + std::to_string(backfill.windows_failed) + " refused";
    }
    return text;
}

// Clauses after the headline, most important first; the detail is cut between clauses.
std::string join_within_limit(const std::string& headline, const std::vector<std::string>& clauses) {
    std::string detail = headline;
    for (const std::string& clause : clauses) {
        if (clause.empty()) {
            continue;
        }
        if (detail.size() + 2 + clause.size() > kMaxDetailBytes) {
            const std::string more = "; ...";
            if (detail.size() + more.size() <= kMaxDetailBytes) {
                detail += more;
            }
            break;
        }
        detail += "; " + clause;
    }
    if (detail.size() > kMaxDetailBytes) {
        detail.resize(kMaxDetailBytes);
    }
    return detail;
}

std::string backpressure_clause(const StatusInputs& inputs) {
    const auto& buffer = inputs.buffer;
    std::string clause;
    if (inputs.rate_scale <= 0.0) {
        clause = "paused by backpressure (rate scale 0): holding " + count_text(buffer.held_quotes, "quote", "quotes") +
                 " and " + count_text(buffer.queued, "trade/bar", "trades/bars");
    } else if (inputs.rate_scale < 1.0) {
        char scale[16];
        std::snprintf(scale, sizeof scale, "%.2g", inputs.rate_scale);
        clause = std::string("backpressure: rate scale ") + scale + ", quotes conflated per symbol";
    }
    const std::uint64_t dropped = buffer.dropped_trades + buffer.dropped_bars;
    if (dropped > 0) {
        clause += std::string(clause.empty() ? "" : ", ") + "dropped " + std::to_string(buffer.dropped_trades) +
                  " trades and " + std::to_string(buffer.dropped_bars) + " bars (buffer full)";
    }
    return clause;
}

ProviderStatus streaming_status(const StatusInputs& inputs) {
    const SessionStatus& session = inputs.session;
    const BookSummary& book = inputs.book;
    ProviderStatus status;
    std::string headline;
    if (book.lines == 0) {
        status.state = MDP_STATE_FAILED;
        headline = "nothing to stream: " + inputs.refused_text;
    } else if (book.failed == book.lines) {
        status.state = MDP_STATE_FAILED;
        headline = "no contract streams from " + session.peer + ": " + book.failures;
    } else {
        status.state = MDP_STATE_RUNNING;
        if (book.waiting > 0 && book.streaming == 0) {
            headline = "subscribing " + count_text(book.lines, "line", "lines") + " at " + session.peer;
        } else {
            headline = "streaming " + std::to_string(book.streaming) + " of " +
                       count_text(book.lines, "line", "lines") + " from " + session.peer;
        }
        headline += " (server v" + std::to_string(session.server_version) + ", " +
                    data_type_text(inputs.market_data_type) + ")";
    }
    if (session.connectivity_lost) {
        status.state = MDP_STATE_DEGRADED;
        headline = "TWS/IB Gateway lost its connection to IB (" + session.connectivity_text +
                   "); waiting for it to be restored; " + headline;
    } else if (!session.farm_problem.empty() && status.state == MDP_STATE_RUNNING) {
        status.state = MDP_STATE_DEGRADED;
        headline = "data farm problem (" + session.farm_problem + "); " + headline;
    }
    std::vector<std::string> clauses;
    if (book.failed > 0 && book.failed != book.lines) {
        clauses.push_back(count_text(book.failed, "line", "lines") + " failed: " + book.failures);
    }
    if (book.delayed > 0) {
        clauses.push_back(count_text(book.delayed, "line", "lines") + " on delayed data: " + book.delayed_names);
    }
    if (book.waiting > 0 && book.streaming > 0) {
        clauses.push_back(std::to_string(book.waiting) + " waiting for data");
    }
    if (session.requests_queued > 0) {
        clauses.push_back(std::to_string(session.requests_queued) + " requests queued by client pacing");
    }
    if (session.pacing_slowed) {
        clauses.push_back("TWS reported a pacing violation (100): requests slowed to " +
                          std::to_string(static_cast<int>(session.pacing_rate)) + "/s");
    }
    clauses.push_back(inputs.refused_text);
    clauses.push_back(backfill_clause(session.backfill));
    clauses.push_back(backpressure_clause(inputs));
    if (session.malformed_messages > 0) {
        clauses.push_back(std::to_string(session.malformed_messages) + " malformed messages skipped");
    }
    status.detail = join_within_limit(headline, clauses);
    return status;
}

}  // namespace

ProviderStatus describe_status(const StatusInputs& inputs) {
    const SessionStatus& session = inputs.session;
    const std::string client = " (client id " + std::to_string(session.client_id) + ")";
    ProviderStatus status;
    switch (session.phase) {
        case SessionPhase::streaming:
            return streaming_status(inputs);
        case SessionPhase::connecting:
        case SessionPhase::handshaking: {
            if (session.client_id_in_use) {
                status.state = MDP_STATE_FAILED;
                status.detail = "client id " + std::to_string(session.client_id) + " is already in use at " +
                                session.peer +
                                " (error 326): another API client is connected with it; set a "
                                "different client_id; retrying";
                return status;
            }
            status.state = MDP_STATE_DEGRADED;
            const std::string verb = session.phase == SessionPhase::connecting ? "connecting to " : "handshaking with ";
            std::string headline = verb + session.peer + client;
            if (session.attempt > 1) {
                headline += ", attempt " + std::to_string(session.attempt);
            }
            status.detail = join_within_limit(
                headline, {session.disconnect_reason.empty() ? "" : "last error: " + session.disconnect_reason,
                           backpressure_clause(inputs)});
            return status;
        }
        case SessionPhase::waiting_to_reconnect: {
            if (session.client_id_in_use) {
                status.state = MDP_STATE_FAILED;
                status.detail = "client id " + std::to_string(session.client_id) + " is already in use at " +
                                session.peer +
                                " (error 326): another API client is connected with it; set a "
                                "different client_id; retrying in " +
                                seconds_text(session.retry_in);
                return status;
            }
            status.state = MDP_STATE_DEGRADED;
            status.detail = join_within_limit("disconnected from " + session.peer + ": " + session.disconnect_reason,
                                              {"reconnecting in " + seconds_text(session.retry_in) + " (attempt " +
                                                   std::to_string(session.attempt + 1) + ")",
                                               backpressure_clause(inputs)});
            return status;
        }
        case SessionPhase::gave_up:
            status.state = MDP_STATE_FAILED;
            status.detail = join_within_limit(
                "gave up connecting to " + session.peer + client + " after reconnect.max_attempts attempts",
                {"last error: " + session.disconnect_reason});
            return status;
        case SessionPhase::stopped:
            status.state = MDP_STATE_DEGRADED;
            status.detail = "stopped";
            return status;
    }
    return status;
}

}  // namespace mdp::ibkr
