// toy_scenes.hpp — small RGB scenes of 1–3 objects with captions that name them (lesson 13).
//
// A 32 × 32 image is cut into a 3 × 3 layout of 10-pixel cells; each object sits in its own
// cell, with a shape (circle, square, triangle), a colour (red, green, blue, yellow) and a size
// (small: 6 px, large: 9 px), jittered inside its cell, on a dark background with pixel noise.
// The caption names the objects in reading order (top row first, left to right) and relates
// each one to the next:
//
//   "a small red circle"                                            1 object
//   "a large blue square left of a small green triangle"            same row
//   "a small red circle above a large yellow square left of a small blue circle"
//
// ("above": the next object is in a lower row; "left of": in the same row, further right.)
// The size, colour and shape words of an object carry its box. Everything is drawn with the
// project's Rng, so a seed gives the same bytes on every machine (tests/test_toy_scenes.cpp
// holds them to a committed hash). datasets/README.md documents the corpus.
#pragma once
#include <cstdint>
#include <vector>

#include "tinyattn/data/captioned_image.hpp"
#include "tinyattn/rng.hpp"

namespace tinyattn::data {

constexpr int kSceneSize = 32;
// The corpus lesson 13 trains on and gen_toy_scenes writes out (seed 1 by default).
constexpr int kTrainScenes = 6000, kValidScenes = 300, kTestScenes = 600;

// One scene with `objects` objects (1–3) drawn from rng.
CaptionedImage draw_scene(Rng& rng, int objects);

struct SceneSplits {
    std::vector<CaptionedImage> train, valid, test;
};

// Scenes with 1, 2 or 3 objects (equally often) until each split has its count. A scene's
// layout — the objects, their attributes and cells — decides its split (a hash), so no test
// or valid layout ever appears in train, only new jitter and noise would.
SceneSplits make_toy_scenes(uint64_t seed, int train, int valid, int test);

}  // namespace tinyattn::data
