// test_reliability.cpp — long runs keep flat memory; resume and Ctrl-C lose nothing; bad
// inputs from tests/README.md's table that no other test file covers give clear errors.
#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <omp.h>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

#include "data_files.hpp"
#include "tiny_seq2seq.hpp"
#include "tinyattn/data/loaders.hpp"
#include "tinyattn/data/vocab.hpp"
#include "tinyattn/app/interrupt.hpp"
#include "tinyattn/nn/embedding.hpp"

using namespace tinyattn;
namespace fs = std::filesystem;

namespace {

// AddressSanitizer keeps freed memory in quarantine (RSS grows by design) and runs ~5x
// slower: under it the memory test checks the node count only, over fewer steps.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif

// Resident set size of this process in kB, from /proc/self/status ("VmRSS:  12345 kB").
long rss_kb() {
    std::ifstream status("/proc/self/status");
    std::string key;
    while (status >> key) {
        if (key == "VmRSS:") {
            long kb = 0;
            status >> kb;
            return kb;
        }
        status.ignore(1 << 20, '\n');
    }
    FAIL("no VmRSS line in /proc/self/status");
    return 0;
}

std::string scratch(const std::string& name) {
    const fs::path dir = fs::path(TINYATTN_BINARY_DIR) / "test_reliability_files";
    fs::create_directories(dir);
    const fs::path p = dir / name;
    fs::remove(p);
    fs::remove(p.string() + ".tmp");
    return p.string();
}

}  // namespace

// ---- memory -------------------------------------------------------------------------------

TEST_CASE("memory stays flat: 2,000 training steps of the attention seq2seq", "[reliability][memory]") {
    const int steps = kSanitized ? 300 : 2000;
    manual_seed(1);
    tiny_seq2seq::Run run(1);
    const long baseline_nodes = live_node_count();  // the model's parameters (leaves)
    long rss_at_200 = 0, max_nodes_after_step = 0;
    const auto start = std::chrono::steady_clock::now();
    for (int s = 1; s <= steps; ++s) {
        run.train_step();
        // Every step's graph (thousands of nodes) is gone once its loss tensor is.
        max_nodes_after_step = std::max(max_nodes_after_step, live_node_count());
        if (s == 200) rss_at_200 = rss_kb();
    }
    const long rss_at_end = rss_kb();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    INFO("steps " << steps << " in " << seconds << " s; live nodes baseline " << baseline_nodes
                  << ", max after a step " << max_nodes_after_step << "; VmRSS at step 200 " << rss_at_200
                  << " kB, at step " << steps << " " << rss_at_end << " kB");
    REQUIRE(max_nodes_after_step == baseline_nodes);
    if (!kSanitized) REQUIRE(rss_at_end <= rss_at_200 + 1024);  // within 1 MB of step 200
    SUCCEED();
}

// ---- resume -------------------------------------------------------------------------------

TEST_CASE("resume: N steps + checkpoint + M steps == N + M steps straight, bit for bit", "[reliability][resume]") {
    const int N = 25, M = 25;
    const std::string path = scratch("resume.tatn");

    manual_seed(42);
    tiny_seq2seq::Run straight(7);
    std::vector<float> straight_losses;
    for (int s = 0; s < N + M; ++s) straight_losses.push_back(straight.train_step());

    manual_seed(42);
    tiny_seq2seq::Run first(7);
    for (int s = 0; s < N; ++s) first.train_step();
    first.save(path);

    // A fresh process would start with other weights and another global Rng: simulate both,
    // so every bit that matches below must have come from the checkpoint.
    manual_seed(999);
    tiny_seq2seq::Run resumed(12345);
    resumed.load(path);
    REQUIRE(resumed.step == N);
    std::vector<float> resumed_losses;
    for (int s = 0; s < M; ++s) resumed_losses.push_back(resumed.train_step());

    REQUIRE(resumed_losses == std::vector<float>(straight_losses.begin() + N, straight_losses.end()));
    REQUIRE(tiny_seq2seq::parameter_values(resumed.model) == tiny_seq2seq::parameter_values(straight.model));
    for (size_t i = 0; i < straight.adam.params().size(); ++i) {
        REQUIRE(resumed.adam.step_count(i) == straight.adam.step_count(i));
        REQUIRE(resumed.adam.exp_avg_sq(i) == straight.adam.exp_avg_sq(i));
    }
    REQUIRE(io::rng_to_text(resumed.data) == io::rng_to_text(straight.data));
    REQUIRE(io::rng_to_text(global_rng()) == io::rng_to_text(
        [&] { manual_seed(42); tiny_seq2seq::Run again(7); for (int s = 0; s < N + M; ++s) again.train_step();
              return global_rng(); }()));
}

TEST_CASE("resume: without the RNG state in the checkpoint the run diverges (the test can fail)",
          "[reliability][resume]") {
    const std::string path = scratch("resume_norng.tatn");
    manual_seed(42);
    tiny_seq2seq::Run straight(7);
    for (int s = 0; s < 10; ++s) straight.train_step();
    manual_seed(42);
    tiny_seq2seq::Run first(7);
    for (int s = 0; s < 5; ++s) first.train_step();
    first.save(path);
    tiny_seq2seq::Run resumed(7);
    io::load_checkpoint(path, resumed.model, &resumed.adam);  // weights + Adam, but no Rngs restored
    for (int s = 0; s < 5; ++s) resumed.train_step();
    CHECK(tiny_seq2seq::parameter_values(resumed.model) != tiny_seq2seq::parameter_values(straight.model));
}

// ---- interrupt ----------------------------------------------------------------------------

namespace {

// Forks a child that trains the tiny model forever (one thread: OpenMP's thread pool does not
// survive fork) and tells the parent through a pipe once `ready_after` steps are done.
// If `save_on_interrupt`, the child checks interrupted() at every step boundary, saves and
// exits 0; otherwise it never looks at the flag.
pid_t start_training_child(const std::string& path, bool save_on_interrupt, int ready_after) {
    int ready[2];
    REQUIRE(pipe(ready) == 0);
    const pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        close(ready[0]);
        try {
            omp_set_num_threads(1);
            install_interrupt_handler();
            tiny_seq2seq::Run run(3);
            for (long s = 1; s < 1000000; ++s) {
                run.train_step();
                if (s == ready_after) {
                    const char byte = 'r';
                    if (write(ready[1], &byte, 1) != 1) _exit(4);
                }
                if (save_on_interrupt && interrupted()) {
                    run.save(path);
                    _exit(0);
                }
            }
        } catch (...) {
            _exit(2);
        }
        _exit(3);
    }
    close(ready[1]);
    char byte = 0;
    REQUIRE(read(ready[0], &byte, 1) == 1);  // the child is training now
    close(ready[0]);
    return child;
}

}  // namespace

TEST_CASE("interrupt: SIGINT during training saves a checkpoint at the next step boundary and exits 0",
          "[reliability][interrupt]") {
    const std::string path = scratch("interrupted.tatn");
    const pid_t child = start_training_child(path, true, 5);
    REQUIRE(kill(child, SIGINT) == 0);
    int status = 0;
    REQUIRE(waitpid(child, &status, 0) == child);
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 0);

    tiny_seq2seq::Run resumed(77);
    resumed.load(path);
    CHECK(resumed.step >= 5);
    CHECK(resumed.adam.step_count(0) == resumed.step);  // model and optimizer saved at the same boundary
    CHECK(std::isfinite(resumed.train_step()));         // and training goes on from it
    CHECK_FALSE(fs::exists(path + ".tmp"));
}

TEST_CASE("interrupt: a second SIGINT kills a loop that never checks the flag", "[reliability][interrupt]") {
    const std::string path = scratch("never_checks.tatn");
    const pid_t child = start_training_child(path, false, 2);
    REQUIRE(kill(child, SIGINT) == 0);  // sets the flag; the loop ignores it
    usleep(200000);
    int status = 0;
    REQUIRE(waitpid(child, &status, WNOHANG) == 0);  // still running
    REQUIRE(kill(child, SIGINT) == 0);
    REQUIRE(waitpid(child, &status, 0) == child);
    REQUIRE(WIFSIGNALED(status));
    REQUIRE(WTERMSIG(status) == SIGINT);
    CHECK_FALSE(fs::exists(path));
}

TEST_CASE("interrupt: the flag is off until a signal arrives and clear_interrupt resets it", "[reliability][interrupt]") {
    install_interrupt_handler();
    clear_interrupt();
    CHECK_FALSE(interrupted());
    REQUIRE(raise(SIGTERM) == 0);  // handled like Ctrl-C, the test process survives
    CHECK(interrupted());
    clear_interrupt();
    CHECK_FALSE(interrupted());
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
}

// A process killed in the middle of a save leaves the previous checkpoint intact:
// tests/test_checkpoint.cpp "A process killed in the middle of saving leaves a loadable
// checkpoint" (SIGKILL at random moments of a save loop, 6 trials).

// ---- bad inputs (the table in tests/README.md) ---------------------------------------------

TEST_CASE("bad input: a binary file is refused with the file and line", "[reliability][bad-input]") {
    // the first bytes of a gzip file, then NULs and a tab
    const std::string gz = std::string("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", 10) + "x\ty\n";
    CHECK_THROWS_WITH(data::load_pairs(write_temp_file("binary.gz", gz)),
                      Catch::Contains("binary.gz:1: invalid UTF-8 at byte 2"));
    // only ASCII bytes, but with NULs: valid UTF-8, still not text
    const std::string nuls = std::string("ab\0\0cd\tef\n", 10);
    CHECK_THROWS_WITH(data::load_pairs(write_temp_file("nuls.bin", nuls)),
                      Catch::Contains("nuls.bin:1: NUL byte at byte 3") && Catch::Contains("binary"));
    CHECK_THROWS_WITH(data::Vocab::load(write_temp_file("nuls_vocab.bin", nuls)), Catch::Contains("NUL byte"));
    CHECK_THROWS_WITH(data::load_labelled(write_temp_file("nuls_lab.bin", nuls)), Catch::Contains("NUL byte"));
}

TEST_CASE("bad input: a 10 MB line loads (or fails) in linear time, never crashes", "[reliability][bad-input]") {
    std::string words;
    words.reserve(10 << 20);
    while (words.size() < (10u << 20)) words += "word ";
    const auto start = std::chrono::steady_clock::now();
    // 10 MB with a tab: one pair of 2 million tokens; max_length filters it out
    const std::string p = write_temp_file("long_line.tsv", words + "\tun mot\nhi\tsalut\n");
    const auto pairs = data::load_pairs(p);
    REQUIRE(pairs.size() == 2);
    CHECK(pairs[0].src.size() == (10u << 20) / 5);
    data::PairOptions short_only;
    short_only.max_length = 50;
    CHECK(data::load_pairs(p, short_only).size() == 1);
    // 10 MB without a tab: the usual error, naming the line
    CHECK_THROWS_WITH(data::load_pairs(write_temp_file("long_notab.tsv", "hi\tsalut\n" + words + "\n")),
                      Catch::Contains("long_notab.tsv:2: expected 2 or 3 tab-separated columns, found 1"));
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    CHECK(seconds < (kSanitized ? 60.0 : 15.0));
}

TEST_CASE("bad input: out-of-range token ids throw naming the id and the size", "[reliability][bad-input]") {
    nn::Embedding emb(10, 4);
    CHECK_THROWS_WITH(emb.forward({1, 10}, {2}), Catch::Contains("embedding: index 10 out of range [0, 10)"));
    CHECK_THROWS_WITH(emb.forward({-1}, {1}), Catch::Contains("index -1 out of range"));
    CHECK_THROWS_WITH(cross_entropy(zeros({2, 5}), {1, 7}), Catch::Contains("cross_entropy: target 7 out of range"));
    data::Vocab v;
    CHECK_THROWS_WITH(v.decode({1, 4, 99}), Catch::Contains("Vocab::token: id 4 is out of range"));
}
