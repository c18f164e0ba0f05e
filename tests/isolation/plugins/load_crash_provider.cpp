// Test plugin "load_crash": segfaults in a static constructor, i.e. while its file is being
// loaded, before the host could call any of its functions. The host reads plugin files in a
// separate process (host/plugins/plugin_description.hpp), so this is a load error of the
// providers that name it, never a dead host.

#include <mdp/plugin.hpp>

#include <csignal>

namespace {

struct CrashWhileLoading {
    CrashWhileLoading() { std::raise(SIGSEGV); }
};
const CrashWhileLoading crash_while_loading;

class NeverCreated final : public mdp::sdk::Provider {
   public:
    NeverCreated(mdp::sdk::Host host, const std::string& /*instance_name*/, std::string_view /*config_json*/)
        : Provider(host) {}
    void start() override {}
    void stop() override {}
};

}  // namespace

MDP_PLUGIN(NeverCreated, "load_crash", "Load crash", "1.0.0", "mdp tests", "Crashes while its file is loaded")
