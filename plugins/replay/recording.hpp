#pragma once
// Reading a recording for the replay provider: the CSV format documented in README.md, and
// the JSONL the host's `jsonl` sink writes. Both become plain event records in file order.
//
// A row that cannot be read is fatal (RecordingError naming file and line) or, under
// BadRows::skip, skipped and counted with the first reasons kept. A file that cannot be
// opened, an empty file and a bad CSV header are always fatal.

#include <mdp/plugin_api.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace mdp::replay {

enum class RecordingFormat { csv, jsonl };
enum class BadRows { fail, skip };

// "<file>:<line>: <what is wrong>" (no line for problems with the file as a whole).
class RecordingError : public std::runtime_error {
   public:
    using std::runtime_error::runtime_error;
};

struct Recording {
    std::vector<mdp_event_t> events;  // in file order
    std::uint64_t skipped_rows = 0;
    std::vector<std::string> skipped_reasons;  // the first kMaxKeptReasons, "<file>:<line>: ..."
    static constexpr std::size_t kMaxKeptReasons = 10;
};

struct RecordingSource {
    std::filesystem::path file;
    RecordingFormat format = RecordingFormat::csv;
    BadRows bad_rows = BadRows::fail;
    std::optional<std::string> provider;  // JSONL: only lines of this provider
};

// Reads the whole recording. Throws RecordingError.
Recording read_recording(const RecordingSource& source);

// The CSV columns, in the order replay-written files use; a header names any subset that
// includes type, symbol and event_time_ns, in any order.
const std::vector<std::string>& csv_columns();

}  // namespace mdp::replay
