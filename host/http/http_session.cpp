#include "http/http_session.hpp"

#include "build_info.hpp"
#include "http/status_json.hpp"

#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <exception>
#include <optional>
#include <utility>

namespace mdp::http {
namespace {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using boost::system::error_code;
using tcp = asio::ip::tcp;

// Room in the read buffer beyond the header and body limits (request line framing, the
// start of a pipelined next request).
constexpr std::size_t kReadBufferSlackBytes = 4096;
// Longest request target kept for the access log.
constexpr std::size_t kLoggedTargetBytes = 256;

const std::string kServerHeader = std::string("mdp/") + kVersion;

bool is_parse_error(const error_code& error) {
    return error.category() == bhttp::make_error_code(bhttp::error::bad_target).category();
}

bool client_went_away(const error_code& error) {
    return error == bhttp::error::end_of_stream || error == bhttp::error::partial_message ||
           error == asio::error::eof || error == asio::error::connection_reset ||
           error == asio::error::operation_aborted || error == asio::error::bad_descriptor;
}

HttpReply rejection(unsigned status, const std::string& message) {
    HttpReply reply;
    reply.status = status;
    reply.content_type = "application/json";
    reply.body = dump_json({{"error", message}});
    reply.body.push_back('\n');
    return reply;
}

HttpReply render_or_500(const DeferredReply& deferred, const status::ControlResult& result) {
    try {
        return deferred.render(result);
    } catch (const std::exception& error) {
        return rejection(500, std::string("internal error: ") + error.what());
    }
}

std::string describe_remote(const tcp::socket& socket) {
    error_code error;
    const tcp::endpoint remote = socket.remote_endpoint(error);
    if (error) {
        return "unknown";
    }
    return remote.address().to_string() + ":" + std::to_string(remote.port());
}

}  // namespace

HttpSession::HttpSession(asio::io_context& io, tcp::socket socket, const SessionLimits& limits,
                         const RequestRouter& router, ConnectionRegistry& registry)
    : io_(io), socket_(std::move(socket)), deadline_(socket_.get_executor()),
      buffer_(limits.max_header_bytes + limits.max_body_bytes + kReadBufferSlackBytes), limits_(limits),
      router_(router), registry_(registry), idle_since_(std::chrono::steady_clock::now()) {
    registry_.add(this);
    error_code ignored;
    socket_.set_option(tcp::no_delay(true), ignored);
    remote_ = describe_remote(socket_);
}

HttpSession::~HttpSession() { registry_.remove(this); }

void HttpSession::start() { wait_for_request(); }

void HttpSession::close() {
    if (phase_ == Phase::closed) {
        return;
    }
    phase_ = Phase::closed;
    error_code ignored;
    socket_.close(ignored);
    deadline_.cancel();
}

void HttpSession::arm_deadline(std::chrono::milliseconds timeout) {
    deadline_.expires_after(timeout);
    const std::uint64_t generation = ++deadline_generation_;
    // A weak reference: the deadline alone must not keep a finished session alive.
    deadline_.async_wait([weak = weak_from_this(), generation](const error_code& error) {
        if (error) {
            return;
        }
        if (const auto self = weak.lock(); self && self->deadline_generation_ == generation) {
            self->close();
        }
    });
}

void HttpSession::wait_for_request() {
    phase_ = Phase::idle;
    idle_since_ = std::chrono::steady_clock::now();
    if (buffer_.size() > 0) {
        read_request();  // a pipelined request is already here
        return;
    }
    buffer_.shrink_to_fit();  // idle connections should cost little
    arm_deadline(limits_.idle_timeout);
    socket_.async_wait(tcp::socket::wait_read, [self = shared_from_this()](const error_code& error) {
        if (self->phase_ == Phase::closed) {
            return;
        }
        if (error) {
            self->close();
            return;
        }
        self->read_request();
    });
}

void HttpSession::read_request() {
    phase_ = Phase::reading;
    request_started_ = std::chrono::steady_clock::now();
    arm_deadline(limits_.read_timeout);
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(limits_.max_header_bytes, UINT32_MAX)));
    parser_->body_limit(limits_.max_body_bytes);
    bhttp::async_read(
        socket_, buffer_, *parser_,
        [self = shared_from_this()](const error_code& error, std::size_t /*bytes*/) { self->on_request_read(error); });
}

void HttpSession::on_request_read(error_code error) {
    if (phase_ == Phase::closed) {
        return;
    }
    if (error) {
        reply_to_read_error(error);
        return;
    }
    const Request& request = parser_->get();
    const std::string_view method = request.method_string();
    const std::string_view target = request.target();
    request_summary_.assign(method).append(" ").append(target.substr(0, kLoggedTargetBytes));
    RouteOutcome outcome = router_.route({method, target, request[bhttp::field::authorization], remote_});
    if (outcome.deferred) {
        run_deferred(std::move(*outcome.deferred), request.keep_alive());
        return;
    }
    const unsigned status = outcome.reply.status;
    send(status, std::move(outcome.reply), request.keep_alive(), request.method() == bhttp::verb::head);
}

void HttpSession::run_deferred(DeferredReply deferred, bool keep_alive) {
    phase_ = Phase::working;
    deferred_ = std::move(deferred);
    // The time limit replaces the read deadline. Unlike that one, this wait holds the session
    // (a strong reference): nothing else does while the request is with the host.
    const std::uint64_t generation = ++deadline_generation_;
    deadline_.expires_after(deferred_->time_limit);
    deadline_.async_wait([self = shared_from_this(), generation, keep_alive](const error_code& error) {
        if (!error) {
            self->finish_deferred(generation, std::nullopt, keep_alive);
        }
    });
    // [control thread, or here for a refusal] Only posts: the session is touched on the io
    // thread alone, and only if it still exists.
    auto done = [weak = weak_from_this(), &io = io_, generation, keep_alive](status::ControlResult result) {
        asio::post(io, [weak, generation, keep_alive, result = std::move(result)]() mutable {
            if (const auto self = weak.lock()) {
                self->finish_deferred(generation, std::move(result), keep_alive);
            }
        });
    };
    try {
        deferred_->start(std::move(done));
    } catch (const std::exception& error) {
        deferred_.reset();
        send(500, rejection(500, std::string("internal error: ") + error.what()), keep_alive, false);
    }
}

void HttpSession::finish_deferred(std::uint64_t generation, std::optional<status::ControlResult> result,
                                  bool keep_alive) {
    if (phase_ != Phase::working || deadline_generation_ != generation || !deferred_) {
        return;
    }
    const DeferredReply deferred = std::move(*deferred_);
    deferred_.reset();
    HttpReply reply = render_or_500(deferred, result ? *result : deferred.time_limit_result);
    const unsigned status = reply.status;
    send(status, std::move(reply), keep_alive, false);
}

void HttpSession::reply_to_read_error(error_code error) {
    if (client_went_away(error) || !is_parse_error(error)) {
        close();
        return;
    }
    request_summary_ = "(rejected request)";
    const bool header_complete = parser_ && parser_->is_header_done();
    if (error == bhttp::error::header_limit || (error == bhttp::error::buffer_overflow && !header_complete)) {
        send(431, rejection(431, "request headers exceed " + std::to_string(limits_.max_header_bytes) + " bytes"),
             false, false);
    } else if (error == bhttp::error::body_limit || error == bhttp::error::buffer_overflow) {
        send(413, rejection(413, "request body exceeds " + std::to_string(limits_.max_body_bytes) + " bytes"), false,
             false);
    } else {
        send(400, rejection(400, "malformed request: " + error.message()), false, false);
    }
}

void HttpSession::send(unsigned status, HttpReply reply, bool keep_alive, bool head_only) {
    phase_ = Phase::writing;
    response_ = Response{};
    response_.version(11);
    response_.result(status);
    response_.set(bhttp::field::server, kServerHeader);
    response_.set(bhttp::field::content_type, reply.content_type);
    response_.set(bhttp::field::cache_control, "no-store");
    response_.set("X-Content-Type-Options", "nosniff");
    for (const auto& [name, value] : reply.headers) {
        response_.set(name, value);
    }
    response_.keep_alive(keep_alive);
    const std::size_t body_bytes = reply.body.size();
    if (head_only) {
        response_.content_length(body_bytes);  // the GET reply's length, without its body
    } else {
        response_.body() = std::move(reply.body);
        response_.prepare_payload();
    }
    log_access(body_bytes);
    arm_deadline(limits_.read_timeout);
    bhttp::async_write(socket_, response_,
                       [self = shared_from_this(), keep_alive](const error_code& error, std::size_t /*bytes*/) {
                           self->on_reply_written(error, keep_alive);
                       });
}

void HttpSession::on_reply_written(error_code error, bool keep_alive) {
    if (phase_ == Phase::closed) {
        return;
    }
    response_ = Response{};  // release the body now, not at the next request
    if (error || !keep_alive) {
        error_code ignored;
        socket_.shutdown(tcp::socket::shutdown_send, ignored);
        close();
        return;
    }
    wait_for_request();
}

void HttpSession::log_access(std::size_t body_bytes) const {
    if (!spdlog::should_log(spdlog::level::debug)) {
        return;
    }
    const double elapsed_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - request_started_).count();
    spdlog::debug("http {} \"{}\" {} {}B {:.3f}ms", remote_, request_summary_, response_.result_int(), body_bytes,
                  elapsed_ms);
}

}  // namespace mdp::http
