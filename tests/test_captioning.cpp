// test_captioning.cpp — lesson 13's scores on hand-made cases: the pointing game and the mass in
// the box hit exactly when the attention sits on the named object, and nowhere else.
#include <catch2/catch.hpp>

#include "tinyattn/tasks/captioning.hpp"

using namespace tinyattn;

namespace {

// A 32 × 32 scene "a small red circle" whose circle fills pixels [9, 15) × [17, 23), scored on an
// 8 × 8 grid (4-pixel regions): region (row 4, column 2) covers [8, 12) × [16, 20), its centre
// (10, 18) lies in the box; region (row 0, column 0) is far from it.
data::CaptionedImage one_circle() {
    data::CaptionedImage ex;
    ex.size = 32;
    ex.objects = 1;
    ex.caption = {"a", "small", "red", "circle"};
    const data::Box box{9, 17, 15, 23};
    ex.word_boxes = {{}, box, box, box};
    ex.references = {ex.caption};
    return ex;
}

// Every word's α entirely on region r of the 8 × 8 grid.
tasks::GeneratedCaption looking_at(int r) {
    tasks::GeneratedCaption g{{"a", "small", "red", "circle"}, {}};
    for (size_t t = 0; t <= g.words.size(); ++t) {
        g.alphas.emplace_back(64, 0.0f);
        g.alphas.back()[size_t(r)] = 1.0f;
    }
    return g;
}

}  // namespace

TEST_CASE("score_captions: all attention on a region inside the box points at the object", "[captioning]") {
    const tasks::CaptionScores s = tasks::score_captions({one_circle()}, {looking_at(4 * 8 + 2)}, 8);
    CHECK(s.exact_match == 1.0);
    CHECK(s.located_words == 3);  // small, red, circle; "a" names no object
    CHECK(s.pointing == 1.0);
    for (size_t kind = 0; kind < 3; ++kind) {
        CHECK(s.words_by_kind[kind] == 1);
        CHECK(s.pointing_by_kind[kind] == 1.0);
    }
    // The region [8, 12) × [16, 20) overlaps the box [9, 15) × [17, 23) on 3 × 3 of its 16 pixels.
    CHECK(s.mass_in_box == Approx(9.0 / 16.0));
    CHECK(s.box_share == Approx(36.0 / 1024.0));
}

TEST_CASE("score_captions: attention on a far region misses, and a wrong word stops the scoring", "[captioning]") {
    const tasks::CaptionScores away = tasks::score_captions({one_circle()}, {looking_at(0)}, 8);
    CHECK(away.located_words == 3);
    CHECK(away.pointing == 0.0);
    CHECK(away.mass_in_box == 0.0);

    tasks::GeneratedCaption wrong = looking_at(4 * 8 + 2);
    wrong.words[2] = "blue";  // "a small blue circle": the words from "blue" on name no known object
    const tasks::CaptionScores s = tasks::score_captions({one_circle()}, {wrong}, 8);
    CHECK(s.exact_match == 0.0);
    CHECK(s.located_words == 1);  // only "small"
    CHECK(s.words_by_kind[1] == 0);
}
