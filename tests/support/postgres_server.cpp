#include "postgres_server.hpp"

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <stdexcept>

namespace mdp::test {

namespace {

constexpr const char* kServerUser = "mdptest";

std::string trimmed(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
        text.pop_back();
    }
    return text;
}

std::string find_program(const std::vector<std::string>& candidates) {
    for (const auto& candidate : candidates) {
        if (::access(candidate.c_str(), X_OK) == 0) {
            return candidate;
        }
    }
    throw std::runtime_error("none of these programs exists: " + candidates.front());
}

// Under root: the unprivileged user that runs the server, created on first use.
std::string ensure_server_user() {
    if (::geteuid() != 0) {
        return "";
    }
    if (::getpwnam(kServerUser) == nullptr) {
        const auto useradd = find_program({"/usr/sbin/useradd", "/sbin/useradd"});
        const auto result = run_to_completion(useradd, {"--system", "--no-create-home", "--home-dir", "/nonexistent",
                                                        "--shell", "/usr/sbin/nologin", kServerUser});
        // A concurrent test may have created it in the meantime (exit 9: already exists).
        if (result.exit_code != 0 && ::getpwnam(kServerUser) == nullptr) {
            throw std::runtime_error("cannot create user " + std::string(kServerUser) + ": " + result.output);
        }
    }
    return kServerUser;
}

void give_to_user(const std::filesystem::path& path, const std::string& user) {
    if (user.empty()) {
        return;
    }
    const passwd* entry = ::getpwnam(user.c_str());
    if (entry == nullptr || ::chown(path.c_str(), entry->pw_uid, entry->pw_gid) != 0) {
        throw std::runtime_error("cannot hand " + path.string() + " to user " + user);
    }
}

}  // namespace

std::optional<std::filesystem::path> PostgresServer::find_bin_dir() {
    if (const char* configured = std::getenv("MDP_PG_BINDIR"); configured != nullptr && *configured != '\0') {
        return std::filesystem::path(configured);
    }
    std::optional<std::filesystem::path> best;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator("/usr/lib/postgresql", error)) {
        const auto candidate = entry.path() / "bin";
        if (std::filesystem::exists(candidate / "initdb") && std::filesystem::exists(candidate / "pg_ctl") &&
            (!best || candidate.string() > best->string())) {
            best = candidate;  // the newest version installed
        }
    }
    return best;
}

PostgresServer::PostgresServer(PostgresServerOptions options) : options_(options) {
    const auto bin_dir = find_bin_dir();
    if (!bin_dir) {
        throw std::runtime_error(
            "PostgreSQL server binaries not found (install the Debian package `postgresql`, or set MDP_PG_BINDIR)");
    }
    bin_dir_ = *bin_dir;
    server_user_ = ensure_server_user();
    cluster_dir_ = directory_.path() / "cluster";
    std::filesystem::create_directories(cluster_dir_);
    ::chmod(cluster_dir_.c_str(), 0700);
    const auto password_file = directory_.write_file("cluster/password", password_);
    give_to_user(cluster_dir_, server_user_);
    give_to_user(password_file, server_user_);

    const auto initdb = run_as_server_user(
        "initdb", {"-D", (cluster_dir_ / "data").string(), "-U", user_, "--pwfile=" + password_file.string(),
                   "--auth-host=scram-sha-256", "--auth-local=trust", "-E", "UTF8", "--locale=C", "--no-sync",
                   "--no-instructions"});
    if (initdb.exit_code != 0) {
        throw std::runtime_error("initdb failed: " + initdb.output);
    }
    start_on_a_free_port();
}

void PostgresServer::start_on_a_free_port() {
    // PostgreSQL cannot bind port 0 and report it, so a candidate port may be taken by
    // another test between the probe and the server's bind: that collision is retried.
    constexpr int kAttempts = 10;
    for (int attempt = 1;; ++attempt) {
        port_ = candidate_loopback_port();
        const std::size_t log_before = log().size();
        try {
            start();
            return;
        } catch (const std::runtime_error&) {
            const bool collision = log().find("Address already in use", log_before) != std::string::npos;
            if (!collision || attempt == kAttempts) {
                throw;
            }
        }
    }
}

PostgresServer::~PostgresServer() { stop_with_mode("immediate"); }

RunResult PostgresServer::run_as_server_user(const std::string& tool, const std::vector<std::string>& arguments) const {
    const std::string program = (bin_dir_ / tool).string();
    if (server_user_.empty()) {
        return run_to_completion(program, arguments, std::chrono::seconds(120));
    }
    std::vector<std::string> wrapped = {"-u", server_user_, "--", program};
    wrapped.insert(wrapped.end(), arguments.begin(), arguments.end());
    return run_to_completion(find_program({"/usr/sbin/runuser", "/sbin/runuser"}), wrapped, std::chrono::seconds(120));
}

void PostgresServer::start() {
    std::string server_options = "-p " + std::to_string(port_) + " -c listen_addresses=127.0.0.1" +
                                 " -c unix_socket_directories=" + cluster_dir_.string() + " -c max_connections=50";
    if (!options_.durable) {
        server_options += " -c fsync=off -c full_page_writes=off -c synchronous_commit=off";
    }
    const auto result = run_as_server_user(
        "pg_ctl", {"-D", (cluster_dir_ / "data").string(), "-l", (cluster_dir_ / "server.log").string(), "-o",
                   server_options, "-w", "-t", "60", "start"});
    if (result.exit_code != 0) {
        throw std::runtime_error("pg_ctl start failed: " + result.output + "\n" + log());
    }
    running_ = true;
}

void PostgresServer::stop() {
    const auto result =
        run_as_server_user("pg_ctl", {"-D", (cluster_dir_ / "data").string(), "-m", "fast", "-w", "-t", "60", "stop"});
    if (result.exit_code != 0) {
        throw std::runtime_error("pg_ctl stop failed: " + result.output);
    }
    running_ = false;
}

void PostgresServer::stop_with_mode(const std::string& mode) noexcept {
    if (!running_) {
        return;
    }
    try {
        (void)run_as_server_user("pg_ctl",
                                 {"-D", (cluster_dir_ / "data").string(), "-m", mode, "-w", "-t", "60", "stop"});
    } catch (...) {
        // Nothing better to do in a destructor; the temp dir goes either way.
    }
    running_ = false;
}

std::string PostgresServer::conninfo(const std::string& database) const {
    return "host=127.0.0.1 port=" + std::to_string(port_) + " user=" + user_ + " password=" + password_ +
           " dbname=" + database + " sslmode=disable";
}

RunResult PostgresServer::psql(const std::string& sql, const std::string& database) const {
    return run_to_completion((bin_dir_ / "psql").string(),
                             {"-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p",
                              std::to_string(port_), "-U", user_, "-d", database, "-c", sql},
                             std::chrono::seconds(120), {{"PGPASSWORD", password_}, {"PGSSLMODE", "disable"}});
}

std::string PostgresServer::query(const std::string& sql, const std::string& database) const {
    const auto result = psql(sql, database);
    if (result.exit_code != 0) {
        throw std::runtime_error("psql failed (" + sql + "): " + result.output);
    }
    return trimmed(result.output);
}

void PostgresServer::create_database(const std::string& name) const { query("CREATE DATABASE \"" + name + "\""); }

std::string PostgresServer::log() const { return read_text_file(cluster_dir_ / "server.log"); }

}  // namespace mdp::test
