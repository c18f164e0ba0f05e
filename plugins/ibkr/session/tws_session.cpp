#include "session/tws_session.hpp"

#include "codec/client_message_codec.hpp"
#include "codec/error_codes.hpp"
#include "session/contract_change.hpp"
#include "session/error_policy.hpp"
#include "session/request_ids.hpp"

#include <mdp/plugin_api.h>

#include <algorithm>
#include <cerrno>
#include <stdexcept>

#include <poll.h>

namespace mdp::ibkr {

namespace {

// A connection ended for a reason worth reporting; the session reconnects.
class SessionEnded : public std::runtime_error {
   public:
    using std::runtime_error::runtime_error;
};

constexpr auto kStatusRefresh = std::chrono::seconds(1);
constexpr auto kPacingSlowdown = std::chrono::seconds(30);
// Bytes read per wake-up before the loop looks at timers and writes again.
constexpr int kReadsPerWakeup = 16;
// Malformed messages in a row after which the stream is considered corrupt.
constexpr std::uint64_t kMaxConsecutiveMalformed = 50;
constexpr int kMaxConsecutiveRedirects = 3;
// Malformed messages logged one by one; after that only every kMalformedLogEvery-th.
constexpr std::uint64_t kMalformedLoggedInFull = 10;
constexpr std::uint64_t kMalformedLogEvery = 1000;

std::string error_text(const ErrorMessage& message) {
    return std::to_string(message.code) + " " + std::string(message.message);
}

int poll_timeout_ms(TwsSession::Clock::time_point now, TwsSession::Clock::time_point until) {
    if (until <= now) {
        return 0;
    }
    const auto wait = std::chrono::ceil<std::chrono::milliseconds>(until - now).count();
    return static_cast<int>(std::min<std::int64_t>(wait, 1000));
}

}  // namespace

TwsSession::TwsSession(const IbkrConfig& config, SubscriptionBook& book, MarketDataTranslator& translator,
                       OutboundBuffer& buffer, const RateScaleCell& rate_scale, SessionObserver& observer,
                       std::function<std::int64_t()> now_ns)
    : config_(config), book_(book), translator_(translator), buffer_(buffer), rate_scale_(rate_scale),
      observer_(observer), now_ns_(std::move(now_ns)), outbox_(config.max_messages_per_second, Clock::now()),
      backfill_(config, [this](int level, const std::string& message) { log(level, message); }),
      backoff_(config.reconnect, static_cast<std::uint64_t>(Clock::now().time_since_epoch().count())) {
    status_.peer = config_.host + ":" + std::to_string(config_.port);
    status_.client_id = config_.client_id;
    status_.pacing_rate = config_.max_messages_per_second;
}

TwsSession::~TwsSession() { stop(); }

void TwsSession::start() {
    stopping_.store(false);
    thread_ = std::thread([this] { run(); });
}

void TwsSession::stop() {
    stopping_.store(true);
    wakeup_.notify();
    if (thread_.joinable()) {
        thread_.join();
    }
    apply_pending_contracts();  // the thread is gone: this thread owns the book now
}

void TwsSession::change_contracts(std::vector<ContractConfig> contracts) {
    {
        std::lock_guard lock(pending_mutex_);
        pending_contracts_ = std::move(contracts);
    }
    if (thread_.joinable()) {
        contracts_wakeup_.notify();
    } else {
        apply_pending_contracts();
    }
}

void TwsSession::apply_pending_contracts() {
    std::optional<std::vector<ContractConfig>> next;
    {
        std::lock_guard lock(pending_mutex_);
        next.swap(pending_contracts_);
    }
    if (!next) {
        return;
    }
    // Only a streaming connection takes requests; during a handshake or without a connection
    // the new lines wait as pending for the next initial requests.
    const bool streaming = status_.phase == SessionPhase::streaming && connection_.fd() >= 0;
    const ContractChange change =
        apply_contract_list(*next, book_, translator_, buffer_, streaming ? &outbox_ : nullptr, server_version_);
    log(MDP_LOG_INFO, describe_contract_change(change, book_));
    status_dirty_ = true;
}

void TwsSession::log(int level, const std::string& message) { observer_.on_session_log(level, message); }

void TwsSession::set_phase(SessionPhase phase) {
    status_.phase = phase;
    status_dirty_ = true;
    publish_status_if_due(Clock::now());
}

void TwsSession::publish_status_if_due(Clock::time_point now) {
    if (!status_dirty_ && now < next_status_refresh_) {
        return;
    }
    status_.requests_queued = outbox_.queued();
    status_.pacing_rate = outbox_.current_rate();
    status_.pacing_slowed = outbox_.slowed_down();
    status_.backfill = backfill_.counters();
    observer_.on_session_status(status_, book_);
    status_dirty_ = false;
    next_status_refresh_ = now + kStatusRefresh;
}

// ---------------------------------------------------------------- connection loop

void TwsSession::run() {
    while (!stopping_.load()) {
        bool was_ready = false;
        std::string reason;
        status_.attempt = backoff_.attempts() + 1;
        try {
            run_connection();
        } catch (const Stopped&) {
            end_connection_cleanup(status_.phase == SessionPhase::streaming);
            break;
        } catch (const std::exception& error) {
            // ConnectionError, SessionEnded, FramingError, EncodeError: all end this connection.
            reason = error.what();
        }
        was_ready = status_.phase == SessionPhase::streaming;
        end_connection_cleanup(was_ready);
        if (stopping_.load()) {
            break;
        }
        std::chrono::milliseconds delay{0};
        if (redirect_host_.empty()) {
            // A client id in use will not free up in 250 ms: retry at the slowest pace.
            delay = status_.client_id_in_use ? backoff_.max_delay() : backoff_.next_delay();
            if (backoff_.exhausted()) {
                status_.disconnect_reason = reason;
                log(MDP_LOG_ERROR, "giving up after " + std::to_string(backoff_.attempts()) +
                                       " failed connection attempts (reconnect.max_attempts): " + reason);
                set_phase(SessionPhase::gave_up);
                while (!stopping_.load()) {
                    sleep_interruptibly(std::chrono::seconds(1));
                }
                break;
            }
        }
        status_.disconnect_reason = reason;
        status_.retry_in = delay;
        log(status_.client_id_in_use ? MDP_LOG_ERROR : MDP_LOG_WARN, "connection to " + status_.peer +
                                                                         " ended: " + reason + "; reconnecting in " +
                                                                         std::to_string(delay.count()) + " ms");
        set_phase(SessionPhase::waiting_to_reconnect);
        sleep_interruptibly(delay);
    }
    status_.phase = SessionPhase::stopped;
}

void TwsSession::end_connection_cleanup(bool was_ready) {
    connection_.close();
    decoder_.reset();
    outbox_.clear();
    write_buffer_.clear();
    write_offset_ = 0;
    awaiting_hello_ = false;
    status_.connectivity_lost = false;
    status_.connectivity_text.clear();
    status_.farm_problem.clear();
    connectivity_code_ = 0;
    if (was_ready) {
        book_.on_connection_lost();
    }
    backfill_.on_connection_lost();
    // Events decoded before the loss still go out.
    auto& batch = translator_.batch();
    if (!batch.empty()) {
        buffer_.push(batch, rate_scale_.load(), Clock::now());
        batch.clear();
    }
}

void TwsSession::sleep_interruptibly(std::chrono::milliseconds delay) {
    const auto deadline = Clock::now() + delay;
    while (!stopping_.load()) {
        const auto now = Clock::now();
        if (now >= deadline) {
            return;
        }
        pollfd wake[2] = {{wakeup_.fd(), POLLIN, 0}, {contracts_wakeup_.fd(), POLLIN, 0}};
        const int ready = ::poll(wake, 2, poll_timeout_ms(now, deadline));
        if (ready > 0 && (wake[0].revents & POLLIN) != 0) {
            wakeup_.drain();
        }
        if (ready > 0 && (wake[1].revents & POLLIN) != 0) {
            contracts_wakeup_.drain();
            apply_pending_contracts();
        }
    }
}

void TwsSession::run_connection() {
    apply_pending_contracts();  // before the connect, which only the stop wakeup interrupts
    std::string host = config_.host;
    std::uint16_t port = config_.port;
    if (!redirect_host_.empty()) {
        host = redirect_host_;
        port = redirect_port_;
        redirect_host_.clear();
    }
    status_.peer = host + ":" + std::to_string(port);
    status_.server_version = 0;
    set_phase(SessionPhase::connecting);
    const std::chrono::milliseconds timeout(config_.connect_timeout_ms);
    try {
        connection_.connect(host, port, timeout, wakeup_.fd());
    } catch (const ConnectionError&) {
        if (stopping_.load()) {
            throw Stopped{};
        }
        wakeup_.drain();
        throw;
    }
    set_phase(SessionPhase::handshaking);
    const auto deadline = Clock::now() + timeout;
    handshake(deadline);
    await_ready(deadline);

    backoff_.reset();
    consecutive_redirects_ = 0;
    status_.client_id_in_use = false;
    ++status_.connections;
    status_.disconnect_reason.clear();
    translator_.reset_quotes();
    book_.queue_initial_requests(outbox_, server_version_);
    log(MDP_LOG_INFO, "connected to " + status_.peer + " (server version " + std::to_string(server_version_) +
                          ", client id " + std::to_string(config_.client_id) + ", accounts " + managed_accounts_ +
                          "); subscribing " + std::to_string(book_.summary().lines) + " lines");
    set_phase(SessionPhase::streaming);
    while (true) {
        pump(Clock::time_point::max(), "");
    }
}

void TwsSession::handshake(Clock::time_point deadline) {
    server_version_ = 0;
    awaiting_hello_ = true;
    append_client_hello(write_buffer_, {config_.min_server_version, config_.max_server_version, std::string_view{}});
    while (awaiting_hello_) {
        pump(deadline, "for the server version (is this a TWS API port, with API socket clients enabled?)");
    }
    status_.server_version = server_version_;
    std::string start;
    encode(start, StartApi{config_.client_id, config_.optional_capabilities}, server_version_);
    outbox_.push(std::move(start));
}

void TwsSession::await_ready(Clock::time_point deadline) {
    got_next_valid_id_ = false;
    got_managed_accounts_ = false;
    while (!(got_next_valid_id_ && got_managed_accounts_)) {
        pump(deadline, "for nextValidId and managedAccounts after startApi");
    }
}

void TwsSession::handle_server_hello(const ServerHello& hello) {
    awaiting_hello_ = false;
    if (hello.is_redirect()) {
        const std::string target(hello.connection_time);
        const std::size_t colon = target.rfind(':');
        if (++consecutive_redirects_ > kMaxConsecutiveRedirects || colon == std::string::npos) {
            throw SessionEnded("redirected too often or to an unusable address \"" + target + "\"");
        }
        redirect_host_ = target.substr(0, colon);
        redirect_port_ = static_cast<std::uint16_t>(std::atoi(target.c_str() + colon + 1));
        throw SessionEnded("redirected by the server to " + target);
    }
    if (hello.server_version < config_.min_server_version || hello.server_version > config_.max_server_version) {
        throw SessionEnded("server version " + std::to_string(hello.server_version) + " is outside the range " +
                           std::to_string(config_.min_server_version) + ".." +
                           std::to_string(config_.max_server_version) + " this client speaks");
    }
    server_version_ = hello.server_version;
}

// ---------------------------------------------------------------- I/O

void TwsSession::pump(Clock::time_point deadline, const char* waiting_for) {
    auto now = Clock::now();
    if (now >= deadline) {
        throw SessionEnded("no reply from " + status_.peer + " within " + std::to_string(config_.connect_timeout_ms) +
                           " ms waiting " + waiting_for);
    }
    if (outbox_.restore_if_due(now)) {
        log(MDP_LOG_INFO,
            "pacing: back to " + std::to_string(static_cast<int>(outbox_.current_rate())) + " messages/s");
        status_dirty_ = true;
    }
    const bool streaming = status_.phase == SessionPhase::streaming;
    if (streaming) {
        backfill_.release(outbox_, book_, server_version_, now);
    }
    if (write_offset_ >= write_buffer_.size()) {
        write_buffer_.clear();
        write_offset_ = 0;
        outbox_.release(write_buffer_, now);
    }
    flush_writes();

    Clock::time_point wake_at = std::min(deadline, next_status_refresh_);
    if (streaming) {
        wake_at = std::min(wake_at, backfill_.next_release_time());
    }
    if (write_offset_ >= write_buffer_.size()) {
        wake_at = std::min(wake_at, outbox_.next_release_time(now));
    }
    const short socket_events = static_cast<short>(POLLIN | (write_offset_ < write_buffer_.size() ? POLLOUT : 0));
    pollfd fds[3] = {
        {connection_.fd(), socket_events, 0}, {wakeup_.fd(), POLLIN, 0}, {contracts_wakeup_.fd(), POLLIN, 0}};
    const int ready = ::poll(fds, 3, poll_timeout_ms(now, wake_at));
    if (ready < 0 && errno != EINTR) {
        throw SessionEnded("poll failed");
    }
    if ((fds[1].revents & POLLIN) != 0) {
        wakeup_.drain();
    }
    if (stopping_.load()) {
        throw Stopped{};
    }
    if ((fds[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
        read_available();
    }
    if ((fds[2].revents & POLLIN) != 0) {
        contracts_wakeup_.drain();
        apply_pending_contracts();  // its requests go out at the next turn, paced
    }
    publish_status_if_due(Clock::now());
}

void TwsSession::flush_writes() {
    while (write_offset_ < write_buffer_.size()) {
        const std::size_t written = connection_.write_some(std::string_view(write_buffer_).substr(write_offset_));
        if (written == 0) {
            return;  // the socket is full; poll for POLLOUT
        }
        write_offset_ += written;
    }
}

void TwsSession::read_available() {
    for (int round = 0; round < kReadsPerWakeup; ++round) {
        auto space = decoder_.writable();
        const std::size_t received = connection_.read_some(space);
        if (received == 0) {
            return;
        }
        decoder_.commit(received);
        process_frames();
    }
}

void TwsSession::process_frames() {
    translator_.begin_batch(now_ns_());
    try {
        while (const auto frame = decoder_.next_frame()) {
            dispatch_frame(*frame);
        }
    } catch (...) {
        // Keep what was decoded before the stream broke.
        auto& batch = translator_.batch();
        buffer_.push(batch, rate_scale_.load(), Clock::now());
        batch.clear();
        throw;
    }
    auto& batch = translator_.batch();
    if (!batch.empty()) {
        buffer_.push(batch, rate_scale_.load(), Clock::now());
        batch.clear();
    }
    for (const std::size_t slot : translator_.take_newly_streaming()) {
        book_.on_data(slot, LineKind::market_data);
        status_dirty_ = true;
    }
}

void TwsSession::dispatch_frame(std::string_view frame) {
    ++status_.messages_received;
    if (awaiting_hello_) {
        if (const auto hello = try_decode_server_hello(frame)) {
            handle_server_hello(*hello);
        }
        return;  // anything before the version message is not for us
    }
    try {
        decode_server_message(frame, server_version_, *this);
        consecutive_malformed_ = 0;
    } catch (const DecodeError& error) {
        note_malformed(error.what());
    }
}

void TwsSession::note_malformed(const std::string& what) {
    ++status_.malformed_messages;
    ++consecutive_malformed_;
    const std::uint64_t total = status_.malformed_messages;
    if (total <= kMalformedLoggedInFull || total % kMalformedLogEvery == 0) {
        log(MDP_LOG_WARN,
            "skipped malformed message #" + std::to_string(total) + " from " + status_.peer + ": " + what);
    }
    if (consecutive_malformed_ >= kMaxConsecutiveMalformed) {
        consecutive_malformed_ = 0;
        throw SessionEnded("the stream looks corrupt (" + std::to_string(kMaxConsecutiveMalformed) +
                           " malformed messages in a row; last: " + what + ")");
    }
}

// ---------------------------------------------------------------- messages

void TwsSession::on_managed_accounts(const ManagedAccounts& message) {
    got_managed_accounts_ = true;
    managed_accounts_ = std::string(message.accounts);
}

void TwsSession::on_next_valid_id(const NextValidId& /*message*/) { got_next_valid_id_ = true; }

void TwsSession::on_real_time_bar(const RealTimeBar& message) {
    translator_.on_real_time_bar(message);
    const auto slot = request_ids::real_time_bars_index(message.request_id, book_.slot_count());
    if (!slot) {
        return;
    }
    backfill_.on_live_bar(*slot, message.time_seconds);
    if (book_.on_data(*slot, LineKind::real_time_bars)) {
        status_dirty_ = true;
    }
}

void TwsSession::on_historical_data(const HistoricalData& message) {
    if (backfill_.on_historical_data(message, translator_)) {
        status_dirty_ = true;
    }
}

void TwsSession::on_historical_data_end(const HistoricalDataEnd& message) {
    if (backfill_.on_historical_data_end(message)) {
        status_dirty_ = true;
    }
}

void TwsSession::on_error(const ErrorMessage& message) {
    if (backfill_.on_request_error(message)) {
        status_dirty_ = true;
        return;
    }
    if (message.request_id >= 0 && classify_request_error(message.code) != RequestErrorAction::session &&
        book_.on_request_error(message, outbox_, server_version_)) {
        const RequestErrorAction action = classify_request_error(message.code);
        if (action == RequestErrorAction::failed || action == RequestErrorAction::not_subscribed) {
            log(MDP_LOG_WARN, "request " + std::to_string(message.request_id) + " refused: " + error_text(message));
        } else if (action != RequestErrorAction::ignore) {
            log(MDP_LOG_INFO, "request " + std::to_string(message.request_id) + ": " + error_text(message));
        }
        status_dirty_ = true;
        return;
    }
    handle_system_error(message);
}

void TwsSession::handle_system_error(const ErrorMessage& message) {
    status_dirty_ = true;
    switch (classify_system_error(message.code)) {
        case SystemErrorAction::informational:
            log(MDP_LOG_INFO, "TWS: " + error_text(message));
            return;
        case SystemErrorAction::warning:
            log(MDP_LOG_WARN, "TWS: " + error_text(message));
            return;
        case SystemErrorAction::error:
            log(MDP_LOG_ERROR, "TWS: " + error_text(message));
            return;
        case SystemErrorAction::farm_disconnected:
            status_.farm_problem = error_text(message);
            log(MDP_LOG_WARN, "TWS: " + error_text(message));
            return;
        case SystemErrorAction::farm_connected:
            status_.farm_problem.clear();
            if (connectivity_code_ == error_code::kTwsServerConnectivityBroken) {
                status_.connectivity_lost = false;
                status_.connectivity_text.clear();
                connectivity_code_ = 0;
            }
            log(MDP_LOG_INFO, "TWS: " + error_text(message));
            return;
        case SystemErrorAction::connectivity_lost:
            backfill_.note_data_loss();
            status_.connectivity_lost = true;
            status_.connectivity_text = error_text(message);
            connectivity_code_ = message.code;
            log(MDP_LOG_WARN, "TWS: " + error_text(message));
            return;
        case SystemErrorAction::restored_data_lost:
            status_.connectivity_lost = false;
            status_.connectivity_text.clear();
            connectivity_code_ = 0;
            log(MDP_LOG_WARN, "TWS: " + error_text(message) + "; resubscribing every line");
            backfill_.note_data_loss();
            book_.queue_resubscription(outbox_, server_version_);
            return;
        case SystemErrorAction::restored_data_kept:
            status_.connectivity_lost = false;
            status_.connectivity_text.clear();
            connectivity_code_ = 0;
            log(MDP_LOG_INFO, "TWS: " + error_text(message));
            return;
        case SystemErrorAction::client_id_in_use:
            status_.client_id_in_use = true;
            throw SessionEnded("client id " + std::to_string(config_.client_id) +
                               " is already in use by another API client (" + error_text(message) + ")");
        case SystemErrorAction::pacing_violation:
            outbox_.slow_down(Clock::now(), kPacingSlowdown);
            log(MDP_LOG_WARN, "TWS: " + error_text(message) + "; slowing requests to " +
                                  std::to_string(static_cast<int>(outbox_.current_rate())) + "/s for 30 s");
            return;
    }
}

}  // namespace mdp::ibkr
