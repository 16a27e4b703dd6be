// image_file.cpp — stb_image / stb_image_write / stb_image_resize, compiled here once.
#include "tinyattn/data/image_file.hpp"

#include <filesystem>
#include <map>
#include <stdexcept>

#include "tinyattn/data/text_file.hpp"
#include "tinyattn/data/tokenizer.hpp"

// The three single-header libraries, implementation included in this file only. Their code is
// not ours: its warnings under -Wall -Wextra are silenced here, nowhere else.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wall"
#pragma GCC diagnostic ignored "-Wextra"
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wsign-compare"
#define STB_IMAGE_IMPLEMENTATION
#define STBI_FAILURE_USERMSG
#include <stb/stb_image.h>
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb/stb_image_write.h>
#define STB_IMAGE_RESIZE_IMPLEMENTATION
#include <stb/stb_image_resize.h>
#pragma GCC diagnostic pop

namespace tinyattn::data {

RgbImage read_rgb_image(const std::string& path) {
    int w = 0, h = 0, channels = 0;
    unsigned char* bytes = stbi_load(path.c_str(), &w, &h, &channels, 0);
    if (!bytes) throw std::runtime_error(path + ": cannot read image (" + stbi_failure_reason() + ")");
    RgbImage image{w, h, {}};
    if (channels == 3) image.rgb.assign(bytes, bytes + size_t(w) * size_t(h) * 3);
    stbi_image_free(bytes);
    if (channels != 3) {
        const char* kinds[] = {"", "grey", "grey + alpha", "RGB", "RGBA"};
        throw std::runtime_error(path + ": has " + std::to_string(channels) + " channels (" + kinds[channels] +
                                 "); needs RGB (3 channels)");
    }
    return image;
}

void write_png(const std::string& path, const RgbImage& image) {
    if (!stbi_write_png(path.c_str(), image.width, image.height, 3, image.rgb.data(), image.width * 3))
        throw std::runtime_error(path + ": cannot write PNG");
}

std::vector<float> to_model_input(const RgbImage& image, int size) {
    std::vector<unsigned char> scaled(size_t(size) * size * 3);
    // Box filter when shrinking (every source pixel counts, no aliasing), on the sRGB bytes as stored.
    stbir_resize_uint8_generic(image.rgb.data(), image.width, image.height, 0, scaled.data(), size, size, 0, 3,
                               STBIR_ALPHA_CHANNEL_NONE, 0, STBIR_EDGE_CLAMP, STBIR_FILTER_BOX, STBIR_COLORSPACE_LINEAR,
                               nullptr);
    std::vector<float> pixels(scaled.size());
    for (int c = 0; c < 3; ++c)  // interleaved RGB -> channels first
        for (size_t p = 0; p < size_t(size) * size; ++p) pixels[size_t(c) * size * size + p] = scaled[p * 3 + size_t(c)] / 255.0f;
    return pixels;
}

RgbImage from_model_input(const std::vector<float>& pixels, int size) {
    RgbImage image{size, size, std::vector<unsigned char>(size_t(size) * size * 3)};
    for (int c = 0; c < 3; ++c)
        for (size_t p = 0; p < size_t(size) * size; ++p) {
            const float v = pixels[size_t(c) * size * size + p];
            image.rgb[p * 3 + size_t(c)] = (unsigned char)(v <= 0.0f ? 0 : v >= 1.0f ? 255 : int(v * 255.0f + 0.5f));
        }
    return image;
}

std::vector<CaptionedImage> load_captioned_images(const std::string& dir, int size) {
    const std::string index = (std::filesystem::path(dir) / "captions.tsv").string();
    std::vector<CaptionedImage> examples;
    std::map<std::string, std::vector<std::vector<std::string>>> captions_of;  // file -> its captions
    std::map<std::string, std::vector<float>> pixels_of;
    for (const Line& line : read_lines(index, "--data")) {
        const std::vector<std::string> fields = split(line.text, '\t');
        if (fields.size() != 2)
            throw std::runtime_error(where(index, line.number, "expected 'file<TAB>caption', found " +
                                                                   std::to_string(fields.size() - 1) + " tabs"));
        const std::string file = trim(fields[0]);
        const std::vector<std::string> words = tokenize(fields[1], "en");  // English captions
        if (file.empty() || words.empty())
            throw std::runtime_error(where(index, line.number, "empty file name or caption"));
        if (!pixels_of.count(file))
            pixels_of[file] = to_model_input(read_rgb_image((std::filesystem::path(dir) / file).string()), size);
        captions_of[file].push_back(words);
        CaptionedImage ex;
        ex.name = file;
        ex.size = size;
        ex.caption = words;
        ex.word_boxes.assign(words.size(), Box{});
        examples.push_back(std::move(ex));
    }
    for (CaptionedImage& ex : examples) {
        ex.pixels = pixels_of[ex.name];
        ex.references = captions_of[ex.name];
    }
    return examples;
}

}  // namespace tinyattn::data
