// test_checkpoint.cpp — CRC-32, the checkpoint format, bit-exact save/load of a model and
// its optimizer, and every failure a checkpoint can meet (other architecture, truncated,
// wrong magic, other version, flipped byte, interrupted save).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <csignal>
#include <sys/wait.h>
#include <unistd.h>

#include "tinyattn/io/checkpoint.hpp"
#include "tinyattn/io/crc32.hpp"
#include "tinyattn/nn/linear.hpp"
#include "tinyattn/ops.hpp"
#include "tinyattn/optim/adam.hpp"
#include "tinyattn/optim/sgd.hpp"

using namespace tinyattn;
namespace fs = std::filesystem;

namespace {

// A two-layer MLP: parameters fc1.weight, fc1.bias, fc2.weight, fc2.bias.
struct TinyNet : nn::Module {
    Rng init;  // declared first, so it exists when the layers draw their weights
    nn::Linear fc1, fc2;
    TinyNet(int in, int hidden, int out, uint64_t seed)
        : init(seed), fc1(in, hidden, true, init), fc2(hidden, out, true, init) {
        register_module("fc1", fc1);
        register_module("fc2", fc2);
    }
    Tensor forward(const Tensor& x) const { return fc2.forward(relu(fc1.forward(x))); }
};

// Same first layer, but the second is called "head": other names, same shapes.
struct RenamedNet : nn::Module {
    nn::Linear fc1, head;
    RenamedNet() : fc1(4, 8), head(8, 3) {
        register_module("fc1", fc1);
        register_module("head", head);
    }
};

std::string scratch(const std::string& name) {
    const fs::path dir = fs::path(TINYATTN_BINARY_DIR) / "test_checkpoint_files";
    fs::create_directories(dir);
    const fs::path p = dir / name;
    fs::remove(p);
    fs::remove(p.string() + ".tmp");
    return p.string();
}

std::string read_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void write_bytes(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary);
    out << bytes;
}

// One training step on a fixed regression batch (loss = mean((net(x) - y)²)).
void train_step(TinyNet& net, optim::Optimizer& opt, int step) {
    Rng data(100 + uint64_t(step));
    const Tensor x = randn({6, 4}, data), y = randn({6, 3}, data);
    opt.zero_grad();
    const Tensor diff = sub(net.forward(x), y);
    mean(mul(diff, diff)).backward();
    opt.step();
}

std::vector<std::vector<float>> values(const nn::Module& m) {
    std::vector<std::vector<float>> v;
    for (const Tensor& p : m.parameters()) v.push_back(p.to_vector());
    return v;
}

// Saves a trained TinyNet(4, 8, 3) with an Adam state to `path`; returns its values.
std::vector<std::vector<float>> save_trained(const std::string& path) {
    TinyNet net(4, 8, 3, 7);
    optim::Adam adam(net.parameters(), 0.01);
    for (int s = 0; s < 2; ++s) train_step(net, adam, s);
    io::save_checkpoint(path, net, &adam, {{"lesson", "test"}});
    return values(net);
}

}  // namespace

TEST_CASE("crc32 gives the standard CRC-32 check values", "[checkpoint]") {
    REQUIRE(io::crc32("123456789") == 0xCBF43926u);  // the catalogue's check value
    REQUIRE(io::crc32("") == 0x00000000u);
    REQUIRE(io::crc32("a") == 0xE8B7BE43u);
    REQUIRE(io::crc32("The quick brown fox jumps over the lazy dog") == 0x414FA339u);
    const std::string all = "The quick brown fox jumps over the lazy dog";
    REQUIRE(io::crc32(all.data() + 10, all.size() - 10, io::crc32(all.data(), 10)) == 0x414FA339u);  // in pieces
}

TEST_CASE("A checkpoint round trip is bit-exact, and Adam continues bit-identically", "[checkpoint]") {
    const std::string path = scratch("roundtrip.tatn");
    TinyNet straight(4, 8, 3, 7);
    optim::Adam adam(straight.parameters(), 0.01, 0.9, 0.98, 1e-7, 0.01);
    for (int s = 0; s < 3; ++s) train_step(straight, adam, s);
    Rng rng(42);
    rng.uniform();
    io::save_checkpoint(path, straight, &adam, {{"lesson", "07_attention"}, {"step", "3"}, {"rng", io::rng_to_text(rng)}});
    REQUIRE_FALSE(fs::exists(path + ".tmp"));

    TinyNet resumed(4, 8, 3, 99);  // other initial weights, other hyperparameters
    optim::Adam adam2(resumed.parameters(), 0.5);
    REQUIRE(values(resumed) != values(straight));
    const io::Metadata meta = io::load_checkpoint(path, resumed, &adam2);
    REQUIRE(meta.at("lesson") == "07_attention");
    REQUIRE(meta.at("step") == "3");
    REQUIRE(values(resumed) == values(straight));  // bit-exact floats
    REQUIRE(adam2.lr() == adam.lr());
    REQUIRE(adam2.beta2 == 0.98);
    for (size_t i = 0; i < 4; ++i) {
        REQUIRE(adam2.step_count(i) == 3);
        REQUIRE(adam2.exp_avg(i) == adam.exp_avg(i));
        REQUIRE(adam2.exp_avg_sq(i) == adam.exp_avg_sq(i));
    }
    Rng rng2 = io::rng_from_text(meta.at("rng"));
    REQUIRE(rng2.next_u32() == rng.next_u32());

    for (int s = 3; s < 6; ++s) {
        train_step(straight, adam, s);
        train_step(resumed, adam2, s);
    }
    REQUIRE(values(resumed) == values(straight));  // N + M steps == N, save, load, M steps

    // read_checkpoint gives the same contents without a model.
    const io::Checkpoint ckpt = io::read_checkpoint(path);
    REQUIRE(ckpt.parameters.size() == 4);
    REQUIRE(ckpt.parameters[0].first == "fc1.weight");
    REQUIRE(ckpt.has_optimizer);
    REQUIRE(ckpt.optimizer.type == "Adam");
}

TEST_CASE("A checkpoint without optimizer loads weights only, and encode/decode are inverse", "[checkpoint]") {
    const std::string path = scratch("weights_only.tatn");
    TinyNet a(3, 5, 2, 1), b(3, 5, 2, 2);
    io::save_checkpoint(path, a);
    REQUIRE(io::load_checkpoint(path, b).empty());
    REQUIRE(values(a) == values(b));
    optim::SGD sgd(b.parameters(), 0.1, 0.9);
    REQUIRE_THROWS_WITH(io::load_checkpoint(path, b, &sgd),
                        Catch::Contains(path) && Catch::Contains("holds no optimizer state"));

    const std::string bytes = read_bytes(path);
    REQUIRE(bytes.substr(0, 4) == "TATN");
    REQUIRE(io::encode_checkpoint(io::decode_checkpoint(bytes, path)) == bytes);
}

TEST_CASE("Loading into another architecture names the first mismatch and both shapes", "[checkpoint]") {
    const std::string path = scratch("arch.tatn");
    save_trained(path);

    TinyNet wider(4, 6, 3, 5);  // hidden 6 instead of 8: every parameter but fc2.bias differs
    const auto before = values(wider);
    REQUIRE_THROWS_WITH(io::load_checkpoint(path, wider),
                        Catch::Contains(path) && Catch::Contains("different architecture") &&
                            Catch::Contains("parameter 'fc1.weight' has shape [8, 4] in the checkpoint but [6, 4] "
                                            "in the model"));
    REQUIRE(values(wider) == before);

    RenamedNet renamed;
    REQUIRE_THROWS_WITH(io::load_checkpoint(path, renamed),
                        Catch::Contains("missing from the checkpoint: head.weight, head.bias") &&
                            Catch::Contains("unexpected in the checkpoint: fc2.bias, fc2.weight"));
}

TEST_CASE("An optimizer state that does not fit leaves model and optimizer unchanged", "[checkpoint]") {
    const std::string path = scratch("optim_mismatch.tatn");
    save_trained(path);  // holds an Adam state
    TinyNet net(4, 8, 3, 11);
    const auto before = values(net);
    optim::SGD sgd(net.parameters(), 0.3, 0.9);
    REQUIRE_THROWS_WITH(io::load_checkpoint(path, net, &sgd),
                        Catch::Contains(path) && Catch::Contains("saved by a Adam optimizer"));
    REQUIRE(values(net) == before);  // not half-loaded
    REQUIRE(sgd.lr() == 0.3);
}

TEST_CASE("A truncated checkpoint is reported as truncated", "[checkpoint]") {
    const std::string path = scratch("truncated.tatn");
    save_trained(path);
    const std::string bytes = read_bytes(path);
    TinyNet net(4, 8, 3, 3);
    const auto before = values(net);
    for (size_t keep : {bytes.size() - 1, bytes.size() / 2, size_t(10), size_t(0)}) {
        INFO("kept " << keep << " of " << bytes.size() << " bytes");
        write_bytes(path, bytes.substr(0, keep));
        REQUIRE_THROWS_WITH(io::load_checkpoint(path, net), Catch::Contains("checkpoint '" + path + "' is truncated"));
    }
    REQUIRE(values(net) == before);
    REQUIRE_THROWS_WITH(io::read_checkpoint(path + ".missing"), Catch::Contains("cannot open"));
}

TEST_CASE("Wrong magic and unsupported version each give their own error", "[checkpoint]") {
    const std::string path = scratch("magic.tatn");
    save_trained(path);
    std::string bytes = read_bytes(path);

    std::string other = bytes;
    other[0] = 'X';
    write_bytes(path, other);
    REQUIRE_THROWS_WITH(io::read_checkpoint(path), Catch::Contains(path) && Catch::Contains("wrong magic"));
    write_bytes(path, "english\tfrench\n");  // a data file passed by mistake
    REQUIRE_THROWS_WITH(io::read_checkpoint(path), Catch::Contains("not a tinyattn checkpoint"));

    other = bytes;
    other[4] = 2;  // version 2, from a future tinyattn
    write_bytes(path, other);
    REQUIRE_THROWS_WITH(io::read_checkpoint(path), Catch::Contains(path) &&
                                                       Catch::Contains("unsupported format version 2") &&
                                                       Catch::Contains("reads version 1"));
}

TEST_CASE("A flipped byte anywhere is detected; in the data it is a checksum mismatch", "[checkpoint]") {
    const std::string path = scratch("flipped.tatn");
    save_trained(path);
    const std::string bytes = read_bytes(path);

    std::string flipped = bytes;
    flipped[bytes.size() / 2] ^= 0x10;  // inside the float data
    write_bytes(path, flipped);
    TinyNet net(4, 8, 3, 3);
    const auto before = values(net);
    REQUIRE_THROWS_WITH(io::load_checkpoint(path, net),
                        Catch::Contains(path) && Catch::Contains("corrupted: checksum mismatch"));
    REQUIRE(values(net) == before);

    // Every single-bit flip at every position is caught (magic, version, length, data, checksum).
    for (size_t i = 0; i < bytes.size(); ++i)
        for (int bit : {0, 7}) {
            std::string b = bytes;
            b[i] = char(b[i] ^ (1 << bit));
            INFO("byte " << i << " bit " << bit);
            REQUIRE_THROWS(io::decode_checkpoint(b, "flip"));
        }
}

TEST_CASE("Bytes with a valid checksum but nonsense inside are rejected, never crash", "[checkpoint]") {
    // Build header + random payload + a correct CRC: only the parser's bounds checks stand
    // between such a file and an out-of-range read (what a fuzzer would try).
    Rng rng(5);
    for (int trial = 0; trial < 200; ++trial) {
        const int n = rng.randint(0, 64);
        std::string payload;
        for (int i = 0; i < n; ++i) payload.push_back(char(rng.randint(0, 3) == 0 ? 0xFF : rng.randint(0, 4)));
        std::string bytes = std::string("TATN") + std::string("\x01\x00\x00\x00", 4);
        for (int i = 0; i < 8; ++i) bytes.push_back(char((uint64_t(payload.size()) >> (8 * i)) & 0xFF));
        bytes += payload;
        const uint32_t crc = io::crc32(bytes);
        for (int i = 0; i < 4; ++i) bytes.push_back(char((crc >> (8 * i)) & 0xFF));
        try {
            io::decode_checkpoint(bytes, "random");
        } catch (const std::runtime_error& e) {
            REQUIRE_THAT(e.what(), Catch::Contains("checkpoint 'random' is malformed"));
        }
    }
}

TEST_CASE("An interrupted or failed save never destroys the previous checkpoint", "[checkpoint]") {
    const std::string path = scratch("atomic.tatn");
    const auto saved = save_trained(path);
    const std::string good = read_bytes(path);

    // A save killed half-way leaves a half-written temp file; the checkpoint itself is intact.
    write_bytes(path + ".tmp", good.substr(0, good.size() / 3) + "garbage");
    TinyNet net(4, 8, 3, 3);
    io::load_checkpoint(path, net);
    REQUIRE(values(net) == saved);

    // A save that fails mid-way (the disk fills up: the temp file is /dev/full) throws,
    // removes the temp file and leaves the old checkpoint byte-for-byte as it was.
    fs::remove(path + ".tmp");
    fs::create_symlink("/dev/full", path + ".tmp");
    TinyNet other(4, 8, 3, 4);
    REQUIRE_THROWS_WITH(io::save_checkpoint(path, other),
                        Catch::Contains("save_checkpoint: writing '" + path + ".tmp' failed") &&
                            Catch::Contains("left unchanged"));
    REQUIRE(read_bytes(path) == good);
    REQUIRE_FALSE(fs::exists(fs::symlink_status(path + ".tmp")));

    // A directory that does not exist: nothing can be created.
    REQUIRE_THROWS_WITH(io::save_checkpoint(path + ".d/sub/x.tatn", other), Catch::Contains("cannot create"));

    // And a normal save replaces the old checkpoint completely.
    io::save_checkpoint(path, other);
    io::load_checkpoint(path, net);
    REQUIRE(values(net) == values(other));
    REQUIRE_FALSE(fs::exists(path + ".tmp"));
}

TEST_CASE("A process killed in the middle of saving leaves a loadable checkpoint", "[checkpoint]") {
    // A child process saves two ~1 MB models in turn, as fast as it can; the parent kills it
    // (SIGKILL: no cleanup at all) at some moment. Whatever moment that was, the file must
    // hold one of the two models, complete. Writing in place would leave a torn file.
    const std::string path = scratch("killed.tatn");
    TinyNet a(256, 512, 4, 1), b(256, 512, 4, 2);
    io::save_checkpoint(path, a);
    int torn_temp_files = 0;
    for (int trial = 0; trial < 6; ++trial) {
        const pid_t child = fork();
        REQUIRE(child >= 0);
        if (child == 0) {  // the child: save forever, never return into the test framework
            try {
                for (int i = 0;; ++i) io::save_checkpoint(path, i % 2 ? a : b);
            } catch (...) {
            }
            _exit(1);
        }
        usleep(useconds_t(3000 + 4000 * trial));
        REQUIRE(kill(child, SIGKILL) == 0);
        int status = 0;
        REQUIRE(waitpid(child, &status, 0) == child);
        REQUIRE(WIFSIGNALED(status));  // it was still saving, not failed
        torn_temp_files += fs::exists(path + ".tmp");
        TinyNet c(256, 512, 4, 3);
        io::load_checkpoint(path, c);
        const auto got = values(c);
        REQUIRE((got == values(a) || got == values(b)));
    }
    INFO("kills that left a half-written temp file: " << torn_temp_files);
    SUCCEED();
}

TEST_CASE("rng_from_text rejects malformed text", "[checkpoint]") {
    REQUIRE_THROWS_WITH(io::rng_from_text("pcg32 12"), Catch::Contains("expected \"pcg32 <state> <inc>\""));
    REQUIRE_THROWS_WITH(io::rng_from_text("mt19937 1 2"), Catch::Contains("rng_from_text"));
    const Rng r = io::rng_from_text("pcg32 123 457");
    REQUIRE(r.state == 123);
    REQUIRE(r.inc == 457);
}
