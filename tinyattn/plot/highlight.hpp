// highlight.hpp — a sentence with each word shaded by how much attention the
// classifier gave it, the way a learner checks what a sentiment model "read".
//
//   plot::sentiment_highlight("plots/review_attention",
//       {{{"the", "food", "was", "not", "good"}, {0.05f, 0.25f, 0.05f, 0.40f, 0.25f},
//         "negative", 0.91f}});
#pragma once
#include <string>
#include <vector>

namespace tinyattn::plot {

struct HighlightSentence {
    std::vector<std::string> words;
    std::vector<float> weights;  // attention on each word (usually sums to 1)
    std::string label;           // the predicted class, e.g. "negative"
    float probability = 0.0f;    // the model's probability for that class
};

// Several sentences stacked in one figure, each headed "negative · p = 0.91" and
// each word drawn on a box coloured by weight / (largest weight in its sentence),
// the weight printed under it. Writes <path>.png and <path>.txt; returns the
// terminal view (words with a shade bar and the weight under each).
std::string sentiment_highlight(const std::string& path,
                                const std::vector<HighlightSentence>& sentences,
                                const std::string& title = "what the classifier attended to");

}  // namespace tinyattn::plot
