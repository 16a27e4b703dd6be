// plot_checks.hpp — reading back what a figure wrote, for test_plot.cpp: scratch directories,
// whole files, PNG sizes (from the IHDR chunk), tab-separated data tables, and dark pixels of
// a decoded PNG.
#pragma once
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tinyattn/plot/matrix.hpp"

#ifdef TINYATTN_HAVE_GNUPLOT_IOSTREAM
#include <boost/iostreams/copy.hpp>
#include <boost/iostreams/filter/zlib.hpp>
#include <boost/iostreams/filtering_streambuf.hpp>
#endif

namespace fs = std::filesystem;


// A fresh empty directory under the system temp dir for one test, removed afterwards.
struct ScratchDir {
    std::string path;
    explicit ScratchDir(const std::string& name)
        : path((fs::temp_directory_path() /
                ("tinyattn_test_plot_" + std::to_string(::getpid()) + "_" + name)).string()) {
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~ScratchDir() { fs::remove_all(path); }
};

static std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in.good());
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

static size_t count(const std::string& text, const std::string& needle) {
    size_t n = 0;
    for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
    return n;
}

static uint32_t big_endian32(const std::string& bytes, size_t at) {
    uint32_t v = 0;
    for (size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(bytes[at + i]);
    return v;
}

// Width and height from a PNG's IHDR chunk (bytes 16..23 after the 8-byte signature
// and the chunk's length + type).
struct PngSize {
    uint32_t width = 0, height = 0;
};
static PngSize png_size(const std::string& path) {
    const std::string bytes = slurp(path);
    REQUIRE(bytes.size() > 24);
    REQUIRE(bytes.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0);
    REQUIRE(bytes.compare(12, 4, "IHDR") == 0);
    return {big_endian32(bytes, 16), big_endian32(bytes, 20)};
}

// Reads a matrix table written by a figure: skips '#' lines; first line = column
// labels (after the corner cell), then "<row label>\t<values>".
struct Table {
    std::vector<std::string> columns, rows;
    tinyattn::plot::Matrix values;
};
static std::vector<std::string> split_tabs(const std::string& line) {
    std::vector<std::string> cells;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, '\t')) cells.push_back(cell);
    return cells;
}
static Table read_table(const std::string& path) {
    std::ifstream in(path);
    REQUIRE(in.good());
    Table t;
    std::string line;
    bool header = true;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        auto cells = split_tabs(line);
        if (header) {
            t.columns.assign(cells.begin() + 1, cells.end());
            header = false;
            continue;
        }
        t.rows.push_back(cells[0]);
        t.values.emplace_back();
        for (size_t i = 1; i < cells.size(); ++i) t.values.back().push_back(std::stof(cells[i]));
    }
    return t;
}

#ifdef TINYATTN_HAVE_GNUPLOT_IOSTREAM
// Decodes an 8-bit RGB or RGBA PNG (what pngcairo writes) and counts the pixels
// that are strongly blue: the dark end of the attention palette (weights >~ 0.6),
// never the white background, black/grey text or the light cells of small weights.
static size_t count_dark_blue_pixels(const std::string& path) {
    const std::string bytes = slurp(path);
    const PngSize size = png_size(path);
    const int colour_type = static_cast<unsigned char>(bytes[25]);
    REQUIRE(static_cast<unsigned char>(bytes[24]) == 8);  // 8 bits per channel
    REQUIRE((colour_type == 2 || colour_type == 6));
    const size_t channels = colour_type == 2 ? 3 : 4;
    std::string idat;  // the zlib stream is split over IDAT chunks
    for (size_t at = 8; at + 8 <= bytes.size();) {
        const uint32_t length = big_endian32(bytes, at);
        if (bytes.compare(at + 4, 4, "IDAT") == 0) idat += bytes.substr(at + 8, length);
        at += 12 + length;
    }
    std::stringstream compressed(idat), raw;
    boost::iostreams::filtering_streambuf<boost::iostreams::input> in;
    in.push(boost::iostreams::zlib_decompressor());
    in.push(compressed);
    boost::iostreams::copy(in, raw);
    const std::string data = raw.str();
    const size_t stride = size.width * channels;
    REQUIRE(data.size() == size.height * (stride + 1));
    // Undo the per-scanline filters (PNG spec section 9) to get the pixels.
    std::vector<unsigned char> prev(stride, 0), cur(stride);
    size_t dark = 0;
    for (size_t y = 0; y < size.height; ++y) {
        const unsigned char filter = data[y * (stride + 1)];
        for (size_t i = 0; i < stride; ++i) {
            const int x = static_cast<unsigned char>(data[y * (stride + 1) + 1 + i]);
            const int a = i >= channels ? cur[i - channels] : 0, b = prev[i];
            const int c = i >= channels ? prev[i - channels] : 0;
            int pred = 0;
            if (filter == 1) pred = a;
            else if (filter == 2) pred = b;
            else if (filter == 3) pred = (a + b) / 2;
            else if (filter == 4) {
                const int p = a + b - c, pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
                pred = (pa <= pb && pa <= pc) ? a : (pb <= pc ? b : c);
            }
            cur[i] = static_cast<unsigned char>(x + pred);
        }
        for (size_t px = 0; px < size.width; ++px) {
            const int r = cur[px * channels], g = cur[px * channels + 1], bl = cur[px * channels + 2];
            if (r < 60 && g < 130 && bl > 100 && bl - r > 60) ++dark;
        }
        prev = cur;
    }
    return dark;
}
#endif
