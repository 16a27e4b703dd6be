// highlight.cpp — words on shaded boxes, drawn with gnuplot rectangles and labels.
#include "tinyattn/plot/highlight.hpp"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include "tinyattn/plot/figure_files.hpp"
#include "tinyattn/plot/gnuplot_session.hpp"
#include "tinyattn/plot/palette.hpp"
#include "tinyattn/plot/terminal_view.hpp"

namespace tinyattn::plot {

// Layout in pixels (the plot's coordinates are set equal to canvas pixels, y down).
static constexpr int kMargin = 24;       // left / right
static constexpr int kTitleBand = 56;    // figure title
static constexpr int kHeaderBand = 30;   // "negative · p = 0.91" above each line of words
static constexpr int kBoxHeight = 36;
static constexpr int kValueBand = 22;    // the weight under each box
static constexpr int kGap = 6;           // between word boxes
static constexpr int kMaxLineWidth = 1100;

static const char* const kFootnote =
    "darker = more attention (relative to the sentence's top word) · number = weight";

static int box_width(const std::string& word) { return std::max(32, 11 * display_width(word) + 18); }

// Where each word's box goes: a sequence of lines, each a list of word indices.
static std::vector<std::vector<size_t>> wrap_words(const HighlightSentence& s) {
    std::vector<std::vector<size_t>> lines(1);
    int used = 0;
    for (size_t i = 0; i < s.words.size(); ++i) {
        const int w = box_width(s.words[i]) + kGap;
        if (used > 0 && used + w > kMaxLineWidth) {
            lines.emplace_back();
            used = 0;
        }
        lines.back().push_back(i);
        used += w;
    }
    return lines;
}

static float sentence_max(const HighlightSentence& s) {
    float m = 0.0f;
    for (float w : s.weights) m = std::max(m, w);
    return m;
}

static std::string fixed(float v, const char* format) {
    char buf[32];
    std::snprintf(buf, sizeof buf, format, static_cast<double>(v));
    return buf;
}

static std::string header(const HighlightSentence& s) {
    return s.label + " · p = " + fixed(s.probability, "%.2f");
}

static void draw_png(const std::string& png, const std::vector<HighlightSentence>& sentences,
                     const std::string& title) {
    // First pass: the canvas size.
    int width = 10 * display_width(title) + 2 * kMargin, height = kTitleBand + 30;
    for (const auto& s : sentences) {
        const auto lines = wrap_words(s);
        for (const auto& line : lines) {
            int w = 0;
            for (size_t i : line) w += box_width(s.words[i]) + kGap;
            width = std::max(width, w + 2 * kMargin);
        }
        height += kHeaderBand + static_cast<int>(lines.size()) * (kBoxHeight + kValueBand + 8) + 12;
    }
    width = std::max({width, 480, 7 * display_width(kFootnote) + 2 * kMargin});

    GnuplotSession gp(png, width, height);
    gp << "set margins 0,0,0,0\nunset border\nunset tics\nunset key\nunset colorbox";
    gp << "set xrange [0:" + std::to_string(width) + "]\nset yrange [" + std::to_string(height) +
              ":0]";  // y grows downwards, like reading
    gp << "set label " + gp_quote(title) + " at " + std::to_string(width / 2) + ",28 center font ',15'";
    gp << "set label " + gp_quote(kFootnote) +
              " at " + std::to_string(width / 2) + "," + std::to_string(height - 14) +
              " center font ',9' tc rgb '#555555'";

    int object = 1, y = kTitleBand;
    auto num = [](int v) { return std::to_string(v); };
    for (const auto& s : sentences) {
        const float vmax = sentence_max(s);
        gp << "set label " + gp_quote(header(s)) + " at " + num(kMargin) + "," +
                  num(y + kHeaderBand / 2) + " left font ',13'";
        y += kHeaderBand;
        for (const auto& line : wrap_words(s)) {
            int x = kMargin;
            for (size_t i : line) {
                const float t = vmax > 0.0f ? s.weights[i] / vmax : 0.0f;
                const int w = box_width(s.words[i]);
                gp << "set object " + num(object++) + " rectangle from " + num(x) + "," + num(y) +
                          " to " + num(x + w) + "," + num(y + kBoxHeight) + " fc rgb '" +
                          palette_hex(t) + "' fs solid 1.0 border lc rgb '#9ecae1' back";
                const std::string colour = needs_light_text(t) ? "white" : "black";
                gp << "set label " + gp_quote(s.words[i]) + " at " + num(x + w / 2) + "," +
                          num(y + kBoxHeight / 2) + " center font ',13' tc rgb '" + colour + "'";
                gp << "set label " + gp_quote(fixed(s.weights[i], "%.2f")) + " at " +
                          num(x + w / 2) + "," + num(y + kBoxHeight + kValueBand / 2 + 2) +
                          " center font ',9' tc rgb '#333333'";
                x += w + kGap;
            }
            y += kBoxHeight + kValueBand + 8;
        }
        y += 12;
    }
    gp << "plot -1000 notitle";  // nothing to plot: the picture is all objects and labels
    gp.finish();
}

std::string sentiment_highlight(const std::string& path,
                                const std::vector<HighlightSentence>& sentences,
                                const std::string& title) {
    if (sentences.empty()) throw std::invalid_argument("sentiment_highlight: no sentences");
    for (size_t k = 0; k < sentences.size(); ++k) {
        const auto& s = sentences[k];
        if (s.words.empty() || s.words.size() != s.weights.size())
            throw std::invalid_argument("sentiment_highlight: sentence " + std::to_string(k) +
                                        " has " + std::to_string(s.words.size()) + " words and " +
                                        std::to_string(s.weights.size()) + " weights");
    }
    const FigurePaths files = figure_paths(path);

    std::string table = "# " + title + "\n# per sentence: predicted label, probability, then "
                        "one line per word: word<TAB>attention weight\n";
    std::string text = title + "\n";
    for (size_t k = 0; k < sentences.size(); ++k) {
        const auto& s = sentences[k];
        table += "\n# sentence " + std::to_string(k + 1) + "\tlabel " + tsv_cell(s.label) +
                 "\tp " + format_value(s.probability) + "\n";
        for (size_t i = 0; i < s.words.size(); ++i)
            table += tsv_cell(s.words[i]) + "\t" + format_value(s.weights[i]) + "\n";
        text += "\n" + header(s) + "\n" + terminal_words(s.words, s.weights, sentence_max(s));
    }
    write_text_file(files.data, table);
    if (png_enabled()) draw_png(files.png, sentences, title);
    return text;
}

}  // namespace tinyattn::plot
