// The scale-out transport end to end on one machine: real mdp-hosts around a real nats-server.
//
//   build/bench/transport_bench e2e     [--seconds S] [--runs N]
//   build/bench/transport_bench scaling [--seconds S] [--latency-ms L] [--rate R]
//
// e2e: events per second from an ingest host (synthetic, unthrottled, 4 symbols -> nats
// sink) through JetStream into a store host (nats provider -> null sink), counted at the store
// host's sink over a window after a warm-up. Baseline, in the same run and on the same
// server: a minimal NATS C client program that publishes the same bytes (binary batches of the
// size the sink sends, encoded beforehand) with the same number of PubAcks in flight and
// consumes them with a pull consumer that fetches and acknowledges each message — the
// transport's cost without mdp. Runs alternate (baseline, mdp, ...), each on a fresh server,
// and the medians are compared.
//
// scaling: 1, 2 and 3 store hosts sharing the consumer, each into a null sink whose every
// write takes --latency-ms (a stand-in for a remote database's commit, so two cores are not
// what limits them), fed by an ingest host at --rate events/s; events stored per second by all
// store hosts together over the window.

#include "median.hpp"
#include "nats_server.hpp"
#include "synthetic_host.hpp"

#include <mdp/plugin.hpp>
#include <mdp/wire/binary_codec.hpp>

#include <nats/nats.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

constexpr const char* kStream = "MDP_BENCH";
constexpr std::size_t kEventsPerMessage = 2500;  // what the sink sends at 20000-event batches, 8 groups

struct Arguments {
    std::string mode;
    double seconds = 10;
    int runs = 3;
    int latency_ms = 20;
    double rate = 300'000;
};

Arguments parse_arguments(int argc, char** argv) {
    Arguments arguments;
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s e2e|scaling [--seconds S] [--runs N] [--latency-ms L] [--rate R]\n", argv[0]);
        std::exit(2);
    }
    arguments.mode = argv[1];
    for (int index = 2; index + 1 < argc; index += 2) {
        const std::string flag = argv[index];
        const double value = std::stod(argv[index + 1]);
        if (flag == "--seconds") {
            arguments.seconds = value;
        } else if (flag == "--runs") {
            arguments.runs = static_cast<int>(value);
        } else if (flag == "--latency-ms") {
            arguments.latency_ms = static_cast<int>(value);
        } else if (flag == "--rate") {
            arguments.rate = value;
        }
    }
    return arguments;
}

void check(natsStatus status, const char* what) {
    if (status != NATS_OK) {
        throw std::runtime_error(std::string(what) + ": " + natsStatus_GetText(status));
    }
}

// One binary batch of kEventsPerMessage trades, as the sink encodes them.
std::string encoded_batch(std::uint64_t first_seq) {
    std::vector<mdp_event_t> events;
    for (std::size_t index = 0; index < kEventsPerMessage; ++index) {
        events.push_back(mdp::sdk::make_trade("AAPL", 1, 2, 100.0 + static_cast<double>(index % 100), 1.0));
    }
    std::string payload;
    mdp::wire::encode_binary_batch(payload, "synthetic", "bench-run", events.size(), [&](std::size_t index) {
        return mdp::wire::EventRef{first_seq + index, &events[index]};
    });
    return payload;
}

// The baseline: publish `messages` copies of one batch (256 PubAcks in flight) while a pull
// consumer fetches and acknowledges them; events per second from first publish to last ack.
double baseline_events_per_second(const std::string& url, std::size_t messages) {
    natsConnection* connection = nullptr;
    check(natsConnection_ConnectTo(&connection, url.c_str()), "connect");
    jsOptions options;
    jsOptions_Init(&options);
    options.PublishAsync.MaxPending = 256;
    jsCtx* js = nullptr;
    check(natsConnection_JetStream(&js, connection, &options), "JetStream");
    jsStreamConfig config;
    jsStreamConfig_Init(&config);
    const char* subjects[] = {"bench.>"};
    config.Name = kStream;
    config.Subjects = subjects;
    config.SubjectsLen = 1;
    config.Retention = js_WorkQueuePolicy;
    config.Storage = js_FileStorage;
    check(js_AddStream(nullptr, js, &config, nullptr, nullptr), "add stream");
    natsSubscription* subscription = nullptr;
    jsSubOptions sub_options;
    jsSubOptions_Init(&sub_options);
    sub_options.Config.AckPolicy = js_AckExplicit;
    sub_options.Config.MaxAckPending = 1024;
    check(js_PullSubscribe(&subscription, js, "bench.>", "baseline", nullptr, &sub_options, nullptr), "subscribe");
    const std::string payload = encoded_batch(1);
    const auto started = Clock::now();
    std::thread consumer([&] {
        std::size_t consumed = 0;
        while (consumed < messages) {
            natsMsgList list{};
            if (natsSubscription_Fetch(&list, subscription, 64, 1000, nullptr) == NATS_OK) {
                for (int index = 0; index < list.Count; ++index) {
                    natsMsg_Ack(list.Msgs[index], nullptr);
                }
                consumed += static_cast<std::size_t>(list.Count);
            }
            natsMsgList_Destroy(&list);
        }
    });
    for (std::size_t index = 0; index < messages; ++index) {
        natsMsg* message = nullptr;
        check(natsMsg_Create(&message, "bench.synthetic.trade.AAPL", nullptr, payload.data(),
                             static_cast<int>(payload.size())),
              "message");
        natsMsgHeader_Set(message, "Mdp-Format", "mdp.events.bin/1");
        const std::string id = "synthetic:bench-run:" + std::to_string(index);
        jsPubOptions publish;
        jsPubOptions_Init(&publish);
        publish.MsgId = id.c_str();
        check(js_PublishMsgAsync(js, &message, &publish), "publish");
    }
    check(js_PublishAsyncComplete(js, nullptr), "PubAcks");
    consumer.join();
    const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
    natsSubscription_Destroy(subscription);
    jsCtx_Destroy(js);
    natsConnection_Destroy(connection);
    return static_cast<double>(messages * kEventsPerMessage) / seconds;
}

mdp::test::SyntheticHostOptions ingest_options(const mdp::test::NatsServer& server, double rate_per_symbol) {
    mdp::test::SyntheticHostOptions options;
    options.symbols = {"AAPL", "MSFT", "SPY", "EURUSD"};
    options.rate_per_symbol = rate_per_symbol;
    options.queue_capacity = 100'000;
    options.batch_size = 20'000;
    options.sink = {{"type", "nats"}, {"name", "bus"}, {"servers", {server.url()}}, {"stream", kStream}};
    return options;
}

mdp::test::SyntheticHostOptions store_options(const mdp::test::NatsServer& server, int latency_ms) {
    mdp::test::SyntheticHostOptions options;
    options.queue_capacity = 100'000;
    options.batch_size = latency_ms > 0 ? 1'000 : 20'000;  // with latency: 50 k events/s per host at 20 ms
    options.sink = {{"type", "null"}, {"name", "sink"}, {"write_latency_ms", latency_ms}};
    options.config_patch = {
        {"providers",
         json::array({{{"name", "store"},
                       {"plugin", "nats"},
                       {"config", {{"servers", {server.url()}}, {"stream", kStream}, {"consumer", "store"}}}}})}};
    return options;
}

std::uint64_t stored(const std::vector<std::unique_ptr<mdp::test::SyntheticHost>>& hosts) {
    std::uint64_t total = 0;
    for (const auto& host : hosts) {
        total += mdp::test::first_sink_events_stored(host->status());
    }
    return total;
}

// Events per second the store hosts stored over `seconds`, after a warm-up of 2 s.
double measure(const std::vector<std::unique_ptr<mdp::test::SyntheticHost>>& hosts, double seconds) {
    std::this_thread::sleep_for(std::chrono::seconds(2));
    const std::uint64_t before = stored(hosts);
    const auto started = Clock::now();
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    const std::uint64_t after = stored(hosts);
    return static_cast<double>(after - before) / std::chrono::duration<double>(Clock::now() - started).count();
}

double mdp_events_per_second(double seconds) {
    const mdp::test::NatsServer server;
    mdp::test::SyntheticHost ingest(ingest_options(server, 0));
    std::vector<std::unique_ptr<mdp::test::SyntheticHost>> stores;
    stores.push_back(std::make_unique<mdp::test::SyntheticHost>(store_options(server, 0)));
    const double rate = measure(stores, seconds);
    (void)ingest.stop();
    return rate;
}

void run_e2e(const Arguments& arguments) {
    std::vector<double> baseline;
    std::vector<double> mdp;
    for (int run = 0; run < arguments.runs; ++run) {
        {
            const mdp::test::NatsServer server;
            baseline.push_back(baseline_events_per_second(server.url(), 800));
        }
        mdp.push_back(mdp_events_per_second(arguments.seconds));
        std::printf("run %d: baseline %.2f M events/s, mdp ingest -> JetStream -> store %.2f M events/s\n", run + 1,
                    baseline.back() / 1e6, mdp.back() / 1e6);
    }
    const double baseline_median = mdp::bench::median(baseline);
    const double mdp_median = mdp::bench::median(mdp);
    std::printf("median: baseline %.2f M events/s, mdp %.2f M events/s, ratio %.2f\n", baseline_median / 1e6,
                mdp_median / 1e6, mdp_median / baseline_median);
}

void run_scaling(const Arguments& arguments) {
    double one = 0;
    for (int count = 1; count <= 3; ++count) {
        const mdp::test::NatsServer server;
        mdp::test::SyntheticHost ingest(ingest_options(server, arguments.rate / 4));
        std::vector<std::unique_ptr<mdp::test::SyntheticHost>> stores;
        for (int index = 0; index < count; ++index) {
            stores.push_back(std::make_unique<mdp::test::SyntheticHost>(store_options(server, arguments.latency_ms)));
        }
        const double rate = measure(stores, arguments.seconds);
        one = count == 1 ? rate : one;
        std::printf("%d store host(s), write latency %d ms: %.0f events/s stored (%.2fx one host)\n", count,
                    arguments.latency_ms, rate, rate / one);
        (void)ingest.stop();
    }
}

}  // namespace

int main(int argc, char** argv) {
    const Arguments arguments = parse_arguments(argc, argv);
    try {
        if (arguments.mode == "e2e") {
            run_e2e(arguments);
        } else if (arguments.mode == "scaling") {
            run_scaling(arguments);
        } else {
            std::fprintf(stderr, "unknown mode %s (e2e or scaling)\n", arguments.mode.c_str());
            return 2;
        }
    } catch (const std::exception& error) {
        std::fprintf(stderr, "transport_bench: %s\n", error.what());
        return 1;
    }
    return 0;
}
