// rng.cpp — PCG32 (XSH-RR variant) and the distributions built on it.
#include "tinyattn/rng.hpp"

#include <cmath>
#include <utility>

namespace tinyattn {

Rng::Rng(uint64_t seed, uint64_t stream) {
    // The reference seeding procedure of pcg32_srandom_r.
    state = 0;
    inc = (stream << 1u) | 1u;
    next_u32();
    state += seed;
    next_u32();
}

float Rng::uniform(float low, float high) { return low + (high - low) * uniform(); }

float Rng::normal(float mean, float std) {
    // Box–Muller: two independent uniforms give a standard normal.
    // u1 is kept away from 0 so log(u1) is finite.
    const double u1 = (double(next_u32()) + 1.0) / 4294967296.0;
    const double u2 = double(next_u32()) / 4294967296.0;
    const double z = std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
    return mean + std * float(z);
}

int Rng::randint(int low, int high) {
    // Lemire-style rejection: drop the few values that would make some results likelier.
    const uint32_t range = uint32_t(high - low);
    const uint32_t limit = uint32_t(-range) % range;  // (2^32 - range) mod range
    uint32_t r = next_u32();
    while (r < limit) r = next_u32();
    return low + int(r % range);
}

void Rng::shuffle(std::vector<int>& values) {
    for (int i = int(values.size()) - 1; i > 0; --i) std::swap(values[i], values[randint(0, i + 1)]);
}

Rng& global_rng() {
    static Rng rng(1);
    return rng;
}

void manual_seed(uint64_t seed) { global_rng() = Rng(seed); }

}  // namespace tinyattn
