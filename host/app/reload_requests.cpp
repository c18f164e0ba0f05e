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

status::ControlCompletion ReloadRequests::end_current() {
    status::ControlCompletion done = std::move(current_->done);
    current_.reset();
    return done;
}

void ReloadRequests::request(const std::string& requester, status::ControlCompletion done) {
    std::unique_lock lock(mutex_);
    if (std::optional<status::ControlResult> refused = refusal()) {
        lock.unlock();  // a completion may ask again
        done(std::move(*refused));
        return;
    }
    current_ = std::make_unique<Pending>(Pending{requester, false, std::move(done)});
    lock.unlock();
    if (wake_) {
        wake_();
    }
}

bool ReloadRequests::request(const std::string& requester) {
    const std::lock_guard lock(mutex_);
    if (refusal()) {
        return false;
    }
    current_ = std::make_unique<Pending>(Pending{requester, false, nullptr});
    return true;
}

std::optional<std::string> ReloadRequests::take() {
    const std::lock_guard lock(mutex_);
    if (!current_ || current_->taken) {
        return std::nullopt;
    }
    current_->taken = true;
    return current_->requester;
}

void ReloadRequests::finish(status::ControlResult result) {
    status::ControlCompletion done;
    {
        const std::lock_guard lock(mutex_);
        if (!current_) {
            return;
        }
        done = end_current();
    }
    if (done) {
        done(std::move(result));
    }
}

void ReloadRequests::reject_all(const std::string& reason) {
    status::ControlCompletion done;
    {
        const std::lock_guard lock(mutex_);
        rejecting_ = reason;
        if (current_ && !current_->taken) {
            done = end_current();
        }
    }
    if (done) {
        done({409, reason});
    }
}

}  // namespace mdp::app
