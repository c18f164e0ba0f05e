// The shard split every tool must agree on (plugin_api.h mdp_shard_of_key, mdp/sdk/shard.hpp):
// pinned values, exact cover without overlap, little movement when the count grows, and the
// bundled providers' use of it.
#include "config/ibkr_config.hpp"
#include "synthetic_config.hpp"

#include <mdp/sdk/shard.hpp>

#include <catch2/catch.hpp>

#include <map>
#include <set>
#include <string>
#include <vector>

using mdp::sdk::Shard;
using mdp::sdk::shard_of_key;

namespace {

std::vector<std::string> symbols(std::size_t count) {
    std::vector<std::string> list;
    for (std::size_t index = 0; index < count; ++index) {
        list.push_back("SYM" + std::to_string(index));
    }
    return list;
}

}  // namespace

TEST_CASE("shard of a key: pinned values (a change would move every deployment's symbols)", "[plugins][shard][unit]") {
    // Computed by an independent implementation of the contract (FNV-1a 64, then the jump
    // hash as Lamping and Veach publish it); FNV-1a 64 of "AAPL" is 0x89106b8b9f086ccb.
    const std::map<std::string, std::vector<std::uint32_t>> expected = {
        {"AAPL", {0, 0, 0, 0, 0, 0, 0, 0}},
        {"MSFT", {0, 0, 0, 0, 4, 4, 4, 4}},
        {"EUR.USD", {0, 1, 1, 1, 4, 4, 4, 4}},
        {"", {0, 1, 1, 1, 1, 1, 1, 1}},
    };
    for (const auto& [key, shards] : expected) {
        std::vector<std::uint32_t> actual;
        for (std::uint32_t count = 1; count <= 8; ++count) {
            actual.push_back(shard_of_key(key, count));
        }
        INFO("key \"" << key << "\"");
        CHECK(actual == shards);
    }
}

TEST_CASE("shards of one list cover it exactly, without overlap", "[plugins][shard][unit]") {
    const auto list = symbols(1000);
    for (std::uint32_t count : {1U, 2U, 3U, 7U}) {
        std::multiset<std::string> seen;
        for (std::uint32_t index = 0; index < count; ++index) {
            const auto mine = Shard(index, count).owned(list);
            CHECK(mine.size() > 1000 / count / 2);  // every shard gets a fair part
            seen.insert(mine.begin(), mine.end());
        }
        CHECK(seen == std::multiset<std::string>(list.begin(), list.end()));
    }
}

TEST_CASE("growing from 3 to 4 shards moves only keys to the new shard, about a quarter", "[plugins][shard][unit]") {
    std::size_t moved = 0;
    for (const auto& key : symbols(10000)) {
        const std::uint32_t before = shard_of_key(key, 3);
        const std::uint32_t after = shard_of_key(key, 4);
        if (before != after) {
            ++moved;
            CHECK(after == 3);
        }
    }
    CHECK(moved > 2000);
    CHECK(moved < 3000);
}

TEST_CASE("synthetic and ibkr take only their shard's symbols, ibkr's client id is base + index",
          "[plugins][shard][unit]") {
    mdp::synthetic::SyntheticConfig synthetic;
    synthetic.symbols = symbols(30);
    synthetic.threads = 4;
    synthetic.pause_symbols = {{"SYM1", 5.0}, {"SYM2", 5.0}};
    mdp::ibkr::IbkrConfig ibkr =
        mdp::ibkr::parse_ibkr_config(R"({"client_id": 40, "contracts": ["A", "B", "C", "D"]})");
    std::multiset<std::string> generated;
    std::multiset<std::string> paused;
    std::set<std::string> subscribed;
    for (std::uint32_t index = 0; index < 3; ++index) {
        const Shard shard(index, 3);
        const auto part = mdp::synthetic::owned_by_shard(synthetic, shard);
        CHECK(part.symbols == shard.owned(synthetic.symbols));
        CHECK(part.threads == std::min<std::uint32_t>(4, static_cast<std::uint32_t>(part.symbols.size())));
        for (const auto& [symbol, unused] : part.pause_symbols) {
            CHECK(shard.owns(symbol));
            paused.insert(symbol);
        }
        generated.insert(part.symbols.begin(), part.symbols.end());
        const auto contracts = mdp::ibkr::owned_by_shard(ibkr, shard);
        CHECK(contracts.client_id == 40 + static_cast<int>(index));
        for (const auto& contract : contracts.contracts) {
            CHECK(subscribed.insert(contract.display_name).second);
        }
    }
    CHECK(generated == std::multiset<std::string>(synthetic.symbols.begin(), synthetic.symbols.end()));
    CHECK(paused == std::multiset<std::string>{"SYM1", "SYM2"});  // each pause kept by exactly one shard
    CHECK(subscribed == std::set<std::string>{"A", "B", "C", "D"});
}
