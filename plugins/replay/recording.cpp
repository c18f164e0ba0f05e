#include "recording.hpp"

#include <mdp/plugin.hpp>
#include <mdp/sdk/config_reader.hpp>
#include <mdp/sdk/errno_text.hpp>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>

namespace mdp::replay {

namespace {

constexpr double kNotKnown = std::numeric_limits<double>::quiet_NaN();

std::uint16_t event_type(const std::string& name) {
    const std::map<std::string, std::uint16_t> types = {
        {"quote", MDP_EVENT_QUOTE}, {"trade", MDP_EVENT_TRADE}, {"bar", MDP_EVENT_BAR}};
    const auto found = types.find(name);
    if (found == types.end()) {
        throw sdk::ConfigProblem("type", "expected \"quote\", \"trade\" or \"bar\", found \"" + name + "\"");
    }
    return found->second;
}

// ---------------------------------------------------------------- CSV

// Splits one CSV line (RFC 4180 quoting: "a,b" and "" for a quote inside quotes).
std::vector<std::string> split_csv(const std::string& line) {
    std::vector<std::string> cells(1);
    bool quoted = false;
    for (std::size_t index = 0; index < line.size(); ++index) {
        const char c = line[index];
        if (quoted && c == '"' && index + 1 < line.size() && line[index + 1] == '"') {
            cells.back() += '"';
            ++index;
        } else if (c == '"') {
            quoted = !quoted;
        } else if (c == ',' && !quoted) {
            cells.emplace_back();
        } else {
            cells.back() += c;
        }
    }
    if (quoted) {
        throw sdk::ConfigProblem("", "expected a closing quote");
    }
    return cells;
}

template <typename Number>
Number parse_number(const std::string& column, const std::string& text) {
    Number value{};
    const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
    if (result.ec != std::errc() || result.ptr != text.data() + text.size()) {
        throw sdk::ConfigProblem(column, std::string("expected ") +
                                             (std::is_integral_v<Number> ? "an integer" : "a number") + ", found \"" +
                                             text + "\"");
    }
    return value;
}

class CsvRow {
   public:
    CsvRow(const std::map<std::string, std::size_t>& columns, std::vector<std::string> cells)
        : columns_(columns), cells_(std::move(cells)) {}

    [[nodiscard]] std::string text(const std::string& column) const {
        const auto found = columns_.find(column);
        return found == columns_.end() ? std::string() : cells_[found->second];
    }
    [[nodiscard]] double number(const std::string& column) const {
        const std::string cell = text(column);
        return cell.empty() ? kNotKnown : parse_number<double>(column, cell);
    }
    [[nodiscard]] std::int64_t integer(const std::string& column) const {
        const std::string cell = text(column);
        return cell.empty() ? 0 : parse_number<std::int64_t>(column, cell);
    }
    [[nodiscard]] bool flag(const std::string& column) const {
        const std::string cell = text(column);
        if (cell != "" && cell != "true" && cell != "false" && cell != "1" && cell != "0") {
            throw sdk::ConfigProblem(column, "expected true, false, 1, 0 or nothing, found \"" + cell + "\"");
        }
        return cell == "true" || cell == "1";
    }

   private:
    const std::map<std::string, std::size_t>& columns_;
    std::vector<std::string> cells_;
};

std::map<std::string, std::size_t> read_csv_header(const std::string& line, const std::string& file) {
    std::map<std::string, std::size_t> columns;
    const auto names = split_csv(line);
    for (std::size_t index = 0; index < names.size(); ++index) {
        const auto& known = csv_columns();
        if (std::find(known.begin(), known.end(), names[index]) == known.end()) {
            const auto suggestion = sdk::closest_match(names[index], known);
            throw RecordingError(file + ":1: bad header: unknown column \"" + names[index] + "\"" +
                                 (suggestion ? " (did you mean \"" + *suggestion + "\"?)" : "") +
                                 "; expected a header naming columns of " + sdk::quoted_list(known));
        }
        if (!columns.emplace(names[index], index).second) {
            throw RecordingError(file + ":1: bad header: column \"" + names[index] + "\" appears twice");
        }
    }
    for (const char* required : {"type", "symbol", "event_time_ns"}) {
        if (columns.count(required) == 0) {
            throw RecordingError(file + ":1: bad header: expected a column \"" + required + "\"");
        }
    }
    return columns;
}

mdp_event_t csv_event(const CsvRow& row) {
    const std::string symbol = row.text("symbol");
    if (symbol.empty() || symbol.size() >= MDP_SYMBOL_CAPACITY) {
        throw sdk::ConfigProblem("symbol", "expected 1 to 31 characters, found \"" + symbol + "\"");
    }
    const std::uint16_t flags =
        (row.flag("delayed") ? MDP_EVENT_FLAG_DELAYED : 0) | (row.flag("snapshot") ? MDP_EVENT_FLAG_SNAPSHOT : 0);
    mdp_event_t event = sdk::make_event(event_type(row.text("type")), symbol, row.integer("event_time_ns"),
                                        row.integer("receive_time_ns"), flags);
    if (event.type == MDP_EVENT_QUOTE) {
        event.body.quote = {row.number("bid"), row.number("ask"), row.number("bid_size"), row.number("ask_size"),
                            row.number("last")};
    } else if (event.type == MDP_EVENT_TRADE) {
        event = sdk::make_trade(symbol, event.event_time_ns, event.receive_time_ns, row.number("price"),
                                row.number("size"), row.text("exchange"), row.text("conditions"), flags);
    } else {
        event.body.bar = {row.integer("interval_ns"), row.number("open"),        row.number("high"),
                          row.number("low"),          row.number("close"),       row.number("volume"),
                          row.number("vwap"),         row.integer("trade_count")};
    }
    return event;
}

// ---------------------------------------------------------------- JSONL

double json_number(sdk::ConfigReader& line, const std::string& key) {
    const nlohmann::json* value = line.member(key);
    if (value == nullptr || value->is_null()) {
        return kNotKnown;  // the jsonl sink writes a value that is not known as null
    }
    if (!value->is_number()) {
        line.fail_at(key, "a number or null", *value);
    }
    return value->get<double>();
}

std::optional<mdp_event_t> jsonl_event(const std::string& text, const std::optional<std::string>& provider) {
    const nlohmann::json document = sdk::ConfigReader::parse(text);
    sdk::ConfigReader line(document);
    if (provider && line.string("provider", std::string()) != *provider) {
        return std::nullopt;
    }
    const std::int64_t max_ns = std::numeric_limits<std::int64_t>::max();
    const std::string symbol = line.nonempty_string("symbol");
    sdk::ConfigReader flags = line.object("flags");
    const std::uint16_t flag_bits = (flags.boolean("delayed", false) ? MDP_EVENT_FLAG_DELAYED : 0) |
                                    (flags.boolean("snapshot", false) ? MDP_EVENT_FLAG_SNAPSHOT : 0);
    mdp_event_t event =
        sdk::make_event(event_type(line.string("type")), symbol, line.integer("event_time_ns", 0, max_ns),
                        line.integer("receive_time_ns", 0, max_ns, 0), flag_bits);
    if (event.type == MDP_EVENT_QUOTE) {
        event.body.quote = {json_number(line, "bid"), json_number(line, "ask"), json_number(line, "bid_size"),
                            json_number(line, "ask_size"), json_number(line, "last")};
    } else if (event.type == MDP_EVENT_TRADE) {
        event = sdk::make_trade(symbol, event.event_time_ns, event.receive_time_ns, json_number(line, "price"),
                                json_number(line, "size"), line.string("exchange", std::string()),
                                line.string("conditions", std::string()), flag_bits);
    } else {
        event.body.bar = {line.integer("interval_ns", 0, max_ns),
                          json_number(line, "open"),
                          json_number(line, "high"),
                          json_number(line, "low"),
                          json_number(line, "close"),
                          json_number(line, "volume"),
                          json_number(line, "vwap"),
                          line.integer("trade_count", 0, max_ns, 0)};
    }
    return event;
}

// ---------------------------------------------------------------- both

std::string without_carriage_return(std::string line) {
    if (!line.empty() && line.back() == '\r') {
        line.pop_back();
    }
    return line;
}

}  // namespace

const std::vector<std::string>& csv_columns() {
    static const std::vector<std::string> columns = {
        "type",     "symbol",   "event_time_ns", "receive_time_ns", "delayed", "snapshot", "bid",        "ask",
        "bid_size", "ask_size", "last",          "price",           "size",    "exchange", "conditions", "interval_ns",
        "open",     "high",     "low",           "close",           "volume",  "vwap",     "trade_count"};
    return columns;
}

Recording read_recording(const RecordingSource& source) {
    const std::string file = source.file.string();
    std::ifstream stream(source.file);
    if (!stream) {
        throw RecordingError(file + ": cannot open: " + sdk::errno_text(errno));
    }
    Recording recording;
    std::map<std::string, std::size_t> columns;
    std::string line;
    for (std::uint64_t number = 1; std::getline(stream, line); ++number) {
        line = without_carriage_return(std::move(line));
        if (source.format == RecordingFormat::csv && number == 1) {
            columns = read_csv_header(line, file);
            continue;
        }
        if (line.empty()) {
            continue;
        }
        try {
            if (source.format == RecordingFormat::csv) {
                std::vector<std::string> cells = split_csv(line);
                if (cells.size() != columns.size()) {
                    throw sdk::ConfigProblem("", "expected " + std::to_string(columns.size()) + " fields, found " +
                                                     std::to_string(cells.size()));
                }
                recording.events.push_back(csv_event(CsvRow(columns, std::move(cells))));
            } else if (auto event = jsonl_event(line, source.provider)) {
                recording.events.push_back(*event);
            }
        } catch (const sdk::ConfigProblem& problem) {
            const std::string reason = file + ":" + std::to_string(number) + ": " + problem.what();
            if (source.bad_rows == BadRows::fail) {
                throw RecordingError(reason + " (set \"bad_rows\": \"skip\" to skip such rows)");
            }
            ++recording.skipped_rows;
            if (recording.skipped_reasons.size() < Recording::kMaxKeptReasons) {
                recording.skipped_reasons.push_back(reason);
            }
        }
    }
    if (recording.events.empty()) {
        throw RecordingError(file + ": no events to replay" +
                             (recording.skipped_rows != 0 ? " (every row was skipped as bad)" : ""));
    }
    return recording;
}

}  // namespace mdp::replay
