// The scale-out transport end to end on one machine: real mdp-hosts around a real nats-server.
//
//   build/bench/transport_bench e2e     [--seconds S] [--runs N] [--unlimited] [--batches-in-flight B]
//   build/bench/transport_bench halves  [--seconds S] [--runs N]
//   build/bench/transport_bench scaling [--seconds S] [--latency-ms L] [--rate R]
//
// e2e: events per second from an ingest host (synthetic, unthrottled, 4 symbols -> nats
// sink) through JetStream into a store host (nats provider -> null sink), counted at the store
// host's sink over a window after a warm-up of 2 s. Baseline, in the same run and measured the
// same way: a minimal NATS C client program that publishes the same bytes (binary batches of
// the size the sink sends, encoded beforehand) with the same number of PubAcks in flight into
// a stream configured as the sink creates it, and consumes them with a pull consumer that
// fetches and acknowledges each message — the transport's cost without mdp. Runs alternate
// (baseline, mdp, ...), each on a fresh server, and the medians are compared. --unlimited:
// both streams without the default byte limit. --batches-in-flight: the ingest sink's
// max_batches_in_flight (1: it waits for each batch's PubAcks before publishing the next).
//
// halves: the two hosts apart — the ingest host alone (no consumer, an unlimited stream) next
// to the baseline's publisher alone, and a store host draining a stream filled beforehand.
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
constexpr std::size_t kBaselineLeadMessages = 1024;  // the consumer's max_ack_pending

struct Arguments {
    std::string mode;
    double seconds = 10;
    int runs = 3;
    int latency_ms = 20;
    double rate = 300'000;
    bool unlimited = false;  // streams without a byte limit, on both sides
    int batches_in_flight = 0;  // the ingest sink's max_batches_in_flight; 0: its default
};

Arguments parse_arguments(int argc, char** argv) {
    Arguments arguments;
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s e2e|scaling [--seconds S] [--runs N] [--latency-ms L] [--rate R]\n", argv[0]);
        std::exit(2);
    }
    arguments.mode = argv[1];
    for (int index = 2; index < argc; index += 2) {
        const std::string flag = argv[index];
        if (flag == "--unlimited") {
            arguments.unlimited = true;
            --index;
            continue;
        }
        if (index + 1 == argc) {
            break;
        }
        const double value = std::stod(argv[index + 1]);
        if (flag == "--seconds") {
            arguments.seconds = value;
        } else if (flag == "--runs") {
            arguments.runs = static_cast<int>(value);
        } else if (flag == "--latency-ms") {
            arguments.latency_ms = static_cast<int>(value);
        } else if (flag == "--rate") {
            arguments.rate = value;
        } else if (flag == "--batches-in-flight") {
            arguments.batches_in_flight = static_cast<int>(value);
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

// A connection and JetStream context for the baseline programs, with the stream created as
// the nats sink creates it by default (nats_sink_options.hpp), or with no byte limit. The
// limit and its discard policy cost the server time per message (nats-server 2.9 looks at the
// stream's state for each), so the baseline pays that as mdp does.
struct BaselineClient {
    BaselineClient(const std::string& url, bool unlimited) {
        check(natsConnection_ConnectTo(&connection, url.c_str()), "connect");
        jsOptions options;
        jsOptions_Init(&options);
        options.PublishAsync.MaxPending = 256;
        check(natsConnection_JetStream(&js, connection, &options), "JetStream");
        jsStreamConfig config;
        jsStreamConfig_Init(&config);
        const char* subjects[] = {"mdp.events.>"};  // the sink's default subjects
        config.Name = kStream;
        config.Subjects = subjects;
        config.SubjectsLen = 1;
        config.Retention = js_WorkQueuePolicy;
        config.Storage = js_FileStorage;
        config.MaxBytes = unlimited ? -1 : std::int64_t{1} << 30;
        config.Discard = js_DiscardNew;
        check(js_AddStream(nullptr, js, &config, nullptr, nullptr), "add stream");
    }
    ~BaselineClient() {
        jsCtx_Destroy(js);
        natsConnection_Destroy(connection);
    }
    BaselineClient(const BaselineClient&) = delete;
    BaselineClient& operator=(const BaselineClient&) = delete;

    // Publishes one batch as the sink would (format header, a message id), without waiting
    // for its PubAck (at most 256 in flight).
    void publish(const std::string& payload, std::size_t index) const {
        natsMsg* message = nullptr;
        check(natsMsg_Create(&message, "mdp.events.synthetic.trade.AAPL", nullptr, payload.data(),
                             static_cast<int>(payload.size())),
              "message");
        natsMsgHeader_Set(message, "Mdp-Format", "mdp.events.bin/1");
        const std::string id = "synthetic:bench-run:" + std::to_string(index);
        jsPubOptions publish_options;
        jsPubOptions_Init(&publish_options);
        publish_options.MsgId = id.c_str();
        natsStatus status = NATS_TIMEOUT;
        while (status == NATS_TIMEOUT) {  // 256 PubAcks outstanding for longer than the stall wait
            status = js_PublishMsgAsync(js, &message, &publish_options);
        }
        natsMsg_Destroy(message);  // no-op when the client took it
        check(status, "publish");
    }

    natsConnection* connection = nullptr;
    jsCtx* js = nullptr;
};

// The baseline, measured as mdp is: one thread publishes copies of one batch (256 PubAcks in
// flight, at most kBaselineLeadMessages ahead of the consumer) while another, on a connection
// of its own, pulls them with a durable consumer (batches of 64) and acknowledges
// each; events acknowledged per second over `seconds`, after a warm-up of 2 s.
double baseline_events_per_second(const std::string& url, double seconds, bool unlimited) {
    // Two connections, as the two hosts have: one publishes, one consumes.
    const BaselineClient client(url, unlimited);
    const BaselineClient consuming(url, unlimited);
    natsSubscription* subscription = nullptr;
    jsSubOptions sub_options;
    jsSubOptions_Init(&sub_options);
    sub_options.Config.AckPolicy = js_AckExplicit;
    sub_options.Config.MaxAckPending = 1024;
    check(js_PullSubscribe(&subscription, consuming.js, "mdp.events.>", "baseline", nullptr, &sub_options, nullptr),
          "subscribe");
    const std::string payload = encoded_batch(1);
    std::atomic<bool> stop{false};
    std::atomic<std::uint64_t> consumed_events{0};
    std::atomic<std::uint64_t> consumed_messages{0};
    std::thread consumer([&] {
        while (!stop.load()) {
            natsMsgList list{};
            if (natsSubscription_Fetch(&list, subscription, 64, 200, nullptr) == NATS_OK) {
                for (int index = 0; index < list.Count; ++index) {
                    natsMsg_Ack(list.Msgs[index], nullptr);
                }
                consumed_events += static_cast<std::uint64_t>(list.Count) * kEventsPerMessage;
                consumed_messages += static_cast<std::uint64_t>(list.Count);
            }
            natsMsgList_Destroy(&list);
        }
    });
    std::string publish_error;
    std::thread publisher([&] {
        try {
            for (std::size_t index = 0; !stop.load(); ++index) {
                // A bounded lead over the consumer, as in the mdp run, whose store host keeps up:
                // the stream holds a small backlog instead of filling up.
                while (index > consumed_messages.load() + kBaselineLeadMessages && !stop.load()) {
                    std::this_thread::sleep_for(std::chrono::microseconds(100));
                }
                client.publish(payload, index);
            }
        } catch (const std::exception& error) {
            publish_error = error.what();
        }
    });
    std::this_thread::sleep_for(std::chrono::seconds(2));
    const std::uint64_t before = consumed_events.load();
    const auto started = Clock::now();
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    const std::uint64_t after = consumed_events.load();
    const double elapsed = std::chrono::duration<double>(Clock::now() - started).count();
    stop = true;
    publisher.join();
    consumer.join();
    natsSubscription_Destroy(subscription);
    if (!publish_error.empty()) {
        throw std::runtime_error("baseline publisher: " + publish_error);
    }
    return static_cast<double>(after - before) / elapsed;
}

// Publishes `messages` copies of one batch and waits for every PubAck: a stream for a store
// host to drain. Returns events per second from the first publish to the last PubAck.
double prefill_events_per_second(const std::string& url, std::size_t messages) {
    const BaselineClient client(url, true);
    const std::string payload = encoded_batch(1);
    const auto started = Clock::now();
    for (std::size_t index = 0; index < messages; ++index) {
        client.publish(payload, index);
    }
    check(js_PublishAsyncComplete(client.js, nullptr), "PubAcks");
    const double elapsed = std::chrono::duration<double>(Clock::now() - started).count();
    return static_cast<double>(messages * kEventsPerMessage) / elapsed;
}

mdp::test::SyntheticHostOptions ingest_options(const mdp::test::NatsServer& server, double rate_per_symbol,
                                               bool unlimited = false, int batches_in_flight = 0) {
    mdp::test::SyntheticHostOptions options;
    options.symbols = {"AAPL", "MSFT", "SPY", "EURUSD"};
    options.rate_per_symbol = rate_per_symbol;
    options.queue_capacity = 100'000;
    options.batch_size = 20'000;
    options.sink = {{"type", "nats"}, {"name", "bus"}, {"servers", {server.url()}}, {"stream", kStream}};
    if (unlimited) {
        options.sink["max_bytes"] = -1;
    }
    if (batches_in_flight > 0) {
        options.sink["max_batches_in_flight"] = batches_in_flight;
    }
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

double mdp_events_per_second(const Arguments& arguments) {
    const mdp::test::NatsServer server;
    mdp::test::SyntheticHost ingest(ingest_options(server, 0, arguments.unlimited, arguments.batches_in_flight));
    std::vector<std::unique_ptr<mdp::test::SyntheticHost>> stores;
    stores.push_back(std::make_unique<mdp::test::SyntheticHost>(store_options(server, 0)));
    const double rate = measure(stores, arguments.seconds);
    (void)ingest.stop();
    return rate;
}

void run_e2e(const Arguments& arguments) {
    std::vector<double> baseline;
    std::vector<double> mdp;
    for (int run = 0; run < arguments.runs; ++run) {
        {
            const mdp::test::NatsServer server;
            try {
                baseline.push_back(baseline_events_per_second(server.url(), arguments.seconds, arguments.unlimited));
            } catch (const std::exception& error) {
                const std::string log = server.log();
                throw std::runtime_error(std::string(error.what()) + "; nats-server's log ends:\n" +
                                         log.substr(log.size() > 2000 ? log.size() - 2000 : 0));
            }
        }
        mdp.push_back(mdp_events_per_second(arguments));
        std::printf("run %d: baseline %.2f M events/s, mdp ingest -> JetStream -> store %.2f M events/s\n", run + 1,
                    baseline.back() / 1e6, mdp.back() / 1e6);
    }
    const double baseline_median = mdp::bench::median(baseline);
    const double mdp_median = mdp::bench::median(mdp);
    std::printf("median: baseline %.2f M events/s, mdp %.2f M events/s, ratio %.2f\n", baseline_median / 1e6,
                mdp_median / 1e6, mdp_median / baseline_median);
}

// The two halves apart, each next to the baseline's same half: the ingest host alone
// publishing into the stream (events per second its sink had acknowledged), and a store host
// draining a stream the baseline publisher filled beforehand.
void run_halves(const Arguments& arguments) {
    for (int run = 0; run < arguments.runs; ++run) {
        double publish_only = 0;
        {
            const mdp::test::NatsServer server;
            publish_only = prefill_events_per_second(server.url(), 800);
        }
        double ingest_rate = 0;
        {
            const mdp::test::NatsServer server;
            mdp::test::SyntheticHost ingest(ingest_options(server, 0, true));  // nothing drains the stream here
            std::this_thread::sleep_for(std::chrono::seconds(2));
            const std::uint64_t before = mdp::test::first_sink_events_stored(ingest.status());
            const auto started = Clock::now();
            std::this_thread::sleep_for(std::chrono::duration<double>(arguments.seconds));
            const std::uint64_t after = mdp::test::first_sink_events_stored(ingest.status());
            ingest_rate =
                static_cast<double>(after - before) / std::chrono::duration<double>(Clock::now() - started).count();
            (void)ingest.stop();
        }
        double drain_rate = 0;
        {
            const mdp::test::NatsServer server;
            const std::size_t messages = 2000;
            (void)prefill_events_per_second(server.url(), messages);
            const auto started = Clock::now();
            mdp::test::SyntheticHost store(store_options(server, 0));
            while (mdp::test::first_sink_events_stored(store.status()) < messages * kEventsPerMessage) {
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
            }
            drain_rate = static_cast<double>(messages * kEventsPerMessage) /
                         std::chrono::duration<double>(Clock::now() - started).count();
        }
        std::printf(
            "run %d: baseline publish only %.2f M events/s, ingest host %.2f M events/s, store host "
            "draining %.2f M events/s (start-up included)\n",
            run + 1, publish_only / 1e6, ingest_rate / 1e6, drain_rate / 1e6);
    }
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
        } else if (arguments.mode == "halves") {
            run_halves(arguments);
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
