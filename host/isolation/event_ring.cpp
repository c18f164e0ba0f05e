#include "isolation/event_ring.hpp"

#include <mdp/sdk/errno_text.hpp>

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/stat.h>
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
constexpr std::uint32_t kLayoutVersion = 2;
// The producer re-checks at least this often while it waits for space: a lost wake-up (there
// should be none) costs this much, never a hang.
constexpr int kProducerRecheckMs = 100;

[[noreturn]] void throw_errno(const char* call) { throw std::system_error(errno, std::generic_category(), call); }

// The control block, rounded up to whole cache lines; the slots follow it.
constexpr std::size_t control_bytes() { return (sizeof(RingControl) + 63) / 64 * 64; }

}  // namespace

EventRing::EventRing(int memory_fd, int data_fd, int space_fd, void* mapping, std::size_t mapping_bytes)
    : memory_fd_(memory_fd), data_fd_(data_fd), space_fd_(space_fd), mapping_(mapping), mapping_bytes_(mapping_bytes),
      control_(static_cast<RingControl*>(mapping)),
      slots_(reinterpret_cast<mdp_event_t*>(static_cast<unsigned char*>(mapping) + control_bytes())),
      capacity_(control_->capacity) {}

EventRing::EventRing(EventRing&& other) noexcept
    : memory_fd_(std::exchange(other.memory_fd_, -1)), data_fd_(std::exchange(other.data_fd_, -1)),
      space_fd_(std::exchange(other.space_fd_, -1)), mapping_(std::exchange(other.mapping_, nullptr)),
      mapping_bytes_(std::exchange(other.mapping_bytes_, 0)), control_(std::exchange(other.control_, nullptr)),
      slots_(std::exchange(other.slots_, nullptr)), capacity_(std::exchange(other.capacity_, 0)) {}

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
    const std::size_t bytes = control_bytes() + capacity * sizeof(mdp_event_t);
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
                       control_bytes() + control->capacity * sizeof(mdp_event_t) <= bytes;
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

std::uint32_t EventRing::publish(const mdp_event_t* events, std::uint32_t count) {
    if (count == 0) {
        return 0;
    }
    std::lock_guard lock(producer_mutex_);
    const std::size_t stride = events[0].size;
    const auto* bytes = reinterpret_cast<const unsigned char*>(events);
    std::uint64_t tail = control_->tail.load(std::memory_order_relaxed);
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
    const std::uint64_t to_end = capacity_ - (head & (capacity_ - 1));
    return {slot(head), static_cast<std::uint32_t>(std::min(tail - head, to_end))};
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

}  // namespace mdp::isolation
