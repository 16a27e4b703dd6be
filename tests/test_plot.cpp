// test_plot.cpp — figures: PNG size and content, data files, terminal views,
// the missing-gnuplot path, JSON export. `test_plot "[.samples]"` redraws plots/sample_*.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "tinyattn/plot/gnuplot_session.hpp"
#include "tinyattn/plot/head_grid.hpp"
#include "tinyattn/plot/heatmap.hpp"
#include "tinyattn/plot/terminal_view.hpp"

using namespace tinyattn::plot;
namespace fs = std::filesystem;

// The "the red car" -> "la voiture rouge <eos>" alignment used by several tests
// and the sample: French puts the adjective after the noun, so "voiture" looks at
// "car" and "rouge" at "red" — the crossing a learner should see.
static const Matrix kRedCar = {
    {0.86f, 0.06f, 0.05f, 0.03f},  // la      -> the
    {0.05f, 0.12f, 0.78f, 0.05f},  // voiture -> car
    {0.04f, 0.83f, 0.10f, 0.03f},  // rouge   -> red
    {0.02f, 0.03f, 0.10f, 0.85f},  // <eos>   -> <eos>
};
// Other "heads" for the grid sample: spread out, looking one step back, parking on <eos>.
static const Matrix kHeadDiffuse = {{0.30f, 0.25f, 0.25f, 0.20f}, {0.25f, 0.25f, 0.30f, 0.20f},
                                    {0.20f, 0.30f, 0.30f, 0.20f}, {0.20f, 0.20f, 0.25f, 0.35f}};
static const Matrix kHeadPrevious = {{0.70f, 0.10f, 0.10f, 0.10f}, {0.80f, 0.10f, 0.05f, 0.05f},
                                     {0.10f, 0.75f, 0.10f, 0.05f}, {0.05f, 0.10f, 0.75f, 0.10f}};
static const Matrix kHeadEos = {{0.10f, 0.05f, 0.05f, 0.80f}, {0.05f, 0.05f, 0.10f, 0.80f},
                                {0.05f, 0.10f, 0.05f, 0.80f}, {0.02f, 0.03f, 0.05f, 0.90f}};
// The red-car alignment after 1 and 5 epochs (epoch 20 is kRedCar): uniform, then
// monotonic (voiture->red, rouge->car), then the crossing.
static const Matrix kEpoch1 = {{0.28f, 0.25f, 0.24f, 0.23f}, {0.26f, 0.26f, 0.25f, 0.23f},
                               {0.25f, 0.26f, 0.26f, 0.23f}, {0.24f, 0.24f, 0.25f, 0.27f}};
static const Matrix kEpoch5 = {{0.60f, 0.20f, 0.12f, 0.08f}, {0.15f, 0.45f, 0.30f, 0.10f},
                               {0.08f, 0.30f, 0.50f, 0.12f}, {0.05f, 0.10f, 0.20f, 0.65f}};
static const std::vector<std::string> kRedCarSrc = {"the", "red", "car", "<eos>"};
static const std::vector<std::string> kRedCarTgt = {"la", "voiture", "rouge", "<eos>"};

TEST_CASE("samples: redraw plots/sample_*", "[.samples]") {
    const std::string dir = std::string(TINYATTN_SOURCE_DIR) + "/plots/";
    std::cout << attention_heatmap(dir + "sample_heatmap", kRedCar, kRedCarSrc, kRedCarTgt,
                                   {.title = "attention: the red car → la voiture rouge"});
    std::cout << head_grid(dir + "sample_head_grid", {{kRedCar, kHeadDiffuse}, {kHeadPrevious, kHeadEos}},
                           kRedCarSrc, kRedCarTgt, {.title = "2 layers × 2 heads: the red car"});
    std::cout << attention_evolution(dir + "sample_evolution", {kEpoch1, kEpoch5, kRedCar}, {1, 5, 20},
                                     kRedCarSrc, kRedCarTgt,
                                     {.title = "the alignment sharpens during training"});
}

TEST_CASE("terminal heatmap of a 2x3 matrix follows the shade rule", "[plot]") {
    // level = min(4, floor(5 v / vmax)) with vmax = 1:
    //   0.0 -> 0 ' '   0.5 -> 2 '▒'   1.0 -> 4 '█'
    //   0.3 -> 1 '░'   0.7 -> 3 '▓'   0.1 -> 0 ' '
    // Label column is 2 wide ("bb"), then " │", then two characters per cell.
    const Matrix m = {{0.0f, 0.5f, 1.0f}, {0.3f, 0.7f, 0.1f}};
    const std::string expected =
        "demo\n"
        "     0 1 2\n"
        " a │  ▒▒██│\n"
        "bb │░░▓▓  │\n"
        "    x: 0 x · 1 y · 2 z\n"
        "    scale: ' ' <0.2 · ░ <0.4 · ▒ <0.6 · ▓ <0.8 · █ ≤1\n";
    CHECK(terminal_heatmap(m, {"x", "y", "z"}, {"a", "bb"}, "demo", 1.0f) == expected);
    // A smaller vmax darkens: with vmax 0.6, 5 v / vmax for row bb is
    // 0.3 -> 2.5 '▒', 0.7 -> 5.8 capped at 4 '█', 0.1 -> 0.8 ' '.
    const std::string darker = terminal_heatmap(m, {"x", "y", "z"}, {"a", "bb"}, "", 0.6f);
    CHECK(darker.find("bb │▒▒██  │\n") != std::string::npos);
}
