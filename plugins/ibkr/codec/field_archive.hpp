#pragma once
// The two directions of one message layout. Every message is described once, as a function
// template over an "archive":
//
//   template <class Archive, class Message> requires IsMessage<Message, TickSize>
//   void layout(Archive& a, Message& m) { a.version(6); a.integer(m.request_id); ... }
//
// EncodeArchive writes the fields of a const message; DecodeArchive reads them into a
// mutable one. So the client's encoder and the fake gateway's decoder of a request (and the
// gateway's encoder and the client's decoder of a reply) cannot drift apart: there is one
// layout per message, gated on the negotiated server version in one place.

#include "field_reader.hpp"
#include "field_writer.hpp"
#include "server_versions.hpp"
#include "wire_constants.hpp"

#include <cmath>
#include <concepts>
#include <cstdint>
#include <limits>
#include <string_view>
#include <type_traits>

namespace mdp::ibkr {

template <typename Message, typename Expected>
concept IsMessage = std::same_as<std::remove_const_t<Message>, Expected>;

class EncodeArchive {
   public:
    EncodeArchive(FieldWriter& writer, int server_version) noexcept : writer_(writer), version_(server_version) {}

    [[nodiscard]] int server_version() const noexcept { return version_; }
    static constexpr bool kDecoding = false;

    // The per-message version field that precedes most layouts.
    void version(int message_version) { writer_.integer(message_version); }
    void integer(const int& value) { writer_.integer(value); }
    void integer(const std::int64_t& value) { writer_.integer(value); }
    void text(const std::string_view& value) { writer_.text(value); }
    void flag(const bool& value) { writer_.flag(value); }
    // A price as TWS writes it ("150.50").
    void price(const double& value) { writer_.number(value, DoubleStyle::price); }
    // A size/volume: an integer before fractional sizes (163), a decimal string from then on.
    void size(const double& value) {
        if (std::isnan(value)) {
            writer_.empty();
        } else if (version_ < server_version::kFractionalSizes) {
            writer_.integer(static_cast<std::int64_t>(std::llround(value)));
        } else {
            writer_.number(value, DoubleStyle::shortest);
        }
    }
    // Any other double, as IB's client writes it ("0.0").
    void decimal(const double& value) { writer_.number(value, DoubleStyle::python); }

   private:
    FieldWriter& writer_;
    int version_;
};

class DecodeArchive {
   public:
    DecodeArchive(FieldReader& reader, int server_version) noexcept : reader_(reader), version_(server_version) {}

    [[nodiscard]] int server_version() const noexcept { return version_; }
    static constexpr bool kDecoding = true;

    // Message versions are informational for the layouts this codec knows; read and skip.
    void version(int /*message_version*/) { reader_.skip(); }
    void integer(int& value) { value = narrow(reader_.integer()); }
    void integer(std::int64_t& value) { value = reader_.integer(); }
    void text(std::string_view& value) { value = reader_.text(); }
    void flag(bool& value) { value = reader_.flag(); }
    void price(double& value) { value = reader_.number(); }
    // Integer sizes (before 163) use the integer sentinels for "unset".
    void size(double& value) {
        value = reader_.number();
        if (value == static_cast<double>(wire::kUnsetInteger) || value == static_cast<double>(wire::kUnsetLong)) {
            value = std::numeric_limits<double>::quiet_NaN();
        }
    }
    void decimal(double& value) { value = reader_.number(); }

    [[nodiscard]] FieldReader& reader() noexcept { return reader_; }

   private:
    // Ids and codes are 32-bit on the wire; an out-of-range value is clamped to the sentinel
    // rather than wrapped into a plausible wrong id.
    static int narrow(std::int64_t value) noexcept {
        if (value > std::numeric_limits<int>::max() || value < std::numeric_limits<int>::min()) {
            return std::numeric_limits<int>::max();
        }
        return static_cast<int>(value);
    }

    FieldReader& reader_;
    int version_;
};

}  // namespace mdp::ibkr
