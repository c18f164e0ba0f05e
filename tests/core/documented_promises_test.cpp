// The table "Documented promises and their tests" in docs/development.md must keep up with
// the docs: every config key and environment variable of docs/configuration.md, every
// mdp-host flag the docs show, every exit code of docs/operations.md, every route of
// docs/http-api.md and every metric of docs/metrics.md has a row, and every test a row names
// exists under tests/.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

const fs::path kSource = MDP_SOURCE_DIR;

std::string read_file(const fs::path& path) {
    std::ifstream stream(path, std::ios::binary);
    REQUIRE(stream.good());
    std::ostringstream buffer;
    buffer << stream.rdbuf();
    return buffer.str();
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream stream(text);
    std::string line;
    while (std::getline(stream, line)) {
        lines.push_back(line);
    }
    return lines;
}

// The first cell of a Markdown table row ("" for other lines and separator rows).
std::string first_cell(const std::string& line) {
    if (!line.starts_with("| ")) {
        return "";
    }
    const std::size_t end = line.find(" |", 1);
    return end == std::string::npos ? "" : line.substr(2, end - 2);
}

// The `code` spans of `text`; a span starting with "." or "_" abbreviates the previous one
// with its last component replaced (`scale.ok` / `.soft` means scale.soft).
std::vector<std::string> code_spans(const std::string& text) {
    static const std::regex kSpan("`([^`]+)`");
    std::vector<std::string> spans;
    for (std::sregex_iterator it(text.begin(), text.end(), kSpan), end; it != end; ++it) {
        std::string span = (*it)[1].str();
        if (!spans.empty() && (span.starts_with('.') || span.starts_with('_'))) {
            const std::string& previous = spans.back();
            span = previous.substr(0, previous.rfind(span.front())) + span;
        }
        spans.push_back(span);
    }
    return spans;
}

// Config keys of docs/configuration.md as "section.key" (providers: "providers[].key"), and
// its environment variables.
std::set<std::string> configuration_promises() {
    std::set<std::string> promises;
    std::string section;
    bool environment_table = false;
    for (const std::string& line : lines_of(read_file(kSource / "docs/configuration.md"))) {
        static const std::regex kSection("^### `([a-z_]+)`");
        std::smatch match;
        if (std::regex_search(line, match, kSection)) {
            section = match[1].str() == "providers" ? "providers[]" : match[1].str();
            if (section == "plugin_path") {
                promises.insert(section);
            }
            continue;
        }
        if (line.starts_with("## ")) {
            section.clear();
            environment_table = line == "## Environment variables";
            continue;
        }
        const std::string cell = first_cell(line);
        for (const std::string& span : code_spans(cell)) {
            if (environment_table && span.starts_with("MDP_")) {
                promises.insert(span);
            } else if (!section.empty() && !environment_table) {
                promises.insert(section + "." + span);
            }
        }
    }
    return promises;
}

// Every --flag after "mdp-host" on a line of the docs or the README.
std::set<std::string> cli_promises() {
    std::set<std::string> promises;
    std::vector<fs::path> files{kSource / "README.md"};
    for (const auto& entry : fs::directory_iterator(kSource / "docs")) {
        if (entry.path().extension() == ".md") {
            files.push_back(entry.path());
        }
    }
    static const std::regex kFlag("--[a-z][a-z-]+");
    for (const fs::path& file : files) {
        for (const std::string& line : lines_of(read_file(file))) {
            const std::size_t host = line.find("mdp-host ");
            // A command that runs mdp-host, not an argument naming it (a benchmark's
            // "--host after=build/bin/mdp-host --runs 3": those flags are the benchmark's).
            const std::size_t token = line.find_last_of(" `(", host == std::string::npos ? 0 : host);
            if (host == std::string::npos ||
                line.substr(token == std::string::npos ? 0 : token, host - token).find('=') != std::string::npos) {
                continue;
            }
            const std::string rest = line.substr(host);
            for (std::sregex_iterator it(rest.begin(), rest.end(), kFlag), end; it != end; ++it) {
                promises.insert(it->str());
            }
        }
    }
    return promises;
}

// Rows of the table under `heading` in `file` whose first cell matches `pattern` (its first
// group, or the first code span when the pattern has no group).
std::set<std::string> table_promises(const fs::path& file, const std::string& header_prefix, const std::string& pattern,
                                     const std::string& prefix = "") {
    std::set<std::string> promises;
    bool in_table = false;
    const std::regex row(pattern);
    for (const std::string& line : lines_of(read_file(file))) {
        if (line.starts_with(header_prefix)) {
            in_table = true;
            continue;
        }
        if (in_table && !line.starts_with("|")) {
            in_table = false;
        }
        std::smatch match;
        const std::string cell = first_cell(line);
        if (in_table && std::regex_match(cell, match, row)) {
            promises.insert(prefix + match[1].str());
        }
    }
    return promises;
}

struct PromiseTable {
    std::set<std::string> promises;  // code spans of the first column
    std::vector<std::string> test_names;  // "quoted" names in the test column
};

PromiseTable development_table() {
    PromiseTable table;
    bool in_section = false;
    static const std::regex kQuoted("\"([^\"]+)\"");
    for (const std::string& line : lines_of(read_file(kSource / "docs/development.md"))) {
        if (line.starts_with("## ")) {
            in_section = line == "## Documented promises and their tests";
            continue;
        }
        const std::string cell = first_cell(line);
        if (!in_section || cell.empty() || cell.starts_with("---") || cell == "promise") {
            continue;
        }
        for (const std::string& span : code_spans(cell)) {
            table.promises.insert(span);
        }
        const std::string rest = line.substr(line.find(" |", 1) + 2);
        for (std::sregex_iterator it(rest.begin(), rest.end(), kQuoted), end; it != end; ++it) {
            table.test_names.push_back((*it)[1].str());
        }
    }
    return table;
}

// All test sources as one text, to look test names up in.
std::string all_test_sources() {
    std::string all;
    for (const auto& entry : fs::recursive_directory_iterator(kSource / "tests")) {
        const std::string extension = entry.path().extension().string();
        if (entry.is_regular_file() && entry.path().string().find("node_modules") == std::string::npos &&
            (extension == ".cpp" || extension == ".mjs")) {
            all += read_file(entry.path());
        }
    }
    return all;
}

}  // namespace

TEST_CASE("every documented config key, variable, flag, exit code, route and metric has a row", "[docs]") {
    const PromiseTable table = development_table();
    REQUIRE(table.promises.size() > 50);
    std::set<std::string> documented = configuration_promises();
    documented.merge(cli_promises());
    documented.merge(table_promises(kSource / "docs/operations.md", "| exit code |", "([0-9]+)", "exit code "));
    documented.merge(table_promises(kSource / "docs/http-api.md", "| route |", "`([A-Z]+ [^`]+)`"));
    documented.merge(table_promises(kSource / "docs/metrics.md", "| metric |", "`([a-z_]+)`"));
    REQUIRE(documented.contains("http.port"));
    REQUIRE(documented.contains("backpressure.scale.soft"));
    REQUIRE(documented.contains("MDP_FB_SCALE_HARD"));
    REQUIRE(documented.contains("--check-config"));
    REQUIRE(documented.contains("exit code 1"));
    REQUIRE(documented.contains("GET /metrics"));
    REQUIRE(documented.contains("mdp_events_dropped_total"));
    for (const std::string& promise : documented) {
        INFO("documented, but no row in docs/development.md \"Documented promises and their tests\": " << promise);
        CHECK(table.promises.contains(promise));
    }
}

TEST_CASE("every test the promises table names exists", "[docs]") {
    const PromiseTable table = development_table();
    REQUIRE_FALSE(table.test_names.empty());
    const std::string sources = all_test_sources();
    for (const std::string& name : table.test_names) {
        INFO("docs/development.md names a test that does not exist: \"" << name << "\"");
        CHECK(sources.find("\"" + name + "\"") != std::string::npos);
    }
}
