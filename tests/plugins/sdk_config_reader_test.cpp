// The SDK's config reader (mdp/sdk/config_reader.hpp): typed getters, ranges, enums,
// required and unknown keys with "did you mean", and errors that carry the path as data.
#include <mdp/sdk/config_reader.hpp>

#include <catch2/catch.hpp>

using mdp::sdk::ConfigProblem;
using mdp::sdk::ConfigReader;

namespace {

// Runs `read` on a reader of `json`; returns the problem's path and message ("accepted").
template <typename Read>
std::pair<std::string, std::string> problem_of(const std::string& json, Read read) {
    const nlohmann::json document = ConfigReader::parse(json);
    ConfigReader reader(document);
    try {
        read(reader);
        reader.finish();
    } catch (const ConfigProblem& problem) {
        CHECK(std::string(problem.what()) ==
              (problem.path().empty() ? problem.message() : problem.path() + ": " + problem.message()));
        return {problem.path(), problem.message()};
    }
    return {"", "accepted"};
}

enum class Mode { live, delayed };

}  // namespace

TEST_CASE("sdk config reader: typed values with defaults", "[sdk][config]") {
    const nlohmann::json document = ConfigReader::parse(
        R"({"name": "a", "port": 4002, "ratio": 0.5, "on": true, "mode": "delayed", "tags": ["x", "y"],
            "inner": {"depth": 3}, "list": [{"k": 1}, {"k": 2}]})");
    ConfigReader reader(document);
    CHECK(reader.string("name") == "a");
    CHECK(reader.integer("port", 1, 65535) == 4002);
    CHECK(reader.number("ratio", 0, 1) == 0.5);
    CHECK(reader.boolean("on"));
    CHECK(reader.choice<Mode>("mode", {{"live", Mode::live}, {"delayed", Mode::delayed}}) == Mode::delayed);
    CHECK(reader.choice<Mode>("absent_mode", {{"live", Mode::live}}, Mode::live) == Mode::live);
    CHECK(reader.string_list("tags") == std::vector<std::string>{"x", "y"});
    CHECK(reader.integer("missing", 0, 10, 7) == 7);
    ConfigReader inner = reader.object("inner");
    CHECK(inner.integer("depth", 0, 5) == 3);
    CHECK(inner.path_of("depth") == "inner.depth");
    inner.finish();
    const auto elements = reader.elements("list");
    REQUIRE(elements.size() == 2);
    CHECK(elements[1].path == "list[1]");
    reader.finish();
    CHECK(ConfigReader::parse("").empty());
    CHECK(ConfigReader::parse("null").empty());
}

TEST_CASE("sdk config reader: errors say what was expected and what was found and carry the path as data",
          "[sdk][config]") {
    using Result = std::pair<std::string, std::string>;
    CHECK(problem_of(R"({"port": "x"})", [](ConfigReader& r) { (void)r.integer("port", 1, 65535); }) ==
          Result{"port", R"(expected an integer from 1 to 65535, found "x")"});
    CHECK(problem_of(R"({"port": 2.0})", [](ConfigReader& r) { (void)r.integer("port", 1, 65535); }) ==
          Result{"port", "expected an integer from 1 to 65535, found 2.0"});
    CHECK(problem_of(R"({"port": 18446744073709551615})", [](ConfigReader& r) { (void)r.integer("port", 1, 9); }) ==
          Result{"port", "expected an integer from 1 to 9, found 18446744073709551615"});
    CHECK(problem_of("{}", [](ConfigReader& r) { (void)r.string("host"); }) ==
          Result{"host", "expected a string, found nothing (the key is required)"});
    CHECK(problem_of(R"({"ratio": 2})", [](ConfigReader& r) { (void)r.number("ratio", 0, 1.5); }) ==
          Result{"ratio", "expected a number from 0 to 1.5, found 2"});
    CHECK(problem_of(R"({"mode": "delayd"})", [](ConfigReader& r) {
              (void)r.one_of("mode", {"live", "delayed"});
          }) == Result{"mode", R"(expected one of "live", "delayed", found "delayd" (did you mean "delayed"?))"});
    CHECK(problem_of(R"({"inner": {"x": []}})", [](ConfigReader& r) { (void)r.object("inner").boolean("x"); }) ==
          Result{"inner.x", "expected true or false, found an array"});
    CHECK(problem_of(R"({"tags": ["a", 3]})", [](ConfigReader& r) { (void)r.string_list("tags"); }) ==
          Result{"tags[1]", "expected a string, found 3"});
    CHECK(problem_of(R"({"port": 1, "prot": 2})", [](ConfigReader& r) { (void)r.integer("port", 1, 9); }) ==
          Result{"prot", R"(unknown key; expected one of "port" (did you mean "port"?))"});
    CHECK(problem_of(R"({"zzz": 2})", [](ConfigReader& r) { (void)r.integer("port", 1, 9, 1); }) ==
          Result{"zzz", R"(unknown key; expected one of "port")"});
    CHECK_THROWS_MATCHES(ConfigReader::parse("[1]"), ConfigProblem,
                         Catch::Predicate<ConfigProblem>([](const ConfigProblem& problem) {
                             return problem.path().empty() && problem.message() == "expected an object, found an array";
                         }));
}
