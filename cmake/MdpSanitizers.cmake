# Extra build types: -DCMAKE_BUILD_TYPE=Asan (AddressSanitizer + UBSan), Tsan and Fuzz.
#
# All three define BOOST_DISABLE_ASSERTS, as the shipped build (NDEBUG) effectively does:
# Boost 1.81's HTTP parser asserts `n >= 5` in parse_chunk_header although a chunked body
# fed a few bytes at a time legitimately gets there with 3 or 4 (Beast fixed the assert in
# 1.86; the code after it correctly asks for more bytes). With the assert on, any client
# could abort a sanitizer build of the server (tests/fuzz/corpus/http_request/
# beast-chunk-header-assert). Our own code uses no Boost asserts.
set(MDP_SANITIZER_DEFINES "-DBOOST_DISABLE_ASSERTS")
set(CMAKE_CXX_FLAGS_ASAN "${MDP_SANITIZER_DEFINES} -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined")
# GCC's manual warns that sanitizers raise the rate of false -Wmaybe-uninitialized reports
# and advises against combining them with -Werror: at -O1 with ASan, libstdc++'s own
# <regex> trips it. The normal build keeps the warning (and -Werror) for our code.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  string(APPEND CMAKE_CXX_FLAGS_ASAN " -Wno-maybe-uninitialized")
endif()
set(CMAKE_C_FLAGS_ASAN "${CMAKE_CXX_FLAGS_ASAN}")
set(CMAKE_EXE_LINKER_FLAGS_ASAN "-fsanitize=address,undefined")
set(CMAKE_SHARED_LINKER_FLAGS_ASAN "-fsanitize=address,undefined")
set(CMAKE_MODULE_LINKER_FLAGS_ASAN "-fsanitize=address,undefined")
set(CMAKE_CXX_FLAGS_TSAN "${MDP_SANITIZER_DEFINES} -O1 -g -fno-omit-frame-pointer -fsanitize=thread")
# GCC warns (-Wtsan) wherever std::atomic_thread_fence is inlined, which Boost.Asio's
# scheduler does: ThreadSanitizer does not model standalone fences. That is a property of
# the tool, not of our code, and with -Werror it would stop the build.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  string(APPEND CMAKE_CXX_FLAGS_TSAN " -Wno-tsan")
endif()
set(CMAKE_C_FLAGS_TSAN "${CMAKE_CXX_FLAGS_TSAN}")
set(CMAKE_EXE_LINKER_FLAGS_TSAN "-fsanitize=thread")
set(CMAKE_SHARED_LINKER_FLAGS_TSAN "-fsanitize=thread")
set(CMAKE_MODULE_LINKER_FLAGS_TSAN "-fsanitize=thread")
# Fuzz (Clang only): everything instrumented for libFuzzer plus ASan + UBSan; the fuzz
# executables add -fsanitize=fuzzer at link time (tests/fuzz, scripts/fuzz.sh).
set(CMAKE_CXX_FLAGS_FUZZ "${MDP_SANITIZER_DEFINES} -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined")
set(CMAKE_C_FLAGS_FUZZ "${CMAKE_CXX_FLAGS_FUZZ}")
set(CMAKE_EXE_LINKER_FLAGS_FUZZ "-fsanitize=address,undefined")
set(CMAKE_SHARED_LINKER_FLAGS_FUZZ "-fsanitize=address,undefined")
set(CMAKE_MODULE_LINKER_FLAGS_FUZZ "-fsanitize=address,undefined")
