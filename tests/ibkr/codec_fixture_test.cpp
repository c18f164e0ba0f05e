// Byte-exact fixtures (recorded from a real gateway / IB's public tests; see the protocol
// reference) through the one codec, in both directions and at several server versions.

#include "wire_text.hpp"

#include "codec/client_message_codec.hpp"
#include "codec/decode_error.hpp"
#include "codec/handshake.hpp"
#include "codec/server_message_codec.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

using namespace mdp::ibkr;
using mdp::ibkr::test::frame_of_fields;
using mdp::ibkr::test::framed;
using mdp::ibkr::test::nul_fields;
using mdp::ibkr::test::payload_as_bars;

namespace {

// Copies of the last decoded server messages (their views die with the call).
struct RecordingServerHandler : ServerMessageHandler {
    std::vector<std::string> calls;
    std::string accounts;
    std::int64_t next_valid_id = 0;
    ErrorMessage error{};
    std::string error_text;
    std::string error_json;
    TickPrice tick_price{};
    TickSize tick_size{};
    TickString tick_string{};
    std::string tick_string_value;
    TickSnapshotEnd snapshot_end{};
    RealTimeBar bar{};
    TickByTick tick_by_tick{};
    std::string tbt_exchange;
    std::string tbt_conditions;
    MarketDataTypeMessage market_data_type{};
    TickReqParams req_params{};
    std::string bbo_exchange;
    int unknown_id = 0;

    void on_managed_accounts(const ManagedAccounts& m) override {
        calls.emplace_back("managedAccounts");
        accounts = m.accounts;
    }
    void on_next_valid_id(const NextValidId& m) override {
        calls.emplace_back("nextValidId");
        next_valid_id = m.order_id;
    }
    void on_error(const ErrorMessage& m) override {
        calls.emplace_back("error");
        error = m;
        error_text = m.message;
        error_json = m.advanced_order_reject_json;
    }
    void on_tick_price(const TickPrice& m) override {
        calls.emplace_back("tickPrice");
        tick_price = m;
    }
    void on_tick_size(const TickSize& m) override {
        calls.emplace_back("tickSize");
        tick_size = m;
    }
    void on_tick_string(const TickString& m) override {
        calls.emplace_back("tickString");
        tick_string = m;
        tick_string_value = m.value;
    }
    void on_tick_snapshot_end(const TickSnapshotEnd& m) override {
        calls.emplace_back("tickSnapshotEnd");
        snapshot_end = m;
    }
    void on_real_time_bar(const RealTimeBar& m) override {
        calls.emplace_back("realtimeBar");
        bar = m;
    }
    void on_tick_by_tick(const TickByTick& m) override {
        calls.emplace_back("tickByTick");
        tick_by_tick = m;
        tbt_exchange = m.exchange;
        tbt_conditions = m.special_conditions;
    }
    void on_market_data_type(const MarketDataTypeMessage& m) override {
        calls.emplace_back("marketDataType");
        market_data_type = m;
    }
    void on_tick_req_params(const TickReqParams& m) override {
        calls.emplace_back("tickReqParams");
        req_params = m;
        bbo_exchange = m.bbo_exchange;
    }
    void on_unknown_message(int id) override {
        calls.emplace_back("unknown");
        unknown_id = id;
    }
};

struct RecordingClientHandler : ClientMessageHandler {
    std::vector<std::string> calls;
    StartApi start_api{};
    std::string capabilities;
    ReqMktData mkt_data{};
    std::string symbol;
    std::string sec_type;
    std::string exchange;
    std::string currency;
    std::string generic_ticks;
    ReqRealTimeBars bars{};
    std::string what_to_show;
    ReqTickByTickData tick_by_tick{};
    std::string tbt_type;
    int market_data_type = 0;
    int cancelled = 0;

    void on_start_api(const StartApi& m) override {
        calls.emplace_back("startApi");
        start_api = m;
        capabilities = m.optional_capabilities;
    }
    void on_req_mkt_data(const ReqMktData& m) override {
        calls.emplace_back("reqMktData");
        mkt_data = m;
        symbol = m.contract.symbol;
        sec_type = m.contract.sec_type;
        exchange = m.contract.exchange;
        currency = m.contract.currency;
        generic_ticks = m.generic_tick_list;
    }
    void on_cancel_mkt_data(const CancelMktData& m) override {
        calls.emplace_back("cancelMktData");
        cancelled = m.request_id;
    }
    void on_req_market_data_type(const ReqMarketDataType& m) override {
        calls.emplace_back("reqMarketDataType");
        market_data_type = m.market_data_type;
    }
    void on_req_real_time_bars(const ReqRealTimeBars& m) override {
        calls.emplace_back("reqRealTimeBars");
        bars = m;
        what_to_show = m.what_to_show;
        symbol = m.contract.symbol;
    }
    void on_cancel_real_time_bars(const CancelRealTimeBars& m) override {
        calls.emplace_back("cancelRealTimeBars");
        cancelled = m.request_id;
    }
    void on_req_tick_by_tick_data(const ReqTickByTickData& m) override {
        calls.emplace_back("reqTickByTickData");
        tick_by_tick = m;
        tbt_type = m.tick_type;
        symbol = m.contract.symbol;
    }
};

// Decodes one framed server message (the fixture) after checking its frame header.
RecordingServerHandler decode_server(const std::string& frame, int version) {
    RecordingServerHandler handler;
    decode_server_message(std::string_view(frame).substr(4), version, handler);
    return handler;
}

RecordingClientHandler decode_client(const std::string& frame, int version) {
    RecordingClientHandler handler;
    decode_client_message(std::string_view(frame).substr(4), version, handler);
    return handler;
}

template <typename Message>
std::string encoded(const Message& message, int version) {
    std::string out;
    encode(out, message, version);
    return out;
}

ContractFields aapl_stock() {
    ContractFields contract;
    contract.symbol = "AAPL";
    contract.sec_type = "STK";
    contract.exchange = "SMART";
    contract.currency = "USD";
    return contract;
}

}  // namespace

TEST_CASE("client hello is API prefix plus an unterminated version frame", "[ibkr][codec][handshake]") {
    std::string out;
    append_client_hello(out, {100, 176, {}});
    CHECK(out == std::string("API\0", 4) + framed("v100..176"));

    std::string with_options;
    append_client_hello(with_options, {100, 176, "+PACEAPI"});
    CHECK(with_options == std::string("API\0", 4) + framed("v100..176 +PACEAPI"));

    const VersionRange parsed = parse_client_version_range("v100..176 +PACEAPI");
    CHECK(parsed.min_version == 100);
    CHECK(parsed.max_version == 176);
    CHECK(parsed.options == "+PACEAPI");
    CHECK(parse_client_version_range("v157..178").min_version == 157);
    CHECK(parse_client_version_range("v176").max_version == 176);
    CHECK_THROWS_AS(parse_client_version_range("x100..176"), DecodeError);
    CHECK_THROWS_AS(parse_client_version_range("v176..100"), DecodeError);
    CHECK_THROWS_AS(parse_client_version_range("vabc..def"), DecodeError);
}

TEST_CASE("server hello carries the version and the connection time", "[ibkr][codec][handshake]") {
    const std::string fixture = frame_of_fields("173|20250323 22:21:01 Greenwich Mean Time|");
    std::string out;
    append_server_hello(out, {173, "20250323 22:21:01 Greenwich Mean Time"});
    CHECK(out == fixture);

    const auto hello = try_decode_server_hello(std::string_view(fixture).substr(4));
    REQUIRE(hello.has_value());
    CHECK(hello->server_version == 173);
    CHECK(hello->connection_time == "20250323 22:21:01 Greenwich Mean Time");
    CHECK_FALSE(hello->is_redirect());

    // A redirect names where to go instead.
    const std::string redirect_payload = nul_fields("-1|10.0.0.5:4001|");
    const auto redirect = try_decode_server_hello(redirect_payload);
    REQUIRE(redirect.has_value());
    CHECK(redirect->is_redirect());
    CHECK(redirect->connection_time == "10.0.0.5:4001");

    // Anything else is not the hello (the client keeps reading).
    const std::string accounts = nul_fields("15|1|DU1234567|");
    const std::string words = nul_fields("abc|def|");
    CHECK_FALSE(try_decode_server_hello(accounts).has_value());
    CHECK_FALSE(try_decode_server_hello(words).has_value());
    CHECK_FALSE(try_decode_server_hello("173").has_value());
}

TEST_CASE("the server negotiates the smaller of client max and server max", "[ibkr][codec][handshake]") {
    CHECK(negotiate_server_version({100, 200, {}}, 176) == 176);
    CHECK(negotiate_server_version({100, 176, {}}, 200) == 176);
    CHECK_FALSE(negotiate_server_version({150, 176, {}}, 120).has_value());
}

TEST_CASE("startApi at version 173 is 71|2|clientId|optCapab|", "[ibkr][codec][client]") {
    const std::string fixture = frame_of_fields("71|2|17||");
    CHECK(encoded(StartApi{17, {}}, 173) == fixture);
    const auto decoded = decode_client(fixture, 173);
    CHECK(decoded.calls == std::vector<std::string>{"startApi"});
    CHECK(decoded.start_api.client_id == 17);
    CHECK(decoded.capabilities.empty());
}

TEST_CASE("the recorded post-startApi sequence at version 173 decodes", "[ibkr][codec][server]") {
    const int version = 173;
    {
        const std::string fixture = frame_of_fields("15|1|DU1234567|");
        CHECK(encoded(ManagedAccounts{"DU1234567"}, version) == fixture);
        CHECK(decode_server(fixture, version).accounts == "DU1234567");
    }
    {
        const std::string fixture = frame_of_fields("9|1|1|");
        CHECK(encoded(NextValidId{1}, version) == fixture);
        CHECK(decode_server(fixture, version).next_valid_id == 1);
    }
    const char* farm_messages[][2] = {
        {"4|2|-1|2104|Market data farm connection is OK:usfarm||", "Market data farm connection is OK:usfarm"},
        {"4|2|-1|2107|HMDS data farm connection is inactive but should be available upon demand.ushmds||",
         "HMDS data farm connection is inactive but should be available upon demand.ushmds"},
        {"4|2|-1|2158|Sec-def data farm connection is OK:secdefil||", "Sec-def data farm connection is OK:secdefil"},
    };
    for (const auto& [bars, text] : farm_messages) {
        const std::string fixture = frame_of_fields(bars);
        const auto decoded = decode_server(fixture, version);
        CHECK(decoded.error.request_id == -1);
        CHECK(decoded.error_text == text);
        ErrorMessage message;
        message.request_id = -1;
        message.code = decoded.error.code;
        message.message = text;
        CHECK(payload_as_bars(encoded(message, version)) == bars);
    }
    CHECK(decode_server(frame_of_fields(farm_messages[0][0]), version).error.code == 2104);
}

TEST_CASE("the error layout follows the server version (166 and 194)", "[ibkr][codec][server][versions]") {
    ErrorMessage message;
    message.request_id = 5;
    message.code = 200;
    message.message = "No security definition has been found for the request";
    message.advanced_order_reject_json = "";
    message.error_time_ms = 1700000000123;

    SECTION("before 166: version, reqId, code, message") {
        const std::string bytes = encoded(message, 165);
        CHECK(payload_as_bars(bytes) == "4|2|5|200|No security definition has been found for the request|");
        const auto decoded = decode_server(bytes, 165);
        CHECK(decoded.error.code == 200);
        CHECK(decoded.error.request_id == 5);
        CHECK(decoded.error.error_time_ms == 0);
    }
    SECTION("166..193: plus advancedOrderRejectJson") {
        message.advanced_order_reject_json = "{\"x\":1}";
        const std::string bytes = encoded(message, 193);
        CHECK(payload_as_bars(bytes) == "4|2|5|200|No security definition has been found for the request|{\"x\":1}|");
        const auto decoded = decode_server(bytes, 166);
        CHECK(decoded.error_json == "{\"x\":1}");
        CHECK(decoded.error.code == 200);
    }
    SECTION("from 194: no version field, plus errorTime") {
        const std::string bytes = encoded(message, 194);
        CHECK(payload_as_bars(bytes) ==
              "4|5|200|No security definition has been found for the request||1700000000123|");
        const auto decoded = decode_server(bytes, 194);
        CHECK(decoded.error.request_id == 5);
        CHECK(decoded.error.code == 200);
        CHECK(decoded.error.error_time_ms == 1700000000123);
    }
    SECTION("a 194 layout read as 193 fails, which is why the version matters") {
        const std::string bytes = encoded(message, 194);
        CHECK_THROWS_AS(decode_server(bytes, 193), DecodeError);
    }
}

TEST_CASE("reqMktData for a stock is the recorded 20 fields", "[ibkr][codec][client]") {
    ReqMktData request;
    request.request_id = 5;
    request.contract = aapl_stock();
    const std::string fixture = frame_of_fields("1|11|5|0|AAPL|STK||0.0|||SMART||USD|||0||0|0||");
    CHECK(encoded(request, 176) == fixture);

    const auto decoded = decode_client(fixture, 176);
    CHECK(decoded.calls == std::vector<std::string>{"reqMktData"});
    CHECK(decoded.mkt_data.request_id == 5);
    CHECK(decoded.symbol == "AAPL");
    CHECK(decoded.sec_type == "STK");
    CHECK(decoded.exchange == "SMART");
    CHECK(decoded.currency == "USD");
    CHECK(decoded.mkt_data.contract.strike == 0.0);
    CHECK_FALSE(decoded.mkt_data.snapshot);
}

TEST_CASE("reqMktData drops regulatorySnapshot below version 114", "[ibkr][codec][client][versions]") {
    ReqMktData request;
    request.request_id = 7;
    request.contract = aapl_stock();
    request.generic_tick_list = "233";
    CHECK(payload_as_bars(encoded(request, 113)) == "1|11|7|0|AAPL|STK||0.0|||SMART||USD|||0|233|0||");
    CHECK(payload_as_bars(encoded(request, 114)) == "1|11|7|0|AAPL|STK||0.0|||SMART||USD|||0|233|0|0||");
    for (const int version : {113, 114, 163, 176, 200}) {
        const auto decoded = decode_client(encoded(request, version), version);
        CHECK(decoded.generic_ticks == "233");
        CHECK(decoded.mkt_data.request_id == 7);
    }
}

TEST_CASE("an option contract passes strike and right and multiplier through", "[ibkr][codec][client]") {
    ReqMktData request;
    request.request_id = 9;
    request.contract.symbol = "SPY";
    request.contract.sec_type = "OPT";
    request.contract.last_trade_date_or_contract_month = "20250620";
    request.contract.strike = 550.0;
    request.contract.right = "C";
    request.contract.multiplier = "100";
    request.contract.exchange = "SMART";
    request.contract.currency = "USD";
    const std::string bytes = encoded(request, 176);
    CHECK(payload_as_bars(bytes) == "1|11|9|0|SPY|OPT|20250620|550.0|C|100|SMART||USD|||0||0|0||");
    const auto decoded = decode_client(bytes, 176);
    CHECK(decoded.mkt_data.contract.strike == 550.0);
}

TEST_CASE("combo contracts are refused rather than mis-encoded", "[ibkr][codec][client]") {
    ReqMktData request;
    request.contract.symbol = "SPY";
    request.contract.sec_type = "BAG";
    std::string out = "keep";
    CHECK_THROWS_AS(encode(out, request, 176), EncodeError);
    CHECK(out == "keep");
}

TEST_CASE("cancels and market data type and current time", "[ibkr][codec][client]") {
    CHECK(payload_as_bars(encoded(CancelMktData{5}, 176)) == "2|2|5|");
    CHECK(payload_as_bars(encoded(ReqMarketDataType{3}, 176)) == "59|1|3|");
    CHECK(payload_as_bars(encoded(CancelRealTimeBars{9001}, 176)) == "51|1|9001|");
    CHECK(payload_as_bars(encoded(ReqCurrentTime{}, 176)) == "49|1|");
    CHECK(payload_as_bars(encoded(CancelTickByTickData{9001}, 176)) == "98|9001|");
    CHECK(decode_client(frame_of_fields("59|1|3|"), 176).market_data_type == 3);
    CHECK(decode_client(frame_of_fields("2|2|5|"), 176).cancelled == 5);
}

TEST_CASE("reqRealTimeBars asks for 5-second bars", "[ibkr][codec][client]") {
    ReqRealTimeBars request;
    request.request_id = 9001;
    request.contract = aapl_stock();
    request.what_to_show = "MIDPOINT";
    request.use_rth = true;
    const std::string bytes = encoded(request, 176);
    CHECK(payload_as_bars(bytes) == "50|3|9001|0|AAPL|STK||0.0|||SMART||USD|||5|MIDPOINT|1||");
    const auto decoded = decode_client(bytes, 176);
    CHECK(decoded.bars.request_id == 9001);
    CHECK(decoded.bars.bar_size_seconds == 5);
    CHECK(decoded.what_to_show == "MIDPOINT");
    CHECK(decoded.bars.use_rth);
}

TEST_CASE("reqTickByTickData gains numberOfTicks and ignoreSize at 140", "[ibkr][codec][client][versions]") {
    ReqTickByTickData request;
    request.request_id = 9001;
    request.contract = aapl_stock();
    request.tick_type = "Last";
    CHECK(payload_as_bars(encoded(request, 137)) == "97|9001|0|AAPL|STK||0.0|||SMART||USD|||Last|");
    CHECK(payload_as_bars(encoded(request, 140)) == "97|9001|0|AAPL|STK||0.0|||SMART||USD|||Last|0|0|");
    std::string out;
    CHECK_THROWS_AS(encode(out, request, 136), EncodeError);
    CHECK(decode_client(encoded(request, 140), 140).tbt_type == "Last");
}

TEST_CASE("the recorded tick stream decodes and re-encodes byte for byte", "[ibkr][codec][server]") {
    const int version = 176;
    {
        const std::string fixture = frame_of_fields("1|6|9000|1|150.50|0|1|");
        const auto decoded = decode_server(fixture, version);
        CHECK(decoded.tick_price.request_id == 9000);
        CHECK(decoded.tick_price.tick_type == 1);
        CHECK(decoded.tick_price.price == 150.5);
        CHECK(decoded.tick_price.size == 0.0);
        CHECK(decoded.tick_price.attribute_mask == 1);
        CHECK(encoded(decoded.tick_price, version) == fixture);
        const TickAttributes attributes = tick_attributes(decoded.tick_price.attribute_mask, version);
        CHECK(attributes.can_auto_execute);
        CHECK_FALSE(attributes.past_limit);
    }
    {
        const std::string fixture = frame_of_fields("2|6|9000|0|100|");
        const auto decoded = decode_server(fixture, version);
        CHECK(decoded.tick_size.request_id == 9000);
        CHECK(decoded.tick_size.tick_type == 0);
        CHECK(decoded.tick_size.size == 100.0);
        CHECK(encoded(decoded.tick_size, version) == fixture);
    }
    {
        const std::string fixture = frame_of_fields("46|6|9000|45|1705500000|");
        const auto decoded = decode_server(fixture, version);
        CHECK(decoded.tick_string.tick_type == 45);
        CHECK(decoded.tick_string_value == "1705500000");
        TickString message{9000, 45, "1705500000"};
        CHECK(encoded(message, version) == fixture);
    }
    {
        const std::string fixture = frame_of_fields("57|1|9000|");
        CHECK(decode_server(fixture, version).snapshot_end.request_id == 9000);
        CHECK(encoded(TickSnapshotEnd{9000}, version) == fixture);
    }
    {
        const std::string rt_volume = "701.28;1;1348075471534;67854;701.46918464;true";
        const std::string fixture = frame_of_fields("46|6|9000|48|" + rt_volume + "|");
        CHECK(decode_server(fixture, version).tick_string_value == rt_volume);
    }
}

TEST_CASE("sizes are integers before 163 and decimals from 163", "[ibkr][codec][server][versions]") {
    TickSize size{9000, 0, 1.5};
    CHECK(payload_as_bars(encoded(size, 162)) == "2|6|9000|0|2|");
    CHECK(payload_as_bars(encoded(size, 163)) == "2|6|9000|0|1.5|");
    CHECK(decode_server(encoded(size, 163), 163).tick_size.size == 1.5);
    TickPrice price{9000, 1, 150.25, 300, 0};
    CHECK(payload_as_bars(encoded(price, 150)) == "1|6|9000|1|150.25|300|0|");
}

TEST_CASE("tickPrice attribute bits depend on the version", "[ibkr][codec][server][versions]") {
    CHECK(tick_attributes(1, 100).can_auto_execute);
    CHECK_FALSE(tick_attributes(3, 100).can_auto_execute);  // before 109 the mask is a plain flag
    CHECK(tick_attributes(3, 109).past_limit);
    CHECK_FALSE(tick_attributes(4, 131).pre_open);
    CHECK(tick_attributes(4, 132).pre_open);
}

TEST_CASE("the recorded real-time bar round-trips", "[ibkr][codec][server]") {
    const std::string fixture = frame_of_fields("50|3|9001|1678323335|4028.75|4029.00|4028.25|4028.50|2|4026.75|1|");
    const auto decoded = decode_server(fixture, 176);
    CHECK(decoded.bar.request_id == 9001);
    CHECK(decoded.bar.time_seconds == 1678323335);
    CHECK(decoded.bar.open == 4028.75);
    CHECK(decoded.bar.high == 4029.0);
    CHECK(decoded.bar.low == 4028.25);
    CHECK(decoded.bar.close == 4028.5);
    CHECK(decoded.bar.volume == 2.0);
    CHECK(decoded.bar.wap == 4026.75);
    CHECK(decoded.bar.count == 1);
    CHECK(encoded(decoded.bar, 176) == fixture);
}

TEST_CASE("the recorded tick-by-tick messages round-trip", "[ibkr][codec][server]") {
    {
        const std::string fixture = frame_of_fields("99|9001|1|1678740829|3895.25|7|2|NASDAQ|Regular|");
        const auto decoded = decode_server(fixture, 176);
        CHECK(decoded.tick_by_tick.tick_type == 1);
        CHECK(decoded.tick_by_tick.time_seconds == 1678740829);
        CHECK(decoded.tick_by_tick.price == 3895.25);
        CHECK(decoded.tick_by_tick.size == 7.0);
        CHECK(decoded.tick_by_tick.attribute_mask == 2);
        CHECK(decoded.tbt_exchange == "NASDAQ");
        CHECK(decoded.tbt_conditions == "Regular");
        CHECK(encoded(decoded.tick_by_tick, 176) == fixture);
    }
    {
        const std::string fixture = frame_of_fields("99|9001|3|1678745793|3895.50|3896.00|9|11|3|");
        const auto decoded = decode_server(fixture, 176);
        CHECK(decoded.tick_by_tick.tick_type == 3);
        CHECK(decoded.tick_by_tick.bid_price == 3895.5);
        CHECK(decoded.tick_by_tick.ask_price == 3896.0);
        CHECK(decoded.tick_by_tick.bid_size == 9.0);
        CHECK(decoded.tick_by_tick.ask_size == 11.0);
        CHECK(decoded.tick_by_tick.attribute_mask == 3);
        CHECK(encoded(decoded.tick_by_tick, 176) == fixture);
    }
    {
        TickByTick mid;
        mid.request_id = 9001;
        mid.tick_type = 4;
        mid.time_seconds = 1678745793;
        mid.mid_point = 3895.75;
        const std::string bytes = encoded(mid, 176);
        CHECK(payload_as_bars(bytes) == "99|9001|4|1678745793|3895.75|");
        CHECK(decode_server(bytes, 176).tick_by_tick.mid_point == 3895.75);
    }
}

TEST_CASE("market data type and tick request parameters", "[ibkr][codec][server]") {
    const std::string type_fixture = frame_of_fields("58|1|9000|3|");
    CHECK(decode_server(type_fixture, 176).market_data_type.market_data_type == 3);
    CHECK(encoded(MarketDataTypeMessage{9000, 3}, 176) == type_fixture);

    const std::string params_fixture = frame_of_fields("81|9000|0.01|9c0001|3|");
    const auto decoded = decode_server(params_fixture, 176);
    CHECK(decoded.req_params.min_tick == 0.01);
    CHECK(decoded.bbo_exchange == "9c0001");
    CHECK(decoded.req_params.snapshot_permissions == 3);
}

TEST_CASE("unset sentinels and empty fields decode as unknown", "[ibkr][codec][server]") {
    const auto decoded = decode_server(frame_of_fields("1|6|9000|1|1.7976931348623157E308|2147483647|0|"), 176);
    CHECK(std::isnan(decoded.tick_price.price));
    CHECK(std::isnan(decoded.tick_price.size));
    const auto empty = decode_server(frame_of_fields("2|6|9000|0||"), 176);
    CHECK(std::isnan(empty.tick_size.size));
    // Lenient numbers: spaces, '+', integers written as decimals.
    const auto lenient = decode_server(frame_of_fields("1|6| 9000 |1.0|+150.5|100.0|0|"), 176);
    CHECK(lenient.tick_price.request_id == 9000);
    CHECK(lenient.tick_price.tick_type == 1);
    CHECK(lenient.tick_price.price == 150.5);
    CHECK(lenient.tick_price.size == 100.0);
}

TEST_CASE("extra trailing fields from newer servers are tolerated", "[ibkr][codec][server]") {
    const auto decoded = decode_server(frame_of_fields("2|6|9000|0|100|future-field|"), 176);
    CHECK(decoded.tick_size.size == 100.0);
}

TEST_CASE("malformed messages throw a DecodeError naming message and field", "[ibkr][codec][server]") {
    RecordingServerHandler handler;
    const auto message_of = [&](const std::string& payload) {
        try {
            decode_server_message(payload, 176, handler);
        } catch (const DecodeError& error) {
            return std::string(error.what());
        }
        return std::string("no error");
    };
    CHECK(message_of(nul_fields("1|6|9000|1|abc|0|0|")) == "tickPrice: field 5: expected a number, found \"abc\"");
    CHECK(message_of(nul_fields("2|6|9000|")) == "tickSize: field 4: missing (message has only 3 fields)");
    // The length is given: a plain literal would stop at its first NUL and test "2" instead.
    CHECK(message_of(std::string("2\0"
                                 "6\0"
                                 "9000",
                                 8)) == "message 0: message does not end with a NUL field terminator");
    CHECK(message_of(nul_fields("x|")) == "message 0: field 1: expected an integer, found \"x\"");
    CHECK(message_of(nul_fields("99|1|7|0|")) == "tickByTick: unknown tick type 7");
    CHECK(message_of("") == "message 0: empty message");
}

TEST_CASE("unknown message ids are reported rather than treated as errors", "[ibkr][codec][server]") {
    const auto decoded = decode_server(frame_of_fields("6|2|NetLiquidation|1000|USD|DU1|"), 176);
    CHECK(decoded.calls == std::vector<std::string>{"unknown"});
    CHECK(decoded.unknown_id == 6);
}
