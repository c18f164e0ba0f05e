#include "session/paced_outbox.hpp"

#include <algorithm>

namespace mdp::ibkr {

PacedOutbox::PacedOutbox(double messages_per_second, Clock::time_point now)
    : configured_rate_(messages_per_second), bucket_(messages_per_second, pacing_burst_for(messages_per_second), now) {}

void PacedOutbox::push(std::string frame) { frames_.push_back(std::move(frame)); }

std::size_t PacedOutbox::release(std::string& out, Clock::time_point now) {
    std::size_t released = 0;
    while (!frames_.empty() && bucket_.try_take(now)) {
        out += frames_.front();
        frames_.pop_front();
        ++released;
    }
    return released;
}

PacedOutbox::Clock::time_point PacedOutbox::next_release_time(Clock::time_point now) const {
    if (frames_.empty()) {
        return Clock::time_point::max();
    }
    return now + bucket_.time_until_available(now);
}

void PacedOutbox::slow_down(Clock::time_point now, Clock::duration duration) {
    bucket_.set_rate(std::max(1.0, bucket_.rate() / 2.0), now);
    slowed_until_ = now + duration;
}

bool PacedOutbox::restore_if_due(Clock::time_point now) {
    if (slowed_until_ == Clock::time_point{} || now < slowed_until_) {
        return false;
    }
    bucket_.set_rate(configured_rate_, now);
    slowed_until_ = {};
    return true;
}

}  // namespace mdp::ibkr
