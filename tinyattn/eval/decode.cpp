// decode.cpp — greedy decoding and beam search over a StepDecoder (see decode.hpp).
#include "tinyattn/eval/decode.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace tinyattn {

namespace {

void check_options(const DecodeOptions& options, const char* who) {
    if (options.max_length <= 0 || options.beam_width <= 0)
        throw std::invalid_argument(std::string(who) + ": max_length (" + std::to_string(options.max_length) +
                                    ") and beam_width (" + std::to_string(options.beam_width) + ") must be positive");
}

void check_step(const StepResult& r, int eos_id, const char* who) {
    if (eos_id < 0 || eos_id >= int(r.log_probs.size()))
        throw std::invalid_argument(std::string(who) + ": the model returned " + std::to_string(r.log_probs.size()) +
                                    " log-probabilities, which does not cover eos id " + std::to_string(eos_id));
    if (!r.state) throw std::invalid_argument(std::string(who) + ": the model returned a null state");
}

// The token ids of the k largest log-probabilities, largest first; equal values -> lower id first.
std::vector<int> top_k(const std::vector<float>& log_probs, int k) {
    std::vector<int> ids(log_probs.size());
    for (size_t i = 0; i < ids.size(); ++i) ids[i] = int(i);
    k = std::min(k, int(ids.size()));
    std::partial_sort(ids.begin(), ids.begin() + k, ids.end(), [&](int a, int b) {
        if (log_probs[size_t(a)] != log_probs[size_t(b)]) return log_probs[size_t(a)] > log_probs[size_t(b)];
        return a < b;
    });
    ids.resize(size_t(k));
    return ids;
}

// A partial hypothesis of the beam: the finished fields plus what is needed to extend it.
struct Live {
    Hypothesis hyp;
    std::shared_ptr<const DecoderState> state;
    int last_token = 0;
};

// One extension of a live hypothesis by one token.
struct Candidate {
    int beam = 0;
    int token = 0;
    double log_prob = 0.0;
};

}  // namespace

double length_normalised(double log_prob, int steps, float alpha) {
    return alpha == 0.0f ? log_prob : log_prob / std::pow(double(steps), double(alpha));
}

Hypothesis greedy_decode(StepDecoder& model, const std::vector<int>& src, const DecodeOptions& options) {
    check_options(options, "greedy_decode");
    Hypothesis hyp;
    std::shared_ptr<const DecoderState> state = model.start(src);
    int prev = options.bos_id;
    for (int t = 0; t < options.max_length; ++t) {
        StepResult r = model.step(*state, prev);
        check_step(r, options.eos_id, "greedy_decode");
        const int best = top_k(r.log_probs, 1)[0];  // argmax, lowest id on ties
        hyp.log_prob += double(r.log_probs[size_t(best)]);
        hyp.attention.push_back(std::move(r.attention));
        if (best == options.eos_id) {
            hyp.finished = true;
            break;
        }
        hyp.tokens.push_back(best);
        state = r.state;
        prev = best;
    }
    hyp.score = length_normalised(hyp.log_prob, int(hyp.attention.size()), options.alpha);
    return hyp;
}

std::vector<Hypothesis> beam_search_nbest(StepDecoder& model, const std::vector<int>& src,
                                          const DecodeOptions& options) {
    check_options(options, "beam_search");
    std::vector<Live> beam(1);
    beam[0].state = model.start(src);
    beam[0].last_token = options.bos_id;
    std::vector<Hypothesis> finished;
    int width = options.beam_width;

    for (int t = 0; t < options.max_length && width > 0 && !beam.empty(); ++t) {
        // 1. Extend every live hypothesis by its `width` best tokens (no other token of that
        //    hypothesis can be among the `width` best overall).
        std::vector<StepResult> results;
        std::vector<Candidate> candidates;
        for (size_t b = 0; b < beam.size(); ++b) {
            results.push_back(model.step(*beam[b].state, beam[b].last_token));
            check_step(results.back(), options.eos_id, "beam_search");
            for (int token : top_k(results.back().log_probs, width))
                candidates.push_back({int(b), token, beam[b].hyp.log_prob + double(results.back().log_probs[size_t(token)])});
        }
        // 2. Keep the `width` best extensions overall (ties: earlier beam, then lower id).
        std::stable_sort(candidates.begin(), candidates.end(),
                         [](const Candidate& a, const Candidate& b) { return a.log_prob > b.log_prob; });
        candidates.resize(std::min(candidates.size(), size_t(width)));
        // 3. Those ending in <eos> are finished and leave the beam; the rest go on.
        std::vector<Live> next;
        for (const Candidate& c : candidates) {
            Live live;
            live.hyp = beam[size_t(c.beam)].hyp;
            live.hyp.log_prob = c.log_prob;
            live.hyp.attention.push_back(results[size_t(c.beam)].attention);
            if (c.token == options.eos_id) {
                live.hyp.finished = true;
                finished.push_back(std::move(live.hyp));
                --width;
            } else {
                live.hyp.tokens.push_back(c.token);
                live.state = results[size_t(c.beam)].state;
                live.last_token = c.token;
                next.push_back(std::move(live));
            }
        }
        beam = std::move(next);
    }
    for (Live& live : beam) finished.push_back(std::move(live.hyp));  // cut off by max_length

    for (Hypothesis& h : finished) h.score = length_normalised(h.log_prob, int(h.attention.size()), options.alpha);
    std::stable_sort(finished.begin(), finished.end(),
                     [](const Hypothesis& a, const Hypothesis& b) { return a.score > b.score; });
    return finished;
}

Hypothesis beam_search(StepDecoder& model, const std::vector<int>& src, const DecodeOptions& options) {
    return beam_search_nbest(model, src, options).front();
}

}  // namespace tinyattn
