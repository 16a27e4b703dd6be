// test_plot.cpp — figures: PNG size and content, data files, terminal views,
// the missing-gnuplot path, JSON export. `test_plot "[.samples]"` redraws plots/sample_*.
#include <catch2/catch.hpp>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "tinyattn/plot/attention_json.hpp"
#include "tinyattn/plot/curves.hpp"
#include "tinyattn/plot/gnuplot_session.hpp"
#include "tinyattn/plot/head_grid.hpp"
#include "tinyattn/plot/heatmap.hpp"
#include "tinyattn/plot/highlight.hpp"
#include "tinyattn/plot/terminal_view.hpp"

#include "plot_checks.hpp"

using namespace tinyattn::plot;

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

// Two sentiment predictions: the negation "not" carries the first one.
static const std::vector<HighlightSentence> kReviews = {
    {{"the", "food", "was", "not", "good"}, {0.05f, 0.20f, 0.04f, 0.45f, 0.26f}, "negative", 0.91f},
    {{"un", "café", "délicieux", "«", "parfait", "»", "!"},
     {0.03f, 0.12f, 0.40f, 0.02f, 0.35f, 0.02f, 0.06f}, "positive", 0.87f},
};

// Loss curves shaped like a real run: train keeps falling, valid flattens then creeps up.
static const std::vector<Series> kLossCurves = {
    {"train", {}, {2.90f, 2.10f, 1.62f, 1.30f, 1.08f, 0.93f, 0.81f, 0.72f, 0.65f, 0.59f, 0.54f, 0.50f}},
    {"valid", {}, {2.85f, 2.15f, 1.75f, 1.52f, 1.40f, 1.34f, 1.31f, 1.30f, 1.31f, 1.33f, 1.36f, 1.39f}},
};
// BLEU by source length for a plain seq2seq and one with attention (the Bahdanau picture:
// without attention, quality collapses on long sentences).
static const std::vector<Series> kBleuByLength = {
    {"seq2seq, no attention", {}, {31.0f, 24.5f, 15.2f, 8.1f}},
    {"seq2seq + attention", {}, {33.2f, 30.1f, 27.4f, 24.8f}},
};

TEST_CASE("samples: redraw plots/sample_*", "[.samples]") {
    const std::string dir = std::string(TINYATTN_SOURCE_DIR) + "/plots/";
    std::cout << attention_heatmap(dir + "sample_heatmap", kRedCar, kRedCarSrc, kRedCarTgt,
                                   {.title = "attention: the red car → la voiture rouge"});
    std::cout << head_grid(dir + "sample_head_grid", {{kRedCar, kHeadDiffuse}, {kHeadPrevious, kHeadEos}},
                           kRedCarSrc, kRedCarTgt, {.title = "2 layers × 2 heads: the red car"});
    std::cout << attention_evolution(dir + "sample_evolution", {kEpoch1, kEpoch5, kRedCar}, {1, 5, 20},
                                     kRedCarSrc, kRedCarTgt,
                                     {.title = "the alignment sharpens during training"});
    export_attention_json(dir + "sample_attention.json", kRedCarSrc, kRedCarTgt,
                          {{kRedCar, kHeadDiffuse}, {kHeadPrevious, kHeadEos}});
    std::cout << sentiment_highlight(dir + "sample_highlight", kReviews);
    std::cout << line_curves(dir + "sample_loss", kLossCurves,
                             {.title = "training loss", .x_label = "epoch", .y_label = "cross-entropy"});
    std::cout << bucket_bars(dir + "sample_bleu_by_length", {"1–5", "6–10", "11–15", "16–20"},
                             kBleuByLength,
                             {.title = "BLEU by source length", .x_label = "source length (words)",
                              .y_label = "BLEU"});
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

TEST_CASE("heatmap writes the matrix to its data file and a PNG of the announced size", "[plot]") {
    const ScratchDir scratch("heatmap");
    const std::string& dir = scratch.path;
    const std::string view = attention_heatmap(dir + "/red_car.png", kRedCar, kRedCarSrc, kRedCarTgt,
                                               {.title = "the red car"});
    // The data file gives back the tokens and the numbers.
    const Table t = read_table(dir + "/red_car.txt");
    CHECK(t.columns == kRedCarSrc);
    CHECK(t.rows == kRedCarTgt);
    REQUIRE(t.values.size() == kRedCar.size());
    for (size_t r = 0; r < kRedCar.size(); ++r)
        for (size_t c = 0; c < kRedCar[r].size(); ++c) CHECK(t.values[r][c] == Approx(kRedCar[r][c]));
    // The terminal view labels every output row; "la" attends to "the" (0.86 -> █).
    CHECK(view.find("     la │██      │") != std::string::npos);
    CHECK(view.find("x: 0 the · 1 red · 2 car · 3 <eos>") != std::string::npos);

    if (!gnuplot_available()) return;  // the no-gnuplot path is tested below
    const PngSize size = png_size(dir + "/red_car.png");
    const PixelSize expected = heatmap_png_size(kRedCarSrc, kRedCarTgt, "the red car");
    CHECK(size.width == static_cast<uint32_t>(expected.width));
    CHECK(size.height == static_cast<uint32_t>(expected.height));
}

TEST_CASE("heatmap canvas grows with the number of tokens, within bounds", "[plot]") {
    std::vector<std::string> src20, tgt20;
    for (int i = 0; i < 20; ++i) {
        src20.push_back("mot" + std::to_string(i) + "é");
        tgt20.push_back("«w" + std::to_string(i) + "»");
    }
    const PixelSize small = heatmap_png_size(kRedCarSrc, kRedCarTgt);
    const PixelSize big = heatmap_png_size(src20, tgt20);
    // 16 more columns and rows of >= 16 px cells each.
    CHECK(big.width >= small.width + 16 * 16);
    CHECK(big.height >= small.height + 16 * 16);
    CHECK(big.width <= 2400);
    CHECK(big.height <= 2000);
    std::vector<std::string> src200(200, "w"), tgt200(200, "w");
    const PixelSize huge = heatmap_png_size(src200, tgt200);
    CHECK(huge.width <= 2400);
    CHECK(huge.height <= 2000);

    if (!gnuplot_available()) return;
    const ScratchDir scratch("heatmap20");
    const std::string& dir = scratch.path;
    Matrix m(20, std::vector<float>(20, 0.01f));
    for (int i = 0; i < 20; ++i) m[i][(i * 7) % 20] = 0.8f;
    attention_heatmap(dir + "/twenty", m, src20, tgt20);
    const PngSize size = png_size(dir + "/twenty.png");
    CHECK(size.width == static_cast<uint32_t>(big.width));
    CHECK(size.height == static_cast<uint32_t>(big.height));
}

#ifdef TINYATTN_HAVE_GNUPLOT_IOSTREAM
TEST_CASE("heatmap PNG shows the strong weights as dark cells", "[plot]") {
    if (!gnuplot_available()) return;
    const ScratchDir scratch("dark");
    const std::string& dir = scratch.path;
    attention_heatmap(dir + "/red_car", kRedCar, kRedCarSrc, kRedCarTgt);
    attention_heatmap(dir + "/zeros", Matrix(4, std::vector<float>(4, 0.0f)), kRedCarSrc, kRedCarTgt);
    const PixelSize size = heatmap_png_size(kRedCarSrc, kRedCarTgt);
    const size_t cell_area = 16 * 16;  // cells are at least 16 px square
    // Four cells >= 0.78 are dark navy (minus their printed values); an all-zero
    // matrix is all white cells: only the colour bar's dark end is dark blue.
    const size_t dark = count_dark_blue_pixels(dir + "/red_car.png");
    const size_t dark_zero = count_dark_blue_pixels(dir + "/zeros.png");
    CHECK(dark > dark_zero + 4 * cell_area);
    CHECK(dark_zero < static_cast<size_t>(size.height) * 20);  // at most the colour bar strip
}
#endif

TEST_CASE("heatmap trims padding to the true lengths and checks token counts", "[plot]") {
    const ScratchDir scratch("trim");
    const std::string& dir = scratch.path;
    Matrix padded(6, std::vector<float>(7, 0.5f));  // 4x4 real block, the rest padding
    for (size_t r = 0; r < 4; ++r)
        for (size_t c = 0; c < 4; ++c) padded[r][c] = kRedCar[r][c];
    std::vector<std::string> src = kRedCarSrc, tgt = kRedCarTgt;
    src.insert(src.end(), 3, "<pad>");
    tgt.insert(tgt.end(), 2, "<pad>");
    attention_heatmap(dir + "/trimmed", padded, src, tgt, {.rows = 4, .cols = 4});
    const Table t = read_table(dir + "/trimmed.txt");
    CHECK(t.columns == kRedCarSrc);
    CHECK(t.rows == kRedCarTgt);
    CHECK(t.values == kRedCar);
    // Without lengths the tokens must match the matrix exactly.
    CHECK_THROWS_AS(attention_heatmap(dir + "/bad", padded, kRedCarSrc, kRedCarTgt),
                    std::invalid_argument);
    CHECK_THROWS_AS(attention_heatmap(dir + "/bad", kRedCar, {"the", "red"}, kRedCarTgt),
                    std::invalid_argument);
    CHECK_THROWS_AS(attention_heatmap(dir + "/bad", padded, src, tgt, {.rows = 7}),
                    std::invalid_argument);
}

TEST_CASE("head grid and evolution write every panel, titled, on one scale", "[plot]") {
    const ScratchDir scratch("grid");
    const std::string& dir = scratch.path;
    const std::string view = head_grid(dir + "/grid", {{kRedCar, kRedCar}, {kRedCar, kRedCar}},
                                       kRedCarSrc, kRedCarTgt);
    const std::string data = slurp(dir + "/grid.txt");
    for (const char* title : {"layer 1 · head 1", "layer 1 · head 2", "layer 2 · head 1", "layer 2 · head 2"}) {
        CHECK(count(data, std::string("# ") + title + "\n") == 1);
        CHECK(count(view, std::string(title) + "\n") == 1);
    }
    CHECK(count(data, "la\t0.86\t0.06\t0.05\t0.03\n") == 4);

    attention_evolution(dir + "/evo", {kRedCar, kRedCar}, {1, 10}, kRedCarSrc, kRedCarTgt);
    const std::string evo = slurp(dir + "/evo.txt");
    CHECK(count(evo, "# epoch 1\n") == 1);
    CHECK(count(evo, "# epoch 10\n") == 1);
    CHECK_THROWS_AS(attention_evolution(dir + "/bad", {kRedCar}, {1, 2}, kRedCarSrc, kRedCarTgt),
                    std::invalid_argument);
    CHECK_THROWS_AS(head_grid(dir + "/bad", {{kRedCar}, {}}, kRedCarSrc, kRedCarTgt),
                    std::invalid_argument);
    if (!gnuplot_available()) return;
    // A 2x2 grid is about twice as wide and tall as one panel.
    const PngSize grid = png_size(dir + "/grid.png");
    const PixelSize one = heatmap_png_size(kRedCarSrc, kRedCarTgt);
    CHECK(grid.width > static_cast<uint32_t>(one.width) * 3 / 2);
    CHECK(grid.height > static_cast<uint32_t>(one.height) * 3 / 2);
#ifdef TINYATTN_HAVE_GNUPLOT_IOSTREAM
    CHECK(count_dark_blue_pixels(dir + "/grid.png") > 16 * 16 * 16);  // 4 dark cells x 4 panels
#endif
}

TEST_CASE("sentiment highlight: shaded words, weights, label and probability", "[plot]") {
    // Shade relative to the sentence max 0.4: not 0.4 -> level 4 '█', good 0.2 -> level 2 '▒'.
    // Each column is max(word width, width of "0.40") + 2 = 6 wide; bars as wide as that minus 2.
    CHECK(terminal_words({"not", "good"}, {0.4f, 0.2f}, 0.4f) ==
          "not   good\n"
          "████  ▒▒▒▒\n"
          "0.40  0.20\n");

    const ScratchDir scratch("highlight");
    const std::string& dir = scratch.path;
    const std::string view = sentiment_highlight(dir + "/reviews", kReviews, "reviews");
    CHECK(view.find("negative · p = 0.91\n") != std::string::npos);
    CHECK(view.find("positive · p = 0.87\n") != std::string::npos);
    const std::string data = slurp(dir + "/reviews.txt");
    CHECK(data.find("# sentence 1\tlabel negative\tp 0.91\n") != std::string::npos);
    CHECK(data.find("not\t0.45\n") != std::string::npos);
    CHECK(data.find("délicieux\t0.4\n") != std::string::npos);
    CHECK_THROWS_AS(sentiment_highlight(dir + "/bad", {{{"a", "b"}, {0.5f}, "x", 0.5f}}),
                    std::invalid_argument);
#ifdef TINYATTN_HAVE_GNUPLOT_IOSTREAM
    if (gnuplot_available())  // "not", "délicieux", "parfait" sit on dark boxes
        CHECK(count_dark_blue_pixels(dir + "/reviews.png") > 3 * 30 * 30);
#endif
}

TEST_CASE("curves and bucket bars write their numbers and a legend", "[plot]") {
    const ScratchDir scratch("curves");
    const std::string& dir = scratch.path;
    const std::string view = line_curves(dir + "/loss", kLossCurves);
    const std::string data = slurp(dir + "/loss.txt");
    CHECK(data.find("train\t1\t2.9\n") != std::string::npos);
    CHECK(data.find("valid\t12\t1.39\n") != std::string::npos);
    CHECK(count(data, "\n") == 2 + 24);  // title, header, 12 points per series
    // One shared scale 0.5..2.9: train starts at the top and ends at the bottom.
    CHECK(view.find("train  █") != std::string::npos);
    CHECK(view.find("▁  2.9 → 0.5  (lowest 0.5 at epoch 12)") != std::string::npos);
    // An accuracy curve names its best value as the highest, not the lowest.
    const std::string accuracy = line_curves(dir + "/accuracy", {{"valid", {}, {10, 60, 40}}},
                                             {.title = "accuracy", .y_label = "%", .higher_is_better = true});
    CHECK(accuracy.find("10 → 40  (highest 60 at epoch 2)") != std::string::npos);

    bucket_bars(dir + "/bleu", {"1–5", "6–10", "11–15", "16–20"}, kBleuByLength,
                {.title = "BLEU", .x_label = "length", .y_label = "BLEU"});
    const Table t = read_table(dir + "/bleu.txt");
    CHECK(t.columns == std::vector<std::string>{"seq2seq, no attention", "seq2seq + attention"});
    CHECK(t.rows == std::vector<std::string>{"1–5", "6–10", "11–15", "16–20"});
    REQUIRE(t.values.size() == 4);
    CHECK(t.values[3] == std::vector<float>{8.1f, 24.8f});
    CHECK_THROWS_AS(bucket_bars(dir + "/bad", {"a"}, kBleuByLength), std::invalid_argument);
    CHECK_THROWS_AS(line_curves(dir + "/bad", {{"x", {1, 2}, {1, 2, 3}}}), std::invalid_argument);
    if (!gnuplot_available()) return;
    CHECK(png_size(dir + "/loss.png").width == 900);
    CHECK(png_size(dir + "/loss.png").height == 540);
}

TEST_CASE("attention JSON has the bertviz layout and escapes strings", "[plot]") {
    // Written by hand from the layout: 1 layer, 2 heads, 1 target x 2 source tokens.
    const std::string json = attention_json({"say \"hi\"", "é\\n"}, {"«x»"},
                                            {{{{0.25f, 0.75f}}, {{1.0f, 0.0f}}}});
    CHECK(json ==
          "{\"tokens_src\": [\"say \\\"hi\\\"\", \"é\\\\n\"],\n"
          " \"tokens_tgt\": [\"«x»\"],\n"
          " \"layers\": [\n"
          "  [\n"
          "   [[0.25, 0.75]],\n"
          "   [[1, 0]]]]}\n");
    CHECK(json_string("tab\there\nnew\x01") == "\"tab\\there\\nnew\\u0001\"");
    CHECK_THROWS_AS(attention_json({"a"}, {"b"}, {{{{0.5f, 0.5f}}}}), std::invalid_argument);

    const ScratchDir scratch("json");
    const std::string& dir = scratch.path;
    export_attention_json(dir + "/sub/example.json", kRedCarSrc, kRedCarTgt, {{kRedCar}, {kRedCar}});
    const std::string file = slurp(dir + "/sub/example.json");
    CHECK(file.find("\"tokens_src\": [\"the\", \"red\", \"car\", \"<eos>\"]") != std::string::npos);
    CHECK(count(file, "[0.86, 0.06, 0.05, 0.03]") == 2);
    CHECK(count(file, "[") == count(file, "]"));
}

// ---- the missing-gnuplot path ---------------------------------------------------------------

// Run by the test below in a child process whose PATH has no gnuplot (or with
// TINYATTN_NO_GNUPLOT=1): draws three figures into $TINYATTN_PLOT_TEST_DIR.
TEST_CASE("figures without gnuplot (child process)", "[.nognuplot]") {
    const char* dir = std::getenv("TINYATTN_PLOT_TEST_DIR");
    REQUIRE(dir != nullptr);
    REQUIRE_FALSE(gnuplot_available());
    std::cout << attention_heatmap(std::string(dir) + "/a", kRedCar, kRedCarSrc, kRedCarTgt);
    head_grid(std::string(dir) + "/b", {{kRedCar}}, kRedCarSrc, kRedCarTgt);
    line_curves(std::string(dir) + "/c", kLossCurves);
}

static void check_without_gnuplot(const std::string& env, const std::string& name) {
    const ScratchDir scratch(name);
    const std::string& dir = scratch.path;
    const std::string self = std::string(TINYATTN_BINARY_DIR) + "/bin/test_plot";
    const std::string cmd = "TINYATTN_PLOT_TEST_DIR='" + dir + "' " + env + " '" + self +
                            "' '[.nognuplot]' > '" + dir + "/log' 2>&1";
    REQUIRE(std::system(cmd.c_str()) == 0);
    const std::string log = slurp(dir + "/log");
    INFO(log);
    // Said once, though three figures were drawn; data + terminal view still there.
    CHECK(count(log, "tinyattn: gnuplot not found — PNG figures skipped "
                     "(data + terminal view still written)") == 1);
    CHECK(log.find("     la │██      │") != std::string::npos);
    for (const char* f : {"a", "b", "c"}) {
        CHECK(fs::exists(dir + "/" + f + ".txt"));
        CHECK_FALSE(fs::exists(dir + "/" + f + ".png"));
    }
    CHECK(read_table(dir + "/a.txt").values == kRedCar);
}

TEST_CASE("without gnuplot on PATH figures still write data and terminal view", "[plot]") {
    check_without_gnuplot("PATH=/nonexistent", "nopath");
}

TEST_CASE("TINYATTN_NO_GNUPLOT=1 turns PNGs off", "[plot]") {
    check_without_gnuplot("TINYATTN_NO_GNUPLOT=1", "noenv");
}

TEST_CASE("bucket bars of all-zero values still draw (a model that learned nothing)", "[plot]") {
    const std::string dir = (std::filesystem::temp_directory_path() / ("tinyattn_zero_bars_" + std::to_string(::getpid()))).string();
    REQUIRE_NOTHROW(tinyattn::plot::bucket_bars(dir + "/zeros", {"1-5", "6-10"}, {{"untrained", {}, {0.0f, 0.0f}}}));
    REQUIRE(std::filesystem::exists(dir + "/zeros.txt"));
    if (tinyattn::plot::png_enabled()) REQUIRE(std::filesystem::exists(dir + "/zeros.png"));
    std::filesystem::remove_all(dir);
}
