// Fuzz target: the JSON status document with plugin-supplied strings. Whatever bytes a
// plugin reports as its version, state detail or last error (and an operator as a provider
// or sink name), the document must serialise and parse back as JSON with the same shape.

#include "http/readiness.hpp"
#include "http/status_json.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace {

// Splits the input at NUL bytes into up to `count` strings (missing ones are empty).
std::vector<std::string> split_fields(std::string_view input, std::size_t count) {
    std::vector<std::string> fields(count);
    std::size_t index = 0;
    for (const char c : input) {
        if (c == '\0' && index + 1 < count) {
            ++index;
        } else {
            fields[index].push_back(c);
        }
    }
    return fields;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto fields = split_fields(std::string_view(reinterpret_cast<const char*>(data), size), 8);

    mdp::status::HostSnapshot snapshot;
    snapshot.version = "0.1.0";
    snapshot.run_id = fields[7];
    mdp::status::ProviderSnapshot provider;
    provider.name = fields[0];
    provider.plugin_id = fields[1];
    provider.plugin_version = fields[2];
    provider.state = fields[3];
    provider.detail = fields[4];
    provider.last_error = fields[5];
    provider.published_by_type[fields[6]] = 1;
    snapshot.providers.push_back(provider);
    mdp::status::SinkSnapshot sink;
    sink.name = fields[6];
    sink.type = "sqlite";
    sink.healthy = false;
    sink.last_error = fields[5];
    sink.errors_by_kind[fields[4]] = 2;
    snapshot.sinks.push_back(sink);

    const mdp::http::ReadinessReport readiness = mdp::http::evaluate_readiness(snapshot);
    const std::string text = mdp::http::dump_json(mdp::http::status_to_json(snapshot, readiness));
    // Throws (and so aborts the fuzzer) when the text is not JSON.
    const nlohmann::json parsed = nlohmann::json::parse(text);
    if (!parsed.is_object() || parsed.at("providers").size() != 1 || parsed.at("sinks").size() != 1) {
        std::abort();
    }
    return 0;
}
