#include "pipeline/event_origins.hpp"

#include "common/utf8.hpp"

#include <algorithm>
#include <cstring>

namespace mdp::pipeline {

namespace {

// provider NUL run_id: the map's key, built on the stack so a lookup allocates nothing.
constexpr std::size_t kKeyCapacity = 2 * EventOrigins::kMaxTextBytes + 1;

}  // namespace

EventOrigins::EventOrigins() : table_(std::make_shared<Table>()) {}

std::uint32_t EventOrigins::intern(std::string_view provider, std::string_view run_id) const {
    std::array<char, kKeyCapacity> key_text{};
    const std::size_t provider_bytes = std::min(provider.size(), kMaxTextBytes);
    const std::size_t run_id_bytes = std::min(run_id.size(), kMaxTextBytes);
    std::memcpy(key_text.data(), provider.data(), provider_bytes);
    std::memcpy(key_text.data() + provider_bytes + 1, run_id.data(), run_id_bytes);
    const std::string_view key(key_text.data(), provider_bytes + 1 + run_id_bytes);

    Table& table = *table_;
    std::lock_guard lock(table.mutex);
    if (const auto found = table.ids.find(key); found != table.ids.end()) {
        return found->second;
    }
    const std::uint32_t count = table.count.load(std::memory_order_relaxed);
    if (count == kCapacity) {
        return 0;
    }
    const std::uint32_t index = count;  // id = index + 1
    const std::uint32_t chunk = index / kChunkSize;
    if (!table.owned[chunk]) {
        table.owned[chunk] = std::make_unique<Chunk>();
        table.chunks[chunk].store(table.owned[chunk].get(), std::memory_order_release);
    }
    (*table.owned[chunk])[index % kChunkSize] =
        EventOrigin{std::string(provider.substr(0, provider_bytes)), std::string(run_id.substr(0, run_id_bytes))};
    table.ids.emplace(std::string(key), index + 1);
    table.count.store(count + 1, std::memory_order_release);
    return index + 1;
}

const EventOrigin* EventOrigins::find(std::uint32_t id) const noexcept {
    if (id == 0 || id > table_->count.load(std::memory_order_acquire)) {
        return nullptr;
    }
    const std::uint32_t index = id - 1;
    const Chunk* chunk = table_->chunks[index / kChunkSize].load(std::memory_order_acquire);
    return chunk == nullptr ? nullptr : &(*chunk)[index % kChunkSize];
}

std::string_view origin_text_problem(const char* text) noexcept {
    if (text == nullptr) {
        return "is missing";
    }
    const std::size_t length = ::strnlen(text, EventOrigins::kMaxTextBytes + 1);
    if (length == 0) {
        return "is empty";
    }
    if (length > EventOrigins::kMaxTextBytes) {
        return "is longer than 255 bytes";
    }
    const std::string_view view(text, length);
    if (!common::is_valid_utf8(view)) {
        return "is not valid UTF-8";
    }
    const bool has_control = std::any_of(view.begin(), view.end(), [](char character) {
        const auto byte = static_cast<unsigned char>(character);
        return byte < 0x20U || byte == 0x7fU;
    });
    return has_control ? "contains a control character" : "";
}

}  // namespace mdp::pipeline
