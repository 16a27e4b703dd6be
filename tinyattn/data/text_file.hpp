// text_file.hpp — read a UTF-8 text file as numbered lines, the way every loader needs it.
//
// Real files come from many editors: Windows line ends (CRLF), a UTF-8 byte-order mark at
// the start, a blank line at the end, or the wrong encoding altogether. read_lines() hides
// the first three and reports the last one with the file and line, so no loader has to.
#pragma once
#include <string>
#include <vector>

namespace tinyattn::data {

struct Line {
    int number = 0;     // 1-based, as an editor shows it
    std::string text;   // without the line end ("\n" or "\r\n")
};

// All lines of `path`, with a leading UTF-8 BOM removed, "\r\n" accepted, and blank lines at
// the end of the file dropped. `who` names the caller in error messages. Throws
// std::runtime_error:
//   "<who>: cannot open file '<path>'"
//   "<path>: the file is empty"
//   "<path>:<line>: invalid UTF-8 at byte <column> (is the file saved as UTF-8?)"
//   "<path>:<line>: NUL byte at byte <column> of the line (is this a binary file?)"
std::vector<Line> read_lines(const std::string& path, const std::string& who);

// "path:line: what" — the shape of every data-file error message.
std::string where(const std::string& path, int line, const std::string& what);

// Split on a single-character separator, keeping empty fields: "a\t\tb" -> {"a", "", "b"}.
std::vector<std::string> split(const std::string& text, char separator);

// Remove leading and trailing ASCII whitespace.
std::string trim(const std::string& text);

}  // namespace tinyattn::data
