// text_file.cpp — numbered, validated lines of a UTF-8 file.
#include "tinyattn/data/text_file.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "tinyattn/data/utf8.hpp"

namespace tinyattn::data {

std::string where(const std::string& path, int line, const std::string& what) {
    return path + ":" + std::to_string(line) + ": " + what;
}

std::vector<std::string> split(const std::string& text, char separator) {
    std::vector<std::string> fields;
    size_t start = 0;
    while (true) {
        const size_t end = text.find(separator, start);
        if (end == std::string::npos) {
            fields.push_back(text.substr(start));
            return fields;
        }
        fields.push_back(text.substr(start, end - start));
        start = end + 1;
    }
}

std::string trim(const std::string& text) {
    const char* space = " \t\r\n\v\f";
    const size_t first = text.find_first_not_of(space);
    if (first == std::string::npos) return "";
    const size_t last = text.find_last_not_of(space);
    return text.substr(first, last - first + 1);
}

std::vector<Line> read_lines(const std::string& path, const std::string& who) {
    std::ifstream in(path, std::ios::binary);  // binary: we handle "\r\n" ourselves
    if (!in) throw std::runtime_error(who + ": cannot open file '" + path + "'");
    std::stringstream buffer;
    buffer << in.rdbuf();
    std::string bytes = buffer.str();
    if (bytes.rfind("\xEF\xBB\xBF", 0) == 0) bytes.erase(0, 3);  // the UTF-8 byte-order mark

    std::vector<Line> lines;
    std::vector<std::string> raw = split(bytes, '\n');
    for (size_t i = 0; i < raw.size(); ++i) {
        std::string& text = raw[i];
        if (!text.empty() && text.back() == '\r') text.pop_back();
        const int number = int(i) + 1;
        const size_t bad = find_invalid_utf8(text);
        if (bad != std::string::npos)
            throw std::runtime_error(where(path, number, "invalid UTF-8 at byte " + std::to_string(bad + 1) +
                                                             " of the line (is the file saved as UTF-8?)"));
        const size_t nul = text.find('\0');  // valid UTF-8, but no text file contains it
        if (nul != std::string::npos)
            throw std::runtime_error(where(path, number, "NUL byte at byte " + std::to_string(nul + 1) +
                                                             " of the line (is this a binary file?)"));
        lines.push_back({number, text});
    }
    while (!lines.empty() && trim(lines.back().text).empty()) lines.pop_back();
    if (lines.empty()) throw std::runtime_error(path + ": the file is empty");
    return lines;
}

}  // namespace tinyattn::data
