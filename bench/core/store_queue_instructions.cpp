// Instructions per record through the store queue and the Boost.Lockfree queues, counted by
// callgrind, which is deterministic where wall time on a shared machine is not:
//
//   valgrind --tool=callgrind --callgrind-out-file=queue.callgrind --toggle-collect='transfer_*'
//       build/bench/store_queue_instructions   (one command line)
//   callgrind_annotate --inclusive=yes queue.callgrind | grep transfer_
//
// Producer and consumer alternate on one thread (batches of 64 pushed until 512 are queued,
// then popped 500 at a time into a buffer), so the count is each protocol's own work per
// record: no waiting, no cache-line transfers (which callgrind does not see anyway). Each
// transfer_* function moves kRecords records; divide its inclusive count by kRecords.

#include "pipeline/store_queue.hpp"

#include <boost/iterator/counting_iterator.hpp>
#include <boost/iterator/transform_iterator.hpp>
#include <boost/lockfree/queue.hpp>
#include <boost/lockfree/spsc_queue.hpp>

#include <algorithm>
#include <cstdio>
#include <vector>

using mdp::config::OverflowPolicy;
using mdp::pipeline::StoreEvent;
using mdp::pipeline::StoreQueue;

namespace {

constexpr std::size_t kCapacity = 10000;
constexpr std::size_t kProducerBatch = 64;
constexpr std::size_t kConsumerBatch = 500;
constexpr std::size_t kRecords = 1'000'000;

StoreEvent sample_record(std::uint64_t sequence) {
    StoreEvent record{};
    record.event.size = sizeof(mdp_event_t);
    record.event.type = MDP_EVENT_QUOTE;
    record.sequence = sequence;
    return record;
}

// Assignable record maker for Boost's transform_iterator.
struct RecordMaker {
    StoreEvent operator()(std::uint64_t sequence) const { return sample_record(sequence); }
};

// Keeps the compiler from dropping the popped records.
std::uint64_t checksum(const std::vector<StoreEvent>& buffer, std::size_t count) {
    std::uint64_t sum = 0;
    for (std::size_t index = 0; index < count; ++index) {
        sum += buffer[index].sequence;
    }
    return sum;
}

[[gnu::noinline]] std::uint64_t transfer_store_queue() {
    StoreQueue queue(kCapacity, OverflowPolicy::block);
    std::vector<StoreEvent> buffer(kConsumerBatch);
    std::uint64_t next = 1;
    std::uint64_t sum = 0;
    std::size_t received = 0;
    while (received < kRecords) {
        while (next <= kRecords && queue.depth() < kConsumerBatch) {
            const std::size_t batch = std::min<std::size_t>(kProducerBatch, kRecords + 1 - next);
            queue.push(batch, [&](StoreEvent& slot, std::size_t) { slot = sample_record(next++); });
        }
        const std::size_t taken = queue.pop(buffer);
        sum += checksum(buffer, taken);
        received += taken;
    }
    return sum;
}

[[gnu::noinline]] std::uint64_t transfer_spsc_queue() {
    boost::lockfree::spsc_queue<StoreEvent> queue(kCapacity);
    std::vector<StoreEvent> buffer(kConsumerBatch);
    std::uint64_t next = 1;
    std::uint64_t sum = 0;
    std::size_t received = 0;
    while (received < kRecords) {
        while (next <= kRecords && queue.read_available() < kConsumerBatch) {
            const std::uint64_t end = std::min<std::uint64_t>(next + kProducerBatch, kRecords + 1);
            const auto first =
                boost::make_transform_iterator(boost::counting_iterator<std::uint64_t>(next), RecordMaker{});
            const auto last =
                boost::make_transform_iterator(boost::counting_iterator<std::uint64_t>(end), RecordMaker{});
            next = *queue.push(first, last).base();  // the first record not pushed
        }
        const std::size_t taken = queue.pop(buffer.data(), buffer.size());
        sum += checksum(buffer, taken);
        received += taken;
    }
    return sum;
}

[[gnu::noinline]] std::uint64_t transfer_lockfree_queue() {
    boost::lockfree::queue<StoreEvent> queue(kCapacity);
    std::uint64_t next = 1;
    std::uint64_t sum = 0;
    std::size_t received = 0;
    std::size_t queued = 0;
    StoreEvent record{};
    while (received < kRecords) {
        while (next <= kRecords && queued < kConsumerBatch) {
            for (std::size_t index = 0; index < kProducerBatch; ++index) {
                queue.bounded_push(sample_record(next++));
                ++queued;
            }
        }
        for (std::size_t index = 0; index < kConsumerBatch && queue.pop(record); ++index) {
            sum += record.sequence;
            ++received;
            --queued;
        }
    }
    return sum;
}

}  // namespace

int main() {
    const std::uint64_t expected = kRecords * (kRecords + 1) / 2;
    const std::uint64_t store_queue = transfer_store_queue();
    const std::uint64_t spsc_queue = transfer_spsc_queue();
    const std::uint64_t lockfree_queue = transfer_lockfree_queue();
    std::printf("%zu records each; checksums %s\n", kRecords,
                store_queue == expected && spsc_queue == expected && lockfree_queue == expected ? "ok" : "WRONG");
    return store_queue == expected && spsc_queue == expected && lockfree_queue == expected ? 0 : 1;
}
