#pragma once
// The real mdp-host for lifecycle tests: the synthetic host's config (synthetic_host.hpp)
// edited by the test, an admin token for the control and reload API, the config file kept
// in the temp dir so a test can rewrite it and reload.

#include "host_runner.hpp"
#include "http_client.hpp"
#include "synthetic_host.hpp"
#include "temp_dir.hpp"

#include <nlohmann/json.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace mdp::test {

class LifecycleHost {
   public:
    static constexpr const char* kToken = "lifecycle-admin-token-0123456789";

    // Writes the synthetic host's config, lets `edit` change it, starts the host and waits
    // until /health answers (throws with the host's output otherwise).
    explicit LifecycleHost(const std::function<void(nlohmann::json&)>& edit);

    [[nodiscard]] const TempDir& directory() const { return directory_; }
    [[nodiscard]] std::filesystem::path database() const { return directory_ / "mdp.sqlite"; }
    [[nodiscard]] unsigned short port() const { return port_; }
    [[nodiscard]] pid_t pid() const { return host_->pid(); }
    [[nodiscard]] std::string output() const { return host_->output(); }
    [[nodiscard]] const nlohmann::json& config() const { return config_; }
    // Rewrites the config file the host was started with (for a reload).
    void rewrite_config(const nlohmann::json& config);
    void rewrite_config_text(const std::string& text);

    [[nodiscard]] nlohmann::json status() const { return status_document(port_); }
    [[nodiscard]] nlohmann::json provider(const std::string& name) const;
    [[nodiscard]] std::uint64_t stored() const;
    // POST `path` with the admin token (empty `token`: none), on a fresh connection.
    HttpResponse post(const std::string& path, const std::string& token = kToken) const;
    // POST /api/v1/providers/<provider>/<action> with the admin token.
    HttpResponse control(const std::string& provider, const std::string& action) const;
    // Waits (30 s) until the provider's state is `state`.
    bool state_becomes(const std::string& provider, const std::string& state) const;

    // SIGTERM and the exit code; nullopt when it did not exit within 120 s.
    std::optional<int> terminate();
    [[nodiscard]] nlohmann::json summary() const { return host_->summary(); }

   private:
    TempDir directory_{"mdp-lifecycle"};
    unsigned short port_ = 0;
    nlohmann::json config_;
    std::filesystem::path config_file_;
    std::unique_ptr<HostRunner> host_;
};

// Every non-zero dropped_by_reason counter of a summary, as "<provider>: <reason> <count>";
// empty when nothing was dropped.
std::vector<std::string> summary_drops(const nlohmann::json& summary);
// The sum of every provider's `published` in a summary.
std::uint64_t summary_published(const nlohmann::json& summary);

}  // namespace mdp::test
