// lesson_checkpoint.cpp — fingerprints, vocabularies in the metadata, and the --resume checks.
#include "tinyattn/tasks/lesson_checkpoint.hpp"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include "tinyattn/io/crc32.hpp"
#include "tinyattn/rng.hpp"

namespace tinyattn::tasks {

std::string data_fingerprint(const std::vector<std::string>& lines) {
    uint32_t crc = 0;
    for (const std::string& line : lines) {
        crc = io::crc32(line.data(), line.size(), crc);
        crc = io::crc32("\n", 1, crc);
    }
    char buf[64];
    std::snprintf(buf, sizeof buf, "%zu lines, crc32 %08x", lines.size(), unsigned(crc));
    return buf;
}

std::string metadata_value(const io::Metadata& metadata, const std::string& key, const std::string& path) {
    const auto it = metadata.find(key);
    if (it == metadata.end())
        throw std::runtime_error(path + ": not a checkpoint of a tinyattn lesson, or from an older version "
                                        "(its metadata has no '" + key + "')");
    return it->second;
}

data::Vocab vocab_from_metadata(const io::Metadata& metadata, const std::string& key, const std::string& path) {
    return data::Vocab::from_text(metadata_value(metadata, key, path), path + " (" + key + ")");
}

void check_resume(const io::Metadata& metadata, const std::string& path, const std::vector<std::string>& lessons,
                  const io::Metadata& config, const std::string& fingerprint) {
    const std::string saved_lesson = metadata_value(metadata, "lesson", path);
    if (std::find(lessons.begin(), lessons.end(), saved_lesson) == lessons.end())
        throw std::runtime_error("--resume " + path + ": a checkpoint of lesson " + saved_lesson + ", not " + lessons[0]);
    for (const auto& [key, value] : config) {
        const std::string saved = metadata_value(metadata, key, path);
        if (saved != value)
            throw std::runtime_error("--resume " + path + ": trained with " + key + " " + saved + ", this run has " +
                                     key + " " + value);
    }
    const std::string saved_data = metadata_value(metadata, "data", path);
    if (saved_data != fingerprint)
        throw std::runtime_error("--resume " + path + ": trained on other data (" + saved_data + "; this run: " +
                                 fingerprint + "); resume with the same --data and --seed");
}

void save_global_rng(io::Metadata& metadata) { metadata["rng"] = io::rng_to_text(global_rng()); }

void restore_global_rng(const io::Metadata& metadata) {
    const auto it = metadata.find("rng");
    if (it != metadata.end()) global_rng() = io::rng_from_text(it->second);
}

}  // namespace tinyattn::tasks
