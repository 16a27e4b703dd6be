// batching.cpp — padding, masks, target shift, and the seeded (bucketed) batch order.
#include "tinyattn/data/batching.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "tinyattn/data/vocab.hpp"
#include "tinyattn/rng.hpp"

namespace tinyattn::data {

namespace {

// The example at dataset position `i`, checked: in range and not empty.
const std::vector<int>& example(const std::vector<std::vector<int>>& data, int i, const char* who,
                                const char* what) {
    if (i < 0 || i >= int(data.size()))
        throw std::out_of_range(std::string(who) + ": index " + std::to_string(i) + " out of range for " +
                                std::to_string(data.size()) + " examples");
    if (data[size_t(i)].empty())
        throw std::invalid_argument(std::string(who) + ": example " + std::to_string(i) + " has an empty " + what);
    return data[size_t(i)];
}

// Write `ids` into row b of a [B x width] grid (pre-filled with pad); if `mask` is given,
// mark that row's padding in it with 1.
void put_row(const std::vector<int>& ids, int b, int width, std::vector<int>& grid, std::vector<uint8_t>* mask) {
    for (int s = 0; s < width; ++s) {
        const size_t at = size_t(b) * size_t(width) + size_t(s);
        if (s < int(ids.size())) grid[at] = ids[size_t(s)];
        if (mask) (*mask)[at] = s < int(ids.size()) ? 0 : 1;
    }
}

int longest(const std::vector<std::vector<int>>& data, const std::vector<int>& indices) {
    size_t n = 0;
    for (int i : indices) n = std::max(n, data[size_t(i)].size());
    return int(n);
}

}  // namespace

Batch collate_pairs(const std::vector<std::vector<int>>& src_ids, const std::vector<std::vector<int>>& tgt_ids,
                    const std::vector<int>& indices) {
    if (src_ids.size() != tgt_ids.size())
        throw std::invalid_argument("collate_pairs: " + std::to_string(src_ids.size()) + " sources but " +
                                    std::to_string(tgt_ids.size()) + " targets");
    if (indices.empty()) throw std::invalid_argument("collate_pairs: empty batch");
    for (int i : indices) {
        example(src_ids, i, "collate_pairs", "source");
        example(tgt_ids, i, "collate_pairs", "target");
    }
    Batch batch;
    batch.B = int(indices.size());
    batch.S = longest(src_ids, indices);
    batch.T = longest(tgt_ids, indices) + 1;  // + <bos> on the input side, + <eos> on the output side
    batch.indices = indices;
    batch.src.assign(size_t(batch.B * batch.S), Vocab::pad_id);
    batch.src_key_padding_mask.assign(size_t(batch.B * batch.S), 1);
    batch.tgt_in.assign(size_t(batch.B * batch.T), Vocab::pad_id);
    batch.tgt_out.assign(size_t(batch.B * batch.T), Vocab::pad_id);
    batch.tgt_key_padding_mask.assign(size_t(batch.B * batch.T), 1);
    for (int b = 0; b < batch.B; ++b) {
        const std::vector<int>& src = src_ids[size_t(indices[size_t(b)])];
        const std::vector<int>& tgt = tgt_ids[size_t(indices[size_t(b)])];
        put_row(src, b, batch.S, batch.src, &batch.src_key_padding_mask);
        std::vector<int> in = {Vocab::bos_id}, out = tgt;
        in.insert(in.end(), tgt.begin(), tgt.end());
        out.push_back(Vocab::eos_id);
        put_row(in, b, batch.T, batch.tgt_in, &batch.tgt_key_padding_mask);
        put_row(out, b, batch.T, batch.tgt_out, nullptr);  // same length, same padding as tgt_in
        batch.src_lengths.push_back(int(src.size()));
        batch.tgt_lengths.push_back(int(out.size()));
    }
    return batch;
}

ClassBatch collate_labelled(const std::vector<std::vector<int>>& ids, const std::vector<int>& labels,
                            const std::vector<int>& indices) {
    if (ids.size() != labels.size())
        throw std::invalid_argument("collate_labelled: " + std::to_string(ids.size()) + " texts but " +
                                    std::to_string(labels.size()) + " labels");
    if (indices.empty()) throw std::invalid_argument("collate_labelled: empty batch");
    for (int i : indices) example(ids, i, "collate_labelled", "text");
    ClassBatch batch;
    batch.B = int(indices.size());
    batch.S = longest(ids, indices);
    batch.indices = indices;
    batch.ids.assign(size_t(batch.B * batch.S), Vocab::pad_id);
    batch.key_padding_mask.assign(size_t(batch.B * batch.S), 1);
    for (int b = 0; b < batch.B; ++b) {
        const size_t i = size_t(indices[size_t(b)]);
        put_row(ids[i], b, batch.S, batch.ids, &batch.key_padding_mask);
        batch.lengths.push_back(int(ids[i].size()));
        batch.labels.push_back(labels[i]);
    }
    return batch;
}

namespace {

// Cut `order` into consecutive batches of `size` (the last may be smaller).
void cut(const std::vector<int>& order, int size, std::vector<std::vector<int>>& batches) {
    for (size_t start = 0; start < order.size(); start += size_t(size)) {
        const size_t end = std::min(order.size(), start + size_t(size));
        batches.emplace_back(order.begin() + long(start), order.begin() + long(end));
    }
}

void sort_by_length(std::vector<int>::iterator first, std::vector<int>::iterator last, const std::vector<int>& lengths) {
    std::stable_sort(first, last, [&](int a, int b) { return lengths[size_t(a)] < lengths[size_t(b)]; });
}

}  // namespace

std::vector<std::vector<int>> make_batches(const std::vector<int>& lengths, const BatchOptions& options, int epoch) {
    if (options.batch_size <= 0 || options.bucket_batches <= 0)
        throw std::invalid_argument("make_batches: batch_size (" + std::to_string(options.batch_size) +
                                    ") and bucket_batches (" + std::to_string(options.bucket_batches) +
                                    ") must be positive");
    Rng rng(options.seed, uint64_t(epoch));  // one stream per epoch
    std::vector<int> order(lengths.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = int(i);

    std::vector<std::vector<int>> batches;
    if (!options.shuffle) {
        if (options.bucket) sort_by_length(order.begin(), order.end(), lengths);
        cut(order, options.batch_size, batches);
    } else {
        rng.shuffle(order);
        if (options.bucket) {
            const size_t pool = size_t(options.batch_size) * size_t(options.bucket_batches);
            for (size_t start = 0; start < order.size(); start += pool) {
                const size_t end = std::min(order.size(), start + pool);
                sort_by_length(order.begin() + long(start), order.begin() + long(end), lengths);
                cut(std::vector<int>(order.begin() + long(start), order.begin() + long(end)), options.batch_size,
                    batches);
            }
        } else {
            cut(order, options.batch_size, batches);
        }
    }
    if (options.drop_last) {
        batches.erase(std::remove_if(batches.begin(), batches.end(),
                                     [&](const std::vector<int>& b) { return int(b.size()) < options.batch_size; }),
                      batches.end());
    }
    if (options.shuffle && options.bucket) {  // otherwise short batches would always come first
        std::vector<int> perm(batches.size());
        for (size_t i = 0; i < perm.size(); ++i) perm[i] = int(i);
        rng.shuffle(perm);
        std::vector<std::vector<int>> shuffled;
        for (int p : perm) shuffled.push_back(std::move(batches[size_t(p)]));
        batches = std::move(shuffled);
    }
    return batches;
}

}  // namespace tinyattn::data
