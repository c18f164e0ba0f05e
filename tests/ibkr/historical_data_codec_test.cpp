// reqHistoricalData, historicalData and historicalDataEnd: golden bytes in both directions at
// the server versions where their layouts change (124: no version field, keepUpToDate; 163:
// decimal volumes; 196: the window's start/end move into historicalDataEnd).

#include "wire_text.hpp"

#include "codec/client_message_codec.hpp"
#include "codec/decode_error.hpp"
#include "codec/server_message_codec.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace mdp::ibkr;
using mdp::ibkr::test::frame_of_fields;
using mdp::ibkr::test::payload_as_bars;

namespace {

struct OwnedBar {
    std::string date;
    HistoricalBar bar;
};

// Copies what it is handed (the views die with the call) and the order of the calls.
struct HistoricalRecorder : ServerMessageHandler, ClientMessageHandler {
    std::vector<std::string> calls;
    int request_id = 0;
    std::vector<OwnedBar> bars;
    std::string start_date;
    std::string end_date;
    std::string end_date_time;
    std::string bar_size;
    std::string duration;
    std::string what_to_show;
    ReqHistoricalData request{};

    void on_historical_data(const HistoricalData& message) override {
        calls.emplace_back("historicalData");
        request_id = message.request_id;
        for (const auto& bar : message.bars) {
            bars.push_back({std::string(bar.date), bar});
        }
    }
    void on_historical_data_end(const HistoricalDataEnd& message) override {
        calls.emplace_back("historicalDataEnd " + std::to_string(message.request_id));
        start_date = message.start_date;
        end_date = message.end_date;
    }
    void on_req_historical_data(const ReqHistoricalData& message) override {
        calls.emplace_back("reqHistoricalData");
        request = message;
        end_date_time = message.end_date_time;
        bar_size = message.bar_size_setting;
        duration = message.duration;
        what_to_show = message.what_to_show;
    }
    void on_cancel_historical_data(const CancelHistoricalData& message) override {
        calls.emplace_back("cancelHistoricalData " + std::to_string(message.request_id));
    }
};

template <typename Message>
std::string encoded(const Message& message, int version) {
    std::string out;
    encode(out, message, version);
    return out;
}

HistoricalRecorder decode_reply(const std::string& frames, int version) {
    HistoricalRecorder recorder;
    std::string_view rest = frames;
    while (!rest.empty()) {
        const auto length =
            (static_cast<std::size_t>(static_cast<unsigned char>(rest[2])) << 8) | static_cast<unsigned char>(rest[3]);
        decode_server_message(rest.substr(4, length), version, recorder);
        rest.remove_prefix(4 + length);
    }
    return recorder;
}

ReqHistoricalData backfill_request() {
    ReqHistoricalData request;
    request.request_id = 2000000;
    request.contract.symbol = "AAPL";
    request.contract.sec_type = "STK";
    request.contract.exchange = "SMART";
    request.contract.currency = "USD";
    request.end_date_time = "20261203-04:10:00";
    request.bar_size_setting = "5 secs";
    request.duration = "30 S";
    request.what_to_show = "TRADES";
    request.format_date = 2;
    return request;
}

HistoricalData two_bars() {
    HistoricalData reply;
    reply.request_id = 2000000;
    reply.start_date = "20261203-04:09:30";
    reply.end_date = "20261203-04:10:00";
    reply.bars.push_back({"1796270970", 150.25, 150.5, 150.0, 150.4, 1200, 150.31, 17});
    reply.bars.push_back({"1796270975", 150.4, 150.4, 150.4, 150.4, 0, 150.4, 0});
    return reply;
}

}  // namespace

TEST_CASE("reqHistoricalData carries a version field before 124 and keepUpToDate from 124", "[ibkr][codec][client]") {
    const auto request = backfill_request();
    CHECK(payload_as_bars(encoded(request, 123)) ==
          "20|6|2000000|0|AAPL|STK||0.0|||SMART||USD|||0|20261203-04:10:00|5 secs|30 S|0|TRADES|2||");
    CHECK(payload_as_bars(encoded(request, 176)) ==
          "20|2000000|0|AAPL|STK||0.0|||SMART||USD|||0|20261203-04:10:00|5 secs|30 S|0|TRADES|2|0||");
    for (const int version : {100, 123, 124, 176, 200}) {
        HistoricalRecorder recorder;
        decode_client_message(std::string_view(encoded(request, version)).substr(4), version, recorder);
        REQUIRE(recorder.calls == std::vector<std::string>{"reqHistoricalData"});
        CHECK(recorder.request.request_id == 2000000);
        CHECK(recorder.end_date_time == "20261203-04:10:00");
        CHECK(recorder.bar_size == "5 secs");
        CHECK(recorder.duration == "30 S");
        CHECK(recorder.what_to_show == "TRADES");
        CHECK(recorder.request.format_date == 2);
        CHECK_FALSE(recorder.request.use_rth);
    }
    CHECK(payload_as_bars(encoded(CancelHistoricalData{2000000}, 176)) == "25|1|2000000|");
    CHECK(client_message_name(outgoing::kReqHistoricalData) == "reqHistoricalData");
}

TEST_CASE("historicalData before 124: version, start, end, hasGaps, integer volume", "[ibkr][codec][server]") {
    const std::string fixture = frame_of_fields(
        "17|3|2000000|20261203-04:09:30|20261203-04:10:00|2|"
        "1796270970|150.25|150.50|150.00|150.40|1200|150.31|false|17|"
        "1796270975|150.40|150.40|150.40|150.40|0|150.40|false|0|");
    CHECK(encoded(two_bars(), 123) == fixture);
    const auto decoded = decode_reply(fixture, 123);
    CHECK(decoded.calls == std::vector<std::string>{"historicalData", "historicalDataEnd 2000000"});
    CHECK(decoded.start_date == "20261203-04:09:30");
    CHECK(decoded.end_date == "20261203-04:10:00");
    REQUIRE(decoded.bars.size() == 2);
    CHECK(decoded.bars[0].date == "1796270970");
    CHECK(decoded.bars[0].bar.open == 150.25);
    CHECK(decoded.bars[0].bar.high == 150.5);
    CHECK(decoded.bars[0].bar.low == 150.0);
    CHECK(decoded.bars[0].bar.close == 150.4);
    CHECK(decoded.bars[0].bar.volume == 1200.0);
    CHECK(decoded.bars[0].bar.wap == 150.31);
    CHECK(decoded.bars[0].bar.count == 17);
    CHECK(decoded.bars[1].date == "1796270975");
    CHECK(decoded.bars[1].bar.count == 0);
}

TEST_CASE("historicalData from 124 to 195 drops the version and hasGaps", "[ibkr][codec][server][versions]") {
    const std::string fixture = frame_of_fields(
        "17|2000000|20261203-04:09:30|20261203-04:10:00|2|"
        "1796270970|150.25|150.50|150.00|150.40|1200|150.31|17|"
        "1796270975|150.40|150.40|150.40|150.40|0|150.40|0|");
    CHECK(encoded(two_bars(), 176) == fixture);
    const auto decoded = decode_reply(fixture, 176);
    CHECK(decoded.calls == std::vector<std::string>{"historicalData", "historicalDataEnd 2000000"});
    REQUIRE(decoded.bars.size() == 2);
    CHECK(decoded.bars[0].bar.count == 17);
    CHECK(decoded.end_date == "20261203-04:10:00");
}

TEST_CASE("from 196 the window's start and end come in historicalDataEnd (108)", "[ibkr][codec][server][versions]") {
    HistoricalData reply = two_bars();
    reply.bars.resize(1);
    reply.bars[0].volume = 12.5;  // decimal sizes since 163
    const HistoricalDataEnd end{2000000, "20261203-04:09:30", "20261203-04:10:00"};
    const std::string fixture = frame_of_fields("17|2000000|1|1796270970|150.25|150.50|150.00|150.40|12.5|150.31|17|") +
                                frame_of_fields("108|2000000|20261203-04:09:30|20261203-04:10:00|");
    CHECK(encoded(reply, 196) + encoded(end, 196) == fixture);
    const auto decoded = decode_reply(fixture, 196);
    CHECK(decoded.calls == std::vector<std::string>{"historicalData", "historicalDataEnd 2000000"});
    REQUIRE(decoded.bars.size() == 1);
    CHECK(decoded.bars[0].bar.volume == 12.5);
    CHECK(decoded.start_date == "20261203-04:09:30");
    std::string out;
    CHECK_THROWS_AS(encode(out, end, 195), EncodeError);
    CHECK(out.empty());
    CHECK(server_message_name(incoming::kHistoricalDataEnd) == "historicalDataEnd");
}

TEST_CASE("an empty reply and a corrupt bar count", "[ibkr][codec][server]") {
    const auto empty = decode_reply(frame_of_fields("17|7|a|b|0|"), 176);
    CHECK(empty.calls == std::vector<std::string>{"historicalData", "historicalDataEnd 7"});
    CHECK(empty.bars.empty());
    HistoricalRecorder recorder;
    CHECK_THROWS_WITH(decode_server_message(std::string_view(frame_of_fields("17|7|a|b|-1|")).substr(4), 176, recorder),
                      Catch::Contains("historicalData") && Catch::Contains("bar count -1"));
    // Fewer bars than announced: the missing fields are a decode error, not a short reply.
    CHECK_THROWS_AS(
        decode_server_message(std::string_view(frame_of_fields("17|7|a|b|2|1796270970|1|1|1|1|0|1|0|")).substr(4), 176,
                              recorder),
        DecodeError);
}
