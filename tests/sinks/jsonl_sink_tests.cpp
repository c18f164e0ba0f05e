// The jsonl sink writing real files in temp dirs.

#include "sink_test_events.hpp"
#include "sinks/jsonl/jsonl_sink.hpp"
#include "skip_policy.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <limits>
#include <sstream>

using mdp::sinks::JsonlSink;
using mdp::sinks::JsonlSinkOptions;
using nlohmann::json;

namespace {

std::vector<json> read_lines(const std::filesystem::path& path) {
    std::vector<json> lines;
    std::ifstream file(path);
    std::string line;
    while (std::getline(file, line)) {
        lines.push_back(json::parse(line));  // throws (failing the test) on invalid JSON
    }
    return lines;
}

JsonlSinkOptions options_for(const std::filesystem::path& path, std::uint64_t max_file_bytes = 0,
                             std::uint32_t max_files = 5) {
    JsonlSinkOptions options;
    options.file.path = path;
    options.file.max_file_bytes = max_file_bytes;
    options.file.max_files = max_files;
    return options;
}

}  // namespace

TEST_CASE("jsonl sink writes one object per event with every field", "[sinks][jsonl]") {
    mdp::test::TempDir dir;
    const auto path = dir / "out/events.jsonl";
    JsonlSink sink("archive", options_for(path));
    sink.open(mdp::test::make_context("run-7", {"synthetic"}));

    auto batch = mdp::test::make_mixed_batch(1, 1, 1);
    batch[0].event.flags = MDP_EVENT_FLAG_DELAYED;
    batch[0].event.body.quote.ask = std::numeric_limits<double>::quiet_NaN();
    sink.write(batch);
    sink.close();

    const auto lines = read_lines(path);
    REQUIRE(lines.size() == 3);
    const json& quote = lines[0];
    CHECK(quote["provider"] == "synthetic");
    CHECK(quote["run_id"] == "run-7");
    CHECK(quote["seq"] == 1);
    CHECK(quote["type"] == "quote");
    CHECK(quote["symbol"] == "AAPL");
    CHECK(quote["event_time_ns"] == batch[0].event.event_time_ns);
    CHECK(quote["receive_time_ns"] == batch[0].event.receive_time_ns);
    CHECK(quote["flags"] == json{{"delayed", true}, {"snapshot", false}});
    CHECK(quote["bid"] == 100.0);
    CHECK(quote["ask"].is_null());
    CHECK(quote["bid_size"] == 100.0);
    CHECK(quote["ask_size"] == 200.0);
    CHECK(quote["last"] == 100.01);

    const json& trade = lines[1];
    CHECK(trade["type"] == "trade");
    CHECK(trade["price"] == 200.0);
    CHECK(trade["size"] == 10.0);
    CHECK(trade["exchange"] == "NASDAQ");
    CHECK(trade["conditions"] == "@");
    CHECK_FALSE(trade.contains("bid"));

    const json& bar = lines[2];
    CHECK(bar["type"] == "bar");
    CHECK(bar["seq"] == 3);
    CHECK(bar["interval_ns"] == 5'000'000'000LL);
    CHECK(bar["open"] == 49.0);
    CHECK(bar["high"] == 51.0);
    CHECK(bar["low"] == 48.0);
    CHECK(bar["close"] == 50.0);
    CHECK(bar["volume"] == 1000.0);
    CHECK(bar["vwap"] == 49.5);
    CHECK(bar["trade_count"] == 42);
}

TEST_CASE("jsonl sink keeps doubles exact and escapes text", "[sinks][jsonl]") {
    mdp::test::TempDir dir;
    const auto path = dir / "events.jsonl";
    JsonlSink sink("archive", options_for(path));
    sink.open(mdp::test::make_context("run", {"we\"ird\\name\n"}));
    auto quote = mdp::test::make_quote(1, "BRK\x01", 0.1 + 0.2);
    auto trade = mdp::test::make_trade(2, "\xC3\xA9t\xFF");  // é, t, then an invalid byte
    sink.write(std::vector{quote, trade});
    sink.close();

    const auto lines = read_lines(path);
    REQUIRE(lines.size() == 2);
    CHECK(lines[0]["provider"] == "we\"ird\\name\n");
    CHECK(lines[0]["symbol"] == "BRK\x01");
    CHECK(lines[0]["bid"].get<double>() == 0.1 + 0.2);
    CHECK(lines[1]["symbol"] == "\xC3\xA9t\xEF\xBF\xBD");
}

TEST_CASE("jsonl sink appends to an existing file", "[sinks][jsonl]") {
    mdp::test::TempDir dir;
    const auto path = dir / "events.jsonl";
    for (int run = 0; run < 2; ++run) {
        JsonlSink sink("archive", options_for(path));
        sink.open(mdp::test::make_context("run-" + std::to_string(run)));
        sink.write(mdp::test::make_mixed_batch(2, 0, 0));
        sink.close();
    }
    const auto lines = read_lines(path);
    REQUIRE(lines.size() == 4);
    CHECK(lines[0]["run_id"] == "run-0");
    CHECK(lines[3]["run_id"] == "run-1");
}

TEST_CASE("jsonl sink rotates by size and keeps max_files files", "[sinks][jsonl]") {
    mdp::test::TempDir dir;
    const auto path = dir / "events.jsonl";
    // Every quote line has the same length here, so the limit holds exactly 3 lines.
    std::string one_line;
    {
        JsonlSink probe("probe", options_for(dir / "probe.jsonl"));
        probe.open(mdp::test::make_context());
        probe.write(std::vector{mdp::test::make_quote(1)});
        probe.close();
        one_line = mdp::test::read_text_file(dir / "probe.jsonl");
    }
    const std::uint64_t limit = one_line.size() * 3 + one_line.size() / 2;

    JsonlSink sink("archive", options_for(path, limit, 3));
    sink.open(mdp::test::make_context());
    std::vector<mdp::pipeline::StoreEvent> batch;
    for (std::uint64_t sequence = 1; sequence <= 14; ++sequence) {
        batch.push_back(mdp::test::make_quote(sequence % 10));  // one-digit seq: equal line lengths
    }
    sink.write(batch);
    sink.close();

    // 14 lines at 3 per file: 5 files written, the oldest 2 rotated away.
    CHECK(std::filesystem::exists(path));
    CHECK(std::filesystem::exists(dir / "events.jsonl.1"));
    CHECK(std::filesystem::exists(dir / "events.jsonl.2"));
    CHECK_FALSE(std::filesystem::exists(dir / "events.jsonl.3"));
    CHECK(read_lines(path).size() == 2);  // lines 13, 14
    CHECK(read_lines(dir / "events.jsonl.1").size() == 3);  // lines 10..12
    CHECK(read_lines(dir / "events.jsonl.2").size() == 3);  // lines 7..9
    CHECK(read_lines(dir / "events.jsonl.2")[0]["seq"] == 7);
    CHECK(read_lines(path)[1]["seq"] == 4);  // line 14 has seq 14 % 10
    for (const auto& file : {path, dir / "events.jsonl.1", dir / "events.jsonl.2"}) {
        CHECK(std::filesystem::file_size(file) <= limit);
    }
}

TEST_CASE("jsonl sink reports write errors as SinkError", "[sinks][jsonl]") {
    mdp::test::TempDir dir;
    SECTION("a directory in the way") {
        std::filesystem::create_directories(dir / "taken.jsonl");
        JsonlSink sink("archive", options_for(dir / "taken.jsonl"));
        CHECK_THROWS_AS(sink.open(mdp::test::make_context()), mdp::sinks::SinkError);
    }
    SECTION("a full device") {
        if (!std::filesystem::exists("/dev/full")) {
            MDP_SKIP_UNLESS_CI("no /dev/full on this machine");
        }
        JsonlSink sink("archive", options_for("/dev/full"));
        sink.open(mdp::test::make_context());
        CHECK_THROWS_WITH(sink.write(mdp::test::make_mixed_batch(1, 0, 0)), Catch::Contains("/dev/full"));
        CHECK(sink.stats().errors_by_kind.at("io") == 1);
    }
}

TEST_CASE("jsonl sink counts events by type", "[sinks][jsonl]") {
    mdp::test::TempDir dir;
    JsonlSink sink("archive", options_for(dir / "events.jsonl"));
    sink.open(mdp::test::make_context());
    sink.write(mdp::test::make_mixed_batch(3, 2, 1));
    const auto stats = sink.stats();
    CHECK(stats.rows_by_table.at("quote") == 3);
    CHECK(stats.rows_by_table.at("trade") == 2);
    CHECK(stats.rows_by_table.at("bar") == 1);
}
