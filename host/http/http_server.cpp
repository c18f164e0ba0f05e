#include "http/http_server.hpp"

#include "http/connection_registry.hpp"
#include "http/http_session.hpp"
#include "http/request_router.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <spdlog/spdlog.h>

#include <atomic>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace mdp::http {
namespace {

namespace asio = boost::asio;
using boost::system::error_code;
using tcp = asio::ip::tcp;

// After a failed accept (e.g. out of descriptors), wait before trying again rather than spin.
constexpr std::chrono::milliseconds kAcceptRetryDelay{100};

// Sent, best effort and without waiting, to a connection refused at the cap.
constexpr std::string_view kBusyReply =
    "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: 45\r\n"
    "Connection: close\r\nRetry-After: 1\r\n\r\n{\"error\":\"too many connections, retry later\"}";
static_assert(std::string_view("{\"error\":\"too many connections, retry later\"}").size() == 45);

SessionLimits session_limits_from(const config::HttpConfig& config) {
    SessionLimits limits;
    limits.max_header_bytes = config.max_header_bytes;
    limits.max_body_bytes = config.max_body_bytes;
    limits.read_timeout = std::chrono::milliseconds(config.read_timeout_ms);
    limits.idle_timeout = std::chrono::milliseconds(config.idle_timeout_ms);
    return limits;
}

tcp::endpoint resolve_bind_endpoint(const config::HttpConfig& config) {
    error_code error;
    const asio::ip::address address = asio::ip::make_address(config.bind_address, error);
    if (!error) {
        return {address, config.port};
    }
    // A host name such as "localhost": resolve it locally.
    asio::io_context resolver_context;
    tcp::resolver resolver(resolver_context);
    const auto results = resolver.resolve(config.bind_address, std::to_string(config.port),
                                          tcp::resolver::passive | tcp::resolver::address_configured, error);
    if (error || results.empty()) {
        throw std::runtime_error("cannot listen on " + config.bind_address + ":" + std::to_string(config.port) +
                                 ": not an IP address or resolvable host name");
    }
    return results.begin()->endpoint();
}

}  // namespace

struct HttpServer::Impl {
    Impl(const config::HttpConfig& http_config, SnapshotSource snapshot, ProviderControlHandler control,
         SymbolSource symbols, HistorySource history, ControlTimeLimits control_limits)
        : config(http_config), limits(session_limits_from(http_config)),
          router(std::move(snapshot), RouterOptions{.metrics_enabled = http_config.metrics_enabled,
                                                    .readiness = {},
                                                    .admin_token = http_config.admin_token,
                                                    .control = std::move(control),
                                                    .symbols = std::move(symbols),
                                                    .history = std::move(history),
                                                    .control_limits = control_limits}),
          registry(http_config.max_connections) {}

    void open_acceptor();
    void accept_next();
    void on_accept(const error_code& error, tcp::socket socket);
    void refuse(tcp::socket& socket);
    void run_io();
    void close_everything();

    // Declared before the io_context: sessions still pending when it is destroyed refer
    // to these as they are destroyed.
    config::HttpConfig config;
    SessionLimits limits;
    RequestRouter router;
    ConnectionRegistry registry;

    asio::io_context io{1};
    tcp::acceptor acceptor{io};
    asio::steady_timer accept_retry{io};
    std::thread io_thread;
    std::mutex lifecycle_mutex;  // start()/stop() from the control thread(s)
    bool started = false;
    bool stopping = false;  // [io thread] once close_everything ran
    std::atomic<unsigned short> bound_port{0};
};

void HttpServer::Impl::open_acceptor() {
    const tcp::endpoint endpoint = resolve_bind_endpoint(config);
    const auto fail = [&](const error_code& error) {
        throw std::runtime_error("cannot listen on " + config.bind_address + ":" + std::to_string(config.port) + ": " +
                                 error.message());
    };
    error_code error;
    acceptor.open(endpoint.protocol(), error);
    if (error) {
        fail(error);
    }
    acceptor.set_option(tcp::acceptor::reuse_address(true), error);
    acceptor.bind(endpoint, error);
    if (error) {
        fail(error);
    }
    acceptor.listen(asio::socket_base::max_listen_connections, error);
    if (error) {
        fail(error);
    }
    bound_port.store(acceptor.local_endpoint().port());
}

void HttpServer::Impl::accept_next() {
    acceptor.async_accept([this](const error_code& error, tcp::socket socket) { on_accept(error, std::move(socket)); });
}

void HttpServer::Impl::on_accept(const error_code& error, tcp::socket socket) {
    if (stopping || error == asio::error::operation_aborted) {
        return;
    }
    if (error) {
        spdlog::warn("http: accept failed: {}; retrying", error.message());
        accept_retry.expires_after(kAcceptRetryDelay);
        accept_retry.async_wait([this](const error_code& wait_error) {
            if (!wait_error && !stopping) {
                accept_next();
            }
        });
        return;
    }
    if (registry.make_room()) {
        std::make_shared<HttpSession>(io, std::move(socket), limits, router, registry)->start();
    } else {
        refuse(socket);
    }
    accept_next();
}

void HttpServer::Impl::refuse(tcp::socket& socket) {
    error_code ignored;
    socket.non_blocking(true, ignored);
    socket.write_some(asio::buffer(kBusyReply.data(), kBusyReply.size()), ignored);
    socket.shutdown(tcp::socket::shutdown_send, ignored);
    socket.close(ignored);
    spdlog::debug("http: refused a connection: {} connections are all busy", config.max_connections);
}

void HttpServer::Impl::run_io() {
    for (;;) {
        try {
            io.run();
            return;
        } catch (const std::exception& error) {
            spdlog::error("http: unexpected error in the io thread: {}", error.what());
        }
    }
}

void HttpServer::Impl::close_everything() {
    stopping = true;
    error_code ignored;
    acceptor.close(ignored);
    accept_retry.cancel();
    registry.close_all();
}

HttpServer::HttpServer(const config::HttpConfig& config, SnapshotSource snapshot)
    : HttpServer(config, std::move(snapshot), nullptr) {}

HttpServer::HttpServer(const config::HttpConfig& config, SnapshotSource snapshot, ProviderControlHandler control,
                       SymbolSource symbols, HistorySource history, ControlTimeLimits control_limits)
    : impl_(std::make_unique<Impl>(config, std::move(snapshot), std::move(control), std::move(symbols),
                                   std::move(history), control_limits)) {}

HttpServer::~HttpServer() {
    // stop() throws only when a mutex or thread operation fails; a destructor cannot pass
    // that on, so it is logged instead of terminating the process.
    try {
        stop();
    } catch (const std::exception& error) {
        spdlog::error("http: stopping the server failed: {}", error.what());
    } catch (...) {
        spdlog::error("http: stopping the server failed");
    }
}

void HttpServer::start() {
    const std::lock_guard lock(impl_->lifecycle_mutex);
    if (impl_->started) {
        throw std::logic_error("HttpServer::start() called twice");
    }
    impl_->open_acceptor();
    impl_->started = true;
    impl_->accept_next();
    impl_->io_thread = std::thread([impl = impl_.get()] { impl->run_io(); });
    spdlog::info("http: listening on {}:{}", impl_->config.bind_address, impl_->bound_port.load());
}

void HttpServer::stop() {
    const std::lock_guard lock(impl_->lifecycle_mutex);
    if (!impl_->io_thread.joinable()) {
        return;
    }
    asio::post(impl_->io, [impl = impl_.get()] { impl->close_everything(); });
    impl_->io_thread.join();
}

unsigned short HttpServer::port() const { return impl_->bound_port.load(); }

std::size_t HttpServer::open_connections() const { return impl_->registry.size(); }

std::size_t HttpServer::evicted_connections() const { return impl_->registry.evicted(); }

}  // namespace mdp::http
