// captioning.hpp — lesson 13's plumbing: batches of images and captions, and the scores of
// generated captions (exact match, BLEU-4, attribute binding, relations, and where the model
// looked while writing each object word). The model itself lives in the lesson, in full view.
#pragma once
#include <string>
#include <vector>

#include "tinyattn/data/captioned_image.hpp"
#include "tinyattn/data/vocab.hpp"
#include "tinyattn/tensor.hpp"

namespace tinyattn::tasks {

using CaptionTokens = std::vector<std::string>;

struct CaptionBatch {
    Tensor images;             // [B, 3, S, S]
    std::vector<int> inputs;   // [B, T] row-major: <bos> w_1 .. w_n, then <pad>
    std::vector<int> targets;  // [B, T]: w_1 .. w_n <eos>, then <pad> (ignored by the loss)
    int batch = 0, steps = 0;  // B, T = longest caption + 1
};
// The examples order[begin .. end) as one batch.
CaptionBatch make_caption_batch(const std::vector<data::CaptionedImage>& examples, const std::vector<int>& order,
                                size_t begin, size_t end, const data::Vocab& vocab);

// A learner's --data folder split 80 / 10 / 10 by image (every caption of an image in one split;
// valid and test keep one example per image, scored against all of its captions).
struct CaptionSplits {
    std::vector<data::CaptionedImage> train, valid, test;
};
CaptionSplits split_by_image(const std::vector<data::CaptionedImage>& examples, uint64_t seed);

struct GeneratedCaption {
    CaptionTokens words;                     // without <eos>
    std::vector<std::vector<float>> alphas;  // per word (and <eos>): grid² weights; empty without attention
};

struct CaptionScores {
    int images = 0;
    double exact_match = 0, bleu = 0;
    // Toy scenes only (the captions name objects): the right colour on the right shape, the
    // right relation between the k-th and (k+1)-th object, exact match by number of objects.
    double binding = 0, relation = 0;
    std::vector<double> exact_by_objects;    // [0] unused, [1..3]
    std::vector<int> images_by_objects;
    // Localisation, over generated object words whose caption so far equals the reference's
    // (so the word names a known object): α's mass inside the object's box, the box's share
    // of the image (what uniform attention would put there), and the pointing game: the
    // most-attended region's centre lies inside the box.
    int located_words = 0;
    double mass_in_box = 0, box_share = 0, pointing = 0;
    // The pointing game by word kind: [0] size, [1] colour, [2] shape — the 1st, 2nd, 3rd word
    // of a run of words that share a box (only toy captions have such runs).
    std::vector<double> pointing_by_kind = std::vector<double>(3, 0.0);
    std::vector<int> words_by_kind = std::vector<int>(3, 0);
};
CaptionScores score_captions(const std::vector<data::CaptionedImage>& examples,
                             const std::vector<GeneratedCaption>& generated, int grid);

// "soft      exact 93.2%  BLEU 0.981  binding 97.0%  relation 95.1%  pointing 88.0% ..." (one line)
std::string caption_scores_line(const std::string& name, const CaptionScores& s);

}  // namespace tinyattn::tasks
