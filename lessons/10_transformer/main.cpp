// Lesson 10 — the Transformer: translation with attention only, no recurrence.
//
// Trains a tiny pre-LN encoder–decoder Transformer (tinyattn/models/transformer_seq2seq.hpp, the
// W4 size: d_model 128, 4 heads, feed-forward 512, 2 + 2 layers) on toy English → French with Adam
// and a warm-up + inverse-square-root learning rate, scores it on the held-out test split (corpus
// BLEU-4, exact match, greedy decoding through decode.hpp), checks that the masks do what they
// promise, and draws every head of every layer for one test sentence that reorders: encoder
// self-attention, decoder self-attention (causal) and cross-attention.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <set>

#include "tinyattn/autograd.hpp"
#include "tinyattn/models/transformer_seq2seq.hpp"
#include "tinyattn/optim/adam.hpp"
#include "tinyattn/optim/lr_scheduler.hpp"
#include "tinyattn/plot/plot.hpp"
#include "tinyattn/tasks/head_matrices.hpp"
#include "tinyattn/tasks/rare_words.hpp"
#include "tinyattn/tasks/translation.hpp"
#include "tinyattn/tinyattn.hpp"

using namespace tinyattn;
using models::TransformerSeq2Seq;
using tasks::TranslationData;

namespace {

constexpr double kPeakLr = 2e-3;  // the learning rate at the end of the warm-up (1e-3: BLEU 0.943 after one epoch)
constexpr int kWarmup = 200;      // optimizer steps of linear warm-up
constexpr int kQuickWarmup = 50;  // --quick trains 250 steps only
constexpr int kBatchSize = 32;
constexpr int kLossEvery = 25;    // one point of the training-loss curve per this many steps

std::string plot_path(const LessonOptions& opt, const std::string& name) {
    return (std::filesystem::path(opt.plots_dir) / ("10_transformer_" + name)).string();
}

// ---- training --------------------------------------------------------------------------------

struct LossCurve {
    plot::Series train{"training loss (mean of 25 steps)", {}, {}};
    plot::Series valid{"validation loss (end of epoch)", {}, {}};
    double sum = 0.0;
    int count = 0;
};

// Mean loss per target token on a split, dropout off, no graph.
double mean_loss(TransformerSeq2Seq& model, const tasks::EncodedPairs& split) {
    NoGrad no_grad;
    model.eval();
    data::BatchOptions bo;
    bo.batch_size = 100;
    bo.shuffle = false;
    double sum = 0.0;
    long tokens = 0;
    for (const auto& indices : data::make_batches(split.src_lengths, bo, 0)) {
        const data::Batch batch = data::collate_pairs(split.src, split.tgt, indices);
        long n = 0;
        for (int len : batch.tgt_lengths) n += len;
        sum += double(model.loss(batch).item()) * double(n);
        tokens += n;
    }
    return tokens > 0 ? sum / double(tokens) : 0.0;
}

// What the checkpoint records of the model (and --resume compares). The step counter saved with
// it restarts the learning-rate schedule where it was.
io::Metadata transformer_config(const models::TransformerConfig& c) {
    return {{"d_model", std::to_string(c.d_model)},
            {"nhead", std::to_string(c.nhead)},
            {"layers", std::to_string(c.num_encoder_layers) + "+" + std::to_string(c.num_decoder_layers)},
            {"dim_feedforward", std::to_string(c.dim_feedforward)}};
}

// ---- translating and scoring -------------------------------------------------------------------

// Decodes one tokenized sentence (unknown words -> <unk>) with greedy search (beam_width <= 1) or
// beam search, at most 2·len + 10 steps, as tasks::translate does for the recurrent models. With
// --bpe the model reads and writes pieces; the translation keeps them and gives words.
tasks::Translation translate(StepDecoder& decoder, const TranslationData& data, const data::SentencePair& pair,
                             int beam_width) {
    const Tokens src = tasks::source_pieces(data.subwords, pair.src);
    const std::vector<int> ids = data.src_vocab.encode(src, false, /*add_eos=*/true);
    DecodeOptions options;
    options.max_length = 2 * int(ids.size()) + 10;
    options.beam_width = beam_width;
    const Hypothesis h = beam_width <= 1 ? greedy_decode(decoder, ids, options) : beam_search(decoder, ids, options);
    tasks::Translation t;
    t.src = src;
    t.ref = pair.tgt;
    for (int id : h.tokens) t.hyp.push_back(data.tgt_vocab.token(id));
    t.attention = h.attention;
    tasks::pieces_to_words(t, data.subwords, pair.src, pair.tgt);
    return t;
}

// The first n pairs of `split`: corpus BLEU-4, exact match, BLEU by source length.
tasks::TranslationEval evaluate(TransformerSeq2Seq& model, const TranslationData& data,
                                const std::vector<data::SentencePair>& split, size_t n, const std::vector<int>& edges,
                                int beam_width = 1) {
    model.eval();
    models::TransformerStepDecoder decoder(model);
    Timer timer;
    tasks::TranslationEval e;
    std::vector<Tokens> refs, hyps;
    std::vector<int> lengths;
    for (size_t i = 0; i < std::min(n, split.size()); ++i) {
        e.translations.push_back(translate(decoder, data, split[i], beam_width));
        refs.push_back(e.translations.back().ref);
        hyps.push_back(e.translations.back().hyp);
        lengths.push_back(int(e.translations.back().src.size()));
    }
    e.sentences = int(refs.size());
    tasks::score_unknown_words(e, data);  // ⟨unk:word⟩ marks, BLEU with and without unknown words
    e.bleu = corpus_bleu(refs, hyps).bleu;
    e.exact_match = exact_match(refs, hyps);
    e.buckets = bleu_by_length(lengths, refs, hyps, edges);
    e.seconds = timer.seconds();
    return e;
}

// ---- looking inside ----------------------------------------------------------------------------

bool has(const Tokens& words, const std::string& w) { return std::find(words.begin(), words.end(), w) != words.end(); }

// A test sentence whose French moves an adjective after its noun: one of the toy grammar's
// post-nominal adjectives (datasets/README.md) right after a determiner, so in English it stands
// BEFORE the noun ("his black pictures" -> "ses images noires"). No negation or du/au, 5–8 words,
// shortest first. -1 when the corpus has none (e.g. a learner's --data file).
int pick_reordering(const std::vector<data::SentencePair>& test) {
    static const std::set<std::string> adjectives = {"red", "black", "white", "green", "tired", "happy", "sad",
                                                     "kind", "lazy", "famous", "quiet", "expensive", "heavy", "delicious"};
    static const std::set<std::string> determiners = {"the", "a", "my", "your", "his", "her", "its", "our", "their"};
    int best = -1;
    for (size_t i = 0; i < test.size(); ++i) {
        const Tokens &en = test[i].src, &fr = test[i].tgt;
        bool attributive = false;
        for (size_t k = 1; k + 1 < en.size(); ++k)
            attributive = attributive || (adjectives.count(en[k]) > 0 && determiners.count(en[k - 1]) > 0);
        const bool plain = !has(en, "not") && !has(fr, "du") && !has(fr, "au");
        const size_t len = en.size();
        if (attributive && plain && len >= 5 && len <= 8 && (best < 0 || len < test[size_t(best)].src.size()))
            best = int(i);
    }
    return best;
}

// The masking checks: the largest decoder self-attention weight ABOVE the diagonal (a future
// position), and the largest weight any encoder self- or cross-attention head puts on a padded
// source position — over every layer, head and sentence of a padded batch. Both must be exactly 0.
struct MaskCheck {
    float future = 0.0f, padded = 0.0f;
};
MaskCheck check_masks(const models::TransformerSeq2SeqOutput& o, const data::Batch& batch) {
    MaskCheck m;
    for (const Tensor& w : o.decoder_self_weights) {  // [B, H, T, T]
        const int B = w.size(0), H = w.size(1), T = w.size(2);
        for (int bh = 0; bh < B * H; ++bh)
            for (int i = 0; i < T; ++i)
                for (int j = i + 1; j < T; ++j) m.future = std::max(m.future, w.data()[(size_t(bh) * T + i) * T + j]);
    }
    std::vector<Tensor> reads_source = o.encoder_self_weights;  // [B, H, S, S] and [B, H, T, S]
    reads_source.insert(reads_source.end(), o.decoder_cross_weights.begin(), o.decoder_cross_weights.end());
    for (const Tensor& w : reads_source) {
        const int B = w.size(0), H = w.size(1), R = w.size(2), S = w.size(3);
        for (int b = 0; b < B; ++b)
            for (int j = batch.src_lengths[size_t(b)]; j < S; ++j)
                for (int h = 0; h < H; ++h)
                    for (int r = 0; r < R; ++r)
                        m.padded = std::max(m.padded, w.data()[((size_t(b) * H + h) * R + r) * S + j]);
    }
    return m;
}

}  // namespace

int main(int argc, char** argv) {
    LessonInfo info("10_transformer", "a tiny Transformer on toy English→French: every head of every layer");
    info.trains = true;
    info.text_data = true;
    info.translation = true;
    info.default_epochs = 1;
    info.quick_epochs = 1;
    info.data_help = tasks::kPairDataFormat;
    info.subwords = true;
    const LessonOptions opt = parse_lesson_args(argc, argv, info);
    Timer total;
    Report report;
    report.set("lesson", "10_transformer");

    // ---- 1. Data ---------------------------------------------------------------------------------
    tasks::LessonData loaded = tasks::load_lesson_data(opt, "toy-en-fr");
    const TranslationData& data = loaded.data;
    const int first_epoch = loaded.first_epoch;
    long step = loaded.step;
    const tasks::EncodedPairs train_set = opt.quick ? tasks::head(data.train, 8000) : data.train;
    const tasks::EncodedPairs valid_set = opt.quick ? tasks::head(data.valid, 200) : data.valid;
    const size_t test_size = opt.quick ? 200 : data.test.size();
    std::printf("corpus %s: %zu train / %zu valid / %zu test pairs, vocab %d %s / %d %s tokens\n",
                data.pairs.name.c_str(), train_set.size(), data.valid.size(), data.test.size(),
                data.src_vocab.size(), data::language_name(data.pairs.src_lang).c_str(),
                data.tgt_vocab.size(), data::language_name(data.pairs.tgt_lang).c_str());

    // ---- 2. Model: W4 (d_model 128, 4 heads, ff 512, 2 + 2 pre-LN layers) ------------------------
    models::TransformerConfig cfg;
    cfg.src_vocab = data.src_vocab.size();
    cfg.tgt_vocab = data.tgt_vocab.size();
    TransformerSeq2Seq model(cfg);
    optim::Adam adam(model.parameters(), kPeakLr, 0.9, 0.98, 1e-9);  // the paper's betas and eps
    const int warmup = opt.quick ? kQuickWarmup : kWarmup;
    auto schedule = optim::WarmupInverseSqrtLR::with_peak_lr(adam, kPeakLr, warmup);
    if (!opt.resume.empty()) {
        tasks::load_translation_checkpoint(opt.resume, model, transformer_config(cfg), adam, data, {info.name});
        std::printf("resumed from %s at epoch %d, step %ld\n", opt.resume.c_str(), first_epoch, step);
    }
    schedule.set_step_count(int(step));  // the learning rate for the next step
    std::printf("model: %zu parameters; Adam (0.9, 0.98), lr warm-up to %g over %d steps then ∝ 1/√step; "
                "batch %d, dropout %.1f, gradient clipping at norm 1\n\n",
                model.parameter_count(), kPeakLr, warmup, kBatchSize, double(cfg.dropout));

    // ---- 3. Train ------------------------------------------------------------------------------
    // The same loop as lessons 06-08 and 11 (tasks/training_loop.hpp); after every step the
    // learning-rate schedule moves on and the loss curve gets its point every 25 steps.
    const int epochs = opt.epochs;  // the total: a resumed run trains the rest
    LossCurve curve;
    double valid_loss = 0.0;
    tasks::TrainConfig tc{kBatchSize, 1.0, opt.seed};
    tc.stopping = tasks::early_stopping(opt, loaded);  // --patience, --keep-last
    tc.print_estimate = true;  // parameters, checkpoint size and epoch time, before the first epoch
    tc.after_step = [&](long done, float loss) {
        schedule.step();
        curve.sum += loss;
        if (++curve.count == kLossEvery) {
            curve.train.x.push_back(float(done));
            curve.train.y.push_back(float(curve.sum / kLossEvery));
            curve.sum = 0.0;
            curve.count = 0;
        }
    };
    const tasks::Trainee trainee{model, [&](const data::Batch& b) { return model.loss(b); }, transformer_config(cfg)};
    Timer timer;
    const double train_loss = tasks::train_epochs(
        trainee, adam, data, train_set, tc, info.name, opt.checkpoint, first_epoch, epochs, step, [&](int done) {
            valid_loss = mean_loss(model, valid_set);
            curve.valid.x.push_back(float(step));
            curve.valid.y.push_back(float(valid_loss));
            const tasks::TranslationEval v = evaluate(model, data, data.pairs.valid, opt.quick ? 50 : 200, {1, 1000});
            std::printf("  after epoch %d: validation loss %.4f per token, BLEU %.3f (%d sentences); lr now %.2e\n",
                        done, valid_loss, v.bleu, v.sentences, schedule.get_lr());
        });
    const double train_seconds = timer.seconds();
    // The epoch's mean includes the first, untrained steps; the last curve point is where training ended.
    const double last_loss = curve.train.y.empty() ? train_loss : double(curve.train.y.back());
    tasks::print_training_summary(first_epoch, epochs, step, train_seconds, train_loss);
    if (!curve.train.y.empty()) std::printf("(mean loss of the last %d steps: %.4f)\n", kLossEvery, last_loss);

    // ---- 4. Score on the held-out test split ----------------------------------------------------
    const std::vector<int> edges = tasks::length_edges(data.pairs.test);
    const tasks::TranslationEval ev = evaluate(model, data, data.pairs.test, test_size, edges);
    tasks::print_test_results(ev, 4);
    const size_t beam_size = std::min<size_t>(opt.quick ? 20 : 200, test_size);
    const tasks::TranslationEval beam = evaluate(model, data, data.pairs.test, beam_size, edges, 4);
    std::printf("beam search (k = 4) through the same StepDecoder, first %d test sentences: BLEU %.4f, "
                "exact match %.1f%% (%.1f s)\n",
                beam.sentences, beam.bleu, 100.0 * beam.exact_match, beam.seconds);

    // ---- 5. Masks: a padded test batch, teacher-forced ---------------------------------------------
    model.eval();
    MaskCheck masks;
    {
        NoGrad no_grad;
        std::vector<int> first(std::min<size_t>(32, data.test.size()));
        for (size_t i = 0; i < first.size(); ++i) first[i] = int(i);
        const data::Batch batch = data::collate_pairs(data.test.src, data.test.tgt, first);
        masks = check_masks(model.forward(batch), batch);
    }
    std::printf("\nmasks on a padded batch of %d test sentences: largest weight on a future position %g, "
                "on a padded source position %g (both must be exactly 0)\n",
                int(std::min<size_t>(32, data.test.size())), double(masks.future), double(masks.padded));

    // ---- 6. Every head of every layer, for one sentence that reorders ------------------------------
    const int pick = std::max(0, pick_reordering(data.pairs.test));
    const data::SentencePair& pair = data.pairs.test[size_t(pick)];
    models::TransformerStepDecoder decoder(model);
    const tasks::Translation t =
        pick < int(ev.translations.size()) ? ev.translations[size_t(pick)] : translate(decoder, data, pair, 1);
    // Teacher-force the model's OWN greedy output: the decoder sees exactly what it saw while
    // decoding (the causal mask hides the rest), so these are the weights behind the translation.
    // What the model read and wrote: words, or --bpe pieces.
    const Tokens src_read = tasks::source_pieces(data.subwords, pair.src);
    const Tokens hyp_written = t.hyp_pieces.empty() ? t.hyp : t.hyp_pieces;
    models::TransformerSeq2SeqOutput inside;
    {
        NoGrad no_grad;
        const std::vector<std::vector<int>> src{data.src_vocab.encode(src_read, false, true)};
        const std::vector<std::vector<int>> hyp{data.tgt_vocab.encode(hyp_written)};
        inside = model.forward(data::collate_pairs(src, hyp, {0}));
    }
    Tokens src_labels = src_read, out_labels = hyp_written, in_labels{"<bos>"};
    src_labels.push_back("<eos>");
    out_labels.push_back("<eos>");
    in_labels.insert(in_labels.end(), hyp_written.begin(), hyp_written.end());
    std::printf("\nthe sentence the figures show (test #%d):\n  EN   %s\n  REF  %s\n  OUT  %s\n\n", pick,
                data::join(pair.src).c_str(), data::join(pair.tgt).c_str(), data::join(t.hyp).c_str());
    // Every head of every layer: three grids, bertviz's JSON and a page to explore them in a browser.
    plot::ModelAttention views;
    views.encoder_tokens = src_labels;
    views.decoder_tokens = in_labels;  // the decoder's input: row i of cross-attention predicts out_labels[i]
    views.encoder_attention = tasks::head_matrices(inside.encoder_self_weights);
    views.decoder_attention = tasks::head_matrices(inside.decoder_self_weights);
    views.cross_attention = tasks::head_matrices(inside.decoder_cross_weights);
    plot::head_grid(plot_path(opt, "encoder_self"), views.encoder_attention, src_labels, src_labels,
                    {.title = "encoder self-attention: each source word (row) reads the source (columns)"});
    plot::head_grid(plot_path(opt, "decoder_self"), views.decoder_attention, in_labels, in_labels,
                    {.title = "decoder self-attention (causal): each target input (row) reads itself and the past"});
    const std::string view =
        plot::head_grid(plot_path(opt, "cross"), views.cross_attention, src_labels, out_labels,
                        {.title = "cross-attention: each output word (row) reads the source (columns)"});
    std::cout << view << "\n";
    plot::export_attention_json(plot_path(opt, "attention.json"), src_labels, out_labels, views.cross_attention);
    plot::export_bertviz_json(plot_path(opt, "bertviz.json"), views);
    plot::attention_page(plot_path(opt, "attention.html"), "lesson 10: Transformer, test sentence #" + std::to_string(pick),
                         views);
    std::cout << plot::line_curves(plot_path(opt, "loss"), {curve.train, curve.valid},
                                   {.title = "Transformer on toy en-fr: cross-entropy per target token",
                                    .x_label = "optimizer step", .y_label = "loss"})
              << "\n";

    if (!opt.data.empty())  // a learner's file: how the rare words fare (compare a run with --bpe)
        tasks::report_bleu_by_word_rarity(tasks::bleu_by_word_rarity(ev, data.pairs.train),
                                          tasks::unseen_target_words(ev, data.pairs.train), report);
    report.set("bpe_merges", data.subwords.merges);
    report.set("corpus", data.pairs.name);
    report.set("test_sentences", ev.sentences);
    report.set("test_bleu", ev.bleu);
    tasks::save_test_results(report, opt, info.name, data, ev);  // predictions file, BLEU with/without <unk>
    report.set("test_exact_match", ev.exact_match);
    report.set("test_bleu_beam4", beam.bleu);
    report.set("beam_sentences", beam.sentences);
    report.set("train_seconds", train_seconds);
    report.set("epochs", std::max(first_epoch, epochs));
    report.set("steps", double(step));
    report.set("final_train_loss", last_loss);
    report.set("last_epoch_mean_train_loss", train_loss);
    report.set("final_valid_loss", valid_loss);
    report.set("parameters", double(model.parameter_count()));
    report.set("decoder_self_attention_future_max", masks.future);
    report.set("padded_source_attention_max", masks.padded);
    report.set("total_seconds", total.seconds());
    report.write(opt.report);
    std::printf("attention JSON %s and %s; open %s in a browser\n", plot_path(opt, "attention.json").c_str(),
                plot_path(opt, "bertviz.json").c_str(), plot_path(opt, "attention.html").c_str());
    print_outputs(opt);
    return 0;
}
