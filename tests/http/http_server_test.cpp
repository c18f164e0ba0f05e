// HttpServer over real loopback sockets: routes, keep-alive, HEAD, errors, lifecycle, and
// promtool on the real /metrics output.
#include "exposition_parser.hpp"
#include "http_client.hpp"
#include "sample_snapshot.hpp"
#include "temp_dir.hpp"
#include "child_process.hpp"
#include "test_server.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>

#include <condition_variable>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

using mdp::test::HttpClient;
using mdp::test::HttpHeaders;
using mdp::test::RawConnection;
using mdp::test::TestServer;

TEST_CASE("the server answers every route on an ephemeral port", "[http][server]") {
    TestServer served(mdp::test::sample_snapshot());
    REQUIRE(served.port() != 0);
    HttpClient client(served.port());

    const auto page = client.get("/");
    CHECK(page.status == 200);
    CHECK(page.header("Content-Type") == "text/html; charset=utf-8");
    CHECK(page.body.find("<title>mdp status</title>") != std::string::npos);

    const auto health = client.get("/health");
    CHECK(health.status == 200);
    CHECK(nlohmann::json::parse(health.body)["status"] == "healthy");

    const auto ready = client.get("/ready");
    CHECK(ready.status == 503);
    CHECK(nlohmann::json::parse(ready.body)["reasons"].size() == 1);

    const auto metrics = client.get("/metrics");
    CHECK(metrics.status == 200);
    CHECK(metrics.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8");
    CHECK(mdp::test::parse_exposition(metrics.body)
              .value("pipeline_feedback_queue_depth", {{"source", "store_coordinator"}}) == 6500);

    const auto status = client.get("/api/v1/status");
    CHECK(status.status == 200);
    CHECK(nlohmann::json::parse(status.body)["providers"].size() == 3);
    CHECK(status.header("Cache-Control") == "no-store");
}

TEST_CASE("keep-alive: many requests share one connection", "[http][server]") {
    TestServer served(mdp::test::sample_snapshot());
    HttpClient client(served.port());
    for (int request = 0; request < 200; ++request) {
        const auto reply = client.get(request % 2 == 0 ? "/health" : "/metrics");
        REQUIRE(reply.status == 200);
        REQUIRE(reply.keep_alive);
    }
    CHECK(client.connections_opened() == 1);
    CHECK(served.server().open_connections() == 1);
}

TEST_CASE("Connection: close and HTTP/1.0 requests get their answer, then the connection closes", "[http][server]") {
    TestServer served(mdp::test::sample_snapshot());
    HttpClient client(served.port());
    client.set_keep_alive(false);
    CHECK(client.get("/health").status == 200);
    CHECK(client.get("/health").status == 200);
    CHECK(client.connections_opened() == 2);

    RawConnection old_client(served.port());
    old_client.send("GET /health HTTP/1.0\r\n\r\n");
    const std::string reply = old_client.read_until_closed(std::chrono::seconds(10));
    CHECK(reply.starts_with("HTTP/1.1 200 OK\r\n"));
    CHECK(reply.find("\"status\":\"healthy\"") != std::string::npos);
    CHECK(old_client.closed_by_peer());
}

TEST_CASE("pipelined requests are answered in order", "[http][server]") {
    TestServer served(mdp::test::sample_snapshot());
    RawConnection connection(served.port());
    connection.send(
        "GET /health HTTP/1.1\r\nHost: x\r\n\r\nGET /nope HTTP/1.1\r\nHost: x\r\n\r\n"
        "GET /ready HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    const std::string replies = connection.read_until_closed(std::chrono::seconds(10));
    const auto first = replies.find("HTTP/1.1 200 OK");
    const auto second = replies.find("HTTP/1.1 404 Not Found");
    const auto third = replies.find("HTTP/1.1 503 Service Unavailable");
    REQUIRE(first != std::string::npos);
    REQUIRE(second != std::string::npos);
    REQUIRE(third != std::string::npos);
    CHECK(first < second);
    CHECK(second < third);
}

TEST_CASE("HEAD gets the GET headers and length without a body", "[http][server]") {
    TestServer served(mdp::test::sample_snapshot());
    HttpClient client(served.port());
    // The status page is the same bytes on every request, so GET and HEAD can be compared
    // exactly; /metrics is rendered anew each time (process metrics move in between).
    const auto get = client.get("/");
    const auto head = client.head("/");
    REQUIRE(get.status == 200);
    CHECK(head.status == 200);
    CHECK(head.body.empty());
    CHECK(head.header("Content-Length") == std::to_string(get.body.size()));
    CHECK(head.header("Content-Type") == get.header("Content-Type"));
    CHECK(client.get("/health").status == 200);  // the connection is still in step
    CHECK(client.connections_opened() == 1);
}

TEST_CASE("HEAD /metrics announces the length of its own render without a body", "[http][server]") {
    TestServer served(mdp::test::sample_snapshot());
    HttpClient client(served.port());
    const auto head = client.head("/metrics");
    CHECK(head.status == 200);
    CHECK(head.body.empty());
    CHECK(head.header("Content-Type").rfind("text/plain", 0) == 0);
    const auto length = head.header("Content-Length");
    REQUIRE_FALSE(length.empty());
    CHECK(std::stoul(length) > 0);
    CHECK(client.get("/health").status == 200);  // no body bytes were left on the connection
}

TEST_CASE("unknown path 404, wrong method 405, over the wire", "[http][server]") {
    TestServer served(mdp::test::sample_snapshot());
    HttpClient client(served.port());
    CHECK(client.get("/does-not-exist").status == 404);
    const auto post = client.post("/metrics", "{}");
    CHECK(post.status == 405);
    CHECK(post.header("Allow") == "GET, HEAD");
    CHECK(client.request("DELETE", "/health").status == 405);
    CHECK(client.get("/health").status == 200);
}

TEST_CASE("/metrics is 404 when metrics are disabled", "[http][server]") {
    auto config = mdp::test::loopback_http_config();
    config.metrics_enabled = false;
    TestServer served(mdp::test::sample_snapshot(), config);
    HttpClient client(served.port());
    CHECK(client.get("/metrics").status == 404);
    CHECK(client.get("/health").status == 200);
}

TEST_CASE("promtool check metrics accepts the served /metrics without complaints", "[http][server][promtool]") {
    TestServer served(mdp::test::sample_snapshot(5));
    const auto metrics = mdp::test::http_get(served.port(), "/metrics");
    REQUIRE(metrics.status == 200);
    mdp::test::TempDir directory("mdp-promtool");
    const auto file = directory.write_file("metrics.txt", metrics.body);
    const auto result = mdp::test::run_to_completion(
        "/bin/sh", {"-c", "promtool check metrics < '" + file.string() + "'"}, std::chrono::seconds(60));
    INFO(result.output);
    CHECK(result.exit_code == 0);
    CHECK(result.output.empty());
    CHECK(mdp::test::parse_exposition(metrics.body).problems.empty());
    CHECK(metrics.body.find("mdp_symbols{provider=\"synthetic\",state=\"stale\"} 2") != std::string::npos);
}

TEST_CASE("a port in use gives a clear error naming address and port", "[http][server]") {
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor occupant(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
    auto config = mdp::test::loopback_http_config();
    config.port = occupant.local_endpoint().port();
    mdp::http::HttpServer server(config, [] { return mdp::test::sample_snapshot(); });
    try {
        server.start();
        FAIL("start() should have thrown");
    } catch (const std::runtime_error& error) {
        CHECK(std::string(error.what()) ==
              "cannot listen on 127.0.0.1:" + std::to_string(config.port) + ": Address already in use");
    }
    server.stop();  // harmless after a failed start
}

TEST_CASE("an invalid bind address is reported", "[http][server]") {
    auto config = mdp::test::loopback_http_config();
    config.bind_address = "not an address!";
    mdp::http::HttpServer server(config, [] { return mdp::test::sample_snapshot(); });
    CHECK_THROWS_WITH(server.start(), Catch::Contains("cannot listen on not an address!:0"));
}

TEST_CASE("stop closes connections, is idempotent, and frees the port", "[http][server]") {
    auto served = std::make_unique<TestServer>(mdp::test::sample_snapshot());
    const unsigned short port = served->port();
    RawConnection idle(port);
    HttpClient client(port);
    CHECK(client.get("/health").status == 200);
    served->server().stop();
    served->server().stop();
    CHECK(idle.wait_closed_by_peer(std::chrono::seconds(10)));
    CHECK_THROWS_AS(client.get("/health"), mdp::test::HttpClientError);
    served.reset();

    // The same port can be bound again at once.
    auto config = mdp::test::loopback_http_config();
    config.port = port;
    mdp::http::HttpServer again(config, [] { return mdp::test::sample_snapshot(); });
    again.start();
    CHECK(mdp::test::http_get(port, "/health").status == 200);
}

TEST_CASE("a server that was never started stops and destructs quietly", "[http][server]") {
    mdp::http::HttpServer server(mdp::test::loopback_http_config(), [] { return mdp::test::sample_snapshot(); });
    server.stop();
    CHECK(server.port() == 0);
}

TEST_CASE("each request is logged at debug level, and only then", "[http][server]") {
    const auto ring = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(100);
    const auto logger = std::make_shared<spdlog::logger>("access-log-test", ring);
    // Restores the default logger however the case ends (a failed REQUIRE included), so later
    // cases in this process log where they expect.
    struct DefaultLoggerRestore {
        std::shared_ptr<spdlog::logger> previous = spdlog::default_logger();
        ~DefaultLoggerRestore() { spdlog::set_default_logger(previous); }
    } restore;
    spdlog::set_default_logger(logger);
    const auto request_lines = [&] {
        std::vector<std::string> lines;
        for (const std::string& line : ring->last_formatted()) {
            if (line.find("\"GET /") != std::string::npos) {
                lines.push_back(line);
            }
        }
        return lines;
    };

    logger->set_level(spdlog::level::debug);
    {
        TestServer served(mdp::test::sample_snapshot());
        HttpClient client(served.port());
        CHECK(client.get("/health?probe=1").status == 200);
        CHECK(client.get("/nope").status == 404);
    }
    const auto debug_lines = request_lines();
    REQUIRE(debug_lines.size() == 2);
    CHECK(debug_lines[0].find("http 127.0.0.1:") != std::string::npos);
    CHECK(debug_lines[0].find("\"GET /health?probe=1\" 200") != std::string::npos);
    CHECK(debug_lines[1].find("\"GET /nope\" 404") != std::string::npos);

    logger->set_level(spdlog::level::info);
    {
        TestServer served(mdp::test::sample_snapshot());
        CHECK(mdp::test::http_get(served.port(), "/health").status == 200);
    }
    CHECK(request_lines().size() == 2);  // nothing new at info
}

namespace {

// A control handler that answers nothing itself, as the host's does: it records each request
// with its completion, and the test completes them from a thread of its own, as the host's
// control thread does.
class PendingControl {
   public:
    mdp::http::ProviderControlHandler handler() {
        return [this](const std::string& provider, mdp::status::ControlAction action, const std::string&,
                      mdp::status::ControlCompletion done) {
            const std::lock_guard lock(mutex_);
            completions_.push_back(std::move(done));
            names_.push_back(std::string(mdp::status::to_string(action)) + " " + provider);
            changed_.notify_all();
        };
    }

    // Waits (at most 10 s) until `count` requests reached the handler.
    bool wait_for_requests(std::size_t count) {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, std::chrono::seconds(10), [&] { return completions_.size() >= count; });
    }

    // "restart ibkr" for request `index`.
    std::string name(std::size_t index) {
        const std::lock_guard lock(mutex_);
        return names_.at(index);
    }

    // Completes request `index` with `result` on a thread of its own, and waits for that thread.
    void complete(std::size_t index, mdp::status::ControlResult result) {
        mdp::status::ControlCompletion done;
        {
            const std::lock_guard lock(mutex_);
            done = completions_.at(index);
        }
        std::thread control_thread([&] { done(std::move(result)); });
        control_thread.join();
    }

   private:
    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<mdp::status::ControlCompletion> completions_;
    std::vector<std::string> names_;
};

std::string control_request(const std::string& target) {
    return "POST " + target + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer s3cret\r\nContent-Length: 0\r\n\r\n";
}

mdp::config::HttpConfig control_config() {
    auto config = mdp::test::loopback_http_config();
    config.admin_token = "s3cret";
    return config;
}

}  // namespace

TEST_CASE("pending provider actions do not hold up the other routes, and their completions answer them",
          "[http][server][control]") {
    PendingControl control;
    mdp::http::HttpServer server(
        control_config(), [] { return mdp::test::sample_snapshot(); }, control.handler());
    server.start();

    // Three actions wait for the host at once; the server itself keeps no queue of them.
    RawConnection first(server.port());
    first.send(control_request("/api/v1/providers/ibkr/restart"));
    REQUIRE(control.wait_for_requests(1));
    std::vector<std::unique_ptr<RawConnection>> waiting;
    for (int index = 0; index < 2; ++index) {
        waiting.push_back(std::make_unique<RawConnection>(server.port()));
        waiting.back()->send(control_request("/api/v1/providers/synthetic/stop"));
    }
    REQUIRE(control.wait_for_requests(3));
    HttpClient client(server.port());

    // Meanwhile every read-only route answers at once.
    CHECK(client.get("/health").status == 200);
    CHECK(client.get("/metrics").status == 200);
    CHECK(client.post("/api/v1/providers/ibkr/stop", "", "application/json", {{"Authorization", "Bearer no"}}).status ==
          403);

    for (std::size_t index = 0; index < 3; ++index) {
        control.complete(index, {200, control.name(index) + " done"});
    }
    const std::string reply = first.read_until("restart ibkr done", std::chrono::seconds(10));
    CHECK(reply.starts_with("HTTP/1.1 200 OK"));
    for (auto& connection : waiting) {
        CHECK(connection->read_until("stop synthetic done", std::chrono::seconds(10)).starts_with("HTTP/1.1 200 OK"));
    }
    server.stop();
}

TEST_CASE("a completion on the control thread only posts to the io thread, which sends the reply",
          "[http][server][control]") {
    // A snapshot source that holds the io thread until released.
    std::mutex mutex;
    std::condition_variable changed;
    bool hold = false;
    bool held = false;
    PendingControl control;
    mdp::http::HttpServer server(
        control_config(),
        [&] {
            std::unique_lock lock(mutex);
            if (hold) {
                held = true;
                changed.notify_all();
                changed.wait(lock, [&] { return !hold; });
            }
            return mdp::test::sample_snapshot();
        },
        control.handler());
    server.start();

    RawConnection action(server.port());
    action.send(control_request("/api/v1/providers/ibkr/restart"));
    REQUIRE(control.wait_for_requests(1));

    // The io thread is busy with a status request...
    {
        const std::lock_guard lock(mutex);
        hold = true;
    }
    RawConnection status(server.port());
    status.send("GET /api/v1/status HTTP/1.1\r\nHost: x\r\n\r\n");
    {
        std::unique_lock lock(mutex);
        REQUIRE(changed.wait_for(lock, std::chrono::seconds(10), [&] { return held; }));
    }
    // ...and the completion returns all the same: it does not wait for the io thread.
    auto completing = std::async(std::launch::async, [&] { control.complete(0, {200, "restart ibkr done"}); });
    const bool returned_while_io_busy = completing.wait_for(std::chrono::seconds(10)) == std::future_status::ready;
    {
        const std::lock_guard lock(mutex);
        hold = false;
    }
    changed.notify_all();
    CHECK(returned_while_io_busy);
    completing.get();

    // Released, the io thread answers both.
    CHECK(status.read_until("\"version\"", std::chrono::seconds(10)).starts_with("HTTP/1.1 200 OK"));
    const std::string reply = action.read_until("\"status\":200}", std::chrono::seconds(10));
    CHECK(reply.starts_with("HTTP/1.1 200 OK"));
    CHECK_THAT(reply, Catch::Contains("\"message\":\"restart ibkr done\",\"provider\":\"ibkr\""));
    server.stop();
}

TEST_CASE("a control request not completed within its time limit is answered 504, and its late completion is dropped",
          "[http][server][control]") {
    PendingControl control;
    // A short limit for reloads (provider actions keep the default 30 s, so the second
    // request below is answered by its completion alone).
    mdp::http::ControlTimeLimits limits;
    limits.reload = std::chrono::milliseconds(50);
    mdp::http::HttpServer server(
        control_config(), [] { return mdp::test::sample_snapshot(); }, control.handler(), {}, {}, limits);
    server.start();

    RawConnection connection(server.port());
    connection.send(control_request("/api/v1/reload"));
    const std::string timed_out = connection.read_until("\"status\":504}\n", std::chrono::seconds(10));
    CHECK(timed_out.starts_with("HTTP/1.1 504 Gateway Timeout"));
    CHECK_THAT(timed_out, Catch::Contains("\"message\":\"the reload did not finish within 50 ms; it goes on in the "
                                          "background (see the log and /api/v1/status)\""));

    // The connection is kept alive: the next request on it waits for its completion while
    // the late one of the reload arrives. Both are posted in this order, so the late one
    // reaches the session while it works on the next request, and must not answer it.
    connection.send(control_request("/api/v1/providers/ibkr/stop"));
    REQUIRE(control.wait_for_requests(2));
    control.complete(0, {200, "late reload"});
    control.complete(1, {200, "stop ibkr done"});
    const std::string answered = connection.read_until("stop ibkr done", std::chrono::seconds(10));
    CHECK(answered.starts_with("HTTP/1.1 200 OK"));
    CHECK_THAT(answered, !Catch::Contains("late reload"));

    // A completion that comes after the server stopped (and closed the connection) is harmless.
    connection.send(control_request("/api/v1/providers/ibkr/start"));
    REQUIRE(control.wait_for_requests(3));
    server.stop();
    CHECK(connection.wait_closed_by_peer(std::chrono::seconds(10)));
    control.complete(2, {200, "after stop"});
}
