#include "plugins/plugin_catalog.hpp"

#include "plugins/plugin_description.hpp"
#include "isolation/runner_provider.hpp"
#include "plugins/plugin_file_check.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <algorithm>

namespace mdp::plugins {

namespace {

bool is_inside(const std::filesystem::path& file, const std::filesystem::path& directory) {
    const auto relative = file.lexically_relative(directory);
    return !relative.empty() && *relative.begin() != "..";
}

std::string describe_directories(const std::vector<std::filesystem::path>& directories) {
    std::string text;
    for (const auto& directory : directories) {
        text += (text.empty() ? "" : ", ") + directory.string();
    }
    return "[" + text + "]";
}

}  // namespace

PluginCatalog::PluginCatalog(std::vector<std::filesystem::path> directories, bool allow_insecure_permissions)
    : directories_(std::move(directories)), policy_{directories_, allow_insecure_permissions} {
    runner_ = isolation::default_runner_path();
    if (::access(runner_.c_str(), X_OK) != 0) {
        spdlog::warn(
            "{} is missing: plugin files are read by loading them into the host (a plugin that crashes "
            "while loading then crashes the host), and isolated providers cannot start",
            runner_.string());
        runner_.clear();
    }
}

std::shared_ptr<PluginLibrary> PluginCatalog::describe_cached(const std::filesystem::path& file) {
    if (runner_.empty()) {
        return load_cached(file);
    }
    const auto found = described_.find(file);
    if (found != described_.end()) {
        return found->second;
    }
    auto library = describe_plugin(runner_, file, policy_);
    described_.emplace(file, library);
    return library;
}

std::shared_ptr<PluginLibrary> PluginCatalog::load_cached(const std::filesystem::path& file) {
    const auto found = loaded_.find(file);
    if (found != loaded_.end()) {
        return found->second;
    }
    auto library = PluginLibrary::load(file, policy_);
    loaded_.emplace(file, library);
    return library;
}

std::vector<std::string> PluginCatalog::forget_changed_files() {
    std::vector<std::string> changed;
    // A file in both caches (read, then loaded for an in-process provider) is hashed once.
    std::map<std::filesystem::path, std::string> hashes;
    const auto current_hash = [&hashes](const std::filesystem::path& file) -> const std::string& {
        const auto [found, added] = hashes.try_emplace(file);
        if (added) {
            const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
            found->second = fd >= 0 ? sha256_of_descriptor(fd) : std::string();
            if (fd >= 0) {
                ::close(fd);
            }
        }
        return found->second;
    };
    for (auto* cache : {&loaded_, &described_}) {
        for (auto it = cache->begin(); it != cache->end();) {
            if (current_hash(it->first) == it->second->info().sha256) {
                ++it;
                continue;
            }
            if (std::find(changed.begin(), changed.end(), it->first.string()) == changed.end()) {
                changed.push_back(it->first.string());
            }
            it = cache->erase(it);
        }
    }
    entries_.clear();
    directory_errors_.clear();
    scanned_ = false;
    return changed;
}

const std::vector<CatalogEntry>& PluginCatalog::scan() {
    if (scanned_) {
        return entries_;
    }
    scanned_ = true;
    for (const auto& directory : directories_) {
        std::error_code error;
        if (!std::filesystem::is_directory(directory, error)) {
            directory_errors_.push_back(directory.string() + ": plugin directory does not exist");
            continue;
        }
        std::vector<std::filesystem::path> files;
        for (const auto& item : std::filesystem::directory_iterator(directory, error)) {
            if (item.path().extension() == ".so") {
                files.push_back(item.path());
            }
        }
        std::sort(files.begin(), files.end());
        for (const auto& file : files) {
            CatalogEntry entry{file, nullptr, ""};
            try {
                entry.library = describe_cached(file);
            } catch (const PluginLoadError& failure) {
                entry.error = failure.what();
            }
            entries_.push_back(std::move(entry));
        }
    }
    return entries_;
}

std::shared_ptr<PluginLibrary> PluginCatalog::resolve(const std::string& reference, const std::string& sha256,
                                                      bool load_here) {
    const bool names_file =
        reference.find('/') != std::string::npos || (reference.size() > 3 && reference.ends_with(".so"));
    auto library = names_file ? resolve_file(reference) : resolve_id(reference);
    const auto check_pin = [&sha256](const PluginLibrary& candidate) {
        if (!sha256.empty() && candidate.info().sha256 != sha256) {
            throw PluginLoadError(candidate.info().file + ": refusing to load: its SHA-256 is " +
                                  candidate.info().sha256 + ", the config pins " + sha256);
        }
    };
    check_pin(*library);
    if (load_here && !library->loaded_here()) {
        library = load_cached(library->info().file);
        check_pin(*library);  // the file may have changed since it was described
    }
    return library;
}

std::shared_ptr<PluginLibrary> PluginCatalog::resolve_file(const std::string& reference) {
    for (const auto& directory : directories_) {
        const auto candidate = (directory / reference).lexically_normal();
        if (!is_inside(candidate, directory.lexically_normal())) {
            throw PluginLoadError(reference + ": plugin file must be inside a plugin directory " +
                                  describe_directories(directories_));
        }
        std::error_code error;
        if (std::filesystem::exists(candidate, error)) {
            return describe_cached(candidate);
        }
    }
    throw PluginLoadError(reference + ": no such plugin file in " + describe_directories(directories_));
}

std::shared_ptr<PluginLibrary> PluginCatalog::resolve_id(const std::string& id) {
    std::shared_ptr<PluginLibrary> match;
    for (const auto& entry : scan()) {
        if (!entry.library || entry.library->info().id != id) {
            continue;
        }
        if (!match) {
            match = entry.library;
        } else {
            spdlog::warn("plugin id \"{}\" is provided by both {} and {}; using the first", id, match->info().file,
                         entry.file.string());
        }
    }
    if (!match) {
        std::string message = "no plugin with id \"" + id + "\" in " + describe_directories(directories_);
        for (const auto& error : directory_errors_) {
            message += "; " + error;
        }
        for (const auto& entry : entries_) {
            if (!entry.library) {
                message += "; " + entry.error;  // it may be the one, unreadable
            }
        }
        throw PluginLoadError(message);
    }
    return match;
}

}  // namespace mdp::plugins
