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

// The generator used where no Rng is passed explicitly (parameter init, dropout).
// manual_seed() resets it, like torch.manual_seed.
Rng& global_rng();
void manual_seed(uint64_t seed);

}  // namespace tinyattn
