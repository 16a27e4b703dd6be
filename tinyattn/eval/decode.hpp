// decode.hpp — turning a trained seq2seq model into output sentences: greedy and beam search.
//
// The decoders never see a Tensor. They talk to the model through StepDecoder, one output
// step at a time, which keeps this file independent of the model type (LSTM + attention,
// Transformer, or a hand-written table in a test):
//
//     state = model.start(src)                      // run the encoder once
//     r = model.step(*state, <bos>)                 // r.log_probs over the target vocabulary,
//     r = model.step(*r.state, next_token) ...      // r.attention over the source positions
//
// A model wraps its own hidden state in a class derived from DecoderState; the decoders only
// pass it back. States are shared_ptr<const ...>: beam search keeps several hypotheses that
// share a prefix, so a state must never be changed after it was returned.
//
// Greedy: take the most probable token at every step until <eos> (or max_length steps).
// Beam search (width k): keep the k best partial sentences. At each step every live
// hypothesis is extended by every token; the k best extensions (by total log-probability)
// survive. One ending in <eos> is set aside as finished, and the beam shrinks by one; the
// search ends when the beam is empty or after max_length steps (live hypotheses are then
// finished without <eos>). The finished hypotheses are ranked by the length-normalised score
//     score = log_prob / len^alpha,      len = number of steps, counting the <eos> step
// (alpha = 0: raw log-probability, which favours short outputs; alpha = 1: average log-prob
// per token. Google's NMT uses ((5 + len) / 6)^alpha instead; same idea, gentler curve.)
// Ties between equal log-probabilities go to the lower token id in both decoders, so
// beam_search with k = 1 returns exactly greedy_decode's result.
#pragma once
#include <memory>
#include <vector>

namespace tinyattn {

struct DecoderState {  // a model's own recurrent/cached state derives from this
    virtual ~DecoderState() = default;
};

struct StepResult {
    std::vector<float> log_probs;                // [V] log-softmax over the target vocabulary
    std::vector<float> attention;                // [S] attention over the source (may be empty)
    std::shared_ptr<const DecoderState> state;   // the state after reading prev_token
};

class StepDecoder {
public:
    virtual ~StepDecoder() = default;
    // Encode the source sentence (ids as the model was trained on) and return the state
    // the decoder starts from.
    virtual std::shared_ptr<const DecoderState> start(const std::vector<int>& src) = 0;
    // Read `prev_token` in `state`; return the distribution of the next token.
    virtual StepResult step(const DecoderState& state, int prev_token) = 0;
};

struct Hypothesis {
    std::vector<int> tokens;                     // output ids, without <bos> and <eos>
    double log_prob = 0.0;                       // sum of the log-probabilities of every step
    double score = 0.0;                          // log_prob / len^alpha, len = attention.size()
    bool finished = false;                       // ended with <eos> (false: hit max_length)
    std::vector<std::vector<float>> attention;   // one row per step, including the <eos> step
};

struct DecodeOptions {
    int max_length = 50;   // at most this many steps (output tokens + the <eos> step)
    int bos_id = 1;
    int eos_id = 2;
    int beam_width = 4;    // beam search only
    float alpha = 0.0f;    // beam search only: length normalisation exponent
};

Hypothesis greedy_decode(StepDecoder& model, const std::vector<int>& src, const DecodeOptions& options = {});

// The best hypothesis by score, and all finished ones, best first.
Hypothesis beam_search(StepDecoder& model, const std::vector<int>& src, const DecodeOptions& options = {});
std::vector<Hypothesis> beam_search_nbest(StepDecoder& model, const std::vector<int>& src,
                                          const DecodeOptions& options = {});

// score = log_prob / steps^alpha
double length_normalised(double log_prob, int steps, float alpha);

}  // namespace tinyattn
