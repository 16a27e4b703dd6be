// Tests for padding, masks, target shift and the seeded batch order (tinyattn/data/batching.hpp).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <set>
#include <vector>

#include "tinyattn/data/batching.hpp"

using namespace tinyattn::data;
using Ids = std::vector<int>;
using Mask = std::vector<uint8_t>;

TEST_CASE("collate_pairs: shapes, padding, masks and target shift", "[batching]") {
    const std::vector<Ids> src = {{10, 11, 12}, {20}, {30, 31}};
    const std::vector<Ids> tgt = {{40}, {50, 51, 52}, {60, 61}};
    const Batch b = collate_pairs(src, tgt, {0, 1});
    CHECK(b.B == 2);
    CHECK(b.S == 3);
    CHECK(b.T == 4);  // longest target (3) + 1
    CHECK(b.src == Ids{10, 11, 12, /**/ 20, 0, 0});
    CHECK(b.src_lengths == Ids{3, 1});
    CHECK(b.src_key_padding_mask == Mask{0, 0, 0, /**/ 0, 1, 1});
    CHECK(b.tgt_in == Ids{1, 40, 0, 0, /**/ 1, 50, 51, 52});
    CHECK(b.tgt_out == Ids{40, 2, 0, 0, /**/ 50, 51, 52, 2});
    CHECK(b.tgt_lengths == Ids{2, 4});
    CHECK(b.tgt_key_padding_mask == Mask{0, 0, 1, 1, /**/ 0, 0, 0, 0});
    CHECK(b.indices == Ids{0, 1});
    // pad never equals bos, and tgt_out is padded with the ignore_index (0) exactly where
    // tgt_in is padding
    for (size_t i = 0; i < b.tgt_out.size(); ++i) CHECK((b.tgt_out[i] == 0) == (b.tgt_key_padding_mask[i] == 1));
}

TEST_CASE("collate_pairs / collate_labelled: bad input is reported", "[batching]") {
    CHECK_THROWS_WITH(collate_pairs({{1}, {}}, {{1}, {2}}, {0, 1}), Catch::Contains("example 1") && Catch::Contains("empty source"));
    CHECK_THROWS_WITH(collate_pairs({{1}}, {{1}}, {3}), Catch::Contains("index 3"));
    CHECK_THROWS(collate_pairs({{1}}, {{1}, {2}}, {0}));
    CHECK_THROWS(collate_pairs({{1}}, {{1}}, {}));
    CHECK_THROWS(collate_labelled({{1}, {2}}, {0}, {0}));
}

TEST_CASE("collate_labelled: padding, mask, labels in batch order", "[batching]") {
    const std::vector<Ids> ids = {{5, 6}, {7, 8, 9, 10}, {11}};
    const Ids labels = {1, 0, 1};
    const ClassBatch b = collate_labelled(ids, labels, {2, 1});
    CHECK(b.B == 2);
    CHECK(b.S == 4);
    CHECK(b.ids == Ids{11, 0, 0, 0, /**/ 7, 8, 9, 10});
    CHECK(b.key_padding_mask == Mask{0, 1, 1, 1, /**/ 0, 0, 0, 0});
    CHECK(b.lengths == Ids{1, 4});
    CHECK(b.labels == Ids{1, 0});
}

namespace {

// lengths 1..20 repeated, 200 examples
Ids example_lengths() {
    Ids lengths;
    for (int i = 0; i < 200; ++i) lengths.push_back(1 + (i * 7) % 20);
    return lengths;
}

// every example appears exactly once across the batches
void check_partition(const std::vector<Ids>& batches, size_t n) {
    Ids all;
    for (const Ids& b : batches) all.insert(all.end(), b.begin(), b.end());
    std::sort(all.begin(), all.end());
    REQUIRE(all.size() == n);
    for (size_t i = 0; i < n; ++i) CHECK(all[i] == int(i));
}

// total padding cells if each batch is padded to its longest member
long padding(const std::vector<Ids>& batches, const Ids& lengths) {
    long pad = 0;
    for (const Ids& b : batches) {
        int longest = 0;
        for (int i : b) longest = std::max(longest, lengths[size_t(i)]);
        for (int i : b) pad += longest - lengths[size_t(i)];
    }
    return pad;
}

}  // namespace

TEST_CASE("make_batches: deterministic per (seed, epoch), different across epochs", "[batching]") {
    const Ids lengths = example_lengths();
    BatchOptions opt;
    opt.batch_size = 16;
    opt.bucket_batches = 4;
    opt.seed = 42;
    for (bool bucket : {false, true}) {
        opt.bucket = bucket;
        const auto e0 = make_batches(lengths, opt, 0);
        CHECK(make_batches(lengths, opt, 0) == e0);
        CHECK(make_batches(lengths, opt, 1) != e0);
        check_partition(e0, lengths.size());
        CHECK(e0.size() == 13);  // 200 = 12*16 + 8 (bucketing pools of 64: 64,64,64,8 -> 4+4+4+1)
        BatchOptions other = opt;
        other.seed = 43;
        CHECK(make_batches(lengths, other, 0) != e0);
    }
}

TEST_CASE("make_batches: bucketing reduces padding; no-shuffle orders", "[batching]") {
    const Ids lengths = example_lengths();
    BatchOptions opt;
    opt.batch_size = 16;
    opt.bucket_batches = 4;
    opt.bucket = false;
    const long random_pad = padding(make_batches(lengths, opt, 0), lengths);
    opt.bucket = true;
    const auto bucketed = make_batches(lengths, opt, 0);
    const long bucket_pad = padding(bucketed, lengths);
    CHECK(bucket_pad * 3 < random_pad);
    // within a batch, lengths are sorted (each batch is a slice of a sorted pool)
    for (const Ids& b : bucketed)
        for (size_t i = 1; i < b.size(); ++i) CHECK(lengths[size_t(b[i - 1])] <= lengths[size_t(b[i])]);

    opt.shuffle = false;
    opt.bucket = false;
    const auto plain = make_batches(lengths, opt, 0);
    CHECK(plain[0] == Ids{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15});
    CHECK(plain.back().size() == 8);
    opt.drop_last = true;
    CHECK(make_batches(lengths, opt, 0).size() == 12);

    opt.drop_last = false;
    opt.bucket = true;  // evaluation order: sorted by length over the whole set
    const auto sorted = make_batches(lengths, opt, 0);
    for (const Ids& b : sorted) CHECK(lengths[size_t(b.front())] <= lengths[size_t(b.back())]);
    CHECK(lengths[size_t(sorted.front().front())] == 1);
    CHECK(lengths[size_t(sorted.back().back())] == 20);

    opt.batch_size = 0;
    CHECK_THROWS(make_batches(lengths, opt, 0));
}
