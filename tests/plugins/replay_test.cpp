// The replay provider without mdp-host: reading recordings (CSV, JSONL, bad input with file
// and line), the schedule the player computes (recorded pace x speed, loops), what each
// step publishes, and the pause at rate scale 0.
#include "child_process.hpp"
#include "recording.hpp"
#include "recording_host.hpp"
#include "replay_config.hpp"
#include "replay_player.hpp"
#include "replay_provider.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>

using namespace mdp::replay;
using mdp::test::eventually;
using mdp::test::RecordingHost;
using mdp::test::TempDir;

namespace {

constexpr std::chrono::seconds kPatience{30};
constexpr std::int64_t kSecond = 1'000'000'000;

std::filesystem::path write_file(const TempDir& dir, const std::string& name, const std::string& text) {
    auto path = dir / name;
    std::ofstream(path) << text;
    return path;
}

std::string error_of(const RecordingSource& source) {
    try {
        (void)read_recording(source);
    } catch (const RecordingError& error) {
        return error.what();
    }
    return "accepted";
}

// Three trades of one symbol at 0 s, 1 s and 3 s (recorded times).
const char* const kThreeTrades =
    "type,symbol,event_time_ns,price,size,exchange\n"
    "trade,AAA,1000000000000,10.5,100,X\n"
    "trade,AAA,1000000000000000000,10.75,200,\n"
    "trade,AAA,1000000003000000000,11,300,Y\n";

}  // namespace

TEST_CASE("replay recording: CSV rows become events with every column", "[replay][recording]") {
    TempDir dir("mdp-replay-csv");
    const auto file = write_file(dir, "mixed.csv",
                                 "symbol,type,event_time_ns,bid,ask,bid_size,ask_size,price,size,exchange,conditions,"
                                 "interval_ns,open,high,low,close,volume,vwap,trade_count,delayed\n"
                                 "AAA,quote,5,1.25,1.5,10,20,,,,,,,,,,,,,1\n"
                                 "BBB,trade,6,,,,,99.5,7,\"NY,SE\",\"a\"\"b\",,,,,,,,,\n"
                                 "CCC,bar,7,,,,,,,,,60000000000,1,2,0.5,1.5,1000,1.2,42,false\r\n");
    const Recording recording = read_recording({file, RecordingFormat::csv, BadRows::fail, {}});
    REQUIRE(recording.events.size() == 3);
    const auto& quote = recording.events[0];
    CHECK(quote.type == MDP_EVENT_QUOTE);
    CHECK(std::string(quote.symbol) == "AAA");
    CHECK(quote.event_time_ns == 5);
    CHECK(quote.body.quote.bid == 1.25);
    CHECK(quote.body.quote.ask_size == 20);
    CHECK(std::isnan(quote.body.quote.last));  // an empty cell is "not known"
    CHECK(quote.flags == MDP_EVENT_FLAG_DELAYED);
    const auto& trade = recording.events[1];
    CHECK(trade.body.trade.price == 99.5);
    CHECK(std::string(trade.body.trade.exchange) == "NY,SE");
    CHECK(std::string(trade.body.trade.conditions) == "a\"b");
    const auto& bar = recording.events[2];
    CHECK(bar.body.bar.interval_ns == 60'000'000'000);
    CHECK(bar.body.bar.trade_count == 42);
    CHECK(bar.flags == 0);
}

TEST_CASE("replay recording: JSONL lines as the jsonl sink writes them", "[replay][recording]") {
    TempDir dir("mdp-replay-jsonl");
    const auto file =
        write_file(dir, "capture.jsonl",
                   R"({"provider":"a","run_id":"r","seq":1,"type":"trade","symbol":"AAA","event_time_ns":10,)"
                   R"("receive_time_ns":11,"flags":{"delayed":false,"snapshot":true},"price":1.5,"size":null,)"
                   R"("exchange":"X","conditions":""})"
                   "\n"
                   R"({"provider":"b","run_id":"r","seq":1,"type":"quote","symbol":"BBB","event_time_ns":12,)"
                   R"("receive_time_ns":13,"flags":{"delayed":true,"snapshot":false},"bid":1,"ask":2,"bid_size":3,)"
                   R"("ask_size":4,"last":null})"
                   "\n");
    const Recording all = read_recording({file, RecordingFormat::jsonl, BadRows::fail, {}});
    REQUIRE(all.events.size() == 2);
    CHECK(all.events[0].body.trade.price == 1.5);
    CHECK(std::isnan(all.events[0].body.trade.size));
    CHECK(all.events[0].flags == MDP_EVENT_FLAG_SNAPSHOT);
    CHECK(all.events[1].body.quote.ask_size == 4);
    const Recording only_b = read_recording({file, RecordingFormat::jsonl, BadRows::fail, std::string("b")});
    REQUIRE(only_b.events.size() == 1);
    CHECK(std::string(only_b.events[0].symbol) == "BBB");
}

TEST_CASE("replay recording: bad input names the file and the line", "[replay][recording]") {
    TempDir dir("mdp-replay-bad");
    const auto missing = dir / "missing.csv";
    CHECK(error_of({missing, RecordingFormat::csv, BadRows::fail, {}}) ==
          missing.string() + ": cannot open: No such file or directory");

    const auto bad_header = write_file(dir, "header.csv", "type,symbol,event_time_ns,prise\n");
    CHECK(error_of({bad_header, RecordingFormat::csv, BadRows::fail, {}})
              .starts_with(bad_header.string() + R"(:1: bad header: unknown column "prise" (did you mean "price"?))"));
    const auto no_time = write_file(dir, "no_time.csv", "type,symbol,price\n");
    CHECK(error_of({no_time, RecordingFormat::csv, BadRows::fail, {}}) ==
          no_time.string() + R"(:1: bad header: expected a column "event_time_ns")");

    const std::string rows =
        "type,symbol,event_time_ns,price,size\n"
        "trade,AAA,1,10,1\n"
        "trade,AAA,2,ten,1\n"
        "trade,AAA,3\n"
        "trade,AAA,4,12,1\n";
    const auto malformed = write_file(dir, "rows.csv", rows);
    CHECK(error_of({malformed, RecordingFormat::csv, BadRows::fail, {}}) ==
          malformed.string() +
              R"(:3: price: expected a number, found "ten" (set "bad_rows": "skip" to skip such rows))");
    const Recording skipped = read_recording({malformed, RecordingFormat::csv, BadRows::skip, {}});
    CHECK(skipped.events.size() == 2);
    CHECK(skipped.skipped_rows == 2);
    REQUIRE(skipped.skipped_reasons.size() == 2);
    CHECK(skipped.skipped_reasons[1] == malformed.string() + ":4: expected 5 fields, found 3");

    const auto jsonl = write_file(dir, "bad.jsonl", "{\"type\":\"trade\",\"symbol\":\"A\"}\n");
    CHECK(error_of({jsonl, RecordingFormat::jsonl, BadRows::fail, {}})
              .starts_with(jsonl.string() + ":1: event_time_ns: expected an integer >= 0, found nothing"));
    const auto empty = write_file(dir, "empty.jsonl", "");
    CHECK(error_of({empty, RecordingFormat::jsonl, BadRows::fail, {}}) == empty.string() + ": no events to replay");
}

TEST_CASE("replay player: events are due at the recorded pace divided by the speed", "[replay][schedule]") {
    TempDir dir("mdp-replay-schedule");
    RecordingHost host;
    const auto file = write_file(dir, "three.csv",
                                 "type,symbol,event_time_ns,price,size\n"
                                 "trade,AAA,1000000000,1,1\n"
                                 "trade,AAA,2000000000,2,1\n"
                                 "trade,AAA,1500000000,3,1\n"  // recorded out of order: due with its predecessor
                                 "trade,AAA,4000000000,4,1\n");
    ReplayConfig config = parse_replay_config(R"({"file": ")" + file.string() + R"(", "speed": 2, "loop": true})",
                                              mdp::sdk::Host(host.table()));
    const Recording recording = read_recording(config.source);
    const ReplayPlayer player(mdp::sdk::Host(host.table()), recording, config, "three.csv");
    CHECK(player.due_ns(0) == 0);
    CHECK(player.due_ns(1) == kSecond / 2);
    CHECK(player.due_ns(2) == kSecond / 2);
    CHECK(player.due_ns(3) == 3 * kSecond / 2);
    // The second pass starts where the first ended.
    CHECK(player.due_ns(4) == 3 * kSecond / 2);
    CHECK(player.due_ns(5) == 2 * kSecond);
    CHECK(player.due_ns(7) == 3 * kSecond);
}

TEST_CASE("replay player: each step publishes exactly what is due, flagged as replayed", "[replay][schedule]") {
    TempDir dir("mdp-replay-steps");
    RecordingHost host;
    const auto file = write_file(dir, "three.csv", kThreeTrades);
    ReplayConfig config =
        parse_replay_config(R"({"file": ")" + file.string() + R"(", "speed": 1})", mdp::sdk::Host(host.table()));
    const Recording recording = read_recording(config.source);
    ReplayPlayer player(mdp::sdk::Host(host.table()), recording, config, "three.csv");

    CHECK(player.step(0) == std::optional<std::int64_t>(999'999'000'000'000'000));
    REQUIRE(host.event_count() == 1);
    CHECK(player.step(999'998'999'999'999'999) == std::optional<std::int64_t>(999'999'000'000'000'000));
    CHECK(host.event_count() == 1);
    CHECK(player.step(999'999'002'999'999'999) == std::optional<std::int64_t>(999'999'003'000'000'000));
    CHECK(host.event_count() == 2);
    CHECK(player.step(999'999'003'000'000'000) == std::nullopt);
    const auto events = host.events();
    REQUIRE(events.size() == 3);
    CHECK(events[2].body.trade.price == 11);
    CHECK(std::string(events[0].body.trade.exchange) == "X");
    for (const auto& event : events) {
        CHECK((event.flags & MDP_EVENT_FLAG_REPLAYED) != 0);
    }
    CHECK(host.last_state().detail == "finished: 3 of 3 events (100%); 3 accepted from three.csv");
}

TEST_CASE("replay provider: rate scale 0 pauses before the first event, a rise resumes", "[replay][provider]") {
    TempDir dir("mdp-replay-pause");
    RecordingHost host;
    host.set_rate_scale(0.0);
    const auto file = write_file(dir, "three.csv", kThreeTrades);
    ReplayProvider provider(mdp::sdk::Host(host.table()), "replay",
                            R"({"file": ")" + file.string() + R"(", "speed": 0})");
    provider.start();
    REQUIRE(eventually([&] { return host.reported(MDP_STATE_RUNNING, "paused by backpressure (rate scale 0)"); },
                       kPatience));
    CHECK(host.event_count() == 0);
    host.set_rate_scale(1.0);
    provider.on_feedback(mdp_feedback_t{sizeof(mdp_feedback_t), MDP_LEVEL_OK, 1.0, 0, 100, 0});
    REQUIRE(eventually([&] { return host.reported(MDP_STATE_RUNNING, "finished: 3 of 3 events"); }, kPatience));
    CHECK(host.event_count() == 3);
    provider.stop();
}

TEST_CASE("replay config: errors name the key", "[replay][config]") {
    RecordingHost host;
    const auto problem_of = [&](const std::string& json) {
        try {
            (void)parse_replay_config(json, mdp::sdk::Host(host.table()));
        } catch (const mdp::sdk::ConfigProblem& problem) {
            return std::string(problem.what());
        }
        return std::string("accepted");
    };
    CHECK(problem_of("{}") == "file: expected a string, found nothing (the key is required)");
    CHECK(problem_of(R"({"file": "x.txt"})") ==
          R"(format: expected one of "csv", "jsonl", found nothing (the key is required))");
    CHECK(problem_of(R"({"file": "x.csv", "speed": -1})") == "speed: expected a number from 0 to 1e+06, found -1");
    CHECK(problem_of(R"({"file": "x.csv", "loops": true})") ==
          R"(loops: unknown key; expected one of "bad_rows", "batch_size", "file", "format", "loop", "provider", )"
          R"("speed" (did you mean "loop"?))");
    CHECK(problem_of(R"({"file": "x.csv", "provider": "a"})").starts_with("provider: expected no provider filter"));
}
