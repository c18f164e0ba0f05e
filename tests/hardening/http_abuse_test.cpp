// Abusive clients against the real mdp-host while its pipeline runs: slow clients, an
// oversized request line and headers, garbage bytes, a thousand idle connections and a
// flood of /metrics requests. Other clients keep getting answers, memory and descriptors
// stay bounded, and no event is lost (published == stored in the exit summary).
//
// The in-process server's own limits are covered in tests/http/http_robustness_test.cpp;
// these run the whole host, with providers and the store coordinator busy.

#include "process_stats.hpp"
#include "synthetic_host.hpp"

#include <catch2/catch.hpp>

#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

using mdp::test::HttpClient;
using mdp::test::RawConnection;
using mdp::test::SyntheticHost;
using namespace std::chrono_literals;

namespace {

constexpr std::size_t kMaxConnections = 64;

#if defined(__SANITIZE_ADDRESS__)
// The host built with AddressSanitizer keeps freed memory in quarantine (256 MB by
// default), so only gross growth shows there (measured: +200 MB over the flood).
constexpr std::uint64_t kResidentGrowthLimitBytes = 512ull * 1024 * 1024;
#else
constexpr std::uint64_t kResidentGrowthLimitBytes = 64ull * 1024 * 1024;
#endif

// A host with a connection cap low enough to reach, a short read timeout, and a store that
// keeps up with the flood test's providers.
mdp::test::SyntheticHostOptions abuse_options() {
    mdp::test::SyntheticHostOptions options;
    options.max_connections = kMaxConnections;
    options.read_timeout_ms = 2000;
    options.queue_capacity = 5000;
    options.batch_size = 200;
    return options;
}

bool answers_health(unsigned short port) {
    try {
        return mdp::test::http_get(port, "/health", 20s).status == 200;
    } catch (const mdp::test::HttpClientError&) {
        return false;
    }
}

// The test process opens a thousand sockets; the default soft limit is often 1024.
void raise_descriptor_limit(rlim_t wanted) {
    rlimit limit{};
    REQUIRE(getrlimit(RLIMIT_NOFILE, &limit) == 0);
    if (limit.rlim_cur < wanted) {
        limit.rlim_cur = std::min(wanted, limit.rlim_max);
        REQUIRE(setrlimit(RLIMIT_NOFILE, &limit) == 0);
    }
    REQUIRE(limit.rlim_cur >= wanted);
}

void check_no_event_lost(const nlohmann::json& summary) {
    REQUIRE(summary.is_object());
    std::uint64_t published = 0;
    for (const auto& [name, provider] : summary.at("providers").items()) {
        published += provider.at("published").get<std::uint64_t>();
        // Nothing may drop, for any reason: shutdown stops providers before it closes the queue.
        for (const auto& [reason, count] : provider.at("dropped_by_reason").items()) {
            INFO("dropped for " << reason);
            CHECK(count == 0);
        }
    }
    CHECK(published > 0);
    CHECK(summary.at("sinks").at("main").at("stored").get<std::uint64_t>() == published);
    CHECK(summary.at("sinks").at("main").at("errors") == 0);
    CHECK(summary.at("not_stored") == 0);
}

}  // namespace

TEST_CASE("slow, oversized and garbage requests do not stop the host serving others", "[hardening][http]") {
    mdp::test::SyntheticHostOptions options = abuse_options();
    options.read_timeout_ms = 1000;
    SyntheticHost host(options);

    // Slowloris: connections that start a request and never finish it.
    std::vector<std::unique_ptr<RawConnection>> slow;
    for (int index = 0; index < 16; ++index) {
        slow.push_back(std::make_unique<RawConnection>(host.port()));
        REQUIRE(slow.back()->send("GET /metrics HTTP/1.1\r\nHost: x\r\nX-Slow: "));
    }
    CHECK(answers_health(host.port()));

    // An oversized request line, oversized headers: a 4xx reply and a closed connection.
    {
        RawConnection huge_line(host.port());
        huge_line.send("GET /" + std::string(std::size_t{64} * 1024, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n");
        const std::string reply = huge_line.read_until_closed(20s);
        CHECK((reply.rfind("HTTP/1.1 431", 0) == 0 || reply.rfind("HTTP/1.1 400", 0) == 0 || reply.empty()));
        CHECK(huge_line.closed_by_peer());
    }
    {
        RawConnection huge_headers(host.port());
        std::string request = "GET /health HTTP/1.1\r\nHost: x\r\n";
        for (int index = 0; index < 200; ++index) {
            request += "X-Padding-" + std::to_string(index) + ": " + std::string(200, 'p') + "\r\n";
        }
        huge_headers.send(request + "\r\n");
        const std::string reply = huge_headers.read_until_closed(20s);
        CHECK(reply.rfind("HTTP/1.1 431", 0) == 0);
    }
    // Garbage: 400 and a closed connection.
    {
        RawConnection garbage(host.port());
        std::string bytes;
        for (int index = 0; index < 4096; ++index) {
            bytes.push_back(static_cast<char>((index * 131 + 7) % 256));
        }
        garbage.send(bytes);
        const std::string reply = garbage.read_until_closed(20s);
        CHECK((reply.empty() || reply.rfind("HTTP/1.1 400", 0) == 0));
        CHECK(garbage.closed_by_peer());
    }
    CHECK(answers_health(host.port()));

    // The slow clients are cut off at the read timeout rather than held forever.
    for (const auto& connection : slow) {
        CHECK(connection->wait_closed_by_peer(30s));
    }
    CHECK(host.running());
    REQUIRE(host.stop() == 0);
    check_no_event_lost(host.summary());
}

TEST_CASE("a thousand idle connections neither lock out a client nor exhaust descriptors", "[hardening][http]") {
    raise_descriptor_limit(4096);
    mdp::test::SyntheticHostOptions options = abuse_options();
    SyntheticHost host(options);
    const std::size_t descriptors_before = mdp::test::open_descriptors(host.pid());

    std::vector<std::unique_ptr<RawConnection>> idle;
    for (int index = 0; index < 1000; ++index) {
        try {
            idle.push_back(std::make_unique<RawConnection>(host.port()));
        } catch (const mdp::test::HttpClientError&) {
            // A refused connection is a polite limit too: the listen backlog is full.
        }
    }
    CHECK(idle.size() >= kMaxConnections);
    // The server keeps at most its cap open (evicting the longest idle), so a real client
    // is still answered and the host's descriptors stay bounded.
    for (int request = 0; request < 10; ++request) {
        CHECK(answers_health(host.port()));
    }
    CHECK(mdp::test::open_descriptors(host.pid()) <= descriptors_before + kMaxConnections + 16);

    idle.clear();
    CHECK(answers_health(host.port()));
    REQUIRE(host.stop() == 0);
    check_no_event_lost(host.summary());
}

TEST_CASE("a flood of /metrics requests while the pipeline runs: bounded memory, exact counts", "[hardening][http]") {
    mdp::test::SyntheticHostOptions options = abuse_options();
    options.provider_names = {"alpha", "beta"};
    options.rate_per_symbol = 2000;
    SyntheticHost host(options);
    // Warm up: the first scrapes allocate what a scrape needs.
    for (int request = 0; request < 50; ++request) {
        REQUIRE(mdp::test::http_get(host.port(), "/metrics").status == 200);
    }
    const std::uint64_t resident_before = mdp::test::resident_bytes(host.pid());

    std::atomic<int> answered{0};
    std::atomic<int> failed{0};
    std::vector<std::thread> scrapers;
    scrapers.reserve(4);
    for (int thread = 0; thread < 4; ++thread) {
        scrapers.emplace_back([&] {
            try {
                HttpClient client(host.port(), "127.0.0.1", 30s);
                for (int request = 0; request < 500; ++request) {
                    const auto response = client.get(request % 2 == 0 ? "/metrics" : "/api/v1/status");
                    (response.status == 200 ? answered : failed)++;
                }
            } catch (const mdp::test::HttpClientError&) {
                failed++;
            }
        });
    }
    // Meanwhile another client still gets its answers.
    bool others_answered = true;
    for (int request = 0; request < 20; ++request) {
        others_answered = others_answered && answers_health(host.port());
    }
    for (auto& scraper : scrapers) {
        scraper.join();
    }
    CHECK(others_answered);
    CHECK(failed == 0);
    CHECK(answered == 2000);

    // A generous bound, not a measurement: it catches memory kept per request or per
    // connection (2,000 requests), not allocator caching or a scrape's working set.
    const std::uint64_t resident_after = mdp::test::resident_bytes(host.pid());
    INFO("resident memory: " << resident_before << " -> " << resident_after << " bytes");
    CHECK(resident_after < resident_before + kResidentGrowthLimitBytes);

    REQUIRE(host.stop() == 0);
    check_no_event_lost(host.summary());
}
