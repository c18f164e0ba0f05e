#include "exposition_parser.hpp"

#include <cmath>
#include <set>
#include <sstream>
#include <stdexcept>

namespace mdp::test {
namespace {

// The family a sample belongs to (histogram samples carry a suffix).
std::string family_of(const std::string& sample_name, const std::map<std::string, std::string>& types) {
    for (const char* suffix : {"_bucket", "_sum", "_count"}) {
        const std::string text(suffix);
        if (sample_name.size() > text.size() && sample_name.ends_with(text)) {
            std::string base = sample_name.substr(0, sample_name.size() - text.size());
            const auto found = types.find(base);
            if (found != types.end() && found->second == "histogram") {
                return base;
            }
        }
    }
    return sample_name;
}

double parse_value(const std::string& text) {
    if (text == "+Inf") {
        return INFINITY;
    }
    if (text == "-Inf") {
        return -INFINITY;
    }
    if (text == "NaN") {
        return NAN;
    }
    std::size_t used = 0;
    const double value = std::stod(text, &used);
    if (used != text.size()) {
        throw std::invalid_argument("bad value " + text);
    }
    return value;
}

// Parses `name{a="x",b="y"} value` into `sample`; returns an error or "".
std::string parse_sample_line(const std::string& line, ParsedSample& sample) {
    std::size_t position = line.find_first_of("{ ");
    if (position == std::string::npos) {
        return "no value";
    }
    sample.name = line.substr(0, position);
    if (line[position] == '{') {
        ++position;
        while (position < line.size() && line[position] != '}') {
            const std::size_t equals = line.find('=', position);
            if (equals == std::string::npos || equals + 1 >= line.size() || line[equals + 1] != '"') {
                return "bad label syntax";
            }
            const std::string label = line.substr(position, equals - position);
            std::string value;
            position = equals + 2;
            for (; position < line.size() && line[position] != '"'; ++position) {
                if (line[position] == '\\') {
                    ++position;
                    if (position >= line.size()) {
                        return "dangling escape";
                    }
                    const char escaped = line[position];
                    if (escaped == 'n') {
                        value.push_back('\n');
                    } else if (escaped == '\\' || escaped == '"') {
                        value.push_back(escaped);
                    } else {
                        return "unknown escape \\" + std::string(1, escaped);
                    }
                } else {
                    value.push_back(line[position]);
                }
            }
            if (position >= line.size()) {
                return "unterminated label value";
            }
            ++position;  // closing quote
            if (!sample.labels.emplace(label, value).second) {
                return "label " + label + " twice";
            }
            if (position < line.size() && line[position] == ',') {
                ++position;
            }
        }
        if (position >= line.size()) {
            return "unterminated label set";
        }
        ++position;  // '}'
    }
    if (position >= line.size() || line[position] != ' ') {
        return "no space before the value";
    }
    sample.value_text = line.substr(position + 1);
    try {
        sample.value = parse_value(sample.value_text);
    } catch (const std::exception&) {
        return "bad value \"" + sample.value_text + "\"";
    }
    return "";
}

std::string series_identity(const ParsedSample& sample) {
    std::string identity = sample.name;
    for (const auto& [name, value] : sample.labels) {
        identity += '\0';
        identity += name;
        identity += '=';
        identity += value;
    }
    return identity;
}

}  // namespace

std::vector<ParsedSample> ParsedExposition::find(const std::string& name,
                                                 const std::map<std::string, std::string>& labels) const {
    std::vector<ParsedSample> matches;
    for (const ParsedSample& sample : samples) {
        if (sample.name != name) {
            continue;
        }
        bool all = true;
        for (const auto& [label, value] : labels) {
            const auto found = sample.labels.find(label);
            all = all && found != sample.labels.end() && found->second == value;
        }
        if (all) {
            matches.push_back(sample);
        }
    }
    return matches;
}

double ParsedExposition::value(const std::string& name, const std::map<std::string, std::string>& labels) const {
    const auto matches = find(name, labels);
    if (matches.size() != 1) {
        throw std::runtime_error(std::to_string(matches.size()) + " samples named " + name + " match");
    }
    return matches.front().value;
}

ParsedExposition parse_exposition(const std::string& text) {
    ParsedExposition result;
    if (text.empty() || text.back() != '\n') {
        result.problems.emplace_back("document does not end with a newline");
    }
    std::istringstream lines(text);
    std::string line;
    std::string current_family;
    std::set<std::string> finished_families;
    std::set<std::string> series;
    int line_number = 0;
    const auto problem = [&](const std::string& message) {
        result.problems.push_back("line " + std::to_string(line_number) + ": " + message + ": " + line);
    };
    while (std::getline(lines, line)) {
        ++line_number;
        if (line.empty()) {
            continue;
        }
        if (line.starts_with("# HELP ") || line.starts_with("# TYPE ")) {
            const std::string rest = line.substr(7);
            const std::size_t space = rest.find(' ');
            const std::string family = rest.substr(0, space);
            const std::string content = space == std::string::npos ? "" : rest.substr(space + 1);
            auto& target = line.starts_with("# HELP ") ? result.help : result.types;
            if (!target.emplace(family, content).second) {
                problem("second " + line.substr(2, 4) + " for " + family);
            }
            if (family != current_family) {
                if (finished_families.contains(family)) {
                    problem("family " + family + " appears in two places");
                }
                if (!current_family.empty()) {
                    finished_families.insert(current_family);
                }
                current_family = family;
                result.family_order.push_back(family);
            }
            continue;
        }
        if (line.starts_with("#")) {
            continue;
        }
        ParsedSample sample;
        if (const std::string error = parse_sample_line(line, sample); !error.empty()) {
            problem(error);
            continue;
        }
        const std::string family = family_of(sample.name, result.types);
        if (family != current_family) {
            problem("sample outside its family's block (no HELP/TYPE right before)");
        }
        if (!series.insert(series_identity(sample)).second) {
            problem("duplicate series");
        }
        result.samples.push_back(std::move(sample));
    }
    return result;
}

}  // namespace mdp::test
