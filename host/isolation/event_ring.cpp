#include "isolation/event_ring.hpp"

#include <mdp/sdk/errno_text.hpp>

#include <linux/futex.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>
#include <new>
#include <stdexcept>
#include <system_error>
#include <utility>

namespace mdp::isolation {

namespace {

constexpr std::uint64_t kMagic = 0x6d64702d72696e67ULL;  // "mdp-ring"
constexpr std::uint32_t kLayoutVersion = 3;
// The producer re-checks at least this often while it waits for space: a lost wake-up (there
// should be none) costs this much, never a hang.
constexpr int kProducerRecheckMs = 100;

[[noreturn]] void throw_errno(const char* call) { throw std::system_error(errno, std::generic_category(), call); }

// The control block, rounded up to whole cache lines; the slots follow it, then one origin
// sequence and one origin index per slot, then the origin table.
constexpr std::size_t control_bytes() { return (sizeof(RingControl) + 63) / 64 * 64; }
constexpr std::size_t mapping_bytes_for(std::size_t capacity) {
    return control_bytes() + capacity * (sizeof(mdp_event_t) + sizeof(std::uint64_t) + sizeof(std::uint32_t)) +
           kOriginSlots * sizeof(OriginText);
}

// The settlement futex lives in memory shared between processes: no FUTEX_PRIVATE_FLAG.
void futex_wait(const std::atomic<std::uint32_t>& word, std::uint32_t expected, std::chrono::milliseconds timeout) {
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(timeout);
    timespec relative{static_cast<time_t>(seconds.count()),
                      static_cast<long>(std::chrono::nanoseconds(timeout - seconds).count())};
    ::syscall(SYS_futex, &word, FUTEX_WAIT, expected, &relative, nullptr, 0);
}

void futex_wake(const std::atomic<std::uint32_t>& word) {
    ::syscall(SYS_futex, &word, FUTEX_WAKE, INT32_MAX, nullptr, nullptr, 0);
}

}  // namespace

EventRing::EventRing(int memory_fd, int data_fd, int space_fd, void* mapping, std::size_t mapping_bytes)
    : memory_fd_(memory_fd), data_fd_(data_fd), space_fd_(space_fd), mapping_(mapping), mapping_bytes_(mapping_bytes),
      control_(static_cast<RingControl*>(mapping)),
      slots_(reinterpret_cast<mdp_event_t*>(static_cast<unsigned char*>(mapping) + control_bytes())),
      capacity_(control_->capacity), origin_sequences_(reinterpret_cast<std::uint64_t*>(slots_ + capacity_)),
      origin_indexes_(reinterpret_cast<std::uint32_t*>(origin_sequences_ + capacity_)),
      origins_(reinterpret_cast<OriginText*>(origin_indexes_ + capacity_)) {}

EventRing::EventRing(EventRing&& other) noexcept
    : memory_fd_(std::exchange(other.memory_fd_, -1)), data_fd_(std::exchange(other.data_fd_, -1)),
      space_fd_(std::exchange(other.space_fd_, -1)), mapping_(std::exchange(other.mapping_, nullptr)),
      mapping_bytes_(std::exchange(other.mapping_bytes_, 0)), control_(std::exchange(other.control_, nullptr)),
      slots_(std::exchange(other.slots_, nullptr)), capacity_(std::exchange(other.capacity_, 0)),
      origin_sequences_(std::exchange(other.origin_sequences_, nullptr)),
      origin_indexes_(std::exchange(other.origin_indexes_, nullptr)), origins_(std::exchange(other.origins_, nullptr)) {
}

EventRing::~EventRing() {
    if (mapping_ != nullptr) {
        ::munmap(mapping_, mapping_bytes_);
    }
    for (const int fd : {memory_fd_, data_fd_, space_fd_}) {
        if (fd >= 0) {
            ::close(fd);
        }
    }
}

EventRing EventRing::create(std::size_t min_capacity) {
    const std::size_t capacity = std::bit_ceil(std::max<std::size_t>(min_capacity, 2));
    const std::size_t bytes = mapping_bytes_for(capacity);
    const int memory_fd = ::memfd_create("mdp-event-ring", MFD_CLOEXEC);
    if (memory_fd < 0) {
        throw_errno("memfd_create");
    }
    const int data_fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    const int space_fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (data_fd < 0 || space_fd < 0 || ::ftruncate(memory_fd, static_cast<off_t>(bytes)) != 0) {
        const int error = errno;
        for (const int fd : {memory_fd, data_fd, space_fd}) {
            if (fd >= 0) {
                ::close(fd);
            }
        }
        throw std::system_error(error, std::generic_category(), "eventfd/ftruncate of the event ring");
    }
    void* mapping = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, memory_fd, 0);
    if (mapping == MAP_FAILED) {
        const int error = errno;
        ::close(memory_fd);
        ::close(data_fd);
        ::close(space_fd);
        throw std::system_error(error, std::generic_category(), "mmap of the event ring");
    }
    auto* control = new (mapping) RingControl();
    control->magic = kMagic;
    control->layout_version = kLayoutVersion;
    control->record_size = sizeof(mdp_event_t);
    control->capacity = capacity;
    return EventRing(memory_fd, data_fd, space_fd, mapping, bytes);
}

EventRing EventRing::attach(int memory_fd, int data_fd, int space_fd) {
    struct stat info {};
    if (::fstat(memory_fd, &info) != 0 || static_cast<std::size_t>(info.st_size) < control_bytes()) {
        throw std::runtime_error("event ring: descriptor " + std::to_string(memory_fd) + " is not a ring");
    }
    const auto bytes = static_cast<std::size_t>(info.st_size);
    void* mapping = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, memory_fd, 0);
    if (mapping == MAP_FAILED) {
        throw std::runtime_error("event ring: mmap failed: " + sdk::errno_text(errno));
    }
    const auto* control = static_cast<const RingControl*>(mapping);
    const bool valid = control->magic == kMagic && control->layout_version == kLayoutVersion &&
                       control->record_size == sizeof(mdp_event_t) && std::has_single_bit(control->capacity) &&
                       mapping_bytes_for(control->capacity) <= bytes;
    if (!valid) {
        ::munmap(mapping, bytes);
        throw std::runtime_error("event ring: layout is not this build's (a runner from another mdp version?)");
    }
    return EventRing(memory_fd, data_fd, space_fd, mapping, bytes);
}

void EventRing::signal(int fd) {
    const std::uint64_t one = 1;
    // EAGAIN means the counter is already non-zero: the sleeper wakes anyway.
    static_cast<void>(::write(fd, &one, sizeof(one)));
}

void EventRing::drain(int fd) {
    std::uint64_t value = 0;
    static_cast<void>(::read(fd, &value, sizeof(value)));
}

// ---------------------------------------------------------------- producer

std::uint32_t EventRing::publish(const mdp_event_t* events, std::uint32_t count, RingIdentity identity,
                                 std::uint64_t* first_position) {
    std::lock_guard lock(producer_mutex_);
    std::uint64_t tail = control_->tail.load(std::memory_order_relaxed);
    if (first_position != nullptr) {
        *first_position = tail;
    }
    if (count == 0) {
        return 0;
    }
    const std::size_t stride = events[0].size;
    const auto* bytes = reinterpret_cast<const unsigned char*>(events);
    std::uint32_t taken = 0;
    while (taken < count) {
        const std::uint64_t head = control_->head.load(std::memory_order_acquire);
        const std::uint64_t free_slots = capacity_ - (tail - head);
        if (free_slots == 0) {
            const bool block = control_->block_when_full.load(std::memory_order_relaxed) != 0 &&
                               control_->released.load(std::memory_order_acquire) == 0;
            if (!block) {
                control_->dropped_full.fetch_add(count - taken, std::memory_order_relaxed);
                break;
            }
            wait_for_space(tail);
            continue;
        }
        const auto batch = static_cast<std::uint32_t>(std::min<std::uint64_t>(free_slots, count - taken));
        for (std::uint32_t index = 0; index < batch; ++index) {
            mdp_event_t* target = slot(tail + index);
            // Fixed-size copy: every record has at least sizeof(mdp_event_t) bytes (checked).
            std::memcpy(target, bytes + (taken + index) * stride, sizeof(mdp_event_t));
            target->size = sizeof(mdp_event_t);
            const std::size_t at = (tail + index) & (capacity_ - 1);
            origin_indexes_[at] = identity.origin_index;
            origin_sequences_[at] = identity.origin_index != 0 ? identity.origin_sequences[taken + index] : 0;
        }
        tail += batch;
        taken += batch;
        control_->tail.store(tail, std::memory_order_seq_cst);
        if (control_->consumer_sleeping.exchange(0, std::memory_order_seq_cst) != 0) {
            signal(data_fd_);
        }
    }
    return taken;
}

bool EventRing::wait_until_consumed(std::uint64_t position) {
    if (control_->head.load(std::memory_order_acquire) >= position) {
        return true;
    }
    // Any position past `position` - capacity: the wait ends as soon as the host consumed
    // one more record, or at the safety timeout.
    wait_for_space(control_->head.load(std::memory_order_acquire) + capacity_);
    return control_->head.load(std::memory_order_acquire) >= position;
}

void EventRing::wait_for_space(std::uint64_t tail) {
    control_->producer_sleeping.store(1, std::memory_order_seq_cst);
    const bool full = tail - control_->head.load(std::memory_order_seq_cst) >= capacity_ &&
                      control_->released.load(std::memory_order_seq_cst) == 0;
    if (full) {
        pollfd wait{space_fd_, POLLIN, 0};
        static_cast<void>(::poll(&wait, 1, kProducerRecheckMs));
    }
    control_->producer_sleeping.store(0, std::memory_order_relaxed);
    drain(space_fd_);
}

// ---------------------------------------------------------------- consumer

EventRing::Readable EventRing::readable() const {
    const std::uint64_t head = control_->head.load(std::memory_order_relaxed);
    const std::uint64_t tail = control_->tail.load(std::memory_order_acquire);
    if (tail == head) {
        return {};
    }
    const std::size_t at = head & (capacity_ - 1);
    const std::uint64_t to_end = capacity_ - at;
    return {slot(head), static_cast<std::uint32_t>(std::min(tail - head, to_end)), head, origin_indexes_ + at,
            origin_sequences_ + at};
}

void EventRing::consume(std::uint32_t count) {
    control_->head.fetch_add(count, std::memory_order_seq_cst);
    if (control_->producer_sleeping.exchange(0, std::memory_order_seq_cst) != 0) {
        signal(space_fd_);
    }
}

void EventRing::wake_producer() const { signal(space_fd_); }

bool EventRing::consumer_may_sleep() const {
    control_->consumer_sleeping.store(1, std::memory_order_seq_cst);
    return control_->tail.load(std::memory_order_seq_cst) == control_->head.load(std::memory_order_relaxed);
}

void EventRing::consumer_awake() const {
    control_->consumer_sleeping.store(0, std::memory_order_relaxed);
    drain(data_fd_);
}

void EventRing::wait_for_data(std::chrono::milliseconds timeout) const {
    if (consumer_may_sleep()) {
        pollfd wait{data_fd_, POLLIN, 0};
        static_cast<void>(::poll(&wait, 1, static_cast<int>(timeout.count())));
    }
    consumer_awake();
}

// ---------------------------------------------------------------- settled ranges

bool EventRing::post_settled(const pipeline::SettledRange& range) const {
    const std::uint64_t tail = control_->settled_tail.load(std::memory_order_relaxed);
    if (tail - control_->settled_head.load(std::memory_order_acquire) >= kSettledSlots) {
        return false;
    }
    control_->settled[tail % kSettledSlots] = {range.first, range.last, static_cast<std::int32_t>(range.outcome)};
    control_->settled_tail.store(tail + 1, std::memory_order_release);
    return true;
}

void EventRing::wake_settled() const {
    control_->settled_signal.fetch_add(1, std::memory_order_seq_cst);
    futex_wake(control_->settled_signal);
}

void EventRing::take_settled(std::vector<pipeline::SettledRange>& ranges) const {
    std::uint64_t head = control_->settled_head.load(std::memory_order_relaxed);
    const std::uint64_t tail = control_->settled_tail.load(std::memory_order_acquire);
    for (; head != tail; ++head) {
        const SettledSlot& slot = control_->settled[head % kSettledSlots];
        ranges.push_back({slot.first, slot.last, pipeline::settlement_of(slot.outcome)});
    }
    control_->settled_head.store(head, std::memory_order_release);
}

void EventRing::wait_settled(std::uint32_t seen, std::chrono::milliseconds timeout) const {
    if (control_->settled_signal.load(std::memory_order_seq_cst) == seen) {
        futex_wait(control_->settled_signal, seen, timeout);
    }
}

}  // namespace mdp::isolation
