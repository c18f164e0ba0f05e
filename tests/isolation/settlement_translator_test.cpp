// SettlementTranslator (host/isolation/settlement_translator.hpp): stored acknowledgements
// renumbered across one step of an isolated provider's publish path.
#include "isolation/settlement_translator.hpp"

#include <catch2/catch.hpp>

#include <vector>

using mdp::isolation::SettlementTranslator;
using mdp::pipeline::SettledRange;
using mdp::pipeline::Settlement;

namespace {

std::vector<SettledRange> taken(SettlementTranslator& translator) {
    std::vector<SettledRange> settled;
    translator.take(settled);
    return settled;
}

bool same(const std::vector<SettledRange>& actual, const std::vector<SettledRange>& expected) {
    if (actual.size() != expected.size()) {
        return false;
    }
    for (std::size_t index = 0; index < actual.size(); ++index) {
        if (actual[index].first != expected[index].first || actual[index].last != expected[index].last ||
            actual[index].outcome != expected[index].outcome) {
            return false;
        }
    }
    return true;
}

}  // namespace

TEST_CASE("settlements are renumbered in order, skipping upstream records this step never handed on",
          "[isolation][settlements]") {
    SettlementTranslator translator;
    translator.map(1, 100, 3);  // downstream 1-3 = upstream 100-102
    translator.map(4, 105, 2);  // upstream 103-104 are someone else's (the host's bars)
    translator.settle(90, 101, Settlement::stored);
    CHECK(same(taken(translator), {{1, 2, Settlement::stored}}));
    translator.settle(102, 105, Settlement::stored);
    CHECK(same(taken(translator), {{3, 4, Settlement::stored}}));
    translator.settle(106, 106, Settlement::dropped);
    CHECK(same(taken(translator), {{5, 5, Settlement::dropped}}));
    CHECK(taken(translator).empty());
}

TEST_CASE("a settlement that arrives before its records were mapped is kept until they are",
          "[isolation][settlements]") {
    SettlementTranslator translator;
    translator.settle(1, 4, Settlement::stored);  // the store was faster than publish's return
    CHECK(taken(translator).empty());
    translator.map(10, 3, 4);  // upstream 3-6: 3-4 already settled
    CHECK(same(taken(translator), {{10, 11, Settlement::stored}}));
    translator.settle(5, 6, Settlement::stored);
    CHECK(same(taken(translator), {{12, 13, Settlement::stored}}));
}

TEST_CASE("records refused at this step settle as dropped, but never ahead of earlier ones",
          "[isolation][settlements]") {
    SettlementTranslator translator;
    translator.map(1, 1, 2);
    translator.map_dropped(3, 2);  // refused here: 3-4
    CHECK(taken(translator).empty());  // 1-2 are still pending
    translator.settle(1, 2, Settlement::stored);
    CHECK(same(taken(translator), {{1, 2, Settlement::stored}, {3, 4, Settlement::dropped}}));
    translator.map_dropped(5, 1);  // nothing pending before: settles at once
    CHECK(same(taken(translator), {{5, 5, Settlement::dropped}}));
}

TEST_CASE("a segment whose settlement never came is reported dropped once upstream passed it, never stored",
          "[isolation][settlements]") {
    SettlementTranslator translator;
    translator.map(1, 10, 2);
    translator.map(3, 20, 2);
    translator.settle(21, 21, Settlement::stored);  // 10-11 and 20 were settled while nobody listened
    CHECK(same(taken(translator), {{1, 3, Settlement::dropped}, {4, 4, Settlement::stored}}));
}

TEST_CASE("ranges are coalesced, and clear() starts afresh", "[isolation][settlements]") {
    SettlementTranslator translator;
    translator.map(1, 1, 2);
    translator.map(3, 3, 2);
    translator.settle(1, 1, Settlement::stored);
    translator.settle(2, 4, Settlement::stored);
    CHECK(same(taken(translator), {{1, 4, Settlement::stored}}));
    translator.clear();
    translator.settle(5, 9, Settlement::stored);
    translator.map(1, 10, 1);
    CHECK(taken(translator).empty());
}
