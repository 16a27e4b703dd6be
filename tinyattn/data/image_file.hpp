// image_file.hpp — PNG files in and out (stb_image, Debian's libstb-dev), and a learner's own
// folder of captioned images for lesson 13.
//
// Image decoding is not what tinyattn teaches, so it uses a well-kept library rather than a
// hand-written decoder: stb_image reads PNG (and JPEG, BMP, ...), stb_image_write writes PNG,
// stb_image_resize scales to the model's input size. image_file.cpp is the one file that
// compiles their implementations.
#pragma once
#include <string>
#include <vector>

#include "tinyattn/data/captioned_image.hpp"

namespace tinyattn::data {

struct RgbImage {
    int width = 0, height = 0;
    std::vector<unsigned char> rgb;  // row-major, 3 bytes per pixel
};

// Throws std::runtime_error naming the file: "<path>: cannot read image (<reason>)" for a missing
// or corrupt file, "<path>: has N channels (grey / grey + alpha / RGBA); needs RGB" otherwise.
RgbImage read_rgb_image(const std::string& path);
void write_png(const std::string& path, const RgbImage& image);  // throws naming the file

// A box-filtered (area-averaging) copy of `image` at size × size, as floats [3, size, size] in [0, 1].
std::vector<float> to_model_input(const RgbImage& image, int size);
// Back to bytes: pixels [3, size, size] in [0, 1] -> an RgbImage (for writing the toy scenes out).
RgbImage from_model_input(const std::vector<float>& pixels, int size);

// A folder of images plus `captions.tsv` with lines `file<TAB>caption` (several lines per image
// allowed; the caption is tokenized like every corpus, data/tokenizer.hpp). Returns one example
// per line, images resized to size × size, word boxes empty (own data carries no boxes), and each
// example's `references` holding every caption of its image. Errors name the file (and line):
//   "<dir>/captions.tsv:3: expected 'file<TAB>caption', found no tab"
//   "<dir>/cat.png: cannot read image (Unable to open file)"
std::vector<CaptionedImage> load_captioned_images(const std::string& dir, int size);

}  // namespace tinyattn::data
