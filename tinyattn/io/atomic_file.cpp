// atomic_file.cpp — temp file, fsync, rename (see atomic_file.hpp).
#include "tinyattn/io/atomic_file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <unistd.h>

namespace tinyattn::io {

namespace {

// The directory holding `path` ("." for a bare file name).
std::string parent_directory(const std::string& path) {
    const size_t slash = path.find_last_of('/');
    if (slash == std::string::npos) return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}

}  // namespace

void write_file_atomically(const std::string& path, const std::string& bytes) {
    const std::string tmp = path + ".tmp";
    FILE* file = std::fopen(tmp.c_str(), "wb");
    if (!file)
        throw std::runtime_error("cannot create '" + tmp + "': " + std::strerror(errno) + " ('" + path +
                                 "' was left unchanged)");
    // Each step can fail (a full disk shows up at fwrite, fflush or even fsync/fclose);
    // `failure` records the first one.
    std::string failure;
    auto fail = [&](const char* step) { failure = std::string(step) + ": " + std::strerror(errno); };
    if (std::fwrite(bytes.data(), 1, bytes.size(), file) != bytes.size()) fail("write");
    else if (std::fflush(file) != 0) fail("flush");    // from the C library's buffer into the kernel
    else if (::fsync(fileno(file)) != 0) fail("fsync"); // from the kernel's cache onto the disk
    if (std::fclose(file) != 0 && failure.empty()) fail("close");
    if (failure.empty() && std::rename(tmp.c_str(), path.c_str()) != 0) fail("rename");  // the atomic switch
    if (!failure.empty()) {
        std::remove(tmp.c_str());
        throw std::runtime_error("writing '" + tmp + "' failed (" + failure + "); '" + path + "' was left unchanged");
    }
    // Make the rename itself durable: sync the directory entry too (best effort; some
    // file systems do not allow opening a directory for this).
    const int dir = ::open(parent_directory(path).c_str(), O_RDONLY);
    if (dir >= 0) {
        ::fsync(dir);
        ::close(dir);
    }
}

}  // namespace tinyattn::io
