#pragma once
// An std::ostream whose text other threads may read while it is being written (the fake
// gateway's log, read by the test thread).

#include <mutex>
#include <ostream>
#include <streambuf>
#include <string>

namespace mdp::ibkr::test {

class CapturedOutput : public std::ostream {
   public:
    CapturedOutput() : std::ostream(&buffer_) {}

    [[nodiscard]] std::string text() const {
        std::lock_guard lock(buffer_.mutex);
        return buffer_.text;
    }
    [[nodiscard]] bool contains(const std::string& needle) const { return text().find(needle) != std::string::npos; }
    [[nodiscard]] std::size_t count(const std::string& needle) const {
        const std::string all = text();
        std::size_t found = 0;
        for (std::size_t at = all.find(needle); at != std::string::npos; at = all.find(needle, at + 1)) {
            ++found;
        }
        return found;
    }

   private:
    struct Buffer : std::streambuf {
        mutable std::mutex mutex;
        std::string text;
        int_type overflow(int_type c) override {
            if (c != traits_type::eof()) {
                std::lock_guard lock(mutex);
                text.push_back(static_cast<char>(c));
            }
            return c;
        }
        std::streamsize xsputn(const char* data, std::streamsize count) override {
            std::lock_guard lock(mutex);
            text.append(data, static_cast<std::size_t>(count));
            return count;
        }
    };
    Buffer buffer_;
};

}  // namespace mdp::ibkr::test
