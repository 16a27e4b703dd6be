// captioned_image.hpp — an image with its caption, the example type of lesson 13.
//
// Images are float RGB in [0, 1], channels first ([3, H, W], PyTorch's layout), all of one size.
// Words that name an object carry the object's box, so where a model looks can be scored.
#pragma once
#include <string>
#include <vector>

namespace tinyattn::data {

// Pixels [x0, x1) × [y0, y1) of an image; an empty box (x1 <= x0) means "no object".
struct Box {
    int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    bool empty() const { return x1 <= x0 || y1 <= y0; }
    int area() const { return empty() ? 0 : (x1 - x0) * (y1 - y0); }
};

struct CaptionedImage {
    std::string name;                         // the file name, or "scene_00042" for a generated one
    int size = 0;                             // the image is size × size pixels
    std::vector<float> pixels;                // [3, size, size]
    std::vector<std::string> caption;         // the words, no <sos>/<eos>
    std::vector<Box> word_boxes;              // one per word: the box of the object it names, or empty
    std::vector<std::vector<std::string>> references;  // every caption of this image (exact match, BLEU)
    int objects = 0;                          // how many objects the scene has (0: unknown, own data)
};

}  // namespace tinyattn::data
