// rng.hpp — the project's own random number generator (PCG32).
//
// Why not std::mt19937 + std::normal_distribution? The engine is portable, but the
// distributions are not: libstdc++ and libc++ turn the same bits into different floats.
// A learner on any machine must see the same weights, batches and losses for a seed, so
// tinyattn draws its own uniforms and normals from PCG32 (O'Neill 2014, pcg-random.org).
#pragma once
#include <cstdint>
#include <vector>

namespace tinyattn {

struct Rng {
    uint64_t state = 0;
    uint64_t inc = 0;

    explicit Rng(uint64_t seed = 1, uint64_t stream = 54);

    uint32_t next_u32();                  // 32 uniformly random bits
    float uniform();                      // in [0, 1), 24 bits of mantissa
    float uniform(float low, float high); // in [low, high)
    float normal(float mean = 0.0f, float std = 1.0f);  // Box–Muller
    int randint(int low, int high);       // in [low, high), no modulo bias
    void shuffle(std::vector<int>& values);  // Fisher–Yates
};

// The two draws every other one is made of, here in the header so that a loop drawing one per
// element (dropout's mask) compiles to the arithmetic itself, not a call per element.
inline uint32_t Rng::next_u32() {
    const uint64_t old = state;
    state = old * 6364136223846793005ULL + inc;                 // the LCG step
    const uint32_t xorshifted = uint32_t(((old >> 18u) ^ old) >> 27u);
    const uint32_t rot = uint32_t(old >> 59u);
    return (xorshifted >> rot) | (xorshifted << ((32 - rot) & 31));  // random rotation
}

inline float Rng::uniform() {
    // The top 24 bits fill a float mantissa exactly: every value is k / 2^24.
    return float(next_u32() >> 8) * (1.0f / 16777216.0f);
}

// The generator used where no Rng is passed explicitly (parameter init, dropout).
// manual_seed() resets it, like torch.manual_seed.
Rng& global_rng();
void manual_seed(uint64_t seed);

}  // namespace tinyattn
