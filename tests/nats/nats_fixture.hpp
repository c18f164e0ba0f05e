#pragma once
// What the nats tests share: a real nats-server (or a skip that fails under CI when it is not
// installed) and a nats sink made the way the host makes it.

#include "nats_server.hpp"
#include "skip_policy.hpp"
#include "sink_test_events.hpp"
#include "sinks/sink.hpp"

#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <string>

namespace mdp::test {

inline constexpr const char* kTestStream = "MDP_TEST";

// True when nats-server is installed.
[[nodiscard]] bool nats_server_available();

// The sink object of a nats sink on `url` with the test stream, a short publish timeout and
// `extra` merged over it.
[[nodiscard]] nlohmann::json nats_sink_object(const std::string& url, const nlohmann::json& extra = {});

// create_sink() of that object, as the host would.
[[nodiscard]] std::unique_ptr<sinks::Sink> make_nats_sink(const nlohmann::json& object);

}  // namespace mdp::test

// Leaves the case when nats-server is missing: a warning on a developer machine, a failure under CI.
#define MDP_REQUIRE_NATS_SERVER()                                                            \
    do {                                                                                     \
        if (!mdp::test::nats_server_available()) {                                           \
            MDP_SKIP_UNLESS_CI("nats-server is not installed (Debian package nats-server)"); \
        }                                                                                    \
    } while (false)
