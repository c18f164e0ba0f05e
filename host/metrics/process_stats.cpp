#include "metrics/process_stats.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <sys/resource.h>
#include <unistd.h>

namespace mdp::metrics {
namespace {

std::string read_small_file(const char* path) {
    std::ifstream file(path);
    std::stringstream content;
    content << file.rdbuf();
    return content.str();
}

// Fields of /proc/self/stat after the command name, which may itself contain spaces and
// parentheses; field 3 (state) is element 0.
std::vector<std::string> stat_fields_after_command() {
    const std::string stat = read_small_file("/proc/self/stat");
    const std::size_t command_end = stat.rfind(')');
    std::vector<std::string> fields;
    if (command_end == std::string::npos) {
        return fields;
    }
    std::istringstream rest(stat.substr(command_end + 1));
    std::string field;
    while (rest >> field) {
        fields.push_back(field);
    }
    return fields;
}

std::optional<double> field_as_number(const std::vector<std::string>& fields, std::size_t stat_field_number) {
    const std::size_t index = stat_field_number - 3;
    if (index >= fields.size()) {
        return std::nullopt;
    }
    try {
        return std::stod(fields[index]);
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

std::optional<double> boot_time_seconds() {
    std::ifstream file("/proc/stat");
    std::string key;
    while (file >> key) {
        if (key == "btime") {
            double value = 0;
            if (file >> value) {
                return value;
            }
            return std::nullopt;
        }
        file.ignore(1 << 20, '\n');
    }
    return std::nullopt;
}

std::optional<double> count_open_fds() {
    std::error_code error;
    std::filesystem::directory_iterator entries("/proc/self/fd", error);
    if (error) {
        return std::nullopt;
    }
    double count = 0;
    for (const auto& entry : entries) {
        (void)entry;
        ++count;
    }
    // The iterator's own descriptor was open while counting.
    return count > 0 ? count - 1 : 0;
}

// The start time never changes: compute it once.
std::optional<double> process_start_time_seconds(const std::vector<std::string>& fields, double ticks_per_second) {
    static const std::optional<double> start_time = [&]() -> std::optional<double> {
        const auto boot = boot_time_seconds();
        const auto start_ticks = field_as_number(fields, 22);
        if (!boot || !start_ticks || ticks_per_second <= 0) {
            return std::nullopt;
        }
        return *boot + *start_ticks / ticks_per_second;
    }();
    return start_time;
}

}  // namespace

ProcessStats read_process_stats() {
    ProcessStats stats;
    const double ticks_per_second = static_cast<double>(sysconf(_SC_CLK_TCK));
    const double page_bytes = static_cast<double>(sysconf(_SC_PAGESIZE));
    const std::vector<std::string> fields = stat_fields_after_command();

    const auto user_ticks = field_as_number(fields, 14);
    const auto system_ticks = field_as_number(fields, 15);
    if (user_ticks && system_ticks && ticks_per_second > 0) {
        stats.cpu_seconds_total = (*user_ticks + *system_ticks) / ticks_per_second;
    }
    stats.virtual_memory_bytes = field_as_number(fields, 23);
    if (const auto rss_pages = field_as_number(fields, 24); rss_pages && page_bytes > 0) {
        stats.resident_memory_bytes = *rss_pages * page_bytes;
    }
    stats.start_time_seconds = process_start_time_seconds(fields, ticks_per_second);
    stats.open_fds = count_open_fds();
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) {
        stats.max_fds = static_cast<double>(limit.rlim_cur);
    }
    return stats;
}

}  // namespace mdp::metrics
