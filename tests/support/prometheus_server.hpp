#pragma once
// A real Prometheus server (Debian's `prometheus`) for integration tests: started on a
// loopback port it picks itself (port 0, read back from its log) with a fresh TSDB in a temp dir, scraping the given targets every second;
// stopped (SIGTERM, then SIGKILL) on destruction. Queries go through its HTTP API.

#include "child_process.hpp"
#include "temp_dir.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mdp::test {

struct PrometheusOptions {
    std::string binary = "/usr/bin/prometheus";
    std::string metrics_path = "/metrics";
    std::string job_name = "mdp";
    std::chrono::milliseconds startup_timeout = std::chrono::seconds(60);
};

class PrometheusServer {
   public:
    // `targets` as "127.0.0.1:<port>". Returns once Prometheus answers /-/ready; throws
    // std::runtime_error (with its log) when it does not within the startup timeout.
    explicit PrometheusServer(const std::vector<std::string>& targets, const PrometheusOptions& options = {});
    ~PrometheusServer();
    PrometheusServer(const PrometheusServer&) = delete;
    PrometheusServer& operator=(const PrometheusServer&) = delete;

    [[nodiscard]] unsigned short port() const { return port_; }
    // What Prometheus printed so far.
    [[nodiscard]] std::string log() const;

    // The `data.result` array of an instant query (throws on an API error).
    [[nodiscard]] nlohmann::json query(const std::string& promql) const;
    // The single value of an instant query returning exactly one sample or scalar;
    // nullopt while the query returns nothing (not scraped yet) or more than one sample.
    [[nodiscard]] std::optional<double> query_value(const std::string& promql) const;
    // The scrape target's health ("up", "down", "unknown"; "" when Prometheus does not list
    // it yet) and its last scrape error.
    [[nodiscard]] std::string target_health(const std::string& target) const;
    [[nodiscard]] std::string target_last_error(const std::string& target) const;

   private:
    [[nodiscard]] nlohmann::json active_target(const std::string& target) const;
    [[nodiscard]] nlohmann::json api_get(const std::string& target) const;

    TempDir directory_{"mdp-prometheus"};
    unsigned short port_ = 0;
    std::unique_ptr<ChildProcess> process_;
};

// Percent-encodes a query string value.
[[nodiscard]] std::string url_encode(const std::string& text);

}  // namespace mdp::test
