// An SDK plugin that sets the descriptor's url (an ABI 1.1 field), so the SDK stamps ABI 1.1
// into it: a 1.0 host must refuse it, a 1.1 host shows the url.
#include <mdp/plugin.hpp>

namespace {

class IdleProvider final : public mdp::sdk::Provider {
   public:
    IdleProvider(mdp::sdk::Host host, const std::string& /*instance_name*/, std::string_view /*config_json*/)
        : Provider(host) {}
    void start() override { host().report_state(mdp::sdk::State::running, "idle"); }
    void stop() override {}
};

}  // namespace

MDP_PLUGIN(IdleProvider, "url_provider", "Url provider", "0.1.0", "mdp tests", "Publishes nothing",
           "https://example.com/mdp/url-provider")
