#pragma once
// One accepted TCP connection: reads requests (HTTP/1.1, keep-alive), lets the router
// answer them, writes the replies.
//
// [HTTP thread only] Every handler runs on the server's single io thread.
// Lifetime: owned by the completion handlers it has pending (shared_ptr); destroyed when
// the last one finished, which unregisters it.
//
// Limits, so that no client can stall the server or exhaust its memory:
//  - idle timeout: a keep-alive connection with no new request is closed;
//  - read timeout: a request must arrive completely (headers and body) within it from
//    its first byte — a client trickling bytes is cut off; the same bound applies to
//    writing a reply to a client that does not read;
//  - header and body size limits (431 / 413), malformed requests (400): reply and close.
// A control request (a route's DeferredReply) is started on the io thread and answered when
// its completion comes: the completion, called on the host's control thread, only posts the
// result to the io thread, and holds the session weakly. Meanwhile the time-limit wait keeps
// the session alive; at the limit the session answers 504, and a result after that finds
// the exchange over and is dropped. Nothing blocks the io thread, no thread waits.

#include "http/connection_registry.hpp"
#include "http/request_router.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace mdp::http {

struct SessionLimits {
    std::size_t max_header_bytes = 16384;
    std::size_t max_body_bytes = 65536;
    std::chrono::milliseconds read_timeout{10000};
    std::chrono::milliseconds idle_timeout{60000};
};

class HttpSession final : public std::enable_shared_from_this<HttpSession>, public RegisteredConnection {
   public:
    // `io` runs `socket`'s handlers (the server's one io thread); control completions post to it.
    HttpSession(boost::asio::io_context& io, boost::asio::ip::tcp::socket socket, const SessionLimits& limits,
                const RequestRouter& router, ConnectionRegistry& registry);
    ~HttpSession();
    HttpSession(const HttpSession&) = delete;
    HttpSession& operator=(const HttpSession&) = delete;

    void start();

    [[nodiscard]] bool idle() const override { return phase_ == Phase::idle; }
    [[nodiscard]] std::chrono::steady_clock::time_point idle_since() const override { return idle_since_; }
    void close() override;

   private:
    enum class Phase { idle, reading, working, writing, closed };
    using Request = boost::beast::http::request<boost::beast::http::string_body>;
    using Response = boost::beast::http::response<boost::beast::http::string_body>;

    void wait_for_request();
    void read_request();
    void on_request_read(boost::system::error_code error);
    void reply_to_read_error(boost::system::error_code error);
    void run_deferred(DeferredReply deferred, bool keep_alive);
    // The first of a deferred request's result and its time limit (`result` nullopt) answers
    // it; the other finds the exchange over (a newer deadline generation) and is dropped.
    void finish_deferred(std::uint64_t generation, std::optional<status::ControlResult> result, bool keep_alive);
    void send(unsigned status, HttpReply reply, bool keep_alive, bool head_only);
    void on_reply_written(boost::system::error_code error, bool keep_alive);
    void arm_deadline(std::chrono::milliseconds timeout);
    void log_access(std::size_t body_bytes) const;

    boost::asio::io_context& io_;
    boost::asio::ip::tcp::socket socket_;
    boost::asio::steady_timer deadline_;
    std::uint64_t deadline_generation_ = 0;
    boost::beast::flat_buffer buffer_;
    std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
    Response response_;
    std::optional<DeferredReply> deferred_;  // the control request being answered (Phase::working)
    const SessionLimits& limits_;
    const RequestRouter& router_;
    ConnectionRegistry& registry_;
    Phase phase_ = Phase::idle;
    std::chrono::steady_clock::time_point idle_since_;
    std::chrono::steady_clock::time_point request_started_;
    std::string remote_;  // for the access log
    std::string request_summary_;  // "GET /metrics", for the access log
};

}  // namespace mdp::http
