// utf8.cpp — strict UTF-8 decoding/encoding and a locale-free lower-casing table.
#include "tinyattn/data/utf8.hpp"

#include <stdexcept>

namespace tinyattn::data {

namespace {

// Decode the code point starting at bytes[i]. On success sets `c` and `length` and returns
// true; returns false if the sequence there is not valid UTF-8.
bool decode_one(const std::string& bytes, size_t i, char32_t& c, size_t& length) {
    const unsigned char b0 = static_cast<unsigned char>(bytes[i]);
    if (b0 < 0x80) { c = b0; length = 1; return true; }
    char32_t min_value = 0;
    if ((b0 & 0xE0) == 0xC0) { length = 2; c = b0 & 0x1F; min_value = 0x80; }
    else if ((b0 & 0xF0) == 0xE0) { length = 3; c = b0 & 0x0F; min_value = 0x800; }
    else if ((b0 & 0xF8) == 0xF0) { length = 4; c = b0 & 0x07; min_value = 0x10000; }
    else return false;  // a continuation byte (10xxxxxx) or 0xF8..0xFF cannot start a sequence
    if (i + length > bytes.size()) return false;  // truncated at the end of the string
    for (size_t k = 1; k < length; ++k) {
        const unsigned char b = static_cast<unsigned char>(bytes[i + k]);
        if ((b & 0xC0) != 0x80) return false;  // every following byte must be 10xxxxxx
        c = (c << 6) | (b & 0x3F);
    }
    if (c < min_value) return false;                 // overlong: a shorter form existed
    if (c >= 0xD800 && c <= 0xDFFF) return false;    // UTF-16 surrogates are not characters
    if (c > 0x10FFFF) return false;                  // beyond Unicode
    return true;
}

}  // namespace

size_t find_invalid_utf8(const std::string& bytes) {
    size_t i = 0;
    while (i < bytes.size()) {
        char32_t c = 0;
        size_t length = 0;
        if (!decode_one(bytes, i, c, length)) return i;
        i += length;
    }
    return std::string::npos;
}

std::u32string decode_utf8(const std::string& bytes) {
    std::u32string out;
    out.reserve(bytes.size());
    size_t i = 0;
    while (i < bytes.size()) {
        char32_t c = 0;
        size_t length = 0;
        if (!decode_one(bytes, i, c, length))
            throw std::runtime_error("decode_utf8: invalid UTF-8 at byte offset " + std::to_string(i));
        out.push_back(c);
        i += length;
    }
    return out;
}

void append_utf8(std::string& out, char32_t c) {
    if (c < 0x80) {
        out.push_back(char(c));
    } else if (c < 0x800) {
        out.push_back(char(0xC0 | (c >> 6)));
        out.push_back(char(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
        out.push_back(char(0xE0 | (c >> 12)));
        out.push_back(char(0x80 | ((c >> 6) & 0x3F)));
        out.push_back(char(0x80 | (c & 0x3F)));
    } else {
        out.push_back(char(0xF0 | (c >> 18)));
        out.push_back(char(0x80 | ((c >> 12) & 0x3F)));
        out.push_back(char(0x80 | ((c >> 6) & 0x3F)));
        out.push_back(char(0x80 | (c & 0x3F)));
    }
}

std::string encode_utf8(const std::u32string& text) {
    std::string out;
    out.reserve(text.size());
    for (char32_t c : text) append_utf8(out, c);
    return out;
}

char32_t to_lower(char32_t c) {
    // ASCII A..Z
    if (c >= U'A' && c <= U'Z') return c + 32;
    if (c < 0xC0) return c;
    // Latin-1 Supplement: À..Þ map to à..þ by +0x20, except × (U+00D7), which is a sign.
    if (c <= 0xDE) return c == 0xD7 ? c : c + 0x20;
    // Latin Extended-A (U+0100..U+017F): capitals and small letters alternate, but the
    // parity flips twice (at U+0139 and U+014A), and a few code points have no pair.
    if (c >= 0x100 && c <= 0x17F) {
        if (c == 0x130) return U'i';               // İ (capital I with dot) -> i
        if (c == 0x178) return 0xFF;               // Ÿ -> ÿ
        if (c == 0x131 || c == 0x138 || c == 0x149 || c == 0x17F) return c;  // ı ĸ ŉ ſ: already small
        if (c < 0x138) return (c % 2 == 0) ? c + 1 : c;            // Ā ā ... Ķ ķ  (capital even)
        if (c < 0x149) return (c % 2 == 1) ? c + 1 : c;            // Ĺ ĺ ... Ň ň  (capital odd)
        if (c < 0x178) return (c % 2 == 0) ? c + 1 : c;            // Ŋ ŋ ... Ŷ ŷ, Œ œ (capital even)
        return (c % 2 == 1) ? c + 1 : c;                           // Ź ź ... Ž ž  (capital odd)
    }
    // Greek capitals Α..Ω (U+0391..U+03A9, no U+03A2) -> α..ω
    if (c >= 0x391 && c <= 0x3A9 && c != 0x3A2) return c + 0x20;
    // Cyrillic: Ѐ..Џ (U+0400..U+040F) -> ѐ..џ, А..Я (U+0410..U+042F) -> а..я
    if (c >= 0x400 && c <= 0x40F) return c + 0x50;
    if (c >= 0x410 && c <= 0x42F) return c + 0x20;
    return c;
}

}  // namespace tinyattn::data
