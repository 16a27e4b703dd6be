// gnuplot_session.hpp — one gnuplot process drawing one PNG.
//
// Figures are drawn by the gnuplot program (pngcairo terminal), driven through
// gnuplot-iostream: we write gnuplot commands into a pipe and stream the numbers
// inline after a `plot '-' ...`. Only gnuplot_session.cpp includes
// <gnuplot-iostream.h>, so the rest of tinyattn builds without Boost.
//
// When gnuplot is not installed (or TINYATTN_NO_GNUPLOT=1 is set), figures still
// write their data file and terminal view: call png_enabled() first, which says so
// once per process on stderr.
#pragma once
#include <memory>
#include <string>

#include "tinyattn/plot/matrix.hpp"

namespace tinyattn::plot {

// True when PNGs can be drawn: tinyattn was built with gnuplot-iostream, an
// executable `gnuplot` is on PATH and TINYATTN_NO_GNUPLOT is unset (or "0").
// Decided on the first call, then cached.
bool gnuplot_available();

// gnuplot_available(), and when false print once per process:
// "tinyattn: gnuplot not found — PNG figures skipped (data + terminal view still written)".
bool png_enabled();

// `text` as a gnuplot single-quoted string: 'it''s' (inside '' only ' is special,
// so backslashes, @, ^, _ and " stay literal).
std::string gp_quote(const std::string& text);

class GnuplotSession {
public:
    // Starts gnuplot and selects a width x height pngcairo canvas writing png_path,
    // with UTF-8 text, the DejaVu Sans font, no enhanced-text markup ("<eos>",
    // "a_b" and "x^2" print literally) and the Blues palette.
    GnuplotSession(const std::string& png_path, int width, int height);
    ~GnuplotSession();  // closes gnuplot if finish() was not called; never throws
    GnuplotSession(const GnuplotSession&) = delete;
    GnuplotSession& operator=(const GnuplotSession&) = delete;

    // Sends one or more command lines (a newline is appended).
    GnuplotSession& operator<<(const std::string& commands);

    // Sends the inline data for one `'-'` in the last plot command: one line per
    // row of `rows`, then gnuplot's end-of-data "e". `matrix` data reads it as a grid.
    void send_rows(const Matrix& rows);

    // Ends the PNG (unset output), closes gnuplot and waits for it to exit, so the
    // file is complete on return. Throws std::runtime_error with gnuplot's error
    // messages if the PNG was not written.
    void finish();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace tinyattn::plot
