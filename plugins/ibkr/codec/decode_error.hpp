#pragma once
// Errors of the codec. A DecodeError concerns one message (the stream stays in sync and the
// next frame can be read); a FramingError means the byte stream itself cannot be trusted any
// more (the connection must be dropped). EncodeError is a caller bug or unencodable input.

#include <stdexcept>
#include <string>

namespace mdp::ibkr {

class DecodeError : public std::runtime_error {
   public:
    using std::runtime_error::runtime_error;
};

class FramingError : public std::runtime_error {
   public:
    using std::runtime_error::runtime_error;
};

class EncodeError : public std::runtime_error {
   public:
    using std::runtime_error::runtime_error;
};

}  // namespace mdp::ibkr
