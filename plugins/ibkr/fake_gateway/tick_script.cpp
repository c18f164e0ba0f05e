#include "fake_gateway/tick_script.hpp"

#include "codec/number_text.hpp"
#include "codec/tick_types.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace mdp::ibkr::fake {

namespace {

class LineParser {
   public:
    LineParser(const std::string& line, std::string where) : where_(std::move(where)) {
        std::istringstream stream(line);
        std::string word;
        while (stream >> word) {
            words_.push_back(word);
        }
    }

    [[nodiscard]] std::size_t size() const { return words_.size(); }
    [[nodiscard]] const std::string& word(std::size_t index, const char* expected) const {
        if (index >= words_.size()) {
            fail(std::string("expected ") + expected);
        }
        return words_[index];
    }
    // Everything from word `index` on, joined by single spaces.
    [[nodiscard]] std::string rest(std::size_t index) const {
        std::string text;
        for (std::size_t at = index; at < words_.size(); ++at) {
            text += (text.empty() ? "" : " ") + words_[at];
        }
        return text;
    }
    [[nodiscard]] double number(std::size_t index, const char* expected) const {
        const ParsedDouble parsed = parse_double(word(index, expected));
        if (parsed.status != NumberStatus::value) {
            fail(std::string("expected ") + expected + ", found \"" + words_[index] + "\"");
        }
        return parsed.value;
    }
    [[nodiscard]] std::int64_t integer(std::size_t index, const char* expected) const {
        const ParsedInteger parsed = parse_integer(word(index, expected));
        if (parsed.status != NumberStatus::value) {
            fail(std::string("expected ") + expected + ", found \"" + words_[index] + "\"");
        }
        return parsed.value;
    }
    [[nodiscard]] int tick_type(std::size_t index) const {
        const std::string& text = word(index, "a tick type");
        if (const auto named = tick::from_name(text)) {
            return *named;
        }
        return static_cast<int>(integer(index, "a tick type name (bid, ask, last, rt_volume, ...) or number"));
    }
    [[noreturn]] void fail(const std::string& message) const { throw std::runtime_error(where_ + ": " + message); }

   private:
    std::string where_;
    std::vector<std::string> words_;
};

ScriptStep parse_step(const LineParser& words, int line_number) {
    ScriptStep step;
    step.line = line_number;
    const std::string& verb = words.word(0, "a step");
    using Kind = ScriptStep::Kind;
    if (verb == "sleep") {
        step.kind = Kind::sleep;
        step.delay = std::chrono::milliseconds(words.integer(1, "milliseconds"));
    } else if (verb == "price") {
        step.kind = Kind::price;
        step.symbol = words.word(1, "a symbol");
        step.tick_type = words.tick_type(2);
        step.price = words.number(3, "a price");
        step.size = words.size() > 4 ? words.number(4, "a size") : 0.0;
        step.attribute_mask = words.size() > 5 ? static_cast<int>(words.integer(5, "an attribute mask")) : 0;
    } else if (verb == "size") {
        step.kind = Kind::size;
        step.symbol = words.word(1, "a symbol");
        step.tick_type = words.tick_type(2);
        step.size = words.number(3, "a size");
    } else if (verb == "string" || verb == "generic") {
        step.kind = verb == "string" ? Kind::string : Kind::generic;
        step.symbol = words.word(1, "a symbol");
        step.tick_type = words.tick_type(2);
        step.text = words.word(3, "a value");
    } else if (verb == "market_data_type") {
        step.kind = Kind::market_data_type;
        step.symbol = words.word(1, "a symbol");
        step.code = static_cast<int>(words.integer(2, "a market data type 1..4"));
    } else if (verb == "bar") {
        step.kind = Kind::bar;
        step.symbol = words.word(1, "a symbol");
        step.time_seconds = words.integer(2, "the bar time in Unix seconds");
        step.open = words.number(3, "open");
        step.high = words.number(4, "high");
        step.low = words.number(5, "low");
        step.close = words.number(6, "close");
        step.volume = words.number(7, "volume");
        step.wap = words.number(8, "wap");
        step.count = static_cast<int>(words.integer(9, "a trade count"));
    } else if (verb == "error") {
        step.kind = Kind::error;
        step.symbol = words.word(1, "a symbol");
        step.code = static_cast<int>(words.integer(2, "an error code"));
        step.text = words.rest(3);
    } else if (verb == "system") {
        step.kind = Kind::system;
        step.code = static_cast<int>(words.integer(1, "an error code"));
        step.text = words.rest(2);
    } else if (verb == "disconnect") {
        step.kind = Kind::disconnect;
    } else {
        words.fail("unknown step \"" + verb +
                   "\"; expected sleep, price, size, string, generic, market_data_type, bar, error, system, "
                   "disconnect or wait_for");
    }
    return step;
}

}  // namespace

TickScript parse_tick_script(const std::string& text, const std::string& source_name) {
    TickScript script;
    std::istringstream lines(text);
    std::string line;
    int line_number = 0;
    bool explicit_wait = false;
    while (std::getline(lines, line)) {
        ++line_number;
        if (const std::size_t hash = line.find('#'); hash != std::string::npos) {
            line.resize(hash);
        }
        const LineParser words(line, source_name + ":" + std::to_string(line_number));
        if (words.size() == 0) {
            continue;
        }
        if (words.word(0, "a step") == "wait_for") {
            explicit_wait = true;
            for (std::size_t index = 1; index < words.size(); ++index) {
                script.wait_for.push_back(words.word(index, "a symbol"));
            }
            continue;
        }
        script.steps.push_back(parse_step(words, line_number));
    }
    if (!explicit_wait) {
        for (const ScriptStep& step : script.steps) {
            if (!step.symbol.empty() && step.kind != ScriptStep::Kind::bar &&
                std::find(script.wait_for.begin(), script.wait_for.end(), step.symbol) == script.wait_for.end()) {
                script.wait_for.push_back(step.symbol);
            }
        }
    }
    return script;
}

TickScript load_tick_script(const std::string& path) {
    std::ifstream file(path);
    if (!file) {
        throw std::runtime_error(path + ": cannot open the tick script");
    }
    std::ostringstream content;
    content << file.rdbuf();
    return parse_tick_script(content.str(), path);
}

}  // namespace mdp::ibkr::fake
