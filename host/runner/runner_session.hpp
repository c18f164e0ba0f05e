#pragma once
// The runner's main loop: answers the host's control messages by calling the plugin, one at a
// time, on the runner's main thread (so the plugin sees the same [control-thread] rules as in
// the host), until the host asks it to destroy the instance or the host is gone.

#include "isolation/event_ring.hpp"
#include "isolation/message_channel.hpp"
#include "plugins/plugin_library.hpp"
#include "runner/runner_services.hpp"

#include <mdp/plugin_api.h>

#include <memory>

namespace mdp::runner {

class RunnerSession {
   public:
    // `library` is null when loading failed: the session then only waits for destroy.
    RunnerSession(std::shared_ptr<plugins::PluginLibrary> library, isolation::EventRing& ring,
                  isolation::MessageChannel& channel);

    // Returns the process exit code: 0 after destroy, 1 when the host closed the channel.
    int run();

   private:
    // One message; false when the session is over (destroy answered).
    bool handle(const isolation::Message& message);
    void reply(int32_t code, const std::string& text);
    void create(isolation::PayloadReader& reader);
    void start();
    void stop();
    void reconfigure(isolation::PayloadReader& reader);
    void feedback(isolation::PayloadReader& reader);
    void destroy();

    std::shared_ptr<plugins::PluginLibrary> library_;
    isolation::MessageChannel& channel_;
    RunnerServices services_;
    mdp_provider_t* provider_ = nullptr;
    bool started_ = false;
};

}  // namespace mdp::runner
