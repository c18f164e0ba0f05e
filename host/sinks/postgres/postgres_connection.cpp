#include "sinks/postgres/postgres_connection.hpp"

#include <libpq-fe.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <map>
#include <string_view>
#include <vector>

namespace mdp::sinks {

namespace {

// libpq messages end in newlines and may span lines ("FATAL: ...\nDETAIL: ..."); one line
// reads better in logs and on the status page.
std::string one_line(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
        text.pop_back();
    }
    std::string result;
    for (const char character : text) {
        if (character == '\n') {
            result += "; ";
        } else {
            result += character;
        }
    }
    return result;
}

bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

// Connection failures carry no SQLSTATE in libpq, only the server's message text.
PostgresErrorKind classify_connect_failure(const std::string& message) {
    if (contains(message, "password authentication failed") || contains(message, "no password supplied") ||
        contains(message, "authentication failed") || contains(message, "no pg_hba.conf entry")) {
        return PostgresErrorKind::auth;
    }
    if (contains(message, "database \"") && contains(message, "does not exist")) {
        return PostgresErrorKind::missing_database;
    }
    return PostgresErrorKind::connect;
}

PostgresErrorKind classify_statement_failure(const std::string& sqlstate, bool connection_broken) {
    if (connection_broken || sqlstate.rfind("08", 0) == 0 || sqlstate == "57P01" || sqlstate == "57P02" ||
        sqlstate == "57P03") {
        return PostgresErrorKind::connection_lost;
    }
    if (sqlstate == "57014") {
        return PostgresErrorKind::timeout;
    }
    if (sqlstate == "23505") {
        return PostgresErrorKind::duplicate;
    }
    if (sqlstate == "42P01" || sqlstate == "42703" || sqlstate == "42804" || sqlstate == "3F000") {
        return PostgresErrorKind::schema;
    }
    return PostgresErrorKind::server;
}

void log_notice(void* /*argument*/, const char* message) {
    spdlog::debug("postgres: {}", one_line(message == nullptr ? "" : message));
}

struct ResultDeleter {
    void operator()(PGresult* result) const { PQclear(result); }
};
using ResultPointer = std::unique_ptr<PGresult, ResultDeleter>;

}  // namespace

std::string postgres_error_kind_name(PostgresErrorKind kind) {
    switch (kind) {
        case PostgresErrorKind::connect:
            return "connect";
        case PostgresErrorKind::auth:
            return "auth";
        case PostgresErrorKind::missing_database:
            return "missing_database";
        case PostgresErrorKind::connection_lost:
            return "connection_lost";
        case PostgresErrorKind::timeout:
            return "timeout";
        case PostgresErrorKind::duplicate:
            return "duplicate";
        case PostgresErrorKind::schema:
            return "schema";
        case PostgresErrorKind::server:
            return "server";
    }
    return "server";
}

void validate_conninfo(const std::string& conninfo) {
    if (conninfo.empty()) {
        return;
    }
    char* error = nullptr;
    PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &error);
    if (options != nullptr) {
        PQconninfoFree(options);
        return;
    }
    std::string reason = error == nullptr ? std::string() : one_line(error);
    PQfreemem(error);
    // Only this libpq message is known to quote nothing but a key name; others may echo a
    // fragment of the string, which could be a password.
    if (reason.rfind("invalid connection option", 0) != 0) {
        reason = "expected key=value pairs or a postgresql:// URI";
    }
    throw PostgresError(PostgresErrorKind::connect, "not a valid libpq connection string: " + reason);
}

std::string describe_conninfo_target(const std::string& conninfo) {
    // Where, not how: keys that name the server and database, in reading order.
    static constexpr std::array<std::string_view, 6> kShown = {"service", "host", "hostaddr", "port", "dbname", "user"};
    std::map<std::string_view, std::string> values;
    PQconninfoOption* options = conninfo.empty() ? nullptr : PQconninfoParse(conninfo.c_str(), nullptr);
    for (PQconninfoOption* option = options; option != nullptr && option->keyword != nullptr; ++option) {
        const auto shown = std::find(kShown.begin(), kShown.end(), std::string_view(option->keyword));
        if (shown != kShown.end() && option->val != nullptr && *option->val != '\0') {
            values[*shown] = option->val;
        }
    }
    PQconninfoFree(options);
    std::string text;
    for (const auto key : kShown) {
        if (const auto found = values.find(key); found != values.end()) {
            text += (text.empty() ? "" : " ") + std::string(key) + "=" + found->second;
        }
    }
    return text.empty() ? std::string("server and database from the PG* environment variables") : text;
}

PostgresConnection::PostgresConnection(const PostgresConnectionSettings& settings) {
    validate_conninfo(settings.conninfo);
    const std::string connect_timeout = std::to_string(settings.connect_timeout_seconds);
    // Dead peers must not hang a write for the kernel's retransmission timeout (minutes):
    // bound unacknowledged sends and probe idle connections. conninfo may override these.
    const std::string tcp_user_timeout = std::to_string(settings.statement_timeout_ms + 5000);
    std::vector<const char*> keywords = {"connect_timeout", "application_name",    "keepalives",
                                         "keepalives_idle", "keepalives_interval", "keepalives_count",
                                         "tcp_user_timeout"};
    std::vector<const char*> values = {connect_timeout.c_str(), settings.application_name.c_str(), "1", "10", "5", "3",
                                       tcp_user_timeout.c_str()};
    if (!settings.conninfo.empty()) {
        // Last, and expanded: whatever the connection string sets wins over the defaults above.
        keywords.push_back("dbname");
        values.push_back(settings.conninfo.c_str());
    }
    keywords.push_back(nullptr);
    values.push_back(nullptr);
    connection_ = PQconnectdbParams(keywords.data(), values.data(), 1);
    if (connection_ == nullptr) {
        throw PostgresError(PostgresErrorKind::connect, "cannot connect to PostgreSQL: out of memory");
    }
    if (PQstatus(connection_) != CONNECTION_OK) {
        const std::string message = one_line(PQerrorMessage(connection_));
        PQfinish(connection_);
        connection_ = nullptr;
        throw PostgresError(classify_connect_failure(message), "cannot connect to PostgreSQL: " + message);
    }
    PQsetNoticeProcessor(connection_, log_notice, nullptr);
    execute("SET statement_timeout = " + std::to_string(settings.statement_timeout_ms), "setting statement_timeout");
}

PostgresConnection::~PostgresConnection() { PQfinish(connection_); }

void PostgresConnection::fail(std::string_view what, const void* result_pointer) const {
    const auto* result = static_cast<const PGresult*>(result_pointer);
    const char* state = result == nullptr ? nullptr : PQresultErrorField(result, PG_DIAG_SQLSTATE);
    const std::string sqlstate = state == nullptr ? "" : state;
    const bool broken = PQstatus(connection_) == CONNECTION_BAD;
    std::string message = result != nullptr ? PQresultErrorMessage(result) : "";
    if (message.empty()) {
        message = PQerrorMessage(connection_);
    }
    const PostgresErrorKind kind = classify_statement_failure(sqlstate, broken);
    throw PostgresError(kind,
                        "PostgreSQL " + describe() + ": " + std::string(what) + " failed" +
                            (sqlstate.empty() ? "" : " [" + sqlstate + "]") + ": " + one_line(message),
                        sqlstate);
}

std::uint64_t PostgresConnection::execute(const std::string& sql, std::string_view what) {
    const ResultPointer result(PQexec(connection_, sql.c_str()));
    const ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        fail(what, result.get());
    }
    const char* affected = PQcmdTuples(result.get());
    return (affected == nullptr || *affected == '\0') ? 0 : std::stoull(affected);
}

std::optional<std::string> PostgresConnection::query_value(const std::string& sql, std::string_view what) {
    const ResultPointer result(PQexec(connection_, sql.c_str()));
    if (!result || PQresultStatus(result.get()) != PGRES_TUPLES_OK) {
        fail(what, result.get());
    }
    if (PQntuples(result.get()) == 0 || PQnfields(result.get()) == 0 || PQgetisnull(result.get(), 0, 0) != 0) {
        return std::nullopt;
    }
    return std::string(PQgetvalue(result.get(), 0, 0));
}

std::uint64_t PostgresConnection::copy_in(const std::string& copy_sql, std::string_view data, std::string_view what) {
    {
        const ResultPointer start(PQexec(connection_, copy_sql.c_str()));
        if (!start || PQresultStatus(start.get()) != PGRES_COPY_IN) {
            fail(what, start.get());
        }
    }
    // Chunks keep libpq's output buffer small; it sends as it goes.
    constexpr std::size_t kChunkBytes = 1 << 20;
    bool sent = true;
    for (std::size_t offset = 0; offset < data.size() && sent; offset += kChunkBytes) {
        const std::size_t length = std::min(kChunkBytes, data.size() - offset);
        sent = PQputCopyData(connection_, data.data() + offset, static_cast<int>(length)) == 1;
    }
    if (!sent || PQputCopyEnd(connection_, nullptr) != 1) {
        fail(what, nullptr);
    }
    std::uint64_t rows = 0;
    bool failed = false;
    ResultPointer failure;
    while (PGresult* raw = PQgetResult(connection_)) {
        ResultPointer result(raw);
        if (PQresultStatus(raw) == PGRES_COMMAND_OK) {
            const char* affected = PQcmdTuples(raw);
            rows = (affected == nullptr || *affected == '\0') ? 0 : std::stoull(affected);
        } else if (!failed) {
            failed = true;
            failure = std::move(result);
        }
    }
    if (failed) {
        fail(what, failure.get());
    }
    return rows;
}

bool PostgresConnection::usable() const { return PQstatus(connection_) == CONNECTION_OK; }

bool PostgresConnection::in_transaction() const {
    const PGTransactionStatusType status = PQtransactionStatus(connection_);
    return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE;
}

std::string PostgresConnection::describe() const {
    const char* host = PQhost(connection_);
    const char* port = PQport(connection_);
    const char* database = PQdb(connection_);
    return std::string(host == nullptr ? "" : host) + ":" + (port == nullptr ? "" : port) + "/" +
           (database == nullptr ? "" : database);
}

}  // namespace mdp::sinks
