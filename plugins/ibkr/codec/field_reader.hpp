#pragma once
// Reads the NUL-terminated ASCII fields of one frame payload, in order. Views returned by
// text() point into the payload and live as long as it does. Any unreadable field throws a
// DecodeError naming the field's position (1-based, the message id being field 1) and what
// was found, so a malformed message can be logged precisely and skipped.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace mdp::ibkr {

class FieldReader {
   public:
    // Throws DecodeError when the payload is empty or does not end with a NUL.
    explicit FieldReader(std::string_view payload);

    [[nodiscard]] bool at_end() const noexcept { return position_ >= payload_.size(); }
    // Number of fields read so far.
    [[nodiscard]] std::size_t fields_read() const noexcept { return fields_read_; }

    std::string_view text();
    // Empty -> 0 (as IB's own decoders do); sentinels are returned as they are.
    std::int64_t integer();
    // Empty or a sentinel -> nullopt.
    std::optional<std::int64_t> optional_integer();
    // Empty or a sentinel -> NaN (our "unset").
    double number();
    // "1"/"0" (also "true"/"false"); empty -> false.
    bool flag();
    void skip(std::size_t count = 1);

   private:
    [[noreturn]] void fail(std::string_view expected, std::string_view found) const;

    std::string_view payload_;
    std::size_t position_ = 0;
    std::size_t fields_read_ = 0;
};

}  // namespace mdp::ibkr
