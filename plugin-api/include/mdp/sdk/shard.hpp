// mdp plugin SDK — which share of the configured work this host does (host extension
// MDP_HOST_SHARD_ID, plugin_api.h). Several ingest hosts run one config; each provider reads
// only the keys (symbols, contracts) its shard owns, so every key is read exactly once:
//
//   const mdp::sdk::Shard shard(host);
//   for (const auto& symbol : configured) if (shard.owns(symbol)) subscribe(symbol);
//
// A host that does not shard — or predates the extension — is shard 0 of 1, which owns every
// key. Which shard owns a key is mdp_shard_of_key (jump consistent hash of FNV-1a 64), the
// same everywhere: tools in other languages implement those ten lines and get the same split.
#ifndef MDP_SDK_SHARD_HPP
#define MDP_SDK_SHARD_HPP

#include <mdp/plugin.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mdp::sdk {

// The shard of `key` among `count` shards (count >= 1).
[[nodiscard]] inline std::uint32_t shard_of_key(std::string_view key, std::uint32_t count) noexcept {
    return mdp_shard_of_key(key.data(), key.size(), count);
}

class Shard {
   public:
    // [any-thread] Reads the host's shard once (0 of 1 when the host offers none).
    explicit Shard(const Host& host) noexcept {
        if (host.raw() == nullptr) {
            return;
        }
        const auto* table = static_cast<const mdp_host_shard_t*>(host.extension(MDP_HOST_SHARD_ID));
        if (table != nullptr && table->size >= sizeof(mdp_host_shard_t) && table->count >= 1 &&
            table->index < table->count) {
            index_ = table->index;
            count_ = table->count;
        }
    }
    Shard(std::uint32_t index, std::uint32_t count) noexcept : index_(index), count_(count) {}

    [[nodiscard]] std::uint32_t index() const noexcept { return index_; }
    [[nodiscard]] std::uint32_t count() const noexcept { return count_; }
    [[nodiscard]] bool sharded() const noexcept { return count_ > 1; }

    [[nodiscard]] bool owns(std::string_view key) const noexcept {
        return count_ <= 1 || shard_of_key(key, count_) == index_;
    }

    // The keys this shard owns, in their order.
    template <typename Key>
    [[nodiscard]] std::vector<Key> owned(const std::vector<Key>& keys) const {
        std::vector<Key> mine;
        for (const auto& key : keys) {
            if (owns(key)) {
                mine.push_back(key);
            }
        }
        return mine;
    }

    // "shard 1 of 3" ("" when not sharded), for logs and status details.
    [[nodiscard]] std::string describe() const {
        return sharded() ? "shard " + std::to_string(index_) + " of " + std::to_string(count_) : std::string();
    }

   private:
    std::uint32_t index_ = 0;
    std::uint32_t count_ = 1;
};

}  // namespace mdp::sdk

#endif  // MDP_SDK_SHARD_HPP
