#include "http_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <algorithm>
#include <cctype>
#include <cerrno>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace mdp::test {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using boost::system::error_code;
using tcp = asio::ip::tcp;

constexpr std::uint64_t kMaxResponseBodyBytes = 64ull * 1024 * 1024;

std::string lower_case(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char character) { return static_cast<char>(std::tolower(character)); });
    return text;
}

}  // namespace

std::string HttpResponse::header(const std::string& name) const {
    const auto found = headers.find(lower_case(name));
    return found == headers.end() ? std::string() : found->second;
}

struct HttpClient::Impl {
    std::string host;
    unsigned short port = 0;
    std::chrono::milliseconds timeout;
    bool keep_alive = true;
    asio::io_context io;
    beast::tcp_stream stream{io};
    beast::flat_buffer buffer;
    bool connected = false;
    std::size_t connections_opened = 0;

    // Runs one asynchronous operation to completion; tcp_stream's expiry bounds it.
    template <typename Start>
    error_code run(Start&& start) {
        error_code result = asio::error::would_block;
        stream.expires_after(timeout);
        start([&result](const error_code& error, auto&&...) { result = error; });
        io.restart();
        io.run();
        return result;
    }

    void disconnect() {
        error_code ignored;
        stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
        stream.close();
        buffer.clear();
        connected = false;
    }

    void connect() {
        tcp::resolver resolver(io);
        error_code error;
        const auto endpoints = resolver.resolve(host, std::to_string(port), error);
        if (error) {
            throw HttpClientError("cannot resolve " + host + ": " + error.message());
        }
        error = run([&](auto handler) { stream.async_connect(endpoints, handler); });
        if (error) {
            disconnect();
            throw HttpClientError("cannot connect to " + host + ":" + std::to_string(port) + ": " + error.message());
        }
        connected = true;
        ++connections_opened;
    }

    HttpResponse exchange(const std::string& method, const std::string& target, const std::string& body,
                          const HttpHeaders& headers) {
        bhttp::request<bhttp::string_body> request;
        request.method_string(method);
        request.target(target);
        request.version(11);
        request.set(bhttp::field::host, host + ":" + std::to_string(port));
        request.set(bhttp::field::user_agent, "mdp-test");
        for (const auto& [name, value] : headers) {
            request.set(name, value);
        }
        if (!body.empty() || method == "POST" || method == "PUT") {
            request.body() = body;
            request.prepare_payload();
        }
        request.keep_alive(keep_alive);

        error_code error = run([&](auto handler) { bhttp::async_write(stream, request, handler); });
        if (error) {
            throw HttpClientError("sending " + method + " " + target + " failed: " + error.message());
        }
        bhttp::response_parser<bhttp::string_body> parser;
        parser.body_limit(kMaxResponseBodyBytes);
        parser.skip(method == "HEAD");
        error = run([&](auto handler) { bhttp::async_read(stream, buffer, parser, handler); });
        if (error) {
            throw HttpClientError("reading the reply to " + method + " " + target + " failed: " + error.message());
        }
        const auto& message = parser.get();
        HttpResponse response;
        response.status = static_cast<int>(message.result_int());
        response.body = message.body();
        response.keep_alive = message.keep_alive();
        for (const auto& field : message) {
            response.headers[lower_case(std::string(field.name_string()))] = std::string(field.value());
        }
        return response;
    }
};

HttpClient::HttpClient(unsigned short port, std::string host, std::chrono::milliseconds timeout)
    : impl_(std::make_unique<Impl>()) {
    impl_->host = std::move(host);
    impl_->port = port;
    impl_->timeout = timeout;
}

HttpClient::~HttpClient() {
    if (impl_->connected) {
        impl_->disconnect();
    }
}

void HttpClient::set_keep_alive(bool keep_alive) { impl_->keep_alive = keep_alive; }

void HttpClient::set_timeout(std::chrono::milliseconds timeout) { impl_->timeout = timeout; }

std::size_t HttpClient::connections_opened() const { return impl_->connections_opened; }

HttpResponse HttpClient::request(const std::string& method, const std::string& target, const std::string& body,
                                 const HttpHeaders& headers) {
    // A kept-alive connection may have been closed by the server meanwhile (idle timeout):
    // one retry on a fresh connection, as HTTP clients do.
    const bool reusing = impl_->connected;
    for (int attempt = 0;; ++attempt) {
        if (!impl_->connected) {
            impl_->connect();
        }
        try {
            HttpResponse response = impl_->exchange(method, target, body, headers);
            if (!impl_->keep_alive || !response.keep_alive) {
                impl_->disconnect();
            }
            return response;
        } catch (const HttpClientError&) {
            impl_->disconnect();
            if (!reusing || attempt > 0) {
                throw;
            }
        }
    }
}

HttpResponse HttpClient::get(const std::string& target, const HttpHeaders& headers) {
    return request("GET", target, {}, headers);
}

HttpResponse HttpClient::head(const std::string& target, const HttpHeaders& headers) {
    return request("HEAD", target, {}, headers);
}

HttpResponse HttpClient::post(const std::string& target, const std::string& body, const std::string& content_type,
                              const HttpHeaders& headers) {
    HttpHeaders with_type = headers;
    with_type.emplace("Content-Type", content_type);
    return request("POST", target, body, with_type);
}

HttpResponse http_get(unsigned short port, const std::string& target, std::chrono::milliseconds timeout) {
    HttpClient client(port, "127.0.0.1", timeout);
    client.set_keep_alive(false);
    return client.get(target);
}

RawConnection::RawConnection(unsigned short port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) {
        throw HttpClientError("socket() failed");
    }
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) {
        const int error = errno;
        ::close(fd_);
        fd_ = -1;
        throw HttpClientError("cannot connect to 127.0.0.1:" + std::to_string(port) + ": errno " +
                              std::to_string(error));
    }
}

RawConnection::~RawConnection() {
    if (fd_ >= 0) {
        ::close(fd_);
    }
}

bool RawConnection::send(std::string_view bytes) {
    while (!bytes.empty()) {
        const ssize_t sent = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (sent < 0) {
            if (errno == EINTR) {
                continue;
            }
            peer_closed_ = true;
            return false;
        }
        bytes.remove_prefix(static_cast<std::size_t>(sent));
    }
    return true;
}

bool RawConnection::receive_some(std::chrono::milliseconds timeout) {
    if (peer_closed_) {
        return false;
    }
    pollfd descriptor{fd_, POLLIN, 0};
    const int ready = ::poll(&descriptor, 1, static_cast<int>(timeout.count()));
    if (ready <= 0) {
        return false;
    }
    char chunk[4096];
    const ssize_t received = ::recv(fd_, chunk, sizeof(chunk), 0);
    if (received <= 0) {
        peer_closed_ = true;
        return false;
    }
    received_.append(chunk, static_cast<std::size_t>(received));
    return true;
}

std::string RawConnection::read_until_closed(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!peer_closed_) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            break;
        }
        receive_some(left);
    }
    return std::exchange(received_, {});
}

std::string RawConnection::read_until(std::string_view text, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (received_.find(text) == std::string::npos && !peer_closed_) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            break;
        }
        receive_some(left);
    }
    const std::size_t found = received_.find(text);
    const std::size_t take = found == std::string::npos ? received_.size() : found + text.size();
    std::string result = received_.substr(0, take);
    received_.erase(0, take);
    return result;
}

bool RawConnection::wait_closed_by_peer(std::chrono::milliseconds timeout) {
    read_until_closed(timeout);
    return peer_closed_;
}

}  // namespace mdp::test
