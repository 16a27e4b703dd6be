// image_attention.cpp — one RGB canvas of panels, sent to gnuplot as a single `rgbimage`.
#include "tinyattn/plot/image_attention.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "tinyattn/plot/figure_files.hpp"
#include "tinyattn/plot/gnuplot_session.hpp"
#include "tinyattn/plot/terminal_view.hpp"

namespace tinyattn::plot {

std::vector<float> upsample_attention(const std::vector<float>& alpha, int grid, int size) {
    if (int(alpha.size()) != grid * grid) throw std::invalid_argument("image_attention: α does not have grid² weights");
    std::vector<float> up(size_t(size) * size);
    const float cell = float(size) / float(grid);
    for (int y = 0; y < size; ++y)
        for (int x = 0; x < size; ++x) {
            // The pixel's position in region units, measured from the first region's centre.
            const float gy = std::clamp((float(y) + 0.5f) / cell - 0.5f, 0.0f, float(grid - 1));
            const float gx = std::clamp((float(x) + 0.5f) / cell - 0.5f, 0.0f, float(grid - 1));
            const int y0 = std::min(int(gy), std::max(grid - 2, 0)), x0 = std::min(int(gx), std::max(grid - 2, 0));
            const int y1 = std::min(y0 + 1, grid - 1), x1 = std::min(x0 + 1, grid - 1);
            const float fy = gy - float(y0), fx = gx - float(x0);
            auto a = [&](int r, int c) { return alpha[size_t(r * grid + c)]; };
            up[size_t(y) * size + x] = (1 - fy) * ((1 - fx) * a(y0, x0) + fx * a(y0, x1)) +
                                       fy * ((1 - fx) * a(y1, x0) + fx * a(y1, x1));
        }
    return up;
}

namespace {

constexpr int kGap = 4;        // image pixels between panels
constexpr int kWordBand = 9;   // image pixels above each panel for its word
constexpr int kLabelWidth = 26;  // image pixels left of each line for the row label
constexpr int kTitleBand = 16;   // image pixels above everything for the title

struct Canvas {
    int width, height;
    std::vector<float> rgb;  // [height][width][3], white
    void put(int x, int y, const float c[3]) {
        for (int k = 0; k < 3; ++k) rgb[(size_t(y) * width + x) * 3 + k] = c[k];
    }
};

// The picture at (left, top); `look` (size², in [0, 1]) dims what the word does not look at.
void paste(Canvas& canvas, int left, int top, const std::vector<float>& pixels, int size, const std::vector<float>* look) {
    for (int y = 0; y < size; ++y)
        for (int x = 0; x < size; ++x) {
            float c[3];
            for (int k = 0; k < 3; ++k) {
                const float v = pixels[(size_t(k) * size + y) * size + x];
                const float a = look ? (*look)[size_t(y) * size + x] : 1.0f;
                // bright where the word looks (the picture plus a white glow), dark elsewhere
                c[k] = look ? std::min(1.0f, v * (0.15f + 0.85f * a) + 0.45f * a) : v;
            }
            canvas.put(left + x, top + y, c);
        }
}

}  // namespace

std::string image_attention(const std::string& path, const std::vector<float>& pixels, int size,
                            const std::vector<AttentionRow>& rows, const ImageAttentionOptions& options) {
    if (pixels.size() != size_t(3) * size * size)
        throw std::invalid_argument("image_attention: pixels must be [3, size, size]");
    for (const AttentionRow& r : rows)
        if (r.alphas.size() != r.words.size())
            throw std::invalid_argument("image_attention: row '" + r.label + "' has " + std::to_string(r.words.size()) +
                                        " words but " + std::to_string(r.alphas.size()) + " attention maps");
    const FigurePaths files = figure_paths(path);
    const int per_line = options.panels_per_line, step = size + kGap;

    // Layout: each row starts with the plain image; its panels wrap after per_line.
    std::vector<int> line_count;
    int lines = 0, widest = 1;
    for (const AttentionRow& r : rows) {
        const int n = std::max(1, (int(r.words.size()) + per_line - 1) / per_line);
        line_count.push_back(n);
        lines += n;
        widest = std::max(widest, std::min(per_line, int(r.words.size())));
    }
    Canvas canvas{kLabelWidth + (widest + 1) * step, kTitleBand + lines * (size + kWordBand + kGap), {}};
    canvas.rgb.assign(size_t(canvas.width) * canvas.height * 3, 1.0f);
    std::string labels, text = options.title + "\n", data = "# " + options.title + "\n";
    int line = 0;
    for (size_t r = 0; r < rows.size(); ++r) {
        const AttentionRow& row = rows[r];
        const int top0 = kTitleBand + line * (size + kWordBand + kGap) + kWordBand;
        paste(canvas, kLabelWidth, top0, pixels, size, nullptr);
        labels += "set label " + gp_quote(row.label) + " at " + std::to_string(kLabelWidth / 2) + "," +
                  std::to_string(top0 + size / 2) + " center front font ',12'\n";
        text += "\n" + row.label + ":\n";
        for (size_t w = 0; w < row.words.size(); ++w) {
            const int col = int(w) % per_line, sub = int(w) / per_line;
            const int left = kLabelWidth + (col + 1) * step, top = top0 + sub * (size + kWordBand + kGap);
            std::vector<float> up = upsample_attention(row.alphas[w], row.grid, size);
            const float peak = *std::max_element(up.begin(), up.end());
            for (float& v : up) v = peak > 0 ? v / peak : 0.0f;  // each word's map on its own scale
            paste(canvas, left, top, pixels, size, &up);
            labels += "set label " + gp_quote(row.words[w]) + " at " + std::to_string(left + size / 2) + "," +
                      std::to_string(top - 4) + " center front font ',11'\n";
            data += "# " + row.label + " word " + std::to_string(w) + " " + tsv_cell(row.words[w]) + "\n";
            for (int gy = 0; gy < row.grid; ++gy) {
                for (int gx = 0; gx < row.grid; ++gx)
                    data += (gx ? "\t" : "") + format_value(row.alphas[w][size_t(gy * row.grid + gx)]);
                data += "\n";
            }
        }
        line += line_count[r];
        // Terminal: the words of a row side by side, each α grid in shades (each on its own maximum).
        for (size_t first = 0; first < row.words.size(); first += 6) {
            const size_t last = std::min(row.words.size(), first + 6);
            std::string head;
            for (size_t w = first; w < last; ++w) head += pad_right(row.words[w], 2 * row.grid + 2);
            text += head + "\n";
            for (int gy = 0; gy < row.grid; ++gy) {
                std::string out;
                for (size_t w = first; w < last; ++w) {
                    const float vmax = *std::max_element(row.alphas[w].begin(), row.alphas[w].end());
                    out += "│";
                    for (int gx = 0; gx < row.grid; ++gx) {
                        const std::string s = shade_char(row.alphas[w][size_t(gy * row.grid + gx)], vmax);
                        out += s + s;
                    }
                    out += "│";
                }
                text += out + "\n";
            }
        }
    }
    write_text_file(files.data, data);
    if (png_enabled()) {
        const int scale = options.scale;
        GnuplotSession gp(files.png, canvas.width * scale, canvas.height * scale);
        // Plot coordinates are canvas (image) pixels, y down. Every text is a label drawn in front of
        // the picture (the canvas, white bands included, is one image that would hide it otherwise).
        gp << "set lmargin at screen 0\nset rmargin at screen 1\nset bmargin at screen 0\nset tmargin at screen 1";
        gp << "unset border\nunset tics\nunset key\nunset colorbox";
        gp << "set xrange [-0.5:" + std::to_string(canvas.width - 0.5) + "]\nset yrange [" +
                  std::to_string(canvas.height - 0.5) + ":-0.5]";
        gp << "set label " + gp_quote(options.title) + " at " + std::to_string(canvas.width / 2) + "," +
                  std::to_string(kTitleBand / 2) + " center front font ',14'";
        gp << labels;
        gp << "plot '-' using 1:2:($3*255):($4*255):($5*255) with rgbimage";
        Matrix points;
        points.reserve(size_t(canvas.width) * canvas.height);
        for (int y = 0; y < canvas.height; ++y)
            for (int x = 0; x < canvas.width; ++x) {
                const float* c = &canvas.rgb[(size_t(y) * canvas.width + x) * 3];
                points.push_back({float(x), float(y), c[0], c[1], c[2]});
            }
        gp.send_rows(points);
        gp.finish();
    }
    return text;
}

}  // namespace tinyattn::plot
