// mdp plugin SDK — the text of an errno value, safe to call from any thread.
//
// Providers report socket and file errors from their own threads; std::strerror may share
// one buffer between threads, so this uses the reentrant strerror_r. The host uses the same
// helper. Header-only, like the rest of the SDK.
#ifndef MDP_SDK_ERRNO_TEXT_HPP
#define MDP_SDK_ERRNO_TEXT_HPP

#include <array>
#include <cstring>
#include <string>

namespace mdp::sdk {

namespace errno_text_detail {
// glibc declares the GNU strerror_r (returns the text, maybe not in `buffer`) or the XSI one
// (fills `buffer`, returns 0) depending on feature macros; both results are handled.
[[maybe_unused]] inline const char* result(const char* text, const char* /*buffer*/) { return text; }
[[maybe_unused]] inline const char* result(int status, const char* buffer) { return status == 0 ? buffer : nullptr; }
}  // namespace errno_text_detail

// "No such file or directory" for ENOENT; "error <n>" for a value the C library does not know.
[[nodiscard]] inline std::string errno_text(int error_number) {
    std::array<char, 256> buffer{};
    const char* text =
        errno_text_detail::result(::strerror_r(error_number, buffer.data(), buffer.size()), buffer.data());
    return text != nullptr && *text != '\0' ? std::string(text) : "error " + std::to_string(error_number);
}

}  // namespace mdp::sdk

#endif  // MDP_SDK_ERRNO_TEXT_HPP
