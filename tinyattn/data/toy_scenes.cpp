// toy_scenes.cpp — drawing the scenes and writing their captions (see toy_scenes.hpp).
#include "tinyattn/data/toy_scenes.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace tinyattn::data {

namespace {

const char* const kShapes[] = {"circle", "square", "triangle"};
const char* const kColours[] = {"red", "green", "blue", "yellow"};
const float kRgb[4][3] = {{0.90f, 0.15f, 0.15f}, {0.15f, 0.80f, 0.20f}, {0.20f, 0.30f, 0.95f}, {0.95f, 0.85f, 0.10f}};
const char* const kSizes[] = {"small", "large"};
const int kSidePixels[] = {6, 9};
constexpr int kCell = 10, kGrid = 3;  // a 3 × 3 layout of 10-pixel cells, 1 pixel of margin

struct Object {
    int shape, colour, size, cell;  // cell = row · 3 + column
    Box box;
};

// Is pixel (x, y) of the box part of the shape? Tested at the pixel's centre.
bool covers(const Object& o, int x, int y) {
    const int s = o.box.x1 - o.box.x0;
    const float px = float(x) + 0.5f - float(o.box.x0), py = float(y) + 0.5f - float(o.box.y0);
    const float half = 0.5f * float(s);
    if (o.shape == 0) return (px - half) * (px - half) + (py - half) * (py - half) <= half * half;  // circle
    if (o.shape == 1) return true;                                                                      // square
    return std::fabs(px - half) <= 0.5f * (std::floor(py) + 1.0f);  // triangle, apex up: rows widen by 1 px
}

float quantize(float v) { return std::round(std::clamp(v, 0.0f, 1.0f) * 255.0f) / 255.0f; }  // as a PNG stores it

void add_words(CaptionedImage& scene, const std::vector<std::string>& words, const Box& box) {
    for (const std::string& w : words) {
        scene.caption.push_back(w);
        scene.word_boxes.push_back(box);
    }
}

// FNV-1a: which split a layout belongs to, the same on every machine.
uint32_t fnv1a(const std::string& s) {
    uint32_t h = 2166136261u;
    for (unsigned char c : s) h = (h ^ c) * 16777619u;
    return h;
}

}  // namespace

CaptionedImage draw_scene(Rng& rng, int count) {
    // The objects: distinct cells, attributes drawn independently.
    std::vector<int> cells = {0, 1, 2, 3, 4, 5, 6, 7, 8};
    rng.shuffle(cells);
    std::vector<Object> objects;
    for (int k = 0; k < count; ++k) {
        Object o{rng.randint(0, 3), rng.randint(0, 4), rng.randint(0, 2), cells[size_t(k)], {}};
        const int side = kSidePixels[o.size];
        o.box.x0 = 1 + kCell * (o.cell % kGrid) + rng.randint(0, kCell - side + 1);
        o.box.y0 = 1 + kCell * (o.cell / kGrid) + rng.randint(0, kCell - side + 1);
        o.box.x1 = o.box.x0 + side;
        o.box.y1 = o.box.y0 + side;
        objects.push_back(o);
    }
    std::sort(objects.begin(), objects.end(), [](const Object& a, const Object& b) { return a.cell < b.cell; });

    CaptionedImage scene;
    scene.size = kSceneSize;
    scene.objects = count;
    scene.pixels.assign(size_t(3) * kSceneSize * kSceneSize, 0.0f);
    const float background = rng.uniform(0.05f, 0.25f);  // a grey, darker or lighter per image
    for (int y = 0; y < kSceneSize; ++y)
        for (int x = 0; x < kSceneSize; ++x) {
            const Object* on = nullptr;
            for (const Object& o : objects)
                if (x >= o.box.x0 && x < o.box.x1 && y >= o.box.y0 && y < o.box.y1 && covers(o, x, y)) on = &o;
            for (int c = 0; c < 3; ++c) {
                const float base = on ? kRgb[on->colour][c] : background;
                scene.pixels[(size_t(c) * kSceneSize + size_t(y)) * kSceneSize + size_t(x)] =
                    quantize(base + rng.normal(0.0f, 0.05f));
            }
        }
    for (size_t k = 0; k < objects.size(); ++k) {
        const Object& o = objects[k];
        if (k > 0) {  // how the previous object relates to this one
            const bool same_row = objects[k - 1].cell / kGrid == o.cell / kGrid;
            add_words(scene, same_row ? std::vector<std::string>{"left", "of"} : std::vector<std::string>{"above"}, {});
        }
        add_words(scene, {"a"}, {});
        add_words(scene, {kSizes[o.size], kColours[o.colour], kShapes[o.shape]}, o.box);
    }
    scene.references = {scene.caption};
    return scene;
}

SceneSplits make_toy_scenes(uint64_t seed, int train, int valid, int test) {
    Rng rng(seed);
    SceneSplits splits;
    int drawn = 0;
    while (int(splits.train.size()) < train || int(splits.valid.size()) < valid || int(splits.test.size()) < test) {
        CaptionedImage scene = draw_scene(rng, 1 + drawn % 3);
        ++drawn;
        // The layout: the caption plus the cell of each object (jitter and noise left out).
        std::string layout;
        for (size_t t = 0; t < scene.caption.size(); ++t) {
            layout += scene.caption[t] + " ";
            const Box& b = scene.word_boxes[t];
            if (!b.empty()) layout += std::to_string((b.y0 - 1) / kCell * kGrid + (b.x0 - 1) / kCell) + " ";
        }
        const uint32_t bucket = fnv1a(layout) % 20;  // 1 in 20 layouts is test, 1 in 20 valid
        std::vector<CaptionedImage>& split = bucket == 0 ? splits.test : bucket == 1 ? splits.valid : splits.train;
        const int wanted = bucket == 0 ? test : bucket == 1 ? valid : train;
        if (int(split.size()) >= wanted) continue;
        scene.name = "scene_" + std::to_string(drawn);
        split.push_back(std::move(scene));
    }
    return splits;
}

}  // namespace tinyattn::data
