// batching.hpp — from lists of token ids to padded, rectangular batches.
//
// A batch of B sentences is stored row-major as a B×S grid of ids, S = the longest sentence
// in the batch, shorter rows padded with <pad> = 0:
//
//     src                          src_key_padding_mask (1 = padding: attention must ignore it,
//     [ 12  7  9  2 ]              [0 0 0 0]             PyTorch's key_padding_mask convention)
//     [ 40  5  2  0 ]              [0 0 0 1]
//
// The decoder is trained with "teacher forcing": it reads the target shifted right by one
// and must predict the target itself.
//     target      y1 y2 y3
//     tgt_in      <bos> y1 y2 y3      what the decoder reads at steps 1..T
//     tgt_out     y1 y2 y3 <eos>      what it must predict at the same steps
// Padded positions of tgt_out hold 0, and losses use ignore_index = pad = 0, so padding
// never counts.
//
// Which examples go together is decided by make_batches(): shuffled with the project Rng so
// the order is the same on every machine, and "bucketed" by length so a batch does not pad a
// 3-word sentence to 15 words.
#pragma once
#include <cstdint>
#include <vector>

namespace tinyattn::data {

struct Batch {  // a seq2seq batch
    int B = 0, S = 0, T = 0;                    // batch size, source length, target length (+1)
    std::vector<int> src;                        // [B*S] source ids, padded with 0
    std::vector<int> src_lengths;                // [B]   true source lengths
    std::vector<uint8_t> src_key_padding_mask;   // [B*S] 1 where src is padding
    std::vector<int> tgt_in;                     // [B*T] <bos> y1 .. yn, then 0s
    std::vector<int> tgt_out;                    // [B*T] y1 .. yn <eos>, then 0s
    std::vector<int> tgt_lengths;                // [B]   n + 1 (the steps that count in the loss)
    std::vector<uint8_t> tgt_key_padding_mask;   // [B*T] 1 where tgt_in is padding
    std::vector<int> indices;                    // [B]   which examples of the dataset these are
};

struct ClassBatch {  // a classification batch
    int B = 0, S = 0;
    std::vector<int> ids;                        // [B*S] token ids, padded with 0
    std::vector<int> lengths;                    // [B]
    std::vector<uint8_t> key_padding_mask;       // [B*S] 1 where padded
    std::vector<int> labels;                     // [B]   label ids
    std::vector<int> indices;                    // [B]
};

// Collect the examples `indices` of a dataset into one padded batch. src ids are used as
// given (encode with add_eos if your model wants <eos> on the source); target ids must hold
// neither <bos> nor <eos> — they are added here. An empty sentence is an error.
Batch collate_pairs(const std::vector<std::vector<int>>& src_ids, const std::vector<std::vector<int>>& tgt_ids,
                    const std::vector<int>& indices);
ClassBatch collate_labelled(const std::vector<std::vector<int>>& ids, const std::vector<int>& labels,
                            const std::vector<int>& indices);

struct BatchOptions {
    int batch_size = 32;
    bool shuffle = true;         // false: keep the data order (evaluation)
    bool bucket = true;          // group sentences of similar length
    int bucket_batches = 50;     // a bucketing pool holds this many batches
    bool drop_last = false;      // drop every batch smaller than batch_size (with bucketing,
                                 // each pool's last batch may be one)
    uint64_t seed = 1;
};

// The batches of one epoch, as lists of example indices. `lengths[i]` is the length used for
// bucketing (e.g. the source length). Deterministic: the same (lengths, options, epoch) always
// gives the same batches, and each epoch has its own order (the Rng stream is the epoch), so a
// run resumed at epoch e sees what an uninterrupted run would have seen.
//   shuffle, no bucket: shuffle all examples, cut into batches.
//   shuffle + bucket:   shuffle, cut into pools of bucket_batches*batch_size examples, sort
//                       each pool by length, cut into batches, shuffle the batch order.
//   no shuffle, bucket: sort everything by length (stable), cut into batches.
//   neither:            0, 1, 2, ... cut into batches.
std::vector<std::vector<int>> make_batches(const std::vector<int>& lengths, const BatchOptions& options, int epoch);

}  // namespace tinyattn::data
