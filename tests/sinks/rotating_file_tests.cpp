// RotatingFile edge cases beyond what the jsonl sink tests cover.

#include "sinks/jsonl/rotating_file.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

using mdp::sinks::FsyncPolicy;
using mdp::sinks::RotatingFile;

TEST_CASE("rotating file gives an oversized line a file of its own", "[sinks][rotation]") {
    mdp::test::TempDir dir;
    RotatingFile file({dir / "log", 10, 5, FsyncPolicy::batch});
    file.open();
    file.append_lines("a\n0123456789ABCDEF\nb\n");
    file.close();
    CHECK(mdp::test::read_text_file(dir / "log.2") == "a\n");
    CHECK(mdp::test::read_text_file(dir / "log.1") == "0123456789ABCDEF\n");
    CHECK(mdp::test::read_text_file(dir / "log") == "b\n");
}

TEST_CASE("rotating file with max_files 1 keeps only the active file", "[sinks][rotation]") {
    mdp::test::TempDir dir;
    RotatingFile file({dir / "log", 4, 1, FsyncPolicy::none});
    file.open();
    file.append_lines("aaa\nbbb\nccc\n");
    file.close();
    CHECK(mdp::test::read_text_file(dir / "log") == "ccc\n");
    CHECK_FALSE(std::filesystem::exists(dir / "log.1"));
}

TEST_CASE("rotating file counts an existing file's size towards the limit", "[sinks][rotation]") {
    mdp::test::TempDir dir;
    dir.write_file("log", "12345678\n");
    RotatingFile file({dir / "log", 10, 3, FsyncPolicy::none});
    file.open();
    CHECK(file.current_file_bytes() == 9);
    file.append_lines("next\n");
    file.close();
    CHECK(mdp::test::read_text_file(dir / "log.1") == "12345678\n");
    CHECK(mdp::test::read_text_file(dir / "log") == "next\n");
}

TEST_CASE("rotating file without a limit never rotates", "[sinks][rotation]") {
    mdp::test::TempDir dir;
    RotatingFile file({dir / "log", 0, 2, FsyncPolicy::none});
    file.open();
    for (int index = 0; index < 100; ++index) {
        file.append_lines("some line of text\n");
    }
    file.close();
    CHECK(std::filesystem::file_size(dir / "log") == std::uintmax_t{100} * 18);
    CHECK_FALSE(std::filesystem::exists(dir / "log.1"));
}
