// crc32.cpp — table-driven CRC-32, reflected form (least significant bit first).
//
// A CRC is the remainder of dividing the message, seen as a polynomial over GF(2), by the
// generator polynomial 0x04C11DB7 (0xEDB88320 with its bits reversed, which is how the
// reflected form uses it). Processing one byte at a time needs the remainders of all 256
// byte values, computed once into a table. The register starts as all ones and is
// inverted at the end, as the standard specifies (so leading zero bytes still count).
#include "tinyattn/io/crc32.hpp"

#include <array>

namespace tinyattn::io {

namespace {

std::array<uint32_t, 256> make_table() {
    std::array<uint32_t, 256> table{};
    for (uint32_t byte = 0; byte < 256; ++byte) {
        uint32_t r = byte;
        for (int bit = 0; bit < 8; ++bit) r = (r & 1) ? (r >> 1) ^ 0xEDB88320u : r >> 1;  // divide, one bit at a time
        table[byte] = r;
    }
    return table;
}

}  // namespace

uint32_t crc32(const void* data, size_t size, uint32_t crc) {
    static const std::array<uint32_t, 256> table = make_table();
    const unsigned char* bytes = static_cast<const unsigned char*>(data);
    uint32_t r = ~crc;  // undo the final inversion of the previous piece (all ones for the first)
    for (size_t i = 0; i < size; ++i) r = table[(r ^ bytes[i]) & 0xFFu] ^ (r >> 8);
    return ~r;
}

uint32_t crc32(const std::string& bytes) { return crc32(bytes.data(), bytes.size()); }

}  // namespace tinyattn::io
