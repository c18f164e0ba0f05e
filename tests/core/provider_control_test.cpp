// ProviderControl without a host: a request returns at once, its completion runs on the
// control thread when process() applied it, a full queue is refused with 429 at once, and
// shutdown answers what is queued (and every later request) with 409.

#include "app/provider_control.hpp"

#include <catch2/catch.hpp>

#include <optional>
#include <thread>
#include <vector>

using mdp::status::ControlAction;
using mdp::status::ControlResult;

namespace {

// What one completion received, and on which thread.
struct Outcome {
    std::optional<ControlResult> result;
    std::thread::id thread;
};

mdp::status::ControlCompletion record_into(Outcome& outcome) {
    return [&outcome](ControlResult result) {
        CHECK_FALSE(outcome.result);  // exactly once
        outcome.result = std::move(result);
        outcome.thread = std::this_thread::get_id();
    };
}

// An empty registry: every action is answered 404, which is all these tests need.
struct NoProviders {
    mdp::config::HostConfig config;
    mdp::plugins::ProviderRegistry registry{config, {}};
    mdp::plugins::ProviderSupervisor supervisor{registry};
};

}  // namespace

TEST_CASE("a provider action returns at once and is completed on the control thread", "[core][control]") {
    NoProviders host;
    mdp::app::ProviderControl control;
    int wakes = 0;
    control.wake_with([&] { ++wakes; });
    Outcome outcome;
    control.request("feed", ControlAction::restart, "10.0.0.1:5000", record_into(outcome));
    CHECK(wakes == 1);
    CHECK_FALSE(outcome.result);  // queued, nobody waits for it

    std::thread control_thread([&] { control.process(host.registry, host.supervisor); });
    const std::thread::id control_thread_id = control_thread.get_id();
    control_thread.join();
    REQUIRE(outcome.result);
    CHECK(outcome.thread == control_thread_id);
    CHECK(outcome.result->http_status == 404);
    CHECK(outcome.result->message == "no provider named \"feed\"");
}

TEST_CASE("beyond the waiting limit a provider action is refused with 429 at once", "[core][control]") {
    NoProviders host;
    mdp::app::ProviderControl control(2);
    CHECK(mdp::app::ProviderControl::kMaxWaiting == 4);  // the documented production limit
    std::vector<Outcome> outcomes(4);
    control.request("a", ControlAction::stop, "x", record_into(outcomes[0]));
    control.request("b", ControlAction::stop, "x", record_into(outcomes[1]));
    control.request("c", ControlAction::stop, "x", record_into(outcomes[2]));
    CHECK_FALSE(outcomes[0].result);
    CHECK_FALSE(outcomes[1].result);
    REQUIRE(outcomes[2].result);  // on this thread, before request() returned
    CHECK(outcomes[2].thread == std::this_thread::get_id());
    CHECK(outcomes[2].result->http_status == 429);
    CHECK(outcomes[2].result->message == mdp::app::ProviderControl::kBusyMessage);

    control.process(host.registry, host.supervisor);
    CHECK(outcomes[0].result);
    CHECK(outcomes[1].result);
    // Room again.
    control.request("d", ControlAction::start, "x", record_into(outcomes[3]));
    CHECK_FALSE(outcomes[3].result);
    control.process(host.registry, host.supervisor);
    CHECK(outcomes[3].result);
}

TEST_CASE("shutdown completes queued provider actions with 409, and every later one at once", "[core][control]") {
    NoProviders host;
    mdp::app::ProviderControl control;
    std::vector<Outcome> outcomes(3);
    control.request("a", ControlAction::restart, "x", record_into(outcomes[0]));
    control.request("b", ControlAction::stop, "x", record_into(outcomes[1]));

    std::thread control_thread([&] { control.reject_pending("the host is shutting down"); });
    const std::thread::id control_thread_id = control_thread.get_id();
    control_thread.join();
    for (std::size_t index = 0; index < 2; ++index) {
        REQUIRE(outcomes[index].result);
        CHECK(outcomes[index].thread == control_thread_id);
        CHECK(outcomes[index].result->http_status == 409);
        CHECK(outcomes[index].result->message == "the host is shutting down");
    }

    control.request("c", ControlAction::start, "x", record_into(outcomes[2]));
    REQUIRE(outcomes[2].result);
    CHECK(outcomes[2].result->http_status == 409);
    control.process(host.registry, host.supervisor);  // nothing left to apply
}
