// test_toy_scenes.cpp — lesson 13's data: the generated scenes (same bytes for a seed, captions
// that match the pictures, no test layout in train) and a learner's own folder of PNG files.
#include <catch2/catch.hpp>

#include <filesystem>
#include <set>

#include <stb/stb_image_write.h>

#include "data_files.hpp"
#include "tinyattn/data/image_file.hpp"
#include "tinyattn/data/toy_scenes.hpp"
#include "tinyattn/io/crc32.hpp"

using namespace tinyattn;
using data::CaptionedImage;

namespace {

// The layout of a scene: its caption and each named object's cell (what decides its split).
std::string layout(const CaptionedImage& s) {
    std::string key;
    for (size_t t = 0; t < s.caption.size(); ++t)
        key += s.caption[t] + (s.word_boxes[t].empty() ? " " : "@" + std::to_string(s.word_boxes[t].x0 / 10) +
                                                                     std::to_string(s.word_boxes[t].y0 / 10) + " ");
    return key;
}

// Everything a scene is made of, as bytes: the pixels as a PNG stores them, the words, the boxes.
uint32_t hash(const std::vector<CaptionedImage>& scenes, uint32_t crc) {
    for (const CaptionedImage& s : scenes) {
        const data::RgbImage image = data::from_model_input(s.pixels, s.size);
        crc = io::crc32(image.rgb.data(), image.rgb.size(), crc);
        for (size_t t = 0; t < s.caption.size(); ++t) {
            const data::Box& b = s.word_boxes[t];
            const std::string word = s.caption[t] + " " + std::to_string(b.x0) + "," + std::to_string(b.y0) + "," +
                                     std::to_string(b.x1) + "," + std::to_string(b.y1) + ";";
            crc = io::crc32(word.data(), word.size(), crc);
        }
    }
    return crc;
}

// A fresh folder under the tests' temporary directory, holding `captions.tsv` with these lines.
std::string folder_with_captions(const std::string& name, const std::string& captions) {
    const std::filesystem::path dir = std::filesystem::path(write_temp_file(name + ".unused", "")).parent_path() / name;
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "captions.tsv", std::ios::binary) << captions;
    return dir.string();
}

}  // namespace

TEST_CASE("toy scenes: seed 1 gives the committed bytes (images are generated at run time, not committed)", "[scenes]") {
    const data::SceneSplits s = data::make_toy_scenes(1, data::kTrainScenes, data::kValidScenes, data::kTestScenes);
    REQUIRE(s.train.size() == size_t(data::kTrainScenes));
    REQUIRE(s.valid.size() == size_t(data::kValidScenes));
    REQUIRE(s.test.size() == size_t(data::kTestScenes));
    // Recorded when the generator was written; a change to the drawing, the grammar or the Rng
    // changes it, and then lesson 13's chapter figures must be re-measured too.
    const uint32_t committed = 0xd842b4b6u;
    REQUIRE(hash(s.test, hash(s.valid, hash(s.train, 0))) == committed);
    const data::SceneSplits again = data::make_toy_scenes(1, 50, 10, 10);
    REQUIRE(hash(again.test, 0) == hash(data::make_toy_scenes(1, 50, 10, 10).test, 0));
}

TEST_CASE("toy scenes: captions name the objects drawn in their boxes; no test layout is in train", "[scenes]") {
    const data::SceneSplits s = data::make_toy_scenes(1, 3000, 150, 300);
    std::set<std::string> train_layouts;
    for (const CaptionedImage& x : s.train) train_layouts.insert(layout(x));
    int counts[4] = {0, 0, 0, 0};
    for (const CaptionedImage& x : s.test) {
        REQUIRE(train_layouts.count(layout(x)) == 0);
        ++counts[x.objects];
    }
    for (int k = 1; k <= 3; ++k) REQUIRE(counts[k] > 50);  // every object count is tested
    const std::set<std::string> named = {"small", "large", "red", "green", "blue", "yellow", "circle", "square", "triangle"};
    for (const CaptionedImage& x : s.train) {
        REQUIRE(x.caption.size() == x.word_boxes.size());
        int boxed = 0;
        for (size_t t = 0; t < x.caption.size(); ++t) {
            REQUIRE(named.count(x.caption[t]) == size_t(!x.word_boxes[t].empty()));
            boxed += !x.word_boxes[t].empty();
        }
        REQUIRE(boxed == 3 * x.objects);
        // The colour word is right: inside the box, the named colour's channel is the bright one.
        for (size_t t = 0; t < x.caption.size(); ++t) {
            const std::string& w = x.caption[t];
            if (w != "red" && w != "green" && w != "blue") continue;
            const int channel = w == "red" ? 0 : w == "green" ? 1 : 2;
            const data::Box& b = x.word_boxes[t];
            const int cx = (b.x0 + b.x1) / 2, cy = (b.y0 + b.y1) / 2 + 1;  // inside every shape
            for (int c = 0; c < 3; ++c)
                if (c != channel)
                    REQUIRE(x.pixels[(size_t(channel) * 32 + cy) * 32 + cx] > x.pixels[(size_t(c) * 32 + cy) * 32 + cx]);
        }
    }
}

TEST_CASE("own images (--data): a folder of PNG files and captions.tsv loads, resized, several captions per image", "[scenes]") {
    const data::SceneSplits s = data::make_toy_scenes(3, 2, 0, 0);
    const std::string dir = folder_with_captions("own", "a.png\tA red thing\na.png\tsomething red\nb.png\tblue\n");
    data::write_png(dir + "/a.png", data::from_model_input(s.train[0].pixels, 32));
    // b.png is 64 × 64: resized to 32 × 32 by averaging 2 × 2 blocks
    data::RgbImage big{64, 64, std::vector<unsigned char>(64 * 64 * 3, 200)};
    data::write_png(dir + "/b.png", big);
    const std::vector<CaptionedImage> ex = data::load_captioned_images(dir, 32);
    REQUIRE(ex.size() == 3);
    REQUIRE(ex[0].caption == std::vector<std::string>{"a", "red", "thing"});
    REQUIRE(ex[0].references.size() == 2);
    REQUIRE(ex[2].references.size() == 1);
    REQUIRE(ex[0].pixels == s.train[0].pixels);  // a PNG round trip loses nothing
    REQUIRE(ex[2].pixels.size() == size_t(3 * 32 * 32));
    REQUIRE(ex[2].pixels[100] == Approx(200.0f / 255.0f));
}

TEST_CASE("own images (--data): a missing, corrupt or non-RGB image, or a bad captions line, names the file", "[scenes]") {
    const std::string dir = folder_with_captions("bad", "");
    std::ofstream(dir + "/junk.png", std::ios::binary) << "not a png at all";
    const unsigned char grey[4] = {0, 50, 100, 150};
    stbi_write_png((dir + "/grey.png").c_str(), 2, 2, 1, grey, 2);
    auto error = [&](const std::string& captions) {
        std::ofstream(dir + "/captions.tsv", std::ios::binary) << captions;
        try {
            data::load_captioned_images(dir, 32);
        } catch (const std::exception& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    REQUIRE(error("missing.png\ta cat\n") == dir + "/missing.png: cannot read image (Unable to open file)");
    REQUIRE(error("junk.png\ta cat\n") == dir + "/junk.png: cannot read image (Image not of any known type, or corrupt)");
    REQUIRE(error("grey.png\ta cat\n") == dir + "/grey.png: has 1 channels (grey); needs RGB (3 channels)");
    REQUIRE(error("grey.png a cat\n") == dir + "/captions.tsv:1: expected 'file<TAB>caption', found 0 tabs");
    REQUIRE_THROWS_WITH(data::load_captioned_images(dir + "/nowhere", 32),
                        "--data: cannot open file '" + dir + "/nowhere/captions.tsv'");
}
