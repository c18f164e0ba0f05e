#include "common/utf8.hpp"

#include <catch2/catch.hpp>

using mdp::common::is_valid_utf8;
using mdp::common::to_valid_utf8;

TEST_CASE("UTF-8 validation accepts well-formed text and rejects the rest", "[core][utf8]") {
    CHECK(is_valid_utf8(""));
    CHECK(is_valid_utf8("ascii"));
    CHECK(is_valid_utf8("\xC3\xA9\xE2\x82\xAC\xF0\x9F\x93\x88"));  // é € 📈
    CHECK_FALSE(is_valid_utf8("\xC0\xAF"));  // overlong
    CHECK_FALSE(is_valid_utf8("\xED\xA0\x80"));  // surrogate
    CHECK_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
    CHECK_FALSE(is_valid_utf8("\xE2\x82"));  // truncated
    CHECK_FALSE(is_valid_utf8("\x80"));  // lone continuation
}

TEST_CASE("repair replaces each maximal invalid subpart with U+FFFD", "[core][utf8]") {
    const std::string replacement = "\xEF\xBF\xBD";
    CHECK(to_valid_utf8("ok") == "ok");
    CHECK(to_valid_utf8("a\xE2\x82z") == "a" + replacement + "z");
    CHECK(to_valid_utf8("\xFF\xFE") == replacement + replacement);
    CHECK(to_valid_utf8("\xC3\x28") == replacement + "(");
    CHECK(to_valid_utf8("end\xF0\x9F\x93") == "end" + replacement);
}
