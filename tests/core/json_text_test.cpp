#include "common/json_text.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <limits>
#include <string>

using namespace mdp::common::json_text;

TEST_CASE("JSON strings escape quotes, backslashes and control characters", "[core][json]") {
    std::string out;
    append_string(out, "a\"b\\c\n\t\x01\x7F");
    CHECK(out == R"("a\"b\\c\n\t\u0001\u007f")");
    CHECK(nlohmann::json::parse(out) == "a\"b\\c\n\t\x01\x7F");
}

TEST_CASE("JSON escaping without quotes repairs ill-formed UTF-8", "[core][json]") {
    std::string out;
    append_escaped(out, "\xC3\xA9t\xFF\xE2\x82");
    CHECK(out == "\xC3\xA9t\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST_CASE("JSON numbers round-trip and non-finite doubles become null", "[core][json]") {
    std::string out;
    append_double(out, 0.1 + 0.2);
    out += ',';
    append_double(out, std::numeric_limits<double>::infinity());
    out += ',';
    append_int(out, -7);
    out += ',';
    append_uint(out, 18446744073709551615ULL);
    out += ',';
    append_bool(out, true);
    const auto values = nlohmann::json::parse("[" + out + "]");
    CHECK(values[0].get<double>() == 0.1 + 0.2);
    CHECK(values[1].is_null());
    CHECK(values[2] == -7);
    CHECK(values[3].get<std::uint64_t>() == 18446744073709551615ULL);
    CHECK(values[4] == true);
}
