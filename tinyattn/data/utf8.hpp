// utf8.hpp — the few UTF-8 tools the text pipeline needs, written out by hand.
//
// Text files are bytes; words are code points. UTF-8 stores a code point in 1–4 bytes:
//   U+0000..U+007F    0xxxxxxx
//   U+0080..U+07FF    110xxxxx 10xxxxxx
//   U+0800..U+FFFF    1110xxxx 10xxxxxx 10xxxxxx
//   U+10000..U+10FFFF 11110xxx 10xxxxxx 10xxxxxx 10xxxxxx
// We decode strictly (no overlong forms, no surrogates, nothing above U+10FFFF), so a
// Latin-1 file read by mistake is reported instead of silently turning into mojibake.
#pragma once
#include <cstddef>
#include <string>

namespace tinyattn::data {

// Byte offset of the first invalid UTF-8 sequence in `bytes`, or std::string::npos if the
// whole string is valid.
size_t find_invalid_utf8(const std::string& bytes);

// Decode to code points. Throws std::runtime_error
// "decode_utf8: invalid UTF-8 at byte offset N" on bad input.
std::u32string decode_utf8(const std::string& bytes);

// Encode code points back to UTF-8 bytes.
std::string encode_utf8(const std::u32string& text);
void append_utf8(std::string& out, char32_t c);

// Lower-case one code point with a small explicit table (ASCII, Latin-1 Supplement,
// Latin Extended-A, basic Greek and Cyrillic). Independent of the C/C++ locale, so
// "ÉCOLE" becomes "école" on every machine. Code points outside the table are unchanged.
char32_t to_lower(char32_t c);

}  // namespace tinyattn::data
