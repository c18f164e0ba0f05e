// The sink registry: create_sink() validates every type's keys, errors name file and JSON path;
// every registered type is documented where its entry points.

#include "sink_test_events.hpp"
#include "sinks/sink_registry.hpp"
#include "sinks/sqlite/sqlite_sink.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

#include <cctype>
#include <fstream>
#include <set>

using mdp::config::ConfigError;
using mdp::sinks::create_sink;
using mdp::test::make_sink_config;
using nlohmann::json;

TEST_CASE("sink factory creates each known type", "[sinks][factory]") {
    mdp::test::TempDir dir;
    const std::string config_file = (dir / "config.json").string();
    for (const std::string type : {"null", "jsonl", "sqlite"}) {
        json object = {{"type", type}, {"name", "s-" + type}};
        if (type != "null") {
            object["path"] = "data/out." + type;
        }
        const auto sink = create_sink(make_sink_config(object, config_file));
        REQUIRE(sink != nullptr);
        CHECK(sink->type() == type);
        CHECK(sink->name() == "s-" + type);
    }
    const auto types = mdp::sinks::sink_types();
    CHECK(std::find(types.begin(), types.end(), "sqlite") != types.end());
}

TEST_CASE("sink factory resolves relative paths against the config file's directory", "[sinks][factory]") {
    mdp::test::TempDir dir;
    const auto config_file = dir / "conf/config.json";
    auto sink =
        create_sink(make_sink_config({{"type", "sqlite"}, {"path", "../data/mdp.sqlite"}}, config_file.string()));
    sink->open(mdp::test::make_context());
    sink->close();
    CHECK(std::filesystem::exists(dir / "data/mdp.sqlite"));

    auto jsonl = create_sink(make_sink_config({{"type", "jsonl"}, {"path", "events.jsonl"}}, config_file.string()));
    jsonl->open(mdp::test::make_context());
    jsonl->write(mdp::test::make_mixed_batch(1, 0, 0));
    jsonl->close();
    CHECK(std::filesystem::exists(dir / "conf/events.jsonl"));
}

TEST_CASE("sink factory errors name the file and JSON path", "[sinks][factory]") {
    const auto error_of = [](const json& object, std::size_t index = 2) {
        try {
            (void)create_sink(make_sink_config(object, "etc/mdp.json", index));
        } catch (const ConfigError& error) {
            return std::string(error.what());
        }
        return std::string("(no error)");
    };
    CHECK(error_of({{"type", "sqlite"}, {"path", "x.sqlite"}, {"jurnal_mode", "WAL"}}) ==
          "etc/mdp.json: store.sinks[2].jurnal_mode: unknown key; expected one of \"busy_timeout_ms\", "
          "\"journal_mode\", \"name\", \"path\", \"synchronous\", \"type\" (did you mean \"journal_mode\"?)");
    CHECK_THAT(
        error_of({{"type", "sqlite"}}),
        Catch::StartsWith("etc/mdp.json: store.sinks[2].path: expected a string, found nothing (the key is required)"));
    CHECK_THAT(error_of({{"type", "sqlite"}, {"path", "x"}, {"busy_timeout_ms", "soon"}}),
               Catch::StartsWith("etc/mdp.json: store.sinks[2].busy_timeout_ms: expected an integer"));
    CHECK_THAT(error_of({{"type", "sqlite"}, {"path", "x"}, {"journal_mode", "wal2"}}),
               Catch::Contains("store.sinks[2].journal_mode: expected one of \"WAL\""));
    CHECK_THAT(error_of({{"type", "jsonl"}, {"path", "-"}, {"max_file_bytes", 100}}),
               Catch::Contains("store.sinks[2].max_file_bytes: expected 0"));
    CHECK_THAT(error_of({{"type", "jsonl"}, {"path", "x"}, {"fsync", "always"}}),
               Catch::Contains("store.sinks[2].fsync: expected one of \"none\", \"batch\""));
    CHECK_THAT(error_of({{"type", "jsonl"}, {"path", "x"}, {"max_files", 0}}),
               Catch::Contains("store.sinks[2].max_files: expected an integer from 1"));
    CHECK_THAT(error_of({{"type", "null"}, {"write_latency_ms", -5}}, 0),
               Catch::StartsWith("etc/mdp.json: store.sinks[0].write_latency_ms: expected an integer from 0 to 60000"));
    CHECK_THAT(error_of({{"type", "null"}, {"path", "x"}}, 0),
               Catch::StartsWith("etc/mdp.json: store.sinks[0].path: unknown key"));
    CHECK_THAT(error_of({{"type", "mongodb"}}),
               Catch::StartsWith(
                   "etc/mdp.json: store.sinks[2].type: expected one of \"null\", \"jsonl\", \"sqlite\", \"postgres\""));
}

TEST_CASE("each sink names where its data goes: the resolved file, stdout, or the database without secrets",
          "[sinks][factory]") {
    mdp::test::TempDir dir;
    const auto config_file = dir / "conf/config.json";
    const auto destination = [&](const json& object) {
        return create_sink(make_sink_config(object, config_file.string()))->destination();
    };
    // Relative to the config file's directory, made absolute and normal: what the data really is.
    const auto expected_sqlite = std::filesystem::weakly_canonical(dir.path()).string() + "/data/mdp.sqlite";
    CHECK(destination({{"type", "sqlite"}, {"path", "../data/mdp.sqlite"}}) == expected_sqlite);
    CHECK(destination({{"type", "jsonl"}, {"path", "-"}}) == "stdout");
    CHECK(destination({{"type", "null"}}).empty());
    const auto postgres = destination(
        {{"type", "postgres"}, {"conninfo", "host=db.internal port=5433 dbname=mdp user=w password=s3cret"}});
    CHECK(postgres == "PostgreSQL host=db.internal port=5433 dbname=mdp user=w, schema public");
    CHECK(postgres.find("s3cret") == std::string::npos);
    CHECK(destination({{"type", "postgres"}}) ==
          "PostgreSQL server and database from the PG* environment variables, schema public");
}

namespace {

// The anchors GitHub gives the "## " headings of a Markdown file: lower case, punctuation
// dropped, spaces as hyphens ("## `sqlite` (the default)" -> "sqlite-the-default").
std::set<std::string> section_anchors(const std::filesystem::path& markdown) {
    std::ifstream in(markdown);
    std::set<std::string> anchors;
    for (std::string line; std::getline(in, line);) {
        if (!line.starts_with("## ")) {
            continue;
        }
        std::string anchor;
        for (const char c : line.substr(3)) {
            const auto byte = static_cast<unsigned char>(c);
            if (std::isalnum(byte) != 0 || c == '-' || c == '_') {
                anchor += static_cast<char>(std::tolower(byte));
            } else if (c == ' ') {
                anchor += '-';
            }
        }
        anchors.insert(anchor);
    }
    return anchors;
}

}  // namespace

TEST_CASE("every registered sink type has its section in docs/sinks.md", "[sinks][factory]") {
    const auto anchors = section_anchors(std::filesystem::path(MDP_SOURCE_DIR) / "docs/sinks.md");
    REQUIRE(anchors.size() >= mdp::sinks::registered_sink_types().size());
    for (const mdp::sinks::SinkType& type : mdp::sinks::registered_sink_types()) {
        INFO("sink type " << type.name << ", docs " << type.docs_anchor);
        CHECK(type.create != nullptr);
        REQUIRE(type.docs_anchor.starts_with("sinks.md#"));
        CHECK(anchors.count(std::string(type.docs_anchor.substr(std::string_view("sinks.md#").size()))) == 1);
        CHECK(type.docs_anchor.find(type.name) != std::string_view::npos);
    }
}
