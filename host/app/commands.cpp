#include "app/commands.hpp"

#include "app/host_application.hpp"
#include "build_info.hpp"
#include "app/logging_setup.hpp"
#include "config/config_loader.hpp"
#include "config/env_overrides.hpp"
#include "plugins/plugin_catalog.hpp"
#include "plugins/provider_registry.hpp"
#include "sinks/sink_registry.hpp"

#include <spdlog/spdlog.h>

#include <cstdlib>
#include <memory>
#include <system_error>
#include <iostream>

namespace mdp::app {

namespace {

constexpr int kExitInvalid = 2;

config::HostConfig load(const CliOptions& options) {
    return config::load_host_config(options.config_file, config::mdp_environment());
}

// Creates and destroys every enabled provider, so each plugin validates its own config.
std::vector<std::string> check_providers(const config::HostConfig& config) {
    std::vector<std::string> errors;
    plugins::PluginCatalog catalog({config.plugin_path.begin(), config.plugin_path.end()},
                                   config.allow_insecure_plugin_permissions);
    for (const auto& provider : config.providers) {
        if (!provider.enabled) {
            continue;
        }
        const std::string error = plugins::ProviderRegistry::probe(catalog, provider);
        if (!error.empty()) {
            errors.push_back(error);
        }
    }
    return errors;
}

std::vector<std::string> check_sinks(const config::HostConfig& config) {
    std::vector<std::string> errors;
    sinks::SinkContext context{"check-config", {}};
    for (const auto& provider : config.providers) {
        context.provider_names.push_back(provider.name);
    }
    for (const auto& sink_config : config.store.sinks) {
        try {
            auto sink = sinks::create_sink(sink_config);
            sink->open(context);
            sink->close();
        } catch (const config::ConfigError& error) {
            errors.push_back(error.what());
        } catch (const std::exception& error) {
            errors.push_back("sink " + sink_config.name + " (" + sink_config.type + "): " + error.what());
        }
    }
    return errors;
}

}  // namespace

int run_host(const CliOptions& options) {
    std::unique_ptr<ShutdownSignal> signals;  // before any thread exists, so every thread inherits the mask
    try {
        signals = std::make_unique<ShutdownSignal>();
    } catch (const std::system_error& error) {
        std::cerr << "mdp-host: cannot wait for signals: " << error.what() << '\n';
        return 1;
    }
    ShutdownSignal& shutdown = *signals;
    config::HostConfig config;
    try {
        config = load(options);
        configure_logging(config.logging);
    } catch (const std::exception& error) {
        std::cerr << "mdp-host: " << error.what() << '\n';
        return kExitInvalid;
    }
    try {
        HostApplication application(std::move(config));
        const int exit_code = application.run(shutdown);
        if (application.has_abandoned_providers()) {
            spdlog::warn("exiting without cleanup: a provider call never returned");
            spdlog::default_logger()->flush();
            std::_Exit(exit_code);
        }
        return exit_code;
    } catch (const config::ConfigError& error) {
        spdlog::critical("{}", error.what());
        return kExitInvalid;
    } catch (const std::exception& error) {
        spdlog::critical("cannot start: {}", error.what());
        return 1;
    }
}

int check_config(const CliOptions& options) {
    std::vector<std::string> errors;
    try {
        const config::HostConfig config = load(options);
        for (const auto& sink : config.store.sinks) {
            static_cast<void>(sinks::create_sink(sink));  // validates the sink's keys
        }
        // Each error is printed once, below, on stderr: log lines (a provider's failed create,
        // for one) would repeat it on stdout, so only critical ones pass while checking.
        spdlog::set_level(spdlog::level::critical);
        errors = check_providers(config);
        if (errors.empty() && options.check_sinks) {
            errors = check_sinks(config);
        }
        if (errors.empty()) {
            std::cout << options.config_file << ": valid (" << config.providers.size() << " provider(s), "
                      << config.store.sinks.size() << " sink(s))\n";
            return 0;
        }
    } catch (const std::exception& error) {
        errors.push_back(error.what());
    }
    for (const auto& error : errors) {
        std::cerr << "mdp-host: " << error << '\n';
    }
    return kExitInvalid;
}

int list_plugins(const CliOptions& options) {
    std::vector<std::filesystem::path> directories(options.plugin_paths.begin(), options.plugin_paths.end());
    if (directories.empty()) {
        try {
            const auto config = load(options);
            directories.assign(config.plugin_path.begin(), config.plugin_path.end());
        } catch (const std::exception& error) {
            std::cerr << "mdp-host: " << error.what() << '\n';
            return kExitInvalid;
        }
    }
    spdlog::set_level(spdlog::level::warn);
    plugins::PluginCatalog catalog(directories);
    const auto& entries = catalog.scan();
    std::cout << "host ABI " << plugins::to_string(plugins::host_abi_version()) << "\n";
    for (const auto& error : catalog.directory_errors()) {
        std::cout << "warning: " << error << '\n';
    }
    for (const auto& entry : entries) {
        std::cout << entry.file.string() << '\n';
        if (entry.library) {
            const auto& info = entry.library->info();
            std::cout << "  id: " << info.id << "\n  name: " << info.name << "\n  version: " << info.version
                      << "\n  vendor: " << info.vendor << "\n  abi: " << info.abi_version_text()
                      << "\n  url: " << info.url << "\n  sha256: " << info.sha256 << "\n  loadable: yes\n";
        } else {
            std::cout << "  loadable: no (" << entry.error << ")\n";
        }
    }
    if (entries.empty()) {
        std::cout << "no plugins found\n";
    }
    return catalog.directory_errors().size() == directories.size() && !directories.empty() ? 1 : 0;
}

int print_version() {
    std::cout << "mdp-host " << kVersion << " (plugin ABI " << plugins::to_string(plugins::host_abi_version()) << ")\n";
    return 0;
}

}  // namespace mdp::app
