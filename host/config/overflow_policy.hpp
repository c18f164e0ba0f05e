#pragma once
// What the store queue does with a publish that does not fit (`store.overflow_policy`). A
// configuration value that pipeline/store_queue acts on: it lives here, below pipeline/,
// because config/ parses it and must not include pipeline/.

#include <string_view>

namespace mdp::config {

enum class OverflowPolicy { block, drop_oldest, drop_newest };

constexpr std::string_view to_string(OverflowPolicy policy) {
    switch (policy) {
        case OverflowPolicy::block:
            return "block";
        case OverflowPolicy::drop_oldest:
            return "drop_oldest";
        case OverflowPolicy::drop_newest:
            return "drop_newest";
    }
    return "block";
}

}  // namespace mdp::config
