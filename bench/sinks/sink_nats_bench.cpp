// Events per second through the nats sink into a local nats-server with JetStream (file
// storage), against the baseline of a minimal NATS C client publisher sending the same bytes
// (same subjects, payloads and message ids, encoded beforehand; the sink's headers except
// Mdp-Run-Id, so the baseline carries slightly less) with the same number
// of messages in flight, in the same run and on the same server. Runs alternate (baseline,
// sink, baseline, ...), each into its own fresh stream, and the medians are compared.
//
//   build/bench/sink_nats_bench [--events N] [--batch N] [--symbols N] [--runs N] [--in-flight N]
//
// The sink side is NatsSink::write() called with consecutive batches of --batch events (what
// the store coordinator hands it), timed from the first write until the last returned (every
// PubAck in). The baseline publishes every message of a batch asynchronously and waits for
// the batch's PubAcks, batch after batch, so both wait for the stream the same way.

#include "nats_server.hpp"
#include "pipeline/store_event.hpp"
#include "sinks/nats/nats_message_plan.hpp"
#include "sinks/nats/nats_sink.hpp"
#include "sinks/nats/nats_subject.hpp"
#include "median.hpp"

#include <mdp/wire/binary_codec.hpp>

#include <nats/nats.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Arguments {
    std::size_t events = 1'000'000;
    std::size_t batch = 20'000;
    std::size_t symbols = 4;
    std::size_t in_flight = 256;
    int runs = 5;
};

Arguments parse_arguments(int argc, char** argv) {
    Arguments arguments;
    for (int index = 1; index < argc; ++index) {
        const std::string flag = argv[index];
        if (index + 1 >= argc) {
            std::fprintf(stderr, "usage: %s [--events N] [--batch N] [--symbols N] [--runs N] [--in-flight N]\n",
                         argv[0]);
            std::exit(2);
        }
        const std::size_t value = std::stoul(argv[++index]);
        if (flag == "--events") {
            arguments.events = value;
        } else if (flag == "--batch") {
            arguments.batch = std::max<std::size_t>(1, value);
        } else if (flag == "--symbols") {
            arguments.symbols = std::max<std::size_t>(1, value);
        } else if (flag == "--runs") {
            arguments.runs = std::max(1, static_cast<int>(value));
        } else if (flag == "--in-flight") {
            arguments.in_flight = std::max<std::size_t>(1, value);
        } else {
            std::fprintf(stderr, "unknown flag %s\n", flag.c_str());
            std::exit(2);
        }
    }
    return arguments;
}

std::vector<mdp::pipeline::StoreEvent> make_events(const Arguments& arguments) {
    std::vector<mdp::pipeline::StoreEvent> events(arguments.events);
    for (std::size_t i = 0; i < events.size(); ++i) {
        auto& record = events[i];
        record.sequence = i + 1;
        record.event.size = sizeof(mdp_event_t);
        record.event.type = MDP_EVENT_QUOTE;
        record.event.event_time_ns = 1'700'000'000'000'000'000 + static_cast<std::int64_t>(i);
        record.event.receive_time_ns = record.event.event_time_ns + 1000;
        std::snprintf(record.event.symbol, MDP_SYMBOL_CAPACITY, "SYM%zu", i % arguments.symbols);
        record.event.body.quote = {100.0 + static_cast<double>(i % 100), 100.02, 100.0, 200.0, 100.01};
    }
    return events;
}

struct PreparedMessage {
    std::string subject;
    std::string message_id;
    std::string payload;
    std::string events;
};

// What the sink would publish for each batch, encoded beforehand (the baseline's input).
std::vector<std::vector<PreparedMessage>> prepare(const std::vector<mdp::pipeline::StoreEvent>& events,
                                                  const Arguments& arguments, const std::string& prefix,
                                                  const std::string& run_id) {
    std::vector<std::vector<PreparedMessage>> batches;
    for (std::size_t start = 0; start < events.size(); start += arguments.batch) {
        const std::span<const mdp::pipeline::StoreEvent> batch(events.data() + start,
                                                               std::min(arguments.batch, events.size() - start));
        std::vector<PreparedMessage> messages;
        for (const auto& planned : mdp::sinks::plan_messages(batch, 4096)) {
            PreparedMessage message;
            const auto& first = batch[planned.indices.front()];
            message.subject =
                mdp::sinks::event_subject(prefix, "synthetic", mdp::common::EventType::quote, first.event.symbol);
            message.message_id =
                mdp::sinks::message_id("synthetic", run_id, first.sequence, batch[planned.indices.back()].sequence);
            mdp::wire::encode_binary_batch(message.payload, "synthetic", run_id, planned.indices.size(),
                                           [&](std::size_t i) {
                                               const auto& record = batch[planned.indices[i]];
                                               return mdp::wire::EventRef{record.sequence, &record.event};
                                           });
            message.events = std::to_string(planned.indices.size());
            messages.push_back(std::move(message));
        }
        batches.push_back(std::move(messages));
    }
    return batches;
}

void check(natsStatus status, const char* what) {
    if (status != NATS_OK) {
        std::fprintf(stderr, "%s: %s\n", what, natsStatus_GetText(status));
        std::exit(1);
    }
}

// The minimal publisher: one connection, a stream like the sink's, async publish with the
// sink's headers but Mdp-Run-Id, a PubAck wait per batch.
double run_baseline(const std::string& url, const std::string& stream, const std::string& prefix,
                    const std::vector<std::vector<PreparedMessage>>& batches, const Arguments& arguments) {
    natsConnection* connection = nullptr;
    check(natsConnection_ConnectTo(&connection, url.c_str()), "connect");
    jsOptions options;
    jsOptions_Init(&options);
    options.PublishAsync.MaxPending = static_cast<int64_t>(arguments.in_flight);
    jsCtx* js = nullptr;
    check(natsConnection_JetStream(&js, connection, &options), "JetStream");
    const std::string subjects = prefix + ".>";
    const char* subject_list[] = {subjects.c_str()};
    jsStreamConfig config;
    jsStreamConfig_Init(&config);
    config.Name = stream.c_str();
    config.Subjects = subject_list;
    config.SubjectsLen = 1;
    config.Retention = js_WorkQueuePolicy;
    config.Discard = js_DiscardNew;
    config.Storage = js_FileStorage;
    config.Duplicates = 120'000'000'000LL;
    check(js_AddStream(nullptr, js, &config, nullptr, nullptr), "add stream");
    const auto started = Clock::now();
    for (const auto& batch : batches) {
        for (const auto& message : batch) {
            natsMsg* msg = nullptr;
            check(natsMsg_Create(&msg, message.subject.c_str(), nullptr, message.payload.data(),
                                 static_cast<int>(message.payload.size())),
                  "message");
            natsMsgHeader_Set(msg, "Mdp-Format", "mdp.events.bin/1");
            natsMsgHeader_Set(msg, "Mdp-Origin", "synthetic");
            natsMsgHeader_Set(msg, "Mdp-Events", message.events.c_str());
            jsPubOptions publish;
            jsPubOptions_Init(&publish);
            publish.MsgId = message.message_id.c_str();
            publish.ExpectStream = stream.c_str();
            check(js_PublishMsgAsync(js, &msg, &publish), "publish");
            natsMsg_Destroy(msg);
        }
        check(js_PublishAsyncComplete(js, nullptr), "PubAcks");
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
    jsCtx_Destroy(js);
    natsConnection_Destroy(connection);
    return seconds;
}

double run_sink(const std::string& url, const std::string& stream, const std::string& prefix, const std::string& run_id,
                const std::vector<mdp::pipeline::StoreEvent>& events, const Arguments& arguments) {
    mdp::sinks::NatsSinkOptions options;
    options.servers = {url};
    options.stream = stream;
    options.subject_prefix = prefix;
    options.max_in_flight = arguments.in_flight;
    mdp::sinks::NatsSink sink("bench", options);
    sink.open({run_id, mdp::sinks::ProviderNames{"synthetic"}});
    const auto started = Clock::now();
    for (std::size_t start = 0; start < events.size(); start += arguments.batch) {
        sink.write(std::span<const mdp::pipeline::StoreEvent>(events.data() + start,
                                                              std::min(arguments.batch, events.size() - start)));
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
    sink.close();
    return seconds;
}

}  // namespace

int main(int argc, char** argv) {
    const Arguments arguments = parse_arguments(argc, argv);
    spdlog::set_level(spdlog::level::warn);
    mdp::test::NatsServer server;
    const auto events = make_events(arguments);
    std::vector<double> baseline_rates;
    std::vector<double> sink_rates;
    for (int run = 0; run < arguments.runs; ++run) {
        const std::string tag = std::to_string(run);
        const auto prepared = prepare(events, arguments, "base" + tag, "base-run-" + tag);
        const double baseline = run_baseline(server.url(), "BASE" + tag, "base" + tag, prepared, arguments);
        const double sink = run_sink(server.url(), "SINK" + tag, "sink" + tag, "sink-run-" + tag, events, arguments);
        baseline_rates.push_back(static_cast<double>(events.size()) / baseline);
        sink_rates.push_back(static_cast<double>(events.size()) / sink);
        std::printf("run %d: baseline %.0f events/s, sink %.0f events/s\n", run, baseline_rates.back(),
                    sink_rates.back());
    }
    const double baseline = mdp::bench::median(baseline_rates);
    const double sink = mdp::bench::median(sink_rates);
    std::printf("median of %d: baseline %.0f events/s, sink %.0f events/s, sink/baseline %.2f\n", arguments.runs,
                baseline, sink, sink / baseline);
    return 0;
}
