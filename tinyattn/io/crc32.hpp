// crc32.hpp — the CRC-32 checksum (IEEE 802.3, the one zlib, PNG and gzip use).
//
// A checkpoint ends with the CRC-32 of all its bytes before it. Any single flipped bit, and
// any burst of errors up to 32 bits long, changes the checksum, so a corrupted file is
// reported instead of being loaded as slightly wrong weights.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

namespace tinyattn::io {

// CRC-32 of `size` bytes. To checksum data in pieces, pass the previous result as `crc`:
// crc32(b, nb, crc32(a, na)) == crc32 of a followed by b. crc32("123456789") == 0xCBF43926.
uint32_t crc32(const void* data, size_t size, uint32_t crc = 0);
uint32_t crc32(const std::string& bytes);

}  // namespace tinyattn::io
