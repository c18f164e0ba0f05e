#include "app/reload_requests.hpp"

namespace mdp::app {

std::optional<status::ControlResult> ReloadRequests::refusal() const {
    if (!rejecting_.empty()) {
        return status::ControlResult{409, rejecting_};
    }
    if (current_) {
        return status::ControlResult{409,
                                     "a config reload (requested by " + current_->requester + ") is already running"};
    }
    return std::nullopt;
}

status::ControlResult ReloadRequests::request_and_wait(const std::string& requester) {
    std::unique_lock lock(mutex_);
    if (auto refused = refusal()) {
        return *refused;
    }
    auto pending = std::make_shared<Pending>();
    pending->requester = requester;
    current_ = pending;
    if (wake_) {
        wake_();
    }
    if (!done_.wait_for(lock, kWaitLimit, [&] { return pending->done; })) {
        return {504, "the reload did not finish within " + std::to_string(kWaitLimit.count()) +
                         " s; it goes on in the background (see the log and /api/v1/status)"};
    }
    return pending->result;
}

bool ReloadRequests::request(const std::string& requester) {
    std::lock_guard lock(mutex_);
    if (refusal()) {
        return false;
    }
    current_ = std::make_shared<Pending>();
    current_->requester = requester;
    return true;
}

std::optional<std::string> ReloadRequests::take() {
    std::lock_guard lock(mutex_);
    if (!current_ || current_->taken) {
        return std::nullopt;
    }
    current_->taken = true;
    return current_->requester;
}

void ReloadRequests::finish(status::ControlResult result) {
    {
        std::lock_guard lock(mutex_);
        if (!current_) {
            return;
        }
        current_->result = std::move(result);
        current_->done = true;
        current_.reset();
    }
    done_.notify_all();
}

void ReloadRequests::reject_all(const std::string& reason) {
    {
        std::lock_guard lock(mutex_);
        rejecting_ = reason;
        if (current_ && !current_->taken) {
            current_->result = {409, reason};
            current_->done = true;
            current_.reset();
        }
    }
    done_.notify_all();
}

}  // namespace mdp::app
