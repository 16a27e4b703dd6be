// test_regressions_fuzz.cpp — the fuzz targets' inputs, replayed in every test run.
//
// tests/fuzz/corpus/<target>/ is the seed corpus the fuzzers start from; any input that
// ever crashed a fuzzer goes into tests/fuzz/regressions/<target>/ (named after what it
// broke) together with the fix. Each file runs through exactly the code the fuzzer runs
// (tests/fuzz/fuzz_targets.hpp), so it is checked here by g++, and by ASan/UBSan in the
// sanitizer run, without clang or libFuzzer.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "fuzz/fuzz_targets.hpp"

namespace fs = std::filesystem;
using namespace tinyattn;

namespace {

using Target = void (*)(const uint8_t*, size_t);

std::string read_bytes(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Runs every file of tests/fuzz/<kind>/<target>/ through `run`; returns how many there were.
int replay(const std::string& kind, const std::string& target, Target run) {
    const fs::path dir = fs::path(TINYATTN_SOURCE_DIR) / "tests" / "fuzz" / kind / target;
    int files = 0;
    if (!fs::exists(dir)) return 0;
    for (const auto& entry : fs::directory_iterator(dir)) {
        const std::string bytes = read_bytes(entry.path());
        INFO(entry.path().string());
        REQUIRE_NOTHROW(run(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
        ++files;
    }
    return files;
}

void replay_all(const std::string& target, Target run) {
    CHECK(replay("corpus", target, run) >= 2);  // the seeds are there
    replay("regressions", target, run);
}

}  // namespace

TEST_CASE("fuzz inputs: load_pairs (seed corpus and past crashes)", "[fuzz]") {
    replay_all("fuzz_pairs", fuzz_targets::pairs);
}

TEST_CASE("fuzz inputs: load_labelled (seed corpus and past crashes)", "[fuzz]") {
    replay_all("fuzz_labelled", fuzz_targets::labelled);
}

TEST_CASE("fuzz inputs: Vocab::load (seed corpus and past crashes)", "[fuzz]") {
    replay_all("fuzz_vocab", fuzz_targets::vocab);
}

TEST_CASE("fuzz inputs: decode_checkpoint (seed corpus and past crashes)", "[fuzz]") {
    replay_all("fuzz_checkpoint", fuzz_targets::checkpoint);
    // The checkpoint seeds are real checkpoints, so the fuzzer starts deep inside the parser.
    const fs::path seeds = fs::path(TINYATTN_SOURCE_DIR) / "tests/fuzz/corpus/fuzz_checkpoint";
    const std::string file = read_bytes(seeds / "file_with_sgd.bin").substr(1);
    const io::Checkpoint c = io::decode_checkpoint(file, "seed");
    CHECK(c.metadata.at("step") == "3");
    REQUIRE(c.parameters.size() == 2);
    CHECK(c.parameters[1].first == "fc.weight");
    CHECK(c.parameters[1].second.shape() == Shape{2, 2});
    CHECK(c.optimizer.type == "SGD");
    const std::string payload = read_bytes(seeds / "payload_with_sgd.bin").substr(1);
    CHECK(fuzz_targets::with_header(payload) == file);
}

TEST_CASE("fuzz targets: a reader's documented error passes, a broken promise fails", "[fuzz]") {
    // The targets must be able to fail, or a green fuzz run means nothing.
    const std::string nul = std::string("a\0b\tc\n", 6);  // refused with "NUL byte" (runtime_error)
    CHECK_NOTHROW(fuzz_targets::pairs(reinterpret_cast<const uint8_t*>(nul.data()), nul.size()));
    CHECK_THROWS_AS(fuzz_targets::expect(false, "a promise"), std::logic_error);
}
