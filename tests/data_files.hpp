// data_files.hpp — test helper: write small data files into a fresh temporary directory.
#pragma once
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

// Writes `bytes` exactly (binary, no newline translation) to <tmp>/tinyattn-tests-<pid>/<name>
// and returns the path.
inline std::string write_temp_file(const std::string& name, const std::string& bytes) {
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / ("tinyattn-tests-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const fs::path path = dir / name;
    std::ofstream out(path, std::ios::binary);
    out << bytes;
    return path.string();
}
