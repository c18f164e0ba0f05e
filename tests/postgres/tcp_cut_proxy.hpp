#pragma once
// A TCP proxy on 127.0.0.1 in front of a PostgreSQL server that can break a connection
// exactly around COMMIT, to produce the "did my transaction commit?" failure that only a
// lost connection can cause:
//   before_commit:          the client's COMMIT is swallowed and the connection closed, so
//                           the server rolls back;
//   after_commit_response:  COMMIT reaches the server, its answer is swallowed and the
//                           connection closed, so the server has committed but the client
//                           never learns it.
// Armed once: it fires on the next COMMIT of any connection, then passes traffic through.
// Clients must use sslmode=disable (the proxy reads the protocol's simple Query messages).

#include <atomic>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace mdp::test {

class TcpCutProxy {
   public:
    enum class Cut { none, before_commit, after_commit_response };

    explicit TcpCutProxy(unsigned short target_port);
    ~TcpCutProxy();
    TcpCutProxy(const TcpCutProxy&) = delete;
    TcpCutProxy& operator=(const TcpCutProxy&) = delete;

    [[nodiscard]] unsigned short port() const { return port_; }
    void arm(Cut cut) { armed_.store(cut); }
    // How many connections were cut so far.
    [[nodiscard]] int cuts() const { return cuts_.load(); }

   private:
    void accept_loop();
    void relay(int client, int server);

    unsigned short target_port_;
    unsigned short port_ = 0;
    int listener_ = -1;
    std::atomic<bool> stopping_{false};
    std::atomic<Cut> armed_{Cut::none};
    std::atomic<int> cuts_{0};
    std::mutex mutex_;
    std::vector<int> open_sockets_;
    std::vector<std::thread> relays_;
    std::thread acceptor_;
};

}  // namespace mdp::test
