// An SDK plugin whose factory always refuses: the provider's constructor throws, which the
// SDK turns into create() returning NULL with the message.
#include <mdp/plugin.hpp>

#include <stdexcept>

namespace {

class RefusingProvider final : public mdp::sdk::Provider {
   public:
    RefusingProvider(mdp::sdk::Host /*host*/, const std::string& /*instance_name*/, std::string_view /*config_json*/) {
        throw std::runtime_error("factory refused: this test plugin never creates a provider");
    }
    void start() override {}
    void stop() override {}
};

}  // namespace

MDP_PLUGIN(RefusingProvider, "factory_error", "Factory error", "0.1.0", "mdp tests",
           "create() always fails with a message")
