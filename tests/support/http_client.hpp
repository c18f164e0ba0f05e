#pragma once
// A small synchronous HTTP/1.1 client for tests (loopback only): GET/HEAD/POST with extra
// headers, optional keep-alive (one connection reused across requests), a timeout on every
// request. Failures (cannot connect, timeout, connection dropped) throw HttpClientError.
//
// RawConnection is for robustness tests: a plain TCP connection that sends exactly the
// bytes it is given and reports what came back.

#include <chrono>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

namespace mdp::test {

class HttpClientError : public std::runtime_error {
   public:
    using std::runtime_error::runtime_error;
};

struct HttpResponse {
    int status = 0;
    std::string body;
    std::map<std::string, std::string> headers;  // names lower-cased
    bool keep_alive = false;  // the server keeps the connection open

    // The header's value ("" when absent); `name` in any case.
    [[nodiscard]] std::string header(const std::string& name) const;
};

using HttpHeaders = std::map<std::string, std::string>;

class HttpClient {
   public:
    explicit HttpClient(unsigned short port, std::string host = "127.0.0.1",
                        std::chrono::milliseconds timeout = std::chrono::seconds(10));
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    // With keep-alive (the default) one connection serves successive requests until the
    // server closes it; without, each request opens a connection and asks to close it.
    void set_keep_alive(bool keep_alive);
    void set_timeout(std::chrono::milliseconds timeout);

    HttpResponse get(const std::string& target, const HttpHeaders& headers = {});
    HttpResponse head(const std::string& target, const HttpHeaders& headers = {});
    HttpResponse post(const std::string& target, const std::string& body,
                      const std::string& content_type = "application/json", const HttpHeaders& headers = {});
    HttpResponse request(const std::string& method, const std::string& target, const std::string& body = {},
                         const HttpHeaders& headers = {});

    // TCP connections opened so far (1 after many keep-alive requests).
    [[nodiscard]] std::size_t connections_opened() const;

   private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// One GET on a fresh connection to 127.0.0.1:port.
HttpResponse http_get(unsigned short port, const std::string& target,
                      std::chrono::milliseconds timeout = std::chrono::seconds(10));

class RawConnection {
   public:
    // Connects to 127.0.0.1:port; throws HttpClientError when it cannot.
    explicit RawConnection(unsigned short port);
    ~RawConnection();
    RawConnection(const RawConnection&) = delete;
    RawConnection& operator=(const RawConnection&) = delete;

    // False once the peer has closed or reset the connection.
    bool send(std::string_view bytes);
    // Everything received until the peer closes or `timeout` passes.
    std::string read_until_closed(std::chrono::milliseconds timeout);
    // Received bytes up to and including the first `text`, or all received when it did not
    // arrive within `timeout`.
    std::string read_until(std::string_view text, std::chrono::milliseconds timeout);
    // True when the peer closed (or reset) the connection within `timeout`.
    bool wait_closed_by_peer(std::chrono::milliseconds timeout);
    [[nodiscard]] bool closed_by_peer() const { return peer_closed_; }

   private:
    // Waits up to `timeout` for data and appends it to received_; false when nothing came.
    bool receive_some(std::chrono::milliseconds timeout);

    int fd_ = -1;
    bool peer_closed_ = false;
    std::string received_;
};

}  // namespace mdp::test
