#pragma once
// The real mdp-host (host_runner.hpp) in its most common test shape: synthetic provider
// instances into one sink (SQLite "main" in a temp dir unless another is given), HTTP on a
// loopback port the host picks itself (port 0, read back from its log), optionally an admin token (the control API) and tighter HTTP limits.
// Used by the HTTP end-to-end, hardening and PostgreSQL host tests.

#include "host_runner.hpp"
#include "http_client.hpp"
#include "temp_dir.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mdp::test {

struct SyntheticHostOptions {
    std::vector<std::string> provider_names{"synthetic"};  // each runs the synthetic plugin
    std::vector<std::string> symbols{"AAA", "BBB"};
    double rate_per_symbol = 500;  // quotes + trades per second per symbol, at scale 1.0
    std::uint64_t seed = 7;
    std::vector<int> bar_intervals_seconds;  // none: quotes and trades only
    nlohmann::json sink;  // the one sink's object; null: SQLite "main" at database()
    nlohmann::json store_overrides = nlohmann::json::object();  // more keys of the store section
    std::size_t queue_capacity = 2000;  // watermarks at 50 % / 80 %, overflow policy "block"
    std::size_t batch_size = 100;
    std::string admin_token;  // passed as MDP_ADMIN_TOKEN; empty: no control API
    std::optional<std::size_t> max_connections;  // http.max_connections (host default when unset)
    std::optional<std::int64_t> read_timeout_ms;  // http.read_timeout_ms (host default when unset)
    std::map<std::string, std::string> environment;  // more variables for the host (e.g. MDP_LOG_FORMAT)
    nlohmann::json config_patch;  // a JSON merge patch (RFC 7386) applied to the whole config last
};

// The host's config for `options`, HTTP on 127.0.0.1:`port` (0: the host picks one), the
// default sink at `database`.
[[nodiscard]] nlohmann::json synthetic_host_config(const SyntheticHostOptions& options, unsigned short port,
                                                   const std::filesystem::path& database);

class SyntheticHost {
   public:
    // Starts the host and waits until /health answers; throws (with the host's output) when
    // it does not within 60 s.
    explicit SyntheticHost(const SyntheticHostOptions& options = {});
    SyntheticHost(const SyntheticHost&) = delete;
    SyntheticHost& operator=(const SyntheticHost&) = delete;

    [[nodiscard]] unsigned short port() const { return port_; }
    [[nodiscard]] std::filesystem::path database() const { return directory_ / "mdp.sqlite"; }
    // The host's temp dir (config, log, database); relative paths in the config resolve here.
    [[nodiscard]] const TempDir& directory() const { return directory_; }
    [[nodiscard]] pid_t pid() const { return host_->pid(); }
    [[nodiscard]] bool running() { return host_->running(); }
    [[nodiscard]] std::string output() const { return host_->output(); }

    // Each on a fresh connection, so a test that fills the server's connection slots still
    // gets its own requests through (or sees them refused, as a client would).
    [[nodiscard]] HttpResponse get(const std::string& target) const;
    // GET /api/v1/status, parsed (throws for another status).
    [[nodiscard]] nlohmann::json status() const;
    // The entry of provider `name` in the status document (throws when absent).
    [[nodiscard]] nlohmann::json provider(const std::string& name) const;

    // SIGTERM, then waits for the exit (drain included); returns the exit code. Throws (with
    // the output) when the host has not exited within 120 s.
    int stop();
    // The mdp-summary object the host logged on exit (null when absent).
    [[nodiscard]] nlohmann::json summary() const { return host_->summary(); }

   private:
    TempDir directory_{"mdp-synthetic-host"};
    unsigned short port_ = 0;
    std::unique_ptr<HostRunner> host_;
};

// Events the first sink has stored, from a /api/v1/status reply; 0 while the host does not
// answer yet (a reply that is not an object).
inline std::uint64_t first_sink_events_stored(const nlohmann::json& status) {
    return status.is_object() ? status["sinks"][0]["events_stored"].get<std::uint64_t>() : 0;
}

}  // namespace mdp::test
