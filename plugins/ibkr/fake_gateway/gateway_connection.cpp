#include "fake_gateway/gateway_connection.hpp"

#include "codec/decode_error.hpp"
#include "codec/handshake.hpp"
#include "codec/historical_pacing.hpp"
#include "codec/historical_time.hpp"
#include "codec/number_text.hpp"
#include "codec/server_message_codec.hpp"
#include "codec/wire_constants.hpp"

#include <mdp/sdk/errno_text.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <thread>

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace mdp::ibkr::fake {

namespace {

constexpr auto kHelloTimeout = std::chrono::seconds(10);
constexpr std::size_t kGarbageBytes = std::size_t{64} * 1024;
constexpr int kMalformedBurst = 5;
constexpr int kCorruptBurst = 100;

std::string connection_time_text() {
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char buffer[64];
    std::strftime(buffer, sizeof buffer, "%Y%m%d %H:%M:%S Greenwich Mean Time", &utc);
    return buffer;
}

std::int64_t epoch_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string malformed_frame(int request_id) {
    std::string frame;
    append_frame(frame, [&](FieldWriter& fields) {
        fields.integer(1);
        fields.integer(6);
        fields.integer(request_id);
        fields.integer(1);
        fields.text("not-a-price");
        fields.integer(100);
        fields.integer(0);
    });
    return frame;
}

}  // namespace

GatewayConnection::GatewayConnection(int fd, int number, const GatewayOptions& options, const TickScript* script,
                                     GatewayShared& shared)
    : fd_(fd), number_(number), options_(options), script_(script), shared_(shared),
      random_(options.seed + static_cast<std::uint64_t>(number)),
      feed_(options.seed + static_cast<std::uint64_t>(number)) {}

GatewayConnection::~GatewayConnection() {
    if (client_id_claimed_) {
        shared_.release_client_id(client_id_);
    }
    if (fd_ >= 0) {
        ::close(fd_);
    }
}

void GatewayConnection::print(const std::string& line) {
    shared_.print("connection " + std::to_string(number_) + " " + line);
}

void GatewayConnection::run() {
    std::string reason;
    try {
        if (options_.garbage_only) {
            inject("garbage");
            flush();
            throw Closed{"sent random bytes (--garbage-only)"};
        }
        read_client_hello();
        serve();
        reason = "gateway stopping";
    } catch (const Closed& closed) {
        reason = closed.reason;
    } catch (const std::exception& error) {
        reason = error.what();
    }
    print("closed: " + reason + "; max " + std::to_string(max_requests_per_second_) +
          " client messages in any 1 s window; historical requests refused for pacing: " +
          std::to_string(shared_.historical_pacing_violations()));
}

// ---------------------------------------------------------------- writing

void GatewayConnection::write_all(const char* data, std::size_t size) {
    while (size > 0) {
        const ssize_t written = ::send(fd_, data, size, MSG_NOSIGNAL);
        if (written < 0) {
            if (errno == EINTR) {
                continue;
            }
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                pollfd out{fd_, POLLOUT, 0};
                ::poll(&out, 1, 100);
                if (shared_.stopping.load()) {
                    throw Closed{"gateway stopping"};
                }
                continue;
            }
            throw Closed{"write failed: " + sdk::errno_text(errno)};
        }
        data += written;
        size -= static_cast<std::size_t>(written);
    }
}

void GatewayConnection::send(const std::string& bytes) {
    switch (options_.write_mode) {
        case WriteMode::coalesced:
            pending_ += bytes;
            return;
        case WriteMode::per_message: {
            // One send per frame, as a server writing message by message would.
            std::size_t offset = 0;
            while (offset + wire::kFrameHeaderBytes <= bytes.size()) {
                const auto* header = reinterpret_cast<const unsigned char*>(bytes.data() + offset);
                const std::size_t length = (std::size_t{header[0]} << 24) | (std::size_t{header[1]} << 16) |
                                           (std::size_t{header[2]} << 8) | std::size_t{header[3]};
                const std::size_t frame = std::min(bytes.size() - offset, wire::kFrameHeaderBytes + length);
                write_all(bytes.data() + offset, frame);
                offset += frame;
            }
            if (offset < bytes.size()) {
                write_all(bytes.data() + offset, bytes.size() - offset);
            }
            return;
        }
        case WriteMode::split: {
            std::uniform_int_distribution<std::size_t> piece(1, 7);
            std::size_t offset = 0;
            while (offset < bytes.size()) {
                const std::size_t size = std::min(piece(random_), bytes.size() - offset);
                write_all(bytes.data() + offset, size);
                offset += size;
                // Give the reader a chance to see the partial frame on its own.
                std::this_thread::sleep_for(std::chrono::microseconds(50));
            }
            return;
        }
    }
}

void GatewayConnection::flush() {
    if (!pending_.empty()) {
        write_all(pending_.data(), pending_.size());
        pending_.clear();
    }
}

void GatewayConnection::send_error(int request_id, int code, const std::string& message) {
    ErrorMessage error;
    error.request_id = request_id;
    error.code = code;
    error.message = message;
    error.error_time_ms = epoch_ms();
    std::string out;
    encode(out, error, server_version_);
    send(out);
}

// ---------------------------------------------------------------- handshake

void GatewayConnection::wait_readable(Clock::time_point until) {
    const auto now = Clock::now();
    int timeout_ms = 0;
    if (until > now) {
        timeout_ms = static_cast<int>(
            std::min<std::int64_t>(100, std::chrono::ceil<std::chrono::milliseconds>(until - now).count()));
    }
    pollfd in{fd_, POLLIN, 0};
    ::poll(&in, 1, timeout_ms);
}

void GatewayConnection::read_client_hello() {
    const auto deadline = Clock::now() + kHelloTimeout;
    bool prefix_seen = false;
    while (true) {
        if (Clock::now() > deadline) {
            throw Closed{"no API handshake within 10 s"};
        }
        if (shared_.stopping.load()) {
            throw Closed{"gateway stopping"};
        }
        if (!prefix_seen) {
            if (const auto prefix = decoder_.take_raw(wire::kApiPrefix.size())) {
                if (*prefix != wire::kApiPrefix) {
                    throw Closed{"the client did not start with the API prefix"};
                }
                prefix_seen = true;
            }
        }
        if (prefix_seen) {
            if (const auto frame = decoder_.next_frame()) {
                const VersionRange range = parse_client_version_range(*frame);
                const auto version = negotiate_server_version(range, options_.server_version);
                if (!version) {
                    throw Closed{"no common version: client " + std::string(*frame) + ", server max " +
                                 std::to_string(options_.server_version)};
                }
                server_version_ = *version;
                std::string hello;
                append_server_hello(hello, {server_version_, connection_time_text()});
                send(hello);
                flush();
                print("handshake " + std::string(*frame) + " -> server version " + std::to_string(server_version_));
                return;
            }
        }
        wait_readable(deadline);
        read_requests();
    }
}

void GatewayConnection::read_requests() {
    while (true) {
        auto space = decoder_.writable();
        const ssize_t received = ::recv(fd_, space.data(), space.size(), MSG_DONTWAIT);
        if (received > 0) {
            decoder_.commit(static_cast<std::size_t>(received));
            continue;
        }
        if (received == 0) {
            throw Closed{"the client closed the connection"};
        }
        if (errno == EINTR) {
            continue;
        }
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            break;
        }
        throw Closed{"read failed: " + sdk::errno_text(errno)};
    }
    if (server_version_ == 0) {
        return;  // the handshake reads the prefix and version frame itself
    }
    while (const auto frame = decoder_.next_frame()) {
        const auto now = Clock::now();
        recent_requests_.push_back(now);
        while (!recent_requests_.empty() && now - recent_requests_.front() >= std::chrono::seconds(1)) {
            recent_requests_.pop_front();
        }
        max_requests_per_second_ = std::max(max_requests_per_second_, recent_requests_.size());
        if (recent_requests_.size() > static_cast<std::size_t>(options_.pacing_limit)) {
            ++pacing_violations_;
            print("pacing violation: " + std::to_string(recent_requests_.size()) +
                  " messages in the last second (limit " + std::to_string(options_.pacing_limit) + ")");
            send_error(-1, 100,
                       "Max rate of messages per second has been exceeded:max=" +
                           std::to_string(options_.pacing_limit) + " rec=" + std::to_string(recent_requests_.size()) +
                           " (" + std::to_string(pacing_violations_) + ")");
            if (pacing_violations_ >= options_.pacing_disconnect_after) {
                flush();
                throw Closed{"too many pacing violations"};
            }
        }
        try {
            decode_client_message(*frame, server_version_, *this);
        } catch (const DecodeError& error) {
            print(std::string("malformed request: ") + error.what());
        }
    }
}

// ---------------------------------------------------------------- main loop

void GatewayConnection::serve() {
    while (!shared_.stopping.load()) {
        const auto now = Clock::now();
        if (ready_) {
            run_due_faults(now);
            if (options_.ticks == TickSource::random_walk) {
                stream_random_walk(now);
            } else if (options_.ticks == TickSource::script) {
                run_script(now);
            }
            stream_bars(now);
            run_blast();
        }
        flush();
        wait_readable(next_wakeup(Clock::now()));
        read_requests();
    }
}

GatewayConnection::Clock::time_point GatewayConnection::next_wakeup(Clock::time_point now) const {
    Clock::time_point next = now + std::chrono::milliseconds(100);
    if (!ready_) {
        return next;
    }
    if (options_.ticks == TickSource::random_walk && !market_data_.empty()) {
        next = std::min(next, next_step_);
    }
    if (!bars_.empty()) {
        next = std::min(next, shared_.bar_tape().due(next_bar_index_));
    }
    if (script_started_ && script_ != nullptr && script_position_ < script_->steps.size()) {
        next = std::min(next, script_resume_);
    }
    if (faults_apply_ && next_fault_ < options_.faults.size()) {
        next = std::min(next, ready_at_ + options_.faults[next_fault_].at);
    }
    return next;
}

void GatewayConnection::on_ready() {
    ready_ = true;
    ready_at_ = Clock::now();
    faults_apply_ = options_.fault_connections == 0 || number_ <= options_.fault_connections;
    next_step_ = ready_at_;
    // The bar in progress is the first this connection may stream (bar_tape.hpp).
    next_bar_index_ = shared_.bar_tape().index_at(ready_at_);
}

void GatewayConnection::stream_random_walk(Clock::time_point now) {
    if (market_data_.empty() || connectivity_lost_ || now < next_step_) {
        return;
    }
    std::string out;
    const std::int64_t now_ms = epoch_ms();
    for (const auto& [request_id, subscription] : market_data_) {
        feed_.step(out, request_id, subscription.symbol, subscription.delayed, server_version_, now_ms);
    }
    send(out);
    const auto interval =
        std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / options_.steps_per_second));
    next_step_ += interval;
    if (next_step_ + std::chrono::seconds(1) < now) {
        next_step_ = now + interval;  // fell far behind: do not burst to catch up
    }
}

// Every bar of the timeline that is due goes out once, to the subscriptions of the moment:
// bars due while nothing is subscribed, or while IB connectivity is lost, are lost to this
// client (as with TWS) and only a historical request can recover them.
void GatewayConnection::stream_bars(Clock::time_point now) {
    BarTape& tape = shared_.bar_tape();
    std::string out;
    for (; now >= tape.due(next_bar_index_); ++next_bar_index_) {
        if (connectivity_lost_) {
            continue;
        }
        for (const auto& [request_id, subscription] : bars_) {
            const RealTimeBar bar =
                feed_.take_bar(request_id, subscription.symbol, tape.start_seconds(next_bar_index_));
            tape.record(subscription.symbol, bar);
            encode(out, bar, server_version_);
        }
    }
    if (!out.empty()) {
        send(out);
    }
}

std::optional<int> GatewayConnection::market_data_id_of(const std::string& symbol) const {
    for (const auto& [request_id, subscription] : market_data_) {
        if (subscription.symbol == symbol) {
            return request_id;
        }
    }
    return std::nullopt;
}

std::optional<int> GatewayConnection::bars_id_of(const std::string& symbol) const {
    for (const auto& [request_id, subscription] : bars_) {
        if (subscription.symbol == symbol) {
            return request_id;
        }
    }
    return std::nullopt;
}

void GatewayConnection::run_script(Clock::time_point now) {
    if (script_ == nullptr) {
        return;
    }
    if (!script_started_) {
        for (const std::string& symbol : script_->wait_for) {
            if (!market_data_id_of(symbol)) {
                return;
            }
        }
        // A bar goes to the symbol's real-time bar subscription, which the client may request
        // after its market data (its requests are paced): wait for that too.
        for (const ScriptStep& step : script_->steps) {
            if (step.kind == ScriptStep::Kind::bar && !bars_id_of(step.symbol)) {
                return;
            }
        }
        script_started_ = true;
        script_resume_ = now;
        print("script started");
    }
    using Kind = ScriptStep::Kind;
    while (script_position_ < script_->steps.size() && Clock::now() >= script_resume_) {
        const ScriptStep& step = script_->steps[script_position_++];
        std::string out;
        const std::optional<int> id = step.kind == Kind::bar ? bars_id_of(step.symbol) : market_data_id_of(step.symbol);
        const bool needs_id = !step.symbol.empty();
        if (needs_id && !id) {
            print("script line " + std::to_string(step.line) + ": " + step.symbol + " is not subscribed; skipped");
            continue;
        }
        switch (step.kind) {
            case Kind::sleep:
                flush();
                script_resume_ = Clock::now() + step.delay;
                break;
            case Kind::price:
                encode(out, TickPrice{*id, step.tick_type, step.price, step.size, step.attribute_mask},
                       server_version_);
                break;
            case Kind::size:
                encode(out, TickSize{*id, step.tick_type, step.size}, server_version_);
                break;
            case Kind::string:
                encode(out, TickString{*id, step.tick_type, step.text}, server_version_);
                break;
            case Kind::generic: {
                const ParsedDouble value = parse_double(step.text);
                encode(out, TickGeneric{*id, step.tick_type, value.value}, server_version_);
                break;
            }
            case Kind::market_data_type:
                encode(out, MarketDataTypeMessage{*id, step.code}, server_version_);
                break;
            case Kind::bar: {
                RealTimeBar bar;
                bar.request_id = *id;
                bar.time_seconds = step.time_seconds;
                bar.open = step.open;
                bar.high = step.high;
                bar.low = step.low;
                bar.close = step.close;
                bar.volume = step.volume;
                bar.wap = step.wap;
                bar.count = step.count;
                encode(out, bar, server_version_);
                break;
            }
            case Kind::error:
                send_error(*id, step.code, step.text);
                break;
            case Kind::system:
                send_error(-1, step.code, step.text);
                break;
            case Kind::disconnect:
                flush();
                throw Closed{"script disconnect at line " + std::to_string(step.line)};
        }
        if (!out.empty()) {
            send(out);
        }
    }
    if (script_position_ == script_->steps.size() && script_started_) {
        flush();
        print("script done");
        script_position_ = script_->steps.size() + 1;  // print once
    }
}

void GatewayConnection::run_blast() {
    if (options_.blast_messages == 0 || blast_done_ ||
        market_data_.size() < static_cast<std::size_t>(options_.blast_after_subscriptions)) {
        return;
    }
    blast_done_ = true;
    std::vector<int> ids;
    for (const auto& [request_id, subscription] : market_data_) {
        ids.push_back(request_id);
    }
    // One full period of the blast pattern (6 tick kinds x 997 price steps) per symbol.
    const std::size_t cycle_messages = ids.size() * 6 * 997;
    const std::string cycle =
        options_.blast_messages >= cycle_messages ? encode_blast_cycle(ids, cycle_messages, server_version_) : "";
    flush();
    print("blast started: " + std::to_string(options_.blast_messages) + " messages over " + std::to_string(ids.size()) +
          " subscriptions");
    std::uint64_t remaining = options_.blast_messages;
    std::uint64_t bytes = 0;
    while (remaining >= cycle_messages) {
        write_all(cycle.data(), cycle.size());
        bytes += cycle.size();
        remaining -= cycle_messages;
    }
    if (remaining > 0) {
        const std::string tail = encode_blast_cycle(ids, remaining, server_version_);
        write_all(tail.data(), tail.size());
        bytes += tail.size();
    }
    print("blast done: " + std::to_string(options_.blast_messages) + " messages, " + std::to_string(bytes) + " bytes");
}

// ---------------------------------------------------------------- faults

void GatewayConnection::run_due_faults(Clock::time_point now) {
    if (!faults_apply_) {
        return;
    }
    while (next_fault_ < options_.faults.size() && now - ready_at_ >= options_.faults[next_fault_].at) {
        const std::string action = options_.faults[next_fault_++].action;
        print("fault " + action);
        inject(action);
    }
}

void GatewayConnection::inject(const std::string& action) {
    if (action == "1100") {
        connectivity_lost_ = true;
        send_error(-1, 1100, "Connectivity between IB and Trader Workstation has been lost.");
    } else if (action == "1101") {
        connectivity_lost_ = false;
        market_data_.clear();  // data lost: the client must subscribe again
        bars_.clear();
        lines_used_ = 0;
        send_error(-1, 1101, "Connectivity between IB and Trader Workstation has been restored - data lost.");
    } else if (action == "1102") {
        connectivity_lost_ = false;
        send_error(-1, 1102, "Connectivity between IB and Trader Workstation has been restored - data maintained.");
    } else if (action == "2110") {
        send_error(-1, 2110,
                   "Connectivity between Trader Workstation and server is broken. It will be restored "
                   "automatically.");
    } else if (action == "2103") {
        send_error(-1, 2103, "Market data farm connection is broken:usfarm");
    } else if (action == "2104") {
        send_error(-1, 2104, "Market data farm connection is OK:usfarm");
    } else if (action == "100") {
        send_error(-1, 100, "Max rate of messages per second has been exceeded:max=50 rec=51 (1)");
    } else if (action == "disconnect") {
        if (options_.outage.count() > 0) {
            shared_.refuse_connections_until(Clock::now() + options_.outage);
            print("outage: refusing connections for " + std::to_string(options_.outage.count()) + " ms");
        }
        flush();
        linger abort{1, 0};  // RST rather than FIN: an abrupt loss
        ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &abort, sizeof abort);
        throw Closed{"fault: abrupt disconnect"};
    } else if (action == "garbage") {
        std::string bytes(kGarbageBytes, '\0');
        std::uniform_int_distribution<int> byte(0, 255);
        for (char& c : bytes) {
            c = static_cast<char>(byte(random_));
        }
        flush();
        write_all(bytes.data(), bytes.size());
    } else if (action == "oversize") {
        flush();
        const char header[] = {'\x7f', '\xff', '\xff', '\xff', 'x', 'y', 'z'};
        write_all(header, sizeof header);
    } else if (action == "malformed" || action == "corrupt") {
        const int request_id = market_data_.empty() ? 1 : market_data_.begin()->first;
        std::string out;
        for (int index = 0; index < (action == "malformed" ? kMalformedBurst : kCorruptBurst); ++index) {
            out += malformed_frame(request_id);
        }
        send(out);
    }
}

// ---------------------------------------------------------------- requests

void GatewayConnection::note_request(const char* what) {
    if (!options_.quiet) {
        print(what);
    }
}

void GatewayConnection::on_start_api(const StartApi& message) {
    client_id_ = message.client_id;
    print("startApi client_id=" + std::to_string(client_id_));
    const bool forced = options_.client_ids_in_use.count(client_id_) > 0;
    if (forced || !shared_.claim_client_id(client_id_)) {
        send_error(-1, 326, "Unable to connect as the client id is already in use. Retry with a unique client id.");
        flush();
        throw Closed{"client id " + std::to_string(client_id_) + " already in use"};
    }
    client_id_claimed_ = true;
    std::string out;
    encode(out, ManagedAccounts{options_.accounts}, server_version_);
    encode(out, NextValidId{1}, server_version_);
    send(out);
    send_error(-1, 2104, "Market data farm connection is OK:usfarm");
    send_error(-1, 2107, "HMDS data farm connection is inactive but should be available upon demand.ushmds");
    send_error(-1, 2158, "Sec-def data farm connection is OK:secdefil");
    on_ready();
}

void GatewayConnection::on_req_market_data_type(const ReqMarketDataType& message) {
    market_data_type_ = message.market_data_type;
    if (!options_.quiet) {
        print("reqMarketDataType type=" + std::to_string(market_data_type_));
    }
}

void GatewayConnection::on_req_mkt_data(const ReqMktData& message) {
    const std::string symbol(message.contract.symbol);
    if (!options_.quiet) {
        print("reqMktData id=" + std::to_string(message.request_id) + " symbol=" + symbol + " sec_type=" +
              std::string(message.contract.sec_type) + " exchange=" + std::string(message.contract.exchange) +
              " currency=" + std::string(message.contract.currency) +
              " generic_ticks=" + std::string(message.generic_tick_list));
    }
    if (market_data_.count(message.request_id) > 0) {
        send_error(message.request_id, 102, "Duplicate ticker id");
        return;
    }
    if (options_.unknown_symbols.count(symbol) > 0) {
        send_error(message.request_id, 200, "No security definition has been found for the request");
        return;
    }
    if (lines_used_ >= options_.max_lines) {
        send_error(message.request_id, 101, "Max number of tickers has been reached");
        return;
    }
    if (options_.delayed_disabled_symbols.count(symbol) > 0) {
        send_error(message.request_id, 10186,
                   "Requested market data is not subscribed. Delayed market data is not enabled.");
        return;
    }
    bool delayed = false;
    if (options_.not_subscribed_symbols.count(symbol) > 0) {
        if (market_data_type_ <= 2) {
            send_error(message.request_id, 354, "Requested market data is not subscribed.");
            return;
        }
        send_error(message.request_id, 10167,
                   "Requested market data is not subscribed. Displaying delayed market data.");
        delayed = true;
    }
    ++lines_used_;
    market_data_[message.request_id] = Subscription{symbol, delayed};
    std::string out;
    encode(out,
           MarketDataTypeMessage{message.request_id, delayed                  ? 3
                                                     : market_data_type_ == 2 ? 2
                                                                              : 1},
           server_version_);
    encode(out, TickReqParams{message.request_id, 0.01, "9c0001", 3}, server_version_);
    send(out);
}

void GatewayConnection::on_cancel_mkt_data(const CancelMktData& message) {
    const auto found = market_data_.find(message.request_id);
    // The symbol of the subscription it ends, so a test can tell what was cancelled.
    note_request(("cancelMktData id=" + std::to_string(message.request_id) +
                  " symbol=" + (found == market_data_.end() ? std::string("(none)") : found->second.symbol))
                     .c_str());
    if (found == market_data_.end()) {
        send_error(message.request_id, 300, "Can't find EId with tickerId:" + std::to_string(message.request_id));
        return;
    }
    market_data_.erase(found);
    --lines_used_;
}

void GatewayConnection::on_req_real_time_bars(const ReqRealTimeBars& message) {
    const std::string symbol(message.contract.symbol);
    if (!options_.quiet) {
        print("reqRealTimeBars id=" + std::to_string(message.request_id) + " symbol=" + symbol +
              " what_to_show=" + std::string(message.what_to_show));
    }
    if (options_.unknown_symbols.count(symbol) > 0) {
        send_error(message.request_id, 200, "No security definition has been found for the request");
        return;
    }
    if (message.bar_size_seconds != 5) {
        send_error(message.request_id, 321, "Error validating request:-'bX' : cause - Invalid bar size");
        return;
    }
    if (lines_used_ >= options_.max_lines) {
        send_error(message.request_id, 101, "Max number of tickers has been reached");
        return;
    }
    ++lines_used_;
    bars_[message.request_id] = Subscription{symbol, false};
}

void GatewayConnection::on_cancel_real_time_bars(const CancelRealTimeBars& message) {
    const auto found = bars_.find(message.request_id);
    note_request(("cancelRealTimeBars id=" + std::to_string(message.request_id) +
                  " symbol=" + (found == bars_.end() ? std::string("(none)") : found->second.symbol))
                     .c_str());
    if (found != bars_.end()) {
        bars_.erase(found);
        --lines_used_;
    }
}

void GatewayConnection::on_req_historical_data(const ReqHistoricalData& message) {
    const std::string symbol(message.contract.symbol);
    if (!options_.quiet) {
        print("reqHistoricalData id=" + std::to_string(message.request_id) + " symbol=" + symbol +
              " end=" + std::string(message.end_date_time) + " duration=" + std::string(message.duration) +
              " bar_size=" + std::string(message.bar_size_setting) +
              " what_to_show=" + std::string(message.what_to_show));
    }
    const auto now = Clock::now();
    if (const auto rule = shared_.check_historical_pacing(historical_request_key(message), now)) {
        print("historical pacing violation: " + *rule);
        send_error(message.request_id, 162,
                   "Historical Market Data Service error message:Historical data request pacing violation");
        return;
    }
    if (options_.unknown_symbols.count(symbol) > 0) {
        send_error(message.request_id, 200, "No security definition has been found for the request");
        return;
    }
    const std::string invalid = "Historical Market Data Service error message:";
    if (message.bar_size_setting != "5 secs" || message.format_date != 2 || message.keep_up_to_date) {
        send_error(message.request_id, 162,
                   invalid + "this fake gateway serves 5 secs bars with epoch-second dates, not kept up to date");
        return;
    }
    const auto duration = parse_duration_seconds(message.duration);
    const BarTape& tape = shared_.bar_tape();
    const std::int64_t now_seconds = tape.start_seconds(tape.index_at(now));
    const auto end = message.end_date_time.empty() ? std::optional<std::int64_t>(now_seconds)
                                                   : parse_utc_date_time(message.end_date_time);
    if (!duration || !end) {
        send_error(message.request_id, 162,
                   invalid + "invalid duration \"" + std::string(message.duration) + "\" or end date \"" +
                       std::string(message.end_date_time) + "\"");
        return;
    }
    send_historical_bars(message, *end - *duration, *end);
}

void GatewayConnection::send_historical_bars(const ReqHistoricalData& message, std::int64_t from_seconds,
                                             std::int64_t to_seconds) {
    const std::string symbol(message.contract.symbol);
    const auto bars = shared_.bar_tape().window(symbol, from_seconds, to_seconds, Clock::now(), start_price(symbol));
    std::vector<std::string> dates;  // the reply's bars view these
    dates.reserve(bars.size());
    HistoricalData reply;
    reply.request_id = message.request_id;
    const std::string start_text = utc_date_time(from_seconds);
    const std::string end_text = utc_date_time(to_seconds);
    reply.start_date = start_text;
    reply.end_date = end_text;
    for (const RealTimeBar& bar : bars) {
        dates.push_back(std::to_string(bar.time_seconds));
        reply.bars.push_back({dates.back(), bar.open, bar.high, bar.low, bar.close, bar.volume, bar.wap, bar.count});
    }
    std::string out;
    encode(out, reply, server_version_);
    if (server_version_ >= server_version::kHistoricalDataEnd) {
        encode(out, HistoricalDataEnd{message.request_id, start_text, end_text}, server_version_);
    }
    send(out);
    if (!options_.quiet) {
        print("historicalData id=" + std::to_string(message.request_id) + " symbol=" + symbol +
              " bars=" + std::to_string(bars.size()));
    }
}

void GatewayConnection::on_req_current_time(const ReqCurrentTime& /*message*/) {
    std::string out;
    encode(out, CurrentTime{epoch_ms() / 1000}, server_version_);
    send(out);
}

void GatewayConnection::on_unknown_request(int message_id) {
    print("unhandled request " + client_message_name(message_id));
}

}  // namespace mdp::ibkr::fake
