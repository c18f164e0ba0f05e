// mdp plugin SDK — a provider's own counters and gauges on the host's /metrics (host
// extension MDP_HOST_METRICS_ID, plugin_api.h): declared once in the constructor, set by index.
//
//   enum Metric : std::uint32_t { kFetched, kPending };
//   mdp::sdk::MetricSet metrics_(host, {{"messages_fetched_total", "Messages fetched.", mdp::sdk::MetricKind::counter},
//                                       {"pending_acks", "Messages awaiting storage.", mdp::sdk::MetricKind::gauge}});
//   metrics_.set(kFetched, 12);  // any thread; a counter is set to its running total
//
// The host exposes them as mdp_plugin_<plugin id>_<name>{provider="<instance>"}. On a host
// without the extension (or one that refused the declarations, which it logs) available() is
// false and set() does nothing, so a provider needs no second code path.
#ifndef MDP_SDK_METRIC_SET_HPP
#define MDP_SDK_METRIC_SET_HPP

#include <mdp/plugin.hpp>

#include <array>
#include <cstdint>
#include <initializer_list>

namespace mdp::sdk {

enum class MetricKind : std::int32_t { counter = MDP_METRIC_COUNTER, gauge = MDP_METRIC_GAUGE };

struct MetricDeclaration {
    const char* name;  // [a-z][a-z0-9_]*; a counter's ends in "_total"
    const char* help;
    MetricKind kind;
};

class MetricSet {
   public:
    // [constructor, i.e. during the factory's create()] Declares `declarations` in order.
    MetricSet(const Host& host, std::initializer_list<MetricDeclaration> declarations) noexcept : host_(host) {
        if (host.raw() == nullptr) {
            return;
        }
        const auto* table = static_cast<const mdp_host_metrics_t*>(host.extension(MDP_HOST_METRICS_ID));
        if (table == nullptr || table->size < sizeof(mdp_host_metrics_t)) {
            return;
        }
        std::array<mdp_metric_declaration_t, MDP_METRICS_MAX> raw{};
        if (declarations.size() > raw.size()) {
            return;  // the host would refuse them too
        }
        std::size_t count = 0;
        for (const MetricDeclaration& declaration : declarations) {
            raw[count++] = {sizeof(mdp_metric_declaration_t), declaration.name, declaration.help,
                            static_cast<std::int32_t>(declaration.kind)};
        }
        if (table->declare(host.raw(), raw.data(), static_cast<std::uint32_t>(count)) == MDP_OK) {
            table_ = table;
        }
    }

    [[nodiscard]] bool available() const noexcept { return table_ != nullptr; }

    // [any-thread, lock-free] Metric `index` (its position in the declarations) := value.
    void set(std::uint32_t index, double value) const noexcept {
        if (table_ != nullptr) {
            table_->set(host_.raw(), index, value);
        }
    }

   private:
    Host host_;
    const mdp_host_metrics_t* table_ = nullptr;
};

}  // namespace mdp::sdk

#endif  // MDP_SDK_METRIC_SET_HPP
