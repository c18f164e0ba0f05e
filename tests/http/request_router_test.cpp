// Routing without a socket: paths, methods, status codes, content types.
#include "http/request_router.hpp"
#include "reply_header.hpp"
#include "sample_snapshot.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using mdp::http::HttpReply;
using mdp::http::RequestRouter;
using mdp::http::RouterOptions;
using mdp::test::header;

namespace {

RouterOptions options_with_metrics(bool metrics_enabled) {
    RouterOptions options;
    options.metrics_enabled = metrics_enabled;
    return options;
}

RequestRouter make_router(bool metrics_enabled = true) {
    return RequestRouter([] { return mdp::test::sample_snapshot(); }, options_with_metrics(metrics_enabled));
}

mdp::http::HttpRequestLine request(std::string_view method, std::string_view target) {
    mdp::http::HttpRequestLine line;
    line.method = method;
    line.target = target;
    return line;
}

}  // namespace

TEST_CASE("each route answers GET with its content type", "[http][router]") {
    const RequestRouter router = make_router();
    const HttpReply page = router.handle(request("GET", "/"));
    CHECK(page.status == 200);
    CHECK(page.content_type == "text/html; charset=utf-8");
    CHECK(page.body.starts_with("<!DOCTYPE html>"));
    CHECK(header(page, "Content-Security-Policy").find("default-src 'none'") != std::string::npos);

    const HttpReply health = router.handle(request("GET", "/health"));
    CHECK(health.status == 200);
    CHECK(health.content_type == "application/json");
    CHECK(nlohmann::json::parse(health.body)["status"] == "healthy");

    const HttpReply metrics = router.handle(request("GET", "/metrics"));
    CHECK(metrics.status == 200);
    CHECK(metrics.content_type == "text/plain; version=0.0.4; charset=utf-8");
    CHECK(metrics.body.find("pipeline_feedback_queue_depth{source=\"store_coordinator\"} 6500") != std::string::npos);

    const HttpReply status = router.handle(request("GET", "/api/v1/status"));
    CHECK(status.status == 200);
    CHECK(nlohmann::json::parse(status.body)["queue"]["depth"] == 6500);
}

TEST_CASE("/ready answers 503 with the reasons when not ready, 200 when ready", "[http][router]") {
    const HttpReply not_ready = make_router().handle(request("GET", "/ready"));
    CHECK(not_ready.status == 503);
    const auto body = nlohmann::json::parse(not_ready.body);
    CHECK(body["status"] == "not_ready");
    REQUIRE(body["reasons"].size() == 1);
    CHECK(body["reasons"][0] == "required provider 'backup' is failed: connect: connection refused");

    const RequestRouter healthy([] { return mdp::test::healthy_snapshot(); }, RouterOptions{});
    const HttpReply ready = healthy.handle(request("GET", "/ready"));
    CHECK(ready.status == 200);
    CHECK(nlohmann::json::parse(ready.body)["status"] == "ready");
}

TEST_CASE("/started answers 200 once start-up completed, 503 with the status before and from shutdown on",
          "[http][router]") {
    auto snapshot = mdp::test::sample_snapshot();  // not ready: a required provider failed
    const auto reply_for = [&snapshot] {
        return RequestRouter([&snapshot] { return snapshot; }, RouterOptions{}).handle(request("GET", "/started"));
    };
    snapshot.startup_complete = false;
    HttpReply reply = reply_for();
    CHECK(reply.status == 503);
    CHECK(nlohmann::json::parse(reply.body)["status"] == "starting");

    snapshot.startup_complete = true;
    reply = reply_for();
    CHECK(reply.status == 200);
    CHECK(reply.content_type == "application/json");
    CHECK(nlohmann::json::parse(reply.body)["status"] == "started");

    snapshot.shutting_down = true;
    reply = reply_for();
    CHECK(reply.status == 503);
    CHECK(nlohmann::json::parse(reply.body)["status"] == "shutting_down");
}

TEST_CASE("unknown paths are 404, other methods on known paths 405 with Allow", "[http][router]") {
    const RequestRouter router = make_router();
    CHECK(router.handle(request("GET", "/nope")).status == 404);
    CHECK(router.handle(request("GET", "/metrics/")).status == 404);
    CHECK(router.handle(request("DELETE", "/nope")).status == 404);
    for (const char* method : {"POST", "PUT", "DELETE", "PATCH", "OPTIONS", "BREW"}) {
        const HttpReply reply = router.handle(request(method, "/metrics"));
        CHECK(reply.status == 405);
        CHECK(header(reply, "Allow") == "GET, HEAD");
    }
    CHECK(router.handle(request("HEAD", "/health")).status == 200);
}

TEST_CASE("query strings do not change the route", "[http][router]") {
    const RequestRouter router = make_router();
    CHECK(router.handle(request("GET", "/health?probe=kubelet")).status == 200);
    CHECK(router.handle(request("GET", "/metrics?name[]=x")).status == 200);
    CHECK(mdp::http::path_of("/a/b?c#d") == "/a/b");
    CHECK(mdp::http::path_of("/a#x?y") == "/a");
}

TEST_CASE("/metrics is 404 when metrics are disabled while the rest still works", "[http][router]") {
    const RequestRouter router = make_router(false);
    CHECK(router.handle(request("GET", "/metrics")).status == 404);
    CHECK(router.handle(request("POST", "/metrics")).status == 404);
    CHECK(router.handle(request("GET", "/health")).status == 200);
    CHECK(router.handle(request("GET", "/api/v1/status")).status == 200);
}

TEST_CASE("a failing snapshot source gives 500 while /health keeps answering", "[http][router]") {
    const RequestRouter router([]() -> mdp::status::HostSnapshot { throw std::runtime_error("registry locked"); },
                               RouterOptions{});
    for (const char* path : {"/metrics", "/ready", "/api/v1/status"}) {
        const HttpReply reply = router.handle(request("GET", path));
        CHECK(reply.status == 500);
        CHECK(nlohmann::json::parse(reply.body)["error"] == "internal error: registry locked");
    }
    CHECK(router.handle(request("GET", "/health")).status == 200);
}
