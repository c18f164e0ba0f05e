#pragma once
// A small, fast, seedable pseudo-random source whose sequence depends only on the seed
// (not on the standard library's distribution implementations), so a given seed produces
// the same market on every platform and compiler. Not thread-safe: one per worker thread.
//
// Generator: xoshiro256** (Blackman & Vigna), state seeded through splitmix64.
// Normal deviates: Marsaglia's polar method, caching the second deviate of each pair.

#include <cmath>
#include <cstdint>

namespace mdp::synthetic {

class RandomSource {
   public:
    explicit RandomSource(std::uint64_t seed) noexcept {
        std::uint64_t mixer = seed;
        for (auto& word : state_) {
            word = splitmix64(mixer);
        }
    }

    // Uniformly distributed 64-bit value.
    std::uint64_t next_u64() noexcept {
        const std::uint64_t result = rotate_left(state_[1] * 5, 7) * 9;
        const std::uint64_t shifted = state_[1] << 17;
        state_[2] ^= state_[0];
        state_[3] ^= state_[1];
        state_[1] ^= state_[2];
        state_[0] ^= state_[3];
        state_[2] ^= shifted;
        state_[3] = rotate_left(state_[3], 45);
        return result;
    }

    // Uniform in [0, 1).
    double uniform() noexcept { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

    // Uniform integer in [0, bound) for bound > 0 (multiply-shift; bias < 2^-32 for small bounds).
    std::uint32_t below(std::uint32_t bound) noexcept {
        return static_cast<std::uint32_t>(((next_u64() >> 32) * bound) >> 32);
    }

    // Standard normal deviate (mean 0, standard deviation 1).
    double normal() noexcept {
        if (has_spare_) {
            has_spare_ = false;
            return spare_;
        }
        double u = 0.0;
        double v = 0.0;
        double s = 0.0;
        do {
            u = 2.0 * uniform() - 1.0;
            v = 2.0 * uniform() - 1.0;
            s = u * u + v * v;
        } while (s >= 1.0 || s == 0.0);
        const double factor = std::sqrt(-2.0 * std::log(s) / s);
        spare_ = v * factor;
        has_spare_ = true;
        return u * factor;
    }

    // Derives an independent seed for a sub-stream (e.g. worker thread `index`).
    static std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t index) noexcept {
        std::uint64_t mixer = seed ^ (0xd1b54a32d192ed03ULL * (index + 1));
        return splitmix64(mixer);
    }

   private:
    static std::uint64_t rotate_left(std::uint64_t value, int bits) noexcept {
        return (value << bits) | (value >> (64 - bits));
    }

    static std::uint64_t splitmix64(std::uint64_t& mixer) noexcept {
        std::uint64_t z = (mixer += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }

    std::uint64_t state_[4]{};
    double spare_ = 0.0;
    bool has_spare_ = false;
};

}  // namespace mdp::synthetic
