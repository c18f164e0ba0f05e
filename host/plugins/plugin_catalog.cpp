#include "plugins/plugin_catalog.hpp"

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
    : directories_(std::move(directories)), policy_{directories_, allow_insecure_permissions} {}

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
    for (auto it = loaded_.begin(); it != loaded_.end();) {
        const int fd = ::open(it->first.c_str(), O_RDONLY | O_CLOEXEC);
        const std::string current = fd >= 0 ? sha256_of_descriptor(fd) : std::string();
        if (fd >= 0) {
            ::close(fd);
        }
        if (current == it->second->info().sha256) {
            ++it;
            continue;
        }
        changed.push_back(it->first.string());
        it = loaded_.erase(it);
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
                entry.library = load_cached(file);
            } catch (const PluginLoadError& failure) {
                entry.error = failure.what();
            }
            entries_.push_back(std::move(entry));
        }
    }
    return entries_;
}

std::shared_ptr<PluginLibrary> PluginCatalog::resolve(const std::string& reference, const std::string& sha256) {
    const bool names_file =
        reference.find('/') != std::string::npos || (reference.size() > 3 && reference.ends_with(".so"));
    auto library = names_file ? resolve_file(reference) : resolve_id(reference);
    if (!sha256.empty() && library->info().sha256 != sha256) {
        throw PluginLoadError(library->info().file + ": refusing to load: its SHA-256 is " + library->info().sha256 +
                              ", the config pins " + sha256);
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
            return load_cached(candidate);
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
        throw PluginLoadError(message);
    }
    return match;
}

}  // namespace mdp::plugins
