// palette.hpp — the one colour scale every figure uses.
//
// ColorBrewer "Blues": white for 0, dark navy for 1. It is sequential (lightness
// falls monotonically), prints fine in greyscale and stays readable on white, so
// "darker = more attention" holds in every figure.
#pragma once
#include <string>

namespace tinyattn::plot {

// gnuplot command defining the palette: "set palette defined (0 '#f7fbff', ...)".
std::string gnuplot_palette_command();

// The palette colour at t in [0, 1] (clamped), as "#rrggbb" — the same colour
// gnuplot draws for t, used where we colour boxes ourselves (sentiment highlight).
std::string palette_hex(float t);

// True where the palette is dark enough that text on it should be white.
bool needs_light_text(float t);

// Distinct colours for series and heads (Tableau 10, also bertviz's head colours), readable on
// white and for most colour-blind readers: "#1f77b4", "#ff7f0e", ... (k wraps around after 8).
std::string series_colour(size_t k);

}  // namespace tinyattn::plot
