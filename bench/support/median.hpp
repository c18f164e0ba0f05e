#pragma once
// The median the benchmark drivers report: the middle of the sorted values (the upper middle
// for an even count, so it is always a measured value), NaN for none.

#include <algorithm>
#include <cmath>
#include <vector>

namespace mdp::bench {

inline double median(std::vector<double> values) {
    if (values.empty()) {
        return NAN;
    }
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

}  // namespace mdp::bench
