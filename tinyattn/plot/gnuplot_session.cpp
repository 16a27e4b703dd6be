// gnuplot_session.cpp — finding gnuplot and talking to it through gnuplot-iostream.
#include "tinyattn/plot/gnuplot_session.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>

#include "tinyattn/plot/palette.hpp"

#ifdef TINYATTN_HAVE_GNUPLOT_IOSTREAM
#include <gnuplot-iostream.h>
#endif

namespace tinyattn::plot {

// Looks through each directory of $PATH for an executable file named `gnuplot`.
static bool gnuplot_on_path() {
    const char* path = std::getenv("PATH");
    if (!path) return false;
    std::stringstream dirs(path);
    std::string dir;
    while (std::getline(dirs, dir, ':')) {
        if (dir.empty()) dir = ".";
        const std::string candidate = dir + "/gnuplot";
        if (::access(candidate.c_str(), X_OK) == 0 && std::filesystem::is_regular_file(candidate))
            return true;
    }
    return false;
}

static bool detect_gnuplot() {
#ifndef TINYATTN_HAVE_GNUPLOT_IOSTREAM
    return false;  // built without gnuplot-iostream / Boost
#else
    const char* off = std::getenv("TINYATTN_NO_GNUPLOT");
    if (off && off[0] && std::string(off) != "0") return false;
    return gnuplot_on_path();
#endif
}

bool gnuplot_available() {
    static const bool available = detect_gnuplot();
    return available;
}

bool png_enabled() {
    if (gnuplot_available()) return true;
    static std::atomic<bool> told{false};
    if (!told.exchange(true))
        std::cerr << "tinyattn: gnuplot not found — PNG figures skipped "
                     "(data + terminal view still written)\n";
    return false;
}

std::string gp_quote(const std::string& text) {
    std::string out = "'";
    for (char c : text) {
        if (c == '\'') out += "''";
        else if (c == '\n' || c == '\r') out += ' ';  // a newline would end the command
        else out += c;
    }
    return out + "'";
}

#ifdef TINYATTN_HAVE_GNUPLOT_IOSTREAM

struct GnuplotSession::Impl {
    std::string png_path;
    std::string err_path;             // gnuplot's stderr goes here, read back in finish()
    std::unique_ptr<Gnuplot> gp;
};

static std::string unique_err_path() {
    static std::atomic<int> counter{0};
    const auto dir = std::filesystem::temp_directory_path();
    return (dir / ("tinyattn_gnuplot_" + std::to_string(::getpid()) + "_" +
                   std::to_string(counter++) + ".err")).string();
}

static std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

GnuplotSession::GnuplotSession(const std::string& png_path, int width, int height)
    : impl_(std::make_unique<Impl>()) {
    impl_->png_path = png_path;
    impl_->err_path = unique_err_path();
    std::filesystem::remove(png_path);  // so finish() can tell whether gnuplot wrote it
    // popen runs this through /bin/sh; the redirection keeps gnuplot's messages for finish().
    impl_->gp = std::make_unique<Gnuplot>("gnuplot 2>" + gp_quote(impl_->err_path));
    *this << "set encoding utf8\n"
             "set terminal pngcairo size " + std::to_string(width) + "," + std::to_string(height) +
                 " noenhanced font 'DejaVu Sans,11' background rgb 'white'\n"
             "set output " + gp_quote(png_path) + "\n" + gnuplot_palette_command();
}

GnuplotSession::~GnuplotSession() {
    if (impl_ && impl_->gp) {
        try {
            impl_->gp.reset();  // pclose: waits for gnuplot
        } catch (...) {
        }
        std::filesystem::remove(impl_->err_path);
    }
}

GnuplotSession& GnuplotSession::operator<<(const std::string& commands) {
    if (!impl_->gp) throw std::logic_error("GnuplotSession: used after finish()");
    *impl_->gp << commands << "\n";
    return *this;
}

void GnuplotSession::send_rows(const Matrix& rows) {
    if (!impl_->gp) throw std::logic_error("GnuplotSession: used after finish()");
    impl_->gp->send1d(rows);
}

void GnuplotSession::finish() {
    if (!impl_->gp) return;
    *this << "unset output\nexit";
    impl_->gp.reset();  // flushes and pclose()s: returns once gnuplot has exited
    const std::string errors = read_file(impl_->err_path);
    std::filesystem::remove(impl_->err_path);
    std::error_code ec;
    const auto size = std::filesystem::file_size(impl_->png_path, ec);
    if (ec || size == 0)
        throw std::runtime_error("plot: gnuplot did not write " + impl_->png_path +
                                 (errors.empty() ? std::string() : ":\n" + errors));
    if (!errors.empty()) std::cerr << "gnuplot (" << impl_->png_path << "): " << errors;
}

#else  // built without gnuplot-iostream: png_enabled() is false, so this is never reached

struct GnuplotSession::Impl {};

GnuplotSession::GnuplotSession(const std::string&, int, int) {
    throw std::logic_error("GnuplotSession: tinyattn was built without gnuplot-iostream");
}
GnuplotSession::~GnuplotSession() = default;
GnuplotSession& GnuplotSession::operator<<(const std::string&) { return *this; }
void GnuplotSession::send_rows(const Matrix&) {}
void GnuplotSession::finish() {}

#endif

}  // namespace tinyattn::plot
