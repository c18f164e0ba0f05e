#include "http/symbols_route.hpp"

#include "http/provider_control_route.hpp"
#include "http/request_router.hpp"
#include "http/json_reply.hpp"

#include <nlohmann/json.hpp>

#include <charconv>
#include <cmath>
#include <set>

namespace mdp::http {

namespace {

using nlohmann::json;

std::optional<std::size_t> parse_count(std::string_view text) {
    std::size_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || text.empty()) {
        return std::nullopt;
    }
    return value;
}

// Applies one decoded `name=value`; an error text when it is not acceptable.
std::string apply_parameter(status::SymbolQuery& query, const std::string& name, const std::string& value) {
    if (name == "provider") {
        query.provider = value;
    } else if (name == "state") {
        query.state = status::symbol_state_from(value);
        if (!query.state) {
            return "state: expected fresh, stale or closed, found \"" + value + "\"";
        }
    } else if (name == "search") {
        query.search = value;
    } else if (name == "offset") {
        const auto offset = parse_count(value);
        if (!offset) {
            return "offset: expected a whole number >= 0, found \"" + value + "\"";
        }
        query.offset = *offset;
    } else if (name == "limit") {
        const auto limit = parse_count(value);
        if (!limit || *limit < 1 || *limit > kMaxSymbolPageSize) {
            return "limit: expected a whole number from 1 to " + std::to_string(kMaxSymbolPageSize) + ", found \"" +
                   value + "\"";
        }
        query.limit = *limit;
    } else {
        return "unknown query parameter \"" + name + "\"; expected provider, state, search, offset or limit";
    }
    return "";
}

json nanoseconds_or_null(std::int64_t ns) { return ns == 0 ? json(nullptr) : json(ns); }

json row_to_json(const status::SymbolRow& row, std::int64_t now_ns) {
    json document = {{"provider", row.provider},
                     {"symbol", row.symbol},
                     {"state", status::to_string(row.state)},
                     {"last_event_ns", nanoseconds_or_null(row.last_seen_ns)},
                     {"last_quote_ns", nanoseconds_or_null(row.last_seen_ns_by_type[common::EventType::quote])},
                     {"last_trade_ns", nanoseconds_or_null(row.last_seen_ns_by_type[common::EventType::trade])},
                     {"last_bar_ns", nanoseconds_or_null(row.last_seen_ns_by_type[common::EventType::bar])},
                     {"events_last_minute", row.events_last_minute}};
    document["last_event_age_seconds"] =
        row.last_seen_ns == 0 ? json(nullptr) : json(static_cast<double>(now_ns - row.last_seen_ns) / 1e9);
    document["last_price"] = std::isfinite(row.last_price) ? json(row.last_price) : json(nullptr);
    return document;
}

json counts_to_json(const status::ProviderSymbolCounts& counts) {
    return {{"provider", counts.provider},
            {"fresh", counts.fresh},
            {"stale", counts.stale},
            {"closed", counts.closed},
            {"untracked_events", counts.untracked_events},
            {"stale_after_seconds", counts.stale_after_seconds},
            {"trading_hours", counts.trading_hours.empty() ? json(nullptr) : json(counts.trading_hours)},
            {"market_open", counts.market_open}};
}

}  // namespace

std::variant<status::SymbolQuery, std::string> parse_symbol_query(std::string_view query_string) {
    status::SymbolQuery query;
    std::set<std::string> seen;
    while (!query_string.empty()) {
        const std::size_t amp = query_string.find('&');
        const std::string_view pair = query_string.substr(0, amp);
        query_string = amp == std::string_view::npos ? std::string_view() : query_string.substr(amp + 1);
        if (pair.empty()) {
            continue;
        }
        const std::size_t equals = pair.find('=');
        bool name_ok = false;
        bool value_ok = false;
        const std::string name = percent_decode(pair.substr(0, equals), name_ok);
        const std::string value =
            equals == std::string_view::npos ? std::string() : percent_decode(pair.substr(equals + 1), value_ok);
        if (!name_ok || (equals != std::string_view::npos && !value_ok)) {
            return "malformed percent-encoding in \"" + std::string(pair) + "\"";
        }
        if (!seen.insert(name).second) {
            return "query parameter \"" + name + "\" given twice; expected it once";
        }
        std::string problem = apply_parameter(query, name, value);
        if (!problem.empty()) {
            return problem;
        }
    }
    return query;
}

HttpReply symbols_reply(std::string_view target, const SymbolSource& source) {
    auto parsed = parse_symbol_query(query_of(target));
    if (const auto* problem = std::get_if<std::string>(&parsed)) {
        return json_reply(400, {{"error", "GET /api/v1/symbols: " + *problem}});
    }
    const auto& query = std::get<status::SymbolQuery>(parsed);
    const status::SymbolPage page = source(query);
    if (!page.provider_known) {
        json known = json::array();
        for (const auto& counts : page.providers) {
            known.push_back(counts.provider);
        }
        return json_reply(400, {{"error", "GET /api/v1/symbols: provider: no tracked provider is named \"" +
                                              *query.provider + "\"; tracked: " + known.dump()}});
    }
    json document = {{"now_ns", page.now_ns}, {"total", page.total}, {"offset", query.offset}, {"limit", query.limit}};
    document["providers"] = json::array();
    for (const auto& counts : page.providers) {
        document["providers"].push_back(counts_to_json(counts));
    }
    document["symbols"] = json::array();
    for (const auto& row : page.rows) {
        document["symbols"].push_back(row_to_json(row, page.now_ns));
    }
    return json_reply(200, document);
}

}  // namespace mdp::http
