// An SDK plugin whose start() throws: the SDK turns the exception into start() returning
// MDP_ERROR with the message, and the host reports the provider failed.
#include <mdp/plugin.hpp>

#include <stdexcept>

namespace {

class FailingStartProvider final : public mdp::sdk::Provider {
   public:
    FailingStartProvider(mdp::sdk::Host /*host*/, const std::string& /*instance_name*/,
                         std::string_view /*config_json*/) {}
    void start() override { throw std::runtime_error("deliberate start failure"); }
    void stop() override {}
};

}  // namespace

MDP_PLUGIN(FailingStartProvider, "throws_in_start", "Throws in start", "0.1.0", "mdp tests", "start() always throws")
