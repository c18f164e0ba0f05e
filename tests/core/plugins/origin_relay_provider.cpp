// Test plugin "origin_relay": uses both delivery extensions (mdp/sdk/stored_delivery.hpp) the
// way a relay of another host's events would. Its start() makes the publish calls its config
// lists, in order, each `count` quotes:
//   {"calls": [{"count": 3, "origin_provider": "ingest-a", "origin_run_id": "run-1",
//               "first_origin_seq": 1},            <- published with that identity
//              {"count": 2}]}                      <- published with the host's own
// It subscribes to stored acknowledgements in its constructor and reports everything it
// learnt as its status detail, for tests to compare exactly:
//   "published 1+3/3 4+2/2 settled S1-4 D5-5"
// = per call first publish sequence + count / accepted ("!" after a call the host rejected),
//   then each settled range as delivered (S stored, D dropped).
// With "settle_before_stop": true its stop() logs "stop: waiting", then waits (at most 5 s) for
// the watermark to reach its last publish sequence and logs "stop: settled through N of M":
// what a provider does that hands back only stored input.

#include <mdp/plugin.hpp>
#include <mdp/sdk/config_problem.hpp>
#include <mdp/sdk/stored_delivery.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

namespace {

struct Call {
    std::uint32_t count = 0;
    bool identified = false;  // the call has "origin_provider"
    std::string origin_provider;
    std::string origin_run_id;
    std::uint64_t first_origin_seq = 1;
};

class OriginRelayProvider final : public mdp::sdk::Provider {
   public:
    OriginRelayProvider(mdp::sdk::Host host, const std::string& /*instance_name*/, std::string_view config_json)
        : Provider(host), acks_(host), identified_(host) {
        const auto config = nlohmann::json::parse(config_json);
        settle_before_stop_ = config.value("settle_before_stop", false);
        for (const auto& call : config.at("calls")) {
            calls_.push_back({call.at("count").get<std::uint32_t>(), call.contains("origin_provider"),
                              call.value("origin_provider", ""), call.value("origin_run_id", ""),
                              call.value("first_origin_seq", std::uint64_t{1})});
        }
        if (!acks_.available() || !identified_.available()) {
            throw mdp::sdk::ConfigProblem("", "this host lacks the stored-acks or publish-identified extension");
        }
        if (!acks_.subscribe(*this)) {
            throw mdp::sdk::ConfigProblem("", "the host refused the stored-acks subscription");
        }
    }

    void start() override {
        for (const Call& call : calls_) {
            publish(call);
        }
        report();
    }
    void stop() override {
        if (!settle_before_stop_) {
            return;
        }
        host().log(mdp::sdk::LogLevel::info, "stop: waiting");
        std::unique_lock lock(mutex_);
        settled_changed_.wait_for(lock, std::chrono::seconds(5), [&] { return watermark_ >= last_published_; });
        host().log(mdp::sdk::LogLevel::info,
                   "stop: settled through " + std::to_string(watermark_) + " of " + std::to_string(last_published_));
    }

    void on_settled(const mdp_stored_ack_t& ack) noexcept {
        std::lock_guard lock(mutex_);
        settled_ += " " + std::string(ack.outcome == MDP_SETTLED_STORED ? "S" : "D") +
                    std::to_string(ack.first_sequence) + "-" + std::to_string(ack.last_sequence);
        watermark_ = ack.last_sequence;
        settled_changed_.notify_all();
        report_locked();
    }

   private:
    void publish(const Call& call) {
        std::vector<mdp_event_t> events;
        std::vector<std::uint64_t> origin_sequences;
        for (std::uint32_t index = 0; index < call.count; ++index) {
            const std::int64_t now_ns = host().now_ns();
            mdp_quote_t quote{100.0 + index, 100.5 + index, 1.0, 2.0, 100.25};
            events.push_back(mdp::sdk::make_quote("RELAY", now_ns + index, now_ns, quote));
            origin_sequences.push_back(call.first_origin_seq + index);
        }
        const mdp::sdk::SequencedPublish published =
            call.identified ? identified_.publish(call.origin_provider.c_str(), call.origin_run_id.c_str(), events,
                                                  origin_sequences)
                            : acks_.publish(events);
        std::lock_guard lock(mutex_);
        if (published.first_sequence != 0) {
            last_published_ = published.first_sequence + call.count - 1;
        }
        published_ += " " + std::to_string(published.first_sequence) + "+" + std::to_string(call.count) + "/" +
                      std::to_string(published.result.accepted) + (published.result.ok() ? "" : "!");
    }

    void report() {
        std::lock_guard lock(mutex_);
        report_locked();
    }
    void report_locked() {
        host().report_state(mdp::sdk::State::running, "published" + published_ + " settled" + settled_);
    }

    mdp::sdk::StoredAcks acks_;
    mdp::sdk::IdentifiedPublisher identified_;
    std::vector<Call> calls_;
    bool settle_before_stop_ = false;
    std::mutex mutex_;
    std::condition_variable settled_changed_;
    std::uint64_t last_published_ = 0;
    std::uint64_t watermark_ = 0;
    std::string published_;
    std::string settled_;
};

}  // namespace

MDP_PLUGIN(OriginRelayProvider, "origin_relay", "Origin relay", "0.1.0", "mdp tests",
           "Publishes with an origin identity and reports its stored acknowledgements")
