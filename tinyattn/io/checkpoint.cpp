// checkpoint.cpp — the checkpoint byte format (encode/decode) and save/load of a model and
// optimizer (see checkpoint.hpp for the layout).
#include "tinyattn/io/checkpoint.hpp"

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <stdexcept>

#include "tinyattn/io/atomic_file.hpp"
#include "tinyattn/io/crc32.hpp"

namespace tinyattn::io {

namespace {

constexpr char kMagic[4] = {'T', 'A', 'T', 'N'};
constexpr size_t kHeaderSize = 16;  // magic, version, payload size
constexpr size_t kMaxRank = 16;

// ---- writing: append little-endian values to a byte string --------------------------------

struct Writer {
    std::string bytes;

    void u8(uint8_t v) { bytes.push_back(char(v)); }
    void u32(uint32_t v) {
        for (int i = 0; i < 4; ++i) u8(uint8_t(v >> (8 * i)));  // least significant byte first
    }
    void u64(uint64_t v) {
        for (int i = 0; i < 8; ++i) u8(uint8_t(v >> (8 * i)));
    }
    void str(const std::string& s) {
        u32(uint32_t(s.size()));
        bytes += s;
    }
    void text_map(const std::map<std::string, std::string>& m) {
        u32(uint32_t(m.size()));
        for (const auto& [key, value] : m) {
            str(key);
            str(value);
        }
    }
    void tensors(const std::vector<std::pair<std::string, Tensor>>& list) {
        u32(uint32_t(list.size()));
        for (const auto& [name, t] : list) {
            str(name);
            u32(uint32_t(t.dim()));
            for (int d : t.shape()) u32(uint32_t(d));
            for (size_t i = 0; i < t.numel(); ++i) {
                uint32_t bits;
                std::memcpy(&bits, &t.data()[i], 4);  // the float's exact bits
                u32(bits);
            }
        }
    }
};

// ---- reading: every read is bounds-checked, so no input can read past the end ----------------

struct Reader {
    const std::string& bytes;
    size_t pos, end;
    const std::string& name;

    [[noreturn]] void malformed(const std::string& what) const {
        throw std::runtime_error("checkpoint '" + name + "' is malformed at byte " + std::to_string(pos) + ": " + what);
    }
    void need(size_t n, const char* what) const {
        if (n > end - pos) malformed(std::string("not enough bytes left for ") + what);
    }
    uint8_t u8(const char* what) {
        need(1, what);
        return uint8_t(bytes[pos++]);
    }
    uint32_t u32(const char* what) {
        need(4, what);
        uint32_t v = 0;
        for (int i = 0; i < 4; ++i) v |= uint32_t(uint8_t(bytes[pos++])) << (8 * i);
        return v;
    }
    std::string str(const char* what) {
        const uint32_t n = u32(what);
        need(n, what);
        std::string s = bytes.substr(pos, n);
        pos += n;
        return s;
    }
    std::map<std::string, std::string> text_map(const char* what) {
        std::map<std::string, std::string> m;
        const uint32_t n = u32(what);
        for (uint32_t i = 0; i < n; ++i) {
            std::string key = str(what);
            if (m.count(key)) malformed(std::string(what) + ": duplicate key '" + key + "'");
            m[key] = str(what);
        }
        return m;
    }
    std::vector<std::pair<std::string, Tensor>> tensors(const char* what) {
        std::vector<std::pair<std::string, Tensor>> list;
        std::set<std::string> seen;
        const uint32_t n = u32(what);
        for (uint32_t i = 0; i < n; ++i) {
            std::string tensor_name = str(what);
            if (!seen.insert(tensor_name).second) malformed(std::string(what) + ": duplicate name '" + tensor_name + "'");
            const uint32_t rank = u32("a tensor rank");
            if (rank > kMaxRank) malformed("tensor '" + tensor_name + "' has rank " + std::to_string(rank));
            Shape shape;
            size_t numel = 1;
            for (uint32_t d = 0; d < rank; ++d) {
                const uint32_t dim = u32("a tensor shape");
                if (dim > (end - pos) / 4) malformed("tensor '" + tensor_name + "' is larger than the file");
                shape.push_back(int(dim));
                numel *= dim;
                if (numel > (end - pos) / 4) malformed("tensor '" + tensor_name + "' is larger than the file");
            }
            need(4 * numel, "tensor data");
            std::vector<float> values(numel);
            for (float& v : values) {
                const uint32_t bits = u32("tensor data");
                std::memcpy(&v, &bits, 4);
            }
            list.push_back({tensor_name, tensor(values, shape)});
        }
        return list;
    }
};

uint32_t read_u32_at(const std::string& bytes, size_t at) {
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v |= uint32_t(uint8_t(bytes[at + i])) << (8 * i);
    return v;
}

std::string hex32(uint32_t v) {
    char text[16];
    std::snprintf(text, sizeof text, "0x%08X", v);
    return text;
}

}  // namespace

std::string encode_checkpoint(const Checkpoint& checkpoint) {
    Writer payload;
    payload.text_map(checkpoint.metadata);
    payload.tensors(checkpoint.parameters);
    payload.u8(checkpoint.has_optimizer ? 1 : 0);
    if (checkpoint.has_optimizer) {
        payload.str(checkpoint.optimizer.type);
        payload.text_map(checkpoint.optimizer.scalars);
        payload.tensors(checkpoint.optimizer.tensors);
    }
    Writer file;
    file.bytes.append(kMagic, 4);
    file.u32(kCheckpointVersion);
    file.u64(payload.bytes.size());
    file.bytes += payload.bytes;
    file.u32(crc32(file.bytes));  // checksum of everything before it
    return file.bytes;
}

Checkpoint decode_checkpoint(const std::string& bytes, const std::string& name) {
    const std::string where = "checkpoint '" + name + "'";
    // 1. The magic: is this a checkpoint at all? (Judged on the bytes present.)
    if (std::memcmp(bytes.data(), kMagic, std::min<size_t>(4, bytes.size())) != 0)
        throw std::runtime_error(where + " is not a tinyattn checkpoint (wrong magic: expected \"TATN\" at the start)");
    if (bytes.size() < kHeaderSize + 4)
        throw std::runtime_error(where + " is truncated: " + std::to_string(bytes.size()) +
                                 " bytes, shorter than the header");
    // 2. The version: a file from a newer tinyattn is refused, not misread.
    const uint32_t version = read_u32_at(bytes, 4);
    if (version != kCheckpointVersion)
        throw std::runtime_error(where + " has unsupported format version " + std::to_string(version) +
                                 " (this build reads version " + std::to_string(kCheckpointVersion) + ")");
    // 3. The length: a crash or a copy cut short leaves fewer bytes than the header promised.
    const uint64_t payload_size = uint64_t(read_u32_at(bytes, 8)) | (uint64_t(read_u32_at(bytes, 12)) << 32);
    const size_t available = bytes.size() - kHeaderSize - 4;
    if (payload_size > available)
        throw std::runtime_error(where + " is truncated: " + std::to_string(bytes.size()) + " bytes, the header says " +
                                 std::to_string(payload_size + kHeaderSize + 4));
    if (payload_size < available)
        throw std::runtime_error(where + " is corrupted: " + std::to_string(available - payload_size) +
                                 " unexpected bytes after the end the header gives");
    // 4. The checksum: any flipped bit anywhere changes it.
    const size_t body = bytes.size() - 4;
    const uint32_t stored = read_u32_at(bytes, body), computed = crc32(bytes.data(), body);
    if (stored != computed)
        throw std::runtime_error(where + " is corrupted: checksum mismatch (stored " + hex32(stored) + ", computed " +
                                 hex32(computed) + ")");
    // 5. Parse. With a good checksum this fails only for a file not written by tinyattn.
    Reader in{bytes, kHeaderSize, body, name};
    Checkpoint ckpt;
    ckpt.metadata = in.text_map("metadata");
    ckpt.parameters = in.tensors("parameters");
    const uint8_t has_optimizer = in.u8("the optimizer flag");
    if (has_optimizer > 1) in.malformed("optimizer flag " + std::to_string(has_optimizer));
    ckpt.has_optimizer = has_optimizer == 1;
    if (ckpt.has_optimizer) {
        ckpt.optimizer.type = in.str("the optimizer type");
        ckpt.optimizer.scalars = in.text_map("optimizer scalars");
        ckpt.optimizer.tensors = in.tensors("optimizer buffers");
    }
    if (in.pos != body) in.malformed(std::to_string(body - in.pos) + " unread bytes before the checksum");
    return ckpt;
}

void write_checkpoint(const std::string& path, const Checkpoint& checkpoint) {
    try {
        write_file_atomically(path, encode_checkpoint(checkpoint));
    } catch (const std::exception& e) {
        throw std::runtime_error(std::string("save_checkpoint: ") + e.what());
    }
}

void save_checkpoint(const std::string& path, const nn::Module& model, const optim::Optimizer* optimizer,
                     const Metadata& metadata) {
    Checkpoint ckpt;
    ckpt.metadata = metadata;
    ckpt.parameters = model.named_parameters();  // handles: encode reads the current values
    if (optimizer) {
        ckpt.has_optimizer = true;
        ckpt.optimizer = optimizer->state_dict();
    }
    write_checkpoint(path, ckpt);
}

Checkpoint read_checkpoint(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("checkpoint '" + path + "': cannot open: " + std::strerror(errno));
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) throw std::runtime_error("checkpoint '" + path + "': read error");
    return decode_checkpoint(bytes, path);
}

Metadata load_checkpoint(const std::string& path, nn::Module& model, optim::Optimizer* optimizer) {
    const Checkpoint ckpt = read_checkpoint(path);
    const std::string where = "load_checkpoint '" + path + "': ";

    // Check every name and shape before touching the model.
    const nn::StateDict stored(ckpt.parameters.begin(), ckpt.parameters.end());
    const std::string mismatch = nn::state_dict_mismatch(model, stored, /*strict=*/true, "the checkpoint");
    if (!mismatch.empty()) throw std::runtime_error(where + "the checkpoint was saved from a different architecture:" + mismatch);

    // The optimizer loads all or nothing, so it goes before the (cannot-fail) copy below.
    if (optimizer) {
        if (!ckpt.has_optimizer)
            throw std::runtime_error(where + "the checkpoint holds no optimizer state (load without an optimizer "
                                             "to take the weights only)");
        try {
            optimizer->load_state_dict(ckpt.optimizer);
        } catch (const std::exception& e) {
            throw std::runtime_error(where + e.what());
        }
    }
    model.load_state_dict(stored);
    return ckpt.metadata;
}

std::string rng_to_text(const Rng& rng) {
    return "pcg32 " + std::to_string(rng.state) + " " + std::to_string(rng.inc);
}

Rng rng_from_text(const std::string& text) {
    std::istringstream in(text);
    std::string kind, extra;
    Rng rng;
    if (!(in >> kind >> rng.state >> rng.inc) || kind != "pcg32" || (in >> extra))
        throw std::runtime_error("rng_from_text: expected \"pcg32 <state> <inc>\", got \"" + text + "\"");
    return rng;
}

}  // namespace tinyattn::io
