#pragma once
// A strict reader of the Prometheus text format for assertions: it checks the structural
// rules the writer promises (one HELP and TYPE per family, before its samples, samples of
// a family contiguous, no duplicate series, final newline) and returns the samples.

#include <map>
#include <string>
#include <vector>

namespace mdp::test {

struct ParsedSample {
    std::string name;  // full sample name, e.g. foo_bucket
    std::map<std::string, std::string> labels;  // unescaped values
    std::string value_text;
    double value = 0.0;
};

struct ParsedExposition {
    std::vector<ParsedSample> samples;
    std::map<std::string, std::string> types;  // family -> counter/gauge/histogram
    std::map<std::string, std::string> help;  // family -> unescaped help
    std::vector<std::string> family_order;
    std::vector<std::string> problems;  // empty when the document is well-formed

    // Samples called `name` whose labels include every given one.
    [[nodiscard]] std::vector<ParsedSample> find(const std::string& name,
                                                 const std::map<std::string, std::string>& labels = {}) const;
    // The value of the only such sample; throws when there is not exactly one.
    [[nodiscard]] double value(const std::string& name, const std::map<std::string, std::string>& labels = {}) const;
};

[[nodiscard]] ParsedExposition parse_exposition(const std::string& text);

}  // namespace mdp::test
