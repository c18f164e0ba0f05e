// How fast the ibkr provider turns TWS socket bytes into published events.
//
// The fake gateway (in this process, its own thread) blasts N tick messages over loopback
// once S subscriptions are in. Three measurements of the same bytes, each repeated:
//   raw read    a plain client completes the handshake, then only recv()s and counts bytes:
//               the ceiling loopback sets on this machine
//   decode      the same bytes from memory through framing, decoding, translation and the
//               conflation buffer (no socket, no publisher thread): the CPU cost alone
//   pipeline    the real IbkrProvider (socket thread + publisher thread) against a host stub
//               whose publish copies the events like the store queue would
// Messages per second = N / (time from the first blast byte or event to the last).
//
// usage: ibkr_throughput [--messages N] [--symbols S] [--repeat R] [--server-version V]

#include "codec/client_message_codec.hpp"
#include "codec/frame_decoder.hpp"
#include "codec/handshake.hpp"
#include "codec/server_message_codec.hpp"
#include "config/ibkr_config.hpp"
#include "fake_gateway/fake_gateway.hpp"
#include "fake_gateway/market_feed.hpp"
#include "market_data/market_data_translator.hpp"
#include "market_data/outbound_buffer.hpp"
#include "provider/ibkr_provider.hpp"
#include "session/request_ids.hpp"
#include "median.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

namespace {

using Clock = std::chrono::steady_clock;
using namespace mdp::ibkr;

struct Settings {
    std::size_t messages = 10'000'000;
    std::size_t symbols = 8;
    int repeat = 3;
    int server_version = 176;
};

Settings parse_settings(int argc, char** argv) {
    Settings settings;
    for (int index = 1; index + 1 < argc; index += 2) {
        const std::string option = argv[index];
        const auto value = std::stoull(argv[index + 1]);
        if (option == "--messages") {
            settings.messages = value;
        } else if (option == "--symbols") {
            settings.symbols = value;
        } else if (option == "--repeat") {
            settings.repeat = static_cast<int>(value);
        } else if (option == "--server-version") {
            settings.server_version = static_cast<int>(value);
        } else {
            throw std::runtime_error("unknown option " + option);
        }
    }
    return settings;
}

std::vector<std::string> symbol_names(std::size_t count) {
    std::vector<std::string> names;
    for (std::size_t index = 0; index < count; ++index) {
        names.push_back("SYM" + std::to_string(index));
    }
    return names;
}

std::vector<int> market_data_ids(std::size_t count) {
    std::vector<int> ids;
    for (std::size_t index = 0; index < count; ++index) {
        ids.push_back(request_ids::market_data(index));
    }
    return ids;
}

// The exact bytes the gateway blasts (the same function it uses).
std::string blast_bytes(const Settings& settings) {
    const std::vector<int> ids = market_data_ids(settings.symbols);
    const std::size_t cycle_messages = settings.symbols * 6 * 997;
    std::string bytes;
    std::size_t remaining = settings.messages;
    const std::string cycle = fake::encode_blast_cycle(ids, cycle_messages, settings.server_version);
    bytes.reserve(settings.messages * 30);
    while (remaining >= cycle_messages) {
        bytes += cycle;
        remaining -= cycle_messages;
    }
    bytes += fake::encode_blast_cycle(ids, remaining, settings.server_version);
    return bytes;
}

std::unique_ptr<fake::FakeGateway> start_gateway(const Settings& settings, std::ostream& log) {
    fake::GatewayOptions options;
    options.server_version = settings.server_version;
    options.ticks = fake::TickSource::none;
    options.blast_messages = settings.messages;
    options.blast_after_subscriptions = static_cast<int>(settings.symbols);
    options.max_lines = static_cast<int>(settings.symbols) + 10;
    options.pacing_limit = 1'000'000;  // the raw client subscribes without pacing
    options.quiet = true;
    auto gateway = std::make_unique<fake::FakeGateway>(options, log);
    gateway->start();
    return gateway;
}

// The provider config: the bench's symbols at the gateway's port.
std::string provider_config_json(const Settings& settings, std::uint16_t port) {
    std::string contracts;
    for (const auto& name : symbol_names(settings.symbols)) {
        contracts += (contracts.empty() ? "\"" : ", \"") + name + "\"";
    }
    return "{\"port\": " + std::to_string(port) + ", \"contracts\": [" + contracts +
           "], \"buffer_capacity\": 262144, \"max_messages_per_second\": 50, \"max_market_data_lines\": " +
           std::to_string(settings.symbols) + "}";
}

// ---------------------------------------------------------------- raw read

int connect_loopback(std::uint16_t port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        throw std::runtime_error("cannot connect to the fake gateway");
    }
    const int receive_bytes = 4 * 1024 * 1024;  // as the provider's socket
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receive_bytes, sizeof receive_bytes);
    return fd;
}

void send_all(int fd, const std::string& bytes) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
        const ssize_t written = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        if (written <= 0) {
            throw std::runtime_error("send failed");
        }
        sent += static_cast<std::size_t>(written);
    }
}

// Handshake and subscriptions with the codec, then plain recv() of the blast.
double raw_read_seconds(const Settings& settings, std::size_t blast_size) {
    std::ostringstream log;
    auto gateway = start_gateway(settings, log);
    const int fd = connect_loopback(gateway->port());
    std::string out;
    append_client_hello(out, {100, settings.server_version, {}});
    send_all(fd, out);

    FrameDecoder decoder;
    auto next_frame = [&]() -> std::string {
        while (true) {
            if (auto frame = decoder.next_frame()) {
                return std::string(*frame);
            }
            auto space = decoder.writable();
            const ssize_t received = ::recv(fd, space.data(), space.size(), 0);
            if (received <= 0) {
                throw std::runtime_error("the gateway closed the connection during the handshake");
            }
            decoder.commit(static_cast<std::size_t>(received));
        }
    };
    const auto hello = try_decode_server_hello(next_frame());
    if (!hello) {
        throw std::runtime_error("no server hello");
    }
    out.clear();
    encode(out, StartApi{99, {}}, hello->server_version);
    const auto names = symbol_names(settings.symbols);
    for (std::size_t index = 0; index < names.size(); ++index) {
        ReqMktData request;
        request.request_id = request_ids::market_data(index);
        request.contract.symbol = names[index];
        request.contract.sec_type = "STK";
        request.contract.exchange = "SMART";
        request.contract.currency = "USD";
        request.generic_tick_list = "233";
        encode(out, request, hello->server_version);
    }
    send_all(fd, out);
    // Each subscription is answered by marketDataType + tickReqParams; the blast follows
    // the last of them.
    std::size_t params_seen = 0;
    while (params_seen < settings.symbols) {
        const std::string frame = next_frame();
        params_seen += frame.rfind("81", 0) == 0 ? 1 : 0;
    }
    std::size_t received_total = decoder.buffered_bytes();
    std::vector<char> buffer(std::size_t{256} * 1024);
    Clock::time_point first{};
    if (received_total > 0) {
        first = Clock::now();
    }
    while (received_total < blast_size) {
        const ssize_t received = ::recv(fd, buffer.data(), buffer.size(), 0);
        if (received <= 0) {
            throw std::runtime_error("the gateway closed the connection during the blast");
        }
        if (first == Clock::time_point{}) {
            first = Clock::now();
        }
        received_total += static_cast<std::size_t>(received);
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - first).count();
    ::close(fd);
    gateway->stop();
    return seconds;
}

// ---------------------------------------------------------------- decode from memory

struct DecodeRun {
    double seconds = 0.0;
    std::uint64_t events = 0;
};

// The socket thread's work without the socket: frames, decode, translate, buffer hand-off.
DecodeRun decode_from_memory(const Settings& settings, const std::string& bytes) {
    const IbkrConfig config = parse_ibkr_config(provider_config_json(settings, 1));
    MarketDataTranslator translator(config.contracts, config.uses_rt_volume());
    OutboundBuffer buffer(config.contracts.size(), 1 << 20, std::chrono::seconds(1));
    std::vector<mdp_event_t> drained;
    FrameDecoder decoder;
    DecodeRun run;
    const auto start = Clock::now();
    constexpr std::size_t kReadBytes = std::size_t{64} * 1024;  // one socket read's worth
    for (std::size_t offset = 0; offset < bytes.size(); offset += kReadBytes) {
        const std::size_t size = std::min(kReadBytes, bytes.size() - offset);
        auto space = decoder.writable(size);
        std::memcpy(space.data(), bytes.data() + offset, size);
        decoder.commit(size);
        translator.begin_batch(0);
        while (const auto frame = decoder.next_frame()) {
            decode_server_message(*frame, settings.server_version, translator);
        }
        buffer.push(translator.batch(), 1.0, Clock::now());
        run.events += translator.batch().size();
        translator.batch().clear();
        drained.clear();
        buffer.take_publishable(drained, 1.0, Clock::now());
    }
    run.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    return run;
}

// ---------------------------------------------------------------- full pipeline

// A host whose publish copies the events into a ring, as the store queue would, and counts.
struct CountingHost {
    mdp_host_t table{};
    std::atomic<std::uint64_t> events{0};
    std::atomic<std::int64_t> first_event_ns{0};
    std::vector<mdp_event_t> ring = std::vector<mdp_event_t>(1 << 16);
    std::size_t ring_position = 0;

    CountingHost() {
        table.size = sizeof table;
        table.abi_version = MDP_ABI_VERSION_INIT;
        table.host_data = this;
        table.publish = [](const mdp_host_t* host, const mdp_event_t* batch, uint32_t count,
                           mdp_publish_result_t* result) -> int32_t {
            auto& self = *static_cast<CountingHost*>(host->host_data);
            if (self.first_event_ns.load(std::memory_order_relaxed) == 0) {
                self.first_event_ns.store(Clock::now().time_since_epoch().count());
            }
            for (uint32_t index = 0; index < count; ++index) {  // the copy the host makes
                self.ring[self.ring_position] = batch[index];
                self.ring_position = (self.ring_position + 1) & (self.ring.size() - 1);
            }
            self.events.fetch_add(count, std::memory_order_release);
            if (result != nullptr) {
                result->accepted = count;
                result->level = MDP_LEVEL_OK;
                result->rate_scale = 1.0;
            }
            return MDP_OK;
        };
        table.rate_scale = [](const mdp_host_t*) { return 1.0; };
        table.log = [](const mdp_host_t*, int32_t, const char*) {};
        table.report_state = [](const mdp_host_t*, int32_t, const char*) {};
        table.now_ns = [](const mdp_host_t*) -> int64_t {
            return std::chrono::duration_cast<std::chrono::nanoseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                .count();
        };
        table.get_extension = [](const mdp_host_t*, const char*) -> const void* { return nullptr; };
    }
};

struct PipelineRun {
    double seconds = 0.0;
    std::uint64_t published = 0;
    std::uint64_t conflated = 0;  // quotes superseded while the publisher was behind
};

// Done when every message's event has been decoded and nothing is left in the buffer: all
// of it was published (or, for a quote, superseded by a newer one that was).
PipelineRun run_pipeline(const Settings& settings, std::uint64_t expected_events) {
    std::ostringstream log;
    auto gateway = start_gateway(settings, log);
    CountingHost host;
    IbkrProvider provider(mdp::sdk::Host(&host.table), "bench", provider_config_json(settings, gateway->port()));
    provider.start();
    const auto deadline = Clock::now() + std::chrono::minutes(5);
    while (true) {
        const auto counters = provider.buffer_counters();
        if (counters.pushed >= expected_events && counters.queued == 0 && counters.held_quotes == 0 &&
            host.events.load(std::memory_order_acquire) == counters.released) {
            break;
        }
        if (Clock::now() > deadline) {
            throw std::runtime_error("pipeline did not finish within 5 minutes (decoded " +
                                     std::to_string(counters.pushed) + " of " + std::to_string(expected_events) +
                                     " events)");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    PipelineRun run;
    const auto end = Clock::now();
    const Clock::time_point first{Clock::duration(host.first_event_ns.load())};
    run.seconds = std::chrono::duration<double>(end - first).count();
    provider.stop();
    gateway->stop();
    run.published = host.events.load();
    run.conflated = provider.buffer_counters().quotes_conflated;
    return run;
}

// The machine's load while measuring: other work on the same cores skews wall-clock rates.
std::string load_average() {
    std::ifstream file("/proc/loadavg");
    std::string one, five;
    file >> one >> five;
    return one + " (1 min), " + five + " (5 min)";
}

}  // namespace

int main(int argc, char** argv) {
    try {
        const Settings settings = parse_settings(argc, argv);
        const std::string bytes = blast_bytes(settings);
        const DecodeRun reference = decode_from_memory(settings, bytes);
        const double messages = static_cast<double>(settings.messages);
        std::printf(
            "ibkr throughput: %zu tick messages (%.1f MB, %.1f bytes/message) over %zu symbols, server "
            "version %d, %d runs each (median)\n",
            settings.messages, static_cast<double>(bytes.size()) / 1e6, static_cast<double>(bytes.size()) / messages,
            settings.symbols, settings.server_version, settings.repeat);
        std::printf("each message yields an event: %llu events expected; load average %s\n",
                    static_cast<unsigned long long>(reference.events), load_average().c_str());

        std::vector<double> raw, decode, pipeline;
        std::uint64_t published = 0;
        std::uint64_t conflated = 0;
        for (int run = 0; run < settings.repeat; ++run) {
            raw.push_back(raw_read_seconds(settings, bytes.size()));
            decode.push_back(decode_from_memory(settings, bytes).seconds);
            const PipelineRun result = run_pipeline(settings, reference.events);
            pipeline.push_back(result.seconds);
            published += result.published;
            conflated += result.conflated;
        }
        const auto report = [&](const char* name, double seconds) {
            std::printf("  %-44s %8.3f s  %8.2f M messages/s  %8.1f MB/s\n", name, seconds, messages / seconds / 1e6,
                        static_cast<double>(bytes.size()) / seconds / 1e6);
        };
        report("raw loopback read (recv only, baseline)", mdp::bench::median(raw));
        report("decode from memory (frame+decode+translate)", mdp::bench::median(decode));
        report("pipeline: socket -> published events", mdp::bench::median(pipeline));
        std::printf("  pipeline / raw read: %.0f%%; load average now %s\n",
                    100.0 * mdp::bench::median(raw) / mdp::bench::median(pipeline), load_average().c_str());
        std::printf(
            "  pipeline runs published %llu events; %llu quotes were conflated while the publisher was "
            "behind (%.3f%%)\n",
            static_cast<unsigned long long>(published), static_cast<unsigned long long>(conflated),
            100.0 * static_cast<double>(conflated) / static_cast<double>(published + conflated));
        return 0;
    } catch (const std::exception& error) {
        std::cerr << "ibkr_throughput: " << error.what() << "\n";
        return 1;
    }
}
