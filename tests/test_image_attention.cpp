// test_image_attention.cpp — plot::image_attention, the Show-Attend-Tell figure: α upsampled from
// the region grid to pixels, the data file and terminal view it writes, and its errors.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include "tinyattn/plot/image_attention.hpp"

using namespace tinyattn;
namespace fs = std::filesystem;

TEST_CASE("image_attention: α is upsampled between region centres (uniform stays uniform, a peak stays put)", "[plot]") {
    const std::vector<float> uniform(16, 1.0f / 16);
    for (float v : plot::upsample_attention(uniform, 4, 32)) REQUIRE(v == Approx(1.0f / 16));
    std::vector<float> peak(16, 0.0f);
    peak[1 * 4 + 2] = 1.0f;  // row 1, column 2: pixels x 16..23, y 8..15, centre (20, 12)
    const std::vector<float> up = plot::upsample_attention(peak, 4, 32);
    const size_t best = size_t(std::max_element(up.begin(), up.end()) - up.begin());
    REQUIRE(int(best % 32) >= 19);
    REQUIRE(int(best % 32) <= 20);
    REQUIRE(int(best / 32) >= 11);
    REQUIRE(int(best / 32) <= 12);
    REQUIRE(up[0] == 0.0f);  // far corner: nothing
}

TEST_CASE("image_attention: writes every α grid to the data file, shades in the terminal; mismatches are errors", "[plot]") {
    const fs::path dir = fs::temp_directory_path() / ("tinyattn_image_attention_" + std::to_string(::getpid()));
    std::vector<float> pixels(3 * 8 * 8, 0.5f);
    std::vector<float> left(4, 0.0f), right(4, 0.0f);
    left[0] = 1.0f;
    right[1] = 1.0f;
    const plot::AttentionRow row{"soft", {"red", "square"}, {left, right}, 2};
    const std::string view = plot::image_attention((dir / "panel").string(), pixels, 8, {row}, {.title = "t"});
    std::ifstream in(dir / "panel.txt");
    std::stringstream data;
    data << in.rdbuf();
    REQUIRE(data.str() == "# t\n# soft word 0 red\n1\t0\n0\t0\n# soft word 1 square\n0\t1\n0\t0\n");
    REQUIRE(view.find("red") != std::string::npos);
    REQUIRE(view.find("│██  ││  ██│") != std::string::npos);  // top rows: word 0 looks left, word 1 right
    const plot::AttentionRow bad{"hard", {"a", "b"}, {left}, 2};
    REQUIRE_THROWS_WITH(plot::image_attention((dir / "bad").string(), pixels, 8, {bad}),
                        "image_attention: row 'hard' has 2 words but 1 attention maps");
    REQUIRE_THROWS_WITH(plot::image_attention((dir / "bad").string(), std::vector<float>(5), 8, {row}),
                        "image_attention: pixels must be [3, size, size]");
    fs::remove_all(dir);
}
