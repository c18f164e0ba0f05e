// Cross-process feedback delivery: events POSTed as JSON to a real loopback HTTP receiver;
// a dead receiver costs bounded retries and never blocks the caller.

#include "child_process.hpp"
#include "common/http_url.hpp"
#include "temp_dir.hpp"
#include "webhook_receiver.hpp"
#include "pipeline/feedback_webhook.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <thread>

using namespace mdp;
using mdp::test::WebhookReceiver;

namespace {

status::FeedbackEvent hard_event() {
    status::FeedbackEvent event;
    event.coordinator_id = "store_coordinator";
    event.queue_size = 8000;
    event.capacity = 10000;
    event.level = "hard";
    event.level_value = 2;
    event.reason = "depth 8000 >= high watermark 8000";
    event.utilization = 0.8;
    event.timestamp_ns = 1700000000000000000;
    return event;
}

}  // namespace

TEST_CASE("http URLs parse into host, port and target", "[webhook]") {
    const auto url = common::parse_http_url("http://receiver.local:9000/hooks/mdp");
    CHECK(url.host == "receiver.local");
    CHECK(url.port == "9000");
    CHECK(url.target == "/hooks/mdp");
    CHECK(common::parse_http_url("http://h").port == "80");
    CHECK_THROWS_WITH(common::parse_http_url("https://h/"), Catch::Contains("expected an http:// URL"));
    CHECK_THROWS_WITH(common::parse_http_url("http://h:port/"), Catch::Contains("expected http://host[:port]"));
}

TEST_CASE("feedback events are POSTed as JSON with every contract field", "[webhook]") {
    WebhookReceiver receiver;
    config::BackpressureConfig config;
    config.feedback_urls = {"http://127.0.0.1:" + std::to_string(receiver.port()) + "/feedback"};
    pipeline::FeedbackWebhook webhook(config);
    webhook.enqueue(hard_event());
    for (int attempt = 0; attempt < 200 && webhook.delivered() == 0; ++attempt) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    REQUIRE(webhook.delivered() == 1);
    const auto bodies = receiver.bodies();
    REQUIRE(bodies.size() == 1);
    const auto body = nlohmann::json::parse(bodies[0]);
    CHECK(body["coordinator_id"] == "store_coordinator");
    CHECK(body["queue_size"] == 8000);
    CHECK(body["capacity"] == 10000);
    CHECK(body["level"] == "hard");
    CHECK(body["reason"] == "depth 8000 >= high watermark 8000");
    CHECK(body["utilization"] == 0.8);
    CHECK(body["timestamp_ns"] == 1700000000000000000);
}

TEST_CASE("a failing receiver gets exactly 1 + feedback_max_retries attempts per event", "[webhook]") {
    WebhookReceiver receiver("500 Internal Server Error");
    config::BackpressureConfig config;
    config.feedback_urls = {"http://127.0.0.1:" + std::to_string(receiver.port()) + "/"};
    config.feedback_max_retries = 2;
    config.feedback_timeout_ms = 1000;
    pipeline::FeedbackWebhook webhook(config);
    webhook.enqueue(hard_event());
    REQUIRE(mdp::test::eventually([&] { return webhook.failed() == 1; }, std::chrono::seconds(30)));
    CHECK(receiver.bodies().size() == 3);
    CHECK(webhook.delivered() == 0);
}

TEST_CASE("enqueue() returns while the receiver hangs: the queue is bounded, the oldest are dropped", "[webhook]") {
    // A listening socket nobody accepts from: the kernel completes the connection, the POST
    // is sent, and no answer ever comes (each attempt waits for its timeout).
    const mdp::test::SilentPort silent;
    config::BackpressureConfig config;
    config.feedback_urls = {"http://127.0.0.1:" + std::to_string(silent.port()) + "/"};
    config.feedback_max_retries = 0;
    config.feedback_timeout_ms = 2000;  // the delivery thread is stuck in its first POST meanwhile
    {
        pipeline::FeedbackWebhook webhook(config);
        // Each call returns at once (this loop finishing is the check: a blocking enqueue
        // would hang here behind the stuck delivery); beyond kMaxQueued the oldest are dropped.
        for (int index = 0; index < 1000; ++index) {
            webhook.enqueue(hard_event());
        }
        CHECK(webhook.dropped() >= 1000 - pipeline::FeedbackWebhook::kMaxQueued - 1);  // the thread took at most one
        CHECK(webhook.dropped() <= 1000 - pipeline::FeedbackWebhook::kMaxQueued);
        CHECK(webhook.delivered() == 0);
    }
}
