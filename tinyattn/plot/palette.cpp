// palette.cpp — ColorBrewer Blues, linearly interpolated between its 9 stops.
#include "tinyattn/plot/palette.hpp"

#include <algorithm>
#include <cstdio>

namespace tinyattn::plot {

static const unsigned kBlues[9] = {0xf7fbff, 0xdeebf7, 0xc6dbef, 0x9ecae1, 0x6baed6,
                                   0x4292c6, 0x2171b5, 0x08519c, 0x08306b};

static std::string hex(unsigned rgb) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "#%06x", rgb);
    return buf;
}

std::string gnuplot_palette_command() {
    std::string cmd = "set palette defined (";
    for (int i = 0; i < 9; ++i) {
        char stop[24];
        std::snprintf(stop, sizeof stop, "%s%.3f '", i ? ", " : "", i / 8.0);
        cmd += stop + hex(kBlues[i]) + "'";
    }
    return cmd + ")";
}

std::string palette_hex(float t) {
    t = std::clamp(t, 0.0f, 1.0f);
    const float pos = t * 8.0f;                  // between stops i and i+1
    const int i = std::min(7, static_cast<int>(pos));
    const float f = pos - static_cast<float>(i);  // 0 at stop i, 1 at stop i+1
    unsigned rgb = 0;
    for (int shift = 16; shift >= 0; shift -= 8) {
        const float a = static_cast<float>((kBlues[i] >> shift) & 0xff);
        const float b = static_cast<float>((kBlues[i + 1] >> shift) & 0xff);
        rgb |= static_cast<unsigned>(a + (b - a) * f + 0.5f) << shift;
    }
    return hex(rgb);
}

bool needs_light_text(float t) { return t > 0.55f; }

static const char* const kSeriesColours[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728",
                                             "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"};

std::string series_colour(size_t k) { return kSeriesColours[k % 8]; }

}  // namespace tinyattn::plot
