// atomic_file.hpp — replace a file so that readers only ever see the old or the new version.
//
// Writing a checkpoint straight over the old one is dangerous: a crash, a Ctrl-C or a full
// disk half-way leaves a file that is neither. Instead the bytes go to "<path>.tmp", which is
// flushed to the disk (fflush, then fsync), and only then renamed over "<path>". POSIX
// rename() is atomic: at every moment "<path>" is either the complete old file or the
// complete new one. If anything fails, the temporary file is removed and "<path>" is untouched.
#pragma once
#include <string>

namespace tinyattn::io {

// Throws std::runtime_error naming the file and the system's reason if any step fails.
void write_file_atomically(const std::string& path, const std::string& bytes);

}  // namespace tinyattn::io
