// The provider control API's routing: absent without a token, POST only, bearer token
// required, actions validated, names percent-decoded, the handler's answer passed through,
// 504 at the time limit.
#include "http/bearer_token.hpp"
#include "http/provider_control_route.hpp"
#include "http/request_router.hpp"
#include "reply_header.hpp"
#include "sample_snapshot.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <optional>
#include <vector>

using mdp::http::HttpReply;
using mdp::http::RequestRouter;
using mdp::http::RouterOptions;
using mdp::test::header;

namespace {

struct Call {
    std::string provider;
    std::string action;
    std::string requester;
};

struct RecordingControl {
    std::vector<Call> calls;
    mdp::status::ControlResult answer{200, "restarted"};

    bool completes = true;  // false: the completion is kept and never called

    mdp::http::ProviderControlHandler handler() {
        return [this](const std::string& provider, mdp::status::ControlAction action, const std::string& requester,
                      const mdp::status::ControlCompletion& done) {
            calls.push_back({provider, std::string(mdp::status::to_string(action)), requester});
            if (completes) {
                done(answer);
            }
        };
    }
};

RequestRouter router_with(RecordingControl& control, std::string token = "s3cret",
                          mdp::http::ControlTimeLimits limits = {}) {
    RouterOptions options;
    options.admin_token = std::move(token);
    options.control = control.handler();
    options.control_limits = limits;
    return RequestRouter([] { return mdp::test::sample_snapshot(); }, options);
}

HttpReply post(const RequestRouter& router, const std::string& target, const std::string& authorization) {
    return router.handle({"POST", target, authorization, "10.1.2.3:4567"});
}

}  // namespace

TEST_CASE("with the right bearer token an action reaches the host's handler", "[http][control]") {
    RecordingControl control;
    const RequestRouter router = router_with(control);
    const HttpReply reply = post(router, "/api/v1/providers/ibkr/restart", "Bearer s3cret");
    CHECK(reply.status == 200);
    REQUIRE(control.calls.size() == 1);
    CHECK(control.calls[0].provider == "ibkr");
    CHECK(control.calls[0].action == "restart");
    CHECK(control.calls[0].requester == "10.1.2.3:4567");
    const auto body = nlohmann::json::parse(reply.body);
    CHECK(body["provider"] == "ibkr");
    CHECK(body["action"] == "restart");
    CHECK(body["message"] == "restarted");
}

TEST_CASE("the handler's status is the reply's status", "[http][control]") {
    RecordingControl control;
    const RequestRouter router = router_with(control);
    for (const int status : {404, 409, 504}) {
        control.answer = {status, "because"};
        CHECK(post(router, "/api/v1/providers/synthetic/stop", "Bearer s3cret").status ==
              static_cast<unsigned>(status));
    }
}

TEST_CASE("the route is absent without an admin token or a handler", "[http][control]") {
    RecordingControl control;
    const RequestRouter no_token = router_with(control, "");
    CHECK(post(no_token, "/api/v1/providers/ibkr/restart", "Bearer ").status == 404);
    RouterOptions token_only;
    token_only.admin_token = "s3cret";
    const RequestRouter no_handler([] { return mdp::test::sample_snapshot(); }, token_only);
    CHECK(post(no_handler, "/api/v1/providers/ibkr/restart", "Bearer s3cret").status == 404);
    CHECK(control.calls.empty());
}

TEST_CASE("no token offered is 401 with a challenge and a wrong one 403: neither reaches the handler",
          "[http][control]") {
    RecordingControl control;
    const RequestRouter router = router_with(control);
    for (const char* authorization :
         {"", "Bearer", "Bearer ", "Bearer    ", "Basic s3cret", "s3cret", "Bearers3cret"}) {
        INFO("Authorization: " << authorization);
        const HttpReply reply = post(router, "/api/v1/providers/ibkr/restart", authorization);
        CHECK(reply.status == 401);
        CHECK(header(reply, "WWW-Authenticate") == "Bearer realm=\"mdp\"");
        CHECK(nlohmann::json::parse(reply.body)["error"].get<std::string>().find("Authorization: Bearer") !=
              std::string::npos);
    }
    for (const char* authorization : {"Bearer s3cre", "Bearer s3cret2", "Bearer S3CRET", "Bearer s3cret s3cret"}) {
        INFO("Authorization: " << authorization);
        const HttpReply reply = post(router, "/api/v1/providers/ibkr/restart", authorization);
        CHECK(reply.status == 403);
        CHECK(header(reply, "WWW-Authenticate").empty());
    }
    CHECK(control.calls.empty());
    CHECK(post(router, "/api/v1/providers/ibkr/restart", "bearer s3cret").status == 200);  // scheme in any case
    CHECK(control.calls.size() == 1);
}

TEST_CASE("only POST, only known actions, names percent-decoded", "[http][control]") {
    RecordingControl control;
    const RequestRouter router = router_with(control);
    const HttpReply get = router.handle({"GET", "/api/v1/providers/ibkr/restart", "Bearer s3cret", "x"});
    CHECK(get.status == 405);
    CHECK(header(get, "Allow") == "POST");
    CHECK(post(router, "/api/v1/providers/ibkr/explode", "Bearer s3cret").status == 404);
    CHECK(post(router, "/api/v1/providers/ibkr", "Bearer s3cret").status == 404);
    CHECK(post(router, "/api/v1/providers//restart", "Bearer s3cret").status == 404);
    CHECK(post(router, "/api/v1/providers/bad%zzname/restart", "Bearer s3cret").status == 400);
    CHECK(control.calls.empty());

    CHECK(post(router, "/api/v1/providers/feed%20one%2Fa/start?x=1", "Bearer s3cret").status == 200);
    REQUIRE(control.calls.size() == 1);
    CHECK(control.calls[0].provider == "feed one/a");
    CHECK(control.calls[0].action == "start");
}

TEST_CASE("a control request is deferred by route(): the handler runs when it is started", "[http][control]") {
    RecordingControl control;
    const RequestRouter router = router_with(control);
    auto outcome = router.route({"POST", "/api/v1/providers/ibkr/restart", "Bearer s3cret", "x"});
    REQUIRE(outcome.deferred);
    CHECK(control.calls.empty());
    std::optional<mdp::status::ControlResult> result;
    outcome.deferred->start([&](mdp::status::ControlResult answer) { result = std::move(answer); });
    CHECK(control.calls.size() == 1);
    REQUIRE(result);
    CHECK(outcome.deferred->render(*result).status == 200);
    CHECK_FALSE(router.route({"GET", "/health", "", "x"}).deferred);
}

TEST_CASE("a control request not completed in time is answered 504 with the documented text", "[http][control]") {
    RecordingControl control;
    control.completes = false;
    const RequestRouter router = router_with(control);
    const auto outcome = router.route({"POST", "/api/v1/providers/ibkr/restart", "Bearer s3cret", "x"});
    REQUIRE(outcome.deferred);
    CHECK(outcome.deferred->time_limit == std::chrono::seconds(30));

    const HttpReply action = post(router, "/api/v1/providers/ibkr/restart", "Bearer s3cret");
    CHECK(action.status == 504);
    const auto action_body = nlohmann::json::parse(action.body);
    CHECK(action_body["provider"] == "ibkr");
    CHECK(action_body["action"] == "restart");
    CHECK(action_body["status"] == 504);
    CHECK(action_body["message"] ==
          "restart of provider ibkr did not finish within 30 s; it goes on in the background");

    const HttpReply reload = post(router, "/api/v1/reload", "Bearer s3cret");
    CHECK(reload.status == 504);
    const auto reload_body = nlohmann::json::parse(reload.body);
    CHECK(reload_body["action"] == "reload");
    CHECK(reload_body["message"] ==
          "the reload did not finish within 60 s; it goes on in the background (see the log and /api/v1/status)");
    CHECK(router.route({"POST", "/api/v1/reload", "Bearer s3cret", "x"}).deferred->time_limit ==
          std::chrono::seconds(60));

    mdp::http::ControlTimeLimits limits;
    limits.provider_action = std::chrono::milliseconds(250);
    const RequestRouter short_limits = router_with(control, "s3cret", limits);
    CHECK(nlohmann::json::parse(post(short_limits, "/api/v1/providers/ibkr/stop", "Bearer s3cret").body)["message"] ==
          "stop of provider ibkr did not finish within 250 ms; it goes on in the background");
}

TEST_CASE("a full control queue (429) is refused with Retry-After, like the server's other refusals",
          "[http][control]") {
    RecordingControl control;
    control.answer = {429, "another provider action is in progress; retry later"};
    const RequestRouter router = router_with(control);
    const HttpReply reply = post(router, "/api/v1/providers/ibkr/stop", "Bearer s3cret");
    CHECK(reply.status == 429);
    CHECK(header(reply, "Retry-After") == "5");
    CHECK(nlohmann::json::parse(reply.body) ==
          nlohmann::json{{"error", "another provider action is in progress; retry later"}});
}

TEST_CASE("token comparison", "[http][control]") {
    using mdp::http::BearerCheck;
    using mdp::http::check_bearer_token;
    using mdp::http::constant_time_equal;
    CHECK(constant_time_equal("abc", "abc"));
    CHECK_FALSE(constant_time_equal("abc", "abd"));
    CHECK_FALSE(constant_time_equal("abc", "abcd"));
    CHECK_FALSE(constant_time_equal("", "a"));
    CHECK(constant_time_equal("", ""));
    CHECK(check_bearer_token("Bearer  tok  ", "tok") == BearerCheck::accepted);
    CHECK(check_bearer_token("Bearer tok", "") == BearerCheck::wrong);
    CHECK(check_bearer_token("Bearertok", "tok") == BearerCheck::missing);
    CHECK(check_bearer_token("Bearer ", "tok") == BearerCheck::missing);
    CHECK(check_bearer_token("Bearer tok2", "tok") == BearerCheck::wrong);
}
