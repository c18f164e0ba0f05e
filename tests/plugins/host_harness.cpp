#include "host_harness.hpp"

#include <sqlite3.h>

#include <csignal>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>

namespace mdp::test {

namespace {

constexpr std::chrono::seconds kShutdownPatience{60};

struct SqliteCloser {
    void operator()(sqlite3* database) const { sqlite3_close(database); }
};
struct StatementFinalizer {
    void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
};
using Database = std::unique_ptr<sqlite3, SqliteCloser>;
using Statement = std::unique_ptr<sqlite3_stmt, StatementFinalizer>;

Database open_read_only(const std::filesystem::path& path) {
    sqlite3* raw = nullptr;
    const int status = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
    Database database(raw);
    if (status != SQLITE_OK) {
        throw std::runtime_error("cannot open " + path.string() + ": " + sqlite3_errstr(status));
    }
    sqlite3_busy_timeout(raw, 5000);
    return database;
}

Statement prepare(sqlite3* database, const std::string& sql) {
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(database, sql.c_str(), -1, &raw, nullptr) != SQLITE_OK) {
        throw std::runtime_error("cannot prepare \"" + sql + "\": " + sqlite3_errmsg(database));
    }
    return Statement(raw);
}

}  // namespace

nlohmann::json base_host_config(const TempDir& dir) {
    return {
        {"plugin_path", {MDP_PLUGIN_DIR, MDP_TEST_PLUGIN_DIR}},
        {"http", {{"enabled", false}}},
        {"logging", {{"level", "info"}, {"format", "text"}}},
        {"store",
         {{"sinks", {{{"type", "sqlite"}, {"name", "main"}, {"path", (dir / "mdp.sqlite").string()}}}}}},
        {"providers", nlohmann::json::array()},
    };
}

nlohmann::json provider_entry(const std::string& name, const std::string& plugin, const nlohmann::json& config,
                              bool required) {
    return {{"name", name}, {"plugin", plugin}, {"enabled", true}, {"required", required}, {"config", config}};
}

std::filesystem::path write_host_config(const TempDir& dir, const nlohmann::json& config,
                                        const std::string& file_name) {
    return dir.write_file(file_name, config.dump(2));
}

HostRun run_host_until(const std::filesystem::path& config, const std::function<bool(const std::string&)>& ready,
                       std::chrono::milliseconds timeout) {
    const std::filesystem::path output_file = config.parent_path() / (config.stem().string() + ".host-output.txt");
    ChildProcess host(MDP_HOST_BINARY, {"--config", config.string()}, output_file);
    HostRun run;
    run.became_ready = eventually([&] { return ready(host.output()) || !host.running(); }, timeout) &&
                       ready(host.output());
    if (host.running()) {
        host.signal(SIGINT);
    }
    run.exit_code = host.wait(kShutdownPatience);
    run.output = host.output();
    run.summary = find_summary(run.output);
    return run;
}

HostRun run_host_until_output(const std::filesystem::path& config, const std::string& text,
                              std::chrono::milliseconds timeout) {
    return run_host_until(
        config, [&](const std::string& output) { return output.find(text) != std::string::npos; }, timeout);
}

nlohmann::json find_summary(const std::string& output) {
    static const std::string kMarker = "mdp-summary ";
    const std::size_t marker = output.find(kMarker);
    if (marker == std::string::npos) {
        return nullptr;
    }
    const std::size_t start = output.find('{', marker);
    const std::size_t end = output.find('\n', marker);
    if (start == std::string::npos || (end != std::string::npos && start > end)) {
        return nullptr;
    }
    return nlohmann::json::parse(output.substr(start, end == std::string::npos ? std::string::npos : end - start),
                                 nullptr, false);
}

std::int64_t count_rows(const std::filesystem::path& database, const std::string& table,
                        const std::string& provider) {
    Database connection = open_read_only(database);
    const std::string sql =
        "SELECT COUNT(*) FROM " + table + (provider.empty() ? std::string() : " WHERE provider = ?1");
    Statement statement = prepare(connection.get(), sql);
    if (!provider.empty()) {
        sqlite3_bind_text(statement.get(), 1, provider.c_str(), -1, SQLITE_TRANSIENT);
    }
    if (sqlite3_step(statement.get()) != SQLITE_ROW) {
        throw std::runtime_error("query failed: " + sql + ": " + sqlite3_errmsg(connection.get()));
    }
    return sqlite3_column_int64(statement.get(), 0);
}

std::vector<std::string> distinct_symbols(const std::filesystem::path& database, const std::string& table,
                                          const std::string& provider) {
    Database connection = open_read_only(database);
    Statement statement =
        prepare(connection.get(), "SELECT DISTINCT symbol FROM " + table + " WHERE provider = ?1 ORDER BY symbol");
    sqlite3_bind_text(statement.get(), 1, provider.c_str(), -1, SQLITE_TRANSIENT);
    std::vector<std::string> symbols;
    while (sqlite3_step(statement.get()) == SQLITE_ROW) {
        symbols.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(statement.get(), 0)));
    }
    return symbols;
}

std::vector<std::string> lines_containing(const std::string& output, const std::vector<std::string>& fragments) {
    std::vector<std::string> found;
    std::istringstream stream(output);
    std::string line;
    while (std::getline(stream, line)) {
        bool all = true;
        for (const auto& fragment : fragments) {
            all = all && line.find(fragment) != std::string::npos;
        }
        if (all) {
            found.push_back(line);
        }
    }
    return found;
}

std::map<std::string, std::string> plugin_listing(const std::string& output) {
    std::map<std::string, std::string> blocks;
    std::istringstream stream(output);
    std::string line;
    std::string current;
    while (std::getline(stream, line)) {
        const bool indented = !line.empty() && (line[0] == ' ' || line[0] == '\t');
        if (!indented) {
            current = line.ends_with(".so") ? std::filesystem::path(line).filename().string() : std::string();
        }
        if (!current.empty()) {
            blocks[current] += line + "\n";
        }
    }
    return blocks;
}

std::int64_t summary_count(const nlohmann::json& summary, const std::string& provider, const std::string& type) {
    if (!summary.is_object() || !summary.contains("providers") || !summary["providers"].contains(provider)) {
        return -1;
    }
    const nlohmann::json& entry = summary["providers"][provider];
    const nlohmann::json* value = nullptr;
    if (type.empty()) {
        value = entry.contains("published") ? &entry["published"] : nullptr;
    } else if (entry.contains("by_type") && entry["by_type"].contains(type)) {
        value = &entry["by_type"][type];
    }
    return value != nullptr && value->is_number_integer() ? value->get<std::int64_t>() : -1;
}

}  // namespace mdp::test
