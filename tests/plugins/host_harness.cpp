#include "host_harness.hpp"

#include <csignal>
#include <sstream>

namespace mdp::test {

namespace {

constexpr std::chrono::seconds kShutdownPatience{60};

}  // namespace

nlohmann::json base_host_config(const TempDir& dir) {
    return {
        {"plugin_path", {MDP_PLUGIN_DIR, MDP_TEST_PLUGIN_DIR}},
        {"http", {{"enabled", false}}},
        {"logging", {{"level", "info"}, {"format", "text"}}},
        {"store", {{"sinks", {{{"type", "sqlite"}, {"name", "main"}, {"path", (dir / "mdp.sqlite").string()}}}}}},
        {"providers", nlohmann::json::array()},
    };
}

nlohmann::json provider_entry(const std::string& name, const std::string& plugin, const nlohmann::json& config,
                              bool required) {
    return {{"name", name}, {"plugin", plugin}, {"enabled", true}, {"required", required}, {"config", config}};
}

HostRun run_host_until(const std::filesystem::path& config, const std::function<bool(const std::string&)>& ready,
                       std::chrono::milliseconds timeout) {
    HostRunner host(config, config.parent_path() / (config.stem().string() + ".host-output.txt"));
    HostRun run;
    run.became_ready = host.wait_until(ready, timeout);
    run.exit_code = host.stop_and_wait(SIGINT, kShutdownPatience);
    run.output = host.output();
    run.summary = find_summary(run.output);
    return run;
}

HostRun run_host_until_output(const std::filesystem::path& config, const std::string& text,
                              std::chrono::milliseconds timeout) {
    return run_host_until(
        config, [&](const std::string& output) { return output.find(text) != std::string::npos; }, timeout);
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
