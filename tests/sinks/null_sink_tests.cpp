#include "sink_test_events.hpp"
#include "sinks/null/null_sink.hpp"

#include <catch2/catch.hpp>

#include <chrono>

TEST_CASE("null sink counts events and batches by type", "[sinks][null]") {
    mdp::sinks::NullSink sink("discard");
    sink.open(mdp::test::make_context());
    sink.write(mdp::test::make_mixed_batch(5, 4, 3));
    sink.write(std::vector{mdp::test::make_quote(13)});
    sink.close();
    CHECK(sink.name() == "discard");
    CHECK(sink.type() == "null");
    CHECK(sink.events_written() == 13);
    CHECK(sink.batches_written() == 2);
    const auto stats = sink.stats();
    CHECK(stats.rows_by_table.at("quote") == 6);
    CHECK(stats.rows_by_table.at("trade") == 4);
    CHECK(stats.rows_by_table.at("bar") == 3);
    CHECK(stats.rows_by_table.size() == 3);
}

TEST_CASE("null sink with write_latency_ms takes at least that long per write", "[sinks][null]") {
    mdp::sinks::NullSink sink("remote-stand-in", std::chrono::milliseconds(30));
    sink.open(mdp::test::make_context());
    const auto started = std::chrono::steady_clock::now();
    sink.write(mdp::test::make_mixed_batch(2, 1, 0));
    CHECK(std::chrono::steady_clock::now() - started >=
          std::chrono::milliseconds(30));  // a lower bound: sleep_for's promise
    CHECK(sink.events_written() == 3);
}
