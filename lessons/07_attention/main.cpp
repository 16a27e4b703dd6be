// Lesson 07 — Bahdanau attention: an encoder–decoder that looks back at the source at every step.
//
// Trains the flagship model (tinyattn/models/seq2seq.hpp with BahdanauDecoder, whose step is in
// tinyattn/models/bahdanau.cpp) on toy English
// → French, scores it on the held-out test split (corpus BLEU-4, exact match, BLEU by source
// length against lesson 06's model without attention), draws the alignments it learned for a
// reordering, a one-to-two (ne … pas) and a two-to-one (du / au) sentence, shows one alignment
// taking shape epoch by epoch, and then learns date normalisation with the same code.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <set>

#include "tinyattn/models/bahdanau.hpp"
#include "tinyattn/autograd.hpp"
#include "tinyattn/optim/adam.hpp"
#include "tinyattn/plot/plot.hpp"
#include "tinyattn/tasks/rare_words.hpp"
#include "tinyattn/tasks/translation.hpp"
#include "tinyattn/tinyattn.hpp"

using namespace tinyattn;
using tasks::TranslationData;

namespace {

constexpr double kLearningRate = 3e-3;  // 1e-3 (W1's) needs about twice the steps here
constexpr int kBatchSize = 32;
constexpr int kDateEpochs = 2;

std::string plot_path(const LessonOptions& opt, const std::string& name) {
    return (std::filesystem::path(opt.plots_dir) / ("07_attention_" + name)).string();
}

bool has(const Tokens& words, const std::string& w) { return std::find(words.begin(), words.end(), w) != words.end(); }

// The test sentences the figures show, chosen from the references alone (before any training),
// shortest first among those of 6–9 words. -1 if the corpus has none (e.g. a learner's --data file).
struct Examples {
    int reorder = -1, split = -1, merge = -1;
};
Examples pick_examples(const std::vector<data::SentencePair>& test) {
    Examples ex;
    auto better = [&](int current, size_t i) {
        const size_t n = test[i].src.size();
        return n >= 6 && n <= 9 && (current < 0 || n < test[size_t(current)].src.size());
    };
    for (size_t i = 0; i < test.size(); ++i) {
        const Tokens &en = test[i].src, &fr = test[i].tgt;
        const bool negated = has(en, "not"), merged = has(fr, "du") || has(fr, "au");
        if (tasks::has_postnominal_adjective(en) && !negated && !merged && better(ex.reorder, i)) ex.reorder = int(i);
        if (negated && (has(fr, "ne") || has(fr, "n'")) && has(fr, "pas") && !merged && better(ex.split, i))
            ex.split = int(i);
        if (merged && !negated && better(ex.merge, i)) ex.merge = int(i);
    }
    return ex;
}


// With --bpe: a test sentence (among the first n) with a source word the training split never had,
// so it reached the model as pieces only; 5–10 words, shortest first. Else one with any word cut
// into pieces; -1 if none.
int pick_subword_example(const TranslationData& data, size_t n) {
    std::set<std::string> seen;
    for (const data::SentencePair& p : data.pairs.train) seen.insert(p.src.begin(), p.src.end());
    int best = -1, best_unseen = 0;
    for (size_t i = 0; i < std::min(n, data.pairs.test.size()); ++i) {
        const Tokens& words = data.pairs.test[i].src;
        int unseen = 0, cut = 0;
        for (const std::string& w : words) {
            cut += data.subwords.src.encode_word(w).size() > 1;
            unseen += seen.count(w) == 0;
        }
        if (cut == 0 || words.size() < 5 || words.size() > 10) continue;
        const int rank = unseen > 0 ? 2 : 1;
        if (rank > best_unseen || (rank == best_unseen && words.size() < data.pairs.test[size_t(best)].src.size())) {
            best = int(i);
            best_unseen = rank;
        }
    }
    return best;
}

// Draws the model's own greedy translation of a test sentence with its attention; returns the terminal view.
std::string draw_alignment(const std::string& path, const std::string& title, const tasks::Translation& t) {
    plot::HeatmapOptions o;
    o.title = title;
    return plot::attention_heatmap(path, t.attention, t.src_labels(), t.hyp_labels(), o);
}

// The corpus-BLEU-by-length buckets of a model WITHOUT attention on the same test sentences: lesson
// 06's results if it ran (plots/06_seq2seq_bleu_by_length.tsv, same corpus), else a baseline trained
// here for a few epochs. `source` says which.
std::vector<BleuBucket> baseline_buckets(const LessonOptions& opt, const TranslationData& data,
                                         const tasks::EncodedPairs& train_set, size_t test_size,
                                         const std::vector<int>& edges, const std::vector<BleuBucket>& ours,
                                         std::string& source) {
    const std::string from06 = (std::filesystem::path(opt.plots_dir) / "06_seq2seq_bleu_by_length.tsv").string();
    std::vector<BleuBucket> b = tasks::read_buckets(from06, data.pairs.name);
    bool same_edges = b.size() == ours.size();  // the same (non-empty) buckets as the attention model's
    for (size_t k = 0; same_edges && k < b.size(); ++k) same_edges = b[k].lo == ours[k].lo && b[k].hi == ours[k].hi;
    if (same_edges && !opt.quick) {
        source = "lesson 06";
        std::printf("no-attention baseline: lesson 06's results from %s\n", from06.c_str());
        return b;
    }
    const int epochs = opt.epochs;  // as many as the attention model gets
    std::printf("no-attention baseline: %s not found, training one here for %d epoch(s)\n", from06.c_str(), epochs);
    models::Seq2SeqConfig cfg{data.src_vocab.size(), data.tgt_vocab.size(), 64, 128, 0};
    models::Seq2Seq plain(cfg, models::make_fixed_context_decoder);
    optim::Adam adam(plain.parameters(), kLearningRate);
    tasks::TrainConfig tc{kBatchSize, 1.0, opt.seed};
    long step = 0;
    tasks::train_epochs(tasks::seq2seq_trainee(plain), adam, data, opt.quick ? tasks::head(train_set, 1000) : train_set, tc, "07_attention",
                        "", 0, epochs, step);
    source = "trained here, " + std::to_string(epochs) + " epoch(s)";
    return tasks::evaluate_translation(plain, data, test_size, edges).buckets;
}

}  // namespace

int main(int argc, char** argv) {
    LessonInfo info("07_attention", "Bahdanau attention on toy English→French and dates: alignments, BLEU by length");
    info.trains = true;
    info.text_data = true;
    info.translation = true;
    info.default_epochs = 2;
    info.quick_epochs = 1;
    info.data_help = tasks::kPairDataFormat;
    info.subwords = true;
    const LessonOptions opt = parse_lesson_args(argc, argv, info);
    Timer total;
    Report report;
    report.set("lesson", "07_attention");
    const std::string datasets = std::string(TINYATTN_SOURCE_DIR) + "/datasets/";

    // ---- 1. Data ---------------------------------------------------------------------------------
    tasks::LessonData loaded = tasks::load_lesson_data(opt, "toy-en-fr");
    const tasks::TranslationData& data = loaded.data;
    const int first_epoch = loaded.first_epoch;
    long step = loaded.step;
    const tasks::EncodedPairs train_set = opt.quick ? tasks::head(data.train, 6000) : data.train;
    const size_t test_size = opt.quick ? 200 : data.test.size();
    std::printf("corpus %s: %zu train / %zu valid / %zu test pairs, vocab %d %s / %d %s tokens\n",
                data.pairs.name.c_str(), train_set.size(), data.valid.size(), data.test.size(),
                data.src_vocab.size(), data::language_name(data.pairs.src_lang).c_str(),
                data.tgt_vocab.size(), data::language_name(data.pairs.tgt_lang).c_str());

    // ---- 2. Model: W1 (emb 64, hidden 128, Bahdanau attention with attn dim 128) ----------------
    models::Seq2SeqConfig cfg;
    cfg.src_vocab = data.src_vocab.size();
    cfg.tgt_vocab = data.tgt_vocab.size();
    models::Seq2Seq model(cfg, models::make_bahdanau_decoder);  // the decoder step: models/bahdanau.cpp
    optim::Adam adam(model.parameters(), kLearningRate);
    if (!opt.resume.empty()) {
        tasks::load_translation_checkpoint(opt.resume, model, tasks::seq2seq_config(model), adam, data, {info.name});
        std::printf("resumed from %s at epoch %d, step %ld\n", opt.resume.c_str(), first_epoch, step);
    }
    std::printf("model: %zu parameters, Adam lr %g, batch %d, gradient clipping at norm 1\n\n",
                model.parameter_count(), kLearningRate, kBatchSize);

    // ---- 3. Train, snapshotting one alignment after every epoch ----------------------------------
    // The toy grammar's phenomena, on the shipped corpus only: on a learner's file a word such as
    // "red" says nothing about what the sentence does.
    const Examples ex = opt.data.empty() ? pick_examples(data.pairs.test) : Examples{};
    const int evolving = ex.reorder >= 0 ? ex.reorder : 0;
    std::vector<plot::Matrix> snapshots{tasks::teacher_forced_attention(model, data.test, evolving)};
    std::vector<int> snapshot_epochs{first_epoch};
    const int epochs = opt.epochs;  // the total: a resumed run trains the rest
    tasks::TrainConfig tc{kBatchSize, 1.0, opt.seed};
    tc.stopping = tasks::early_stopping(opt, loaded);  // --patience, --keep-last
    tc.print_estimate = true;  // parameters, checkpoint size and epoch time, before the first epoch
    Timer timer;
    const double train_loss = tasks::train_epochs(tasks::seq2seq_trainee(model), adam, data, train_set, tc, "07_attention", opt.checkpoint,
                                                  first_epoch, epochs, step, [&](int epoch) {
                                                      snapshots.push_back(
                                                          tasks::teacher_forced_attention(model, data.test, evolving));
                                                      snapshot_epochs.push_back(epoch);
                                                      const auto v = tasks::evaluate_pairs(
                                                          model, data, data.pairs.valid, 200, {1, 1000});
                                                      std::printf("  after epoch %d: valid BLEU %.3f (%d sentences)\n",
                                                                  epoch, v.bleu, v.sentences);
                                                  });
    const double train_seconds = timer.seconds();
    tasks::print_training_summary(first_epoch, epochs, step, train_seconds, train_loss);

    // ---- 4. Score on the held-out test split --------------------------------------------------
    const std::vector<int> edges = tasks::length_edges(data.pairs.test);
    const tasks::TranslationEval ev = tasks::evaluate_translation(model, data, test_size, edges);
    tasks::print_test_results(ev, 4);

    // ---- 5. What did it align? ----------------------------------------------------------------
    auto translation_of = [&](int i) {
        if (i < int(ev.translations.size())) return ev.translations[size_t(i)];
        const data::SentencePair& p = data.pairs.test[size_t(i)];
        return tasks::translate(model, data, p.src, p.tgt);
    };
    const struct { int index; const char* name; const char* title; } figures[] = {
        {ex.reorder, "reorder", "reordering: the adjective moves after the noun"},
        {ex.split, "negation", "one-to-two: not -> ne ... pas"},
        {ex.merge, "merge", "two-to-one: of the / to the -> du / au"},
    };
    if (!opt.data.empty()) {  // a learner's corpus: the first test sentence, titled with itself
        const tasks::Translation t = translation_of(0);
        const Tokens head(t.src.begin(), t.src.begin() + long(std::min<size_t>(t.src.size(), 10)));
        const std::string sentence = data::join(head) + (t.src.size() > head.size() ? " ..." : "");
        std::cout << draw_alignment(plot_path(opt, "alignment"), "alignment: " + sentence, t) << "\n";
    }
    for (const auto& f : figures) {
        if (f.index < 0) {
            if (opt.data.empty()) std::printf("(no test sentence for the '%s' figure in this corpus)\n", f.name);
            continue;
        }
        const std::string view = draw_alignment(plot_path(opt, f.name), f.title, translation_of(f.index));
        if (f.index == ex.reorder || ex.reorder < 0) std::cout << view << "\n";
    }
    if (data.subwords.on()) {  // --bpe: what the model attends over are pieces
        const int pick = pick_subword_example(data, ev.translations.size());
        if (pick >= 0) {
            const tasks::Translation t = translation_of(pick);
            std::printf("subword pieces of test sentence #%d:\n  EN   %s\n  REF  %s\n  OUT  %s\n", pick,
                        data::join(t.src_pieces).c_str(), data::join(t.ref).c_str(), data::join(t.hyp_pieces).c_str());
            std::cout << draw_alignment(plot_path(opt, "subwords"), "BPE pieces: " + data::join(t.src), t) << "\n";
        }
    }
    // The figure's rows and columns are what the model read: words, or --bpe pieces.
    const tasks::AlignmentLabels ev_labels = tasks::teacher_forced_labels(data, data.pairs.test[size_t(evolving)]);
    plot::attention_evolution(plot_path(opt, "evolution"), snapshots, snapshot_epochs, ev_labels.columns,
                              ev_labels.rows, {.title = "one sentence's alignment during training (teacher forcing)"});

    // ---- 6. BLEU by source length, with and without attention -----------------------------------
    std::string baseline_source;
    const std::vector<BleuBucket> plain = baseline_buckets(opt, data, train_set, test_size, edges, ev.buckets, baseline_source);
    plot::Series s06{"no attention (" + baseline_source + ")", {}, {}}, s07{"Bahdanau attention", {}, {}};
    for (size_t k = 0; k < ev.buckets.size(); ++k) {
        s06.y.push_back(float(plain[k].bleu));
        s07.y.push_back(float(ev.buckets[k].bleu));
    }
    std::cout << "\n"
              << tasks::plot_bleu_by_length(plot_path(opt, "bleu_by_length"), "test BLEU by source length", ev.buckets,
                                            {s06, s07});
    const BleuBucket& longest = ev.buckets.back();
    std::printf("longest sentences (%s words): BLEU %.3f with attention, %.3f without\n",
                tasks::bucket_label(longest).c_str(), longest.bleu, plain.back().bleu);

    if (!opt.data.empty())  // a learner's file: how the rare words fare (compare a run with --bpe)
        tasks::report_bleu_by_word_rarity(tasks::bleu_by_word_rarity(ev, data.pairs.train),
                                          tasks::unseen_target_words(ev, data.pairs.train), report);
    report.set("bpe_merges", data.subwords.merges);
    report.set("corpus", data.pairs.name);
    report.set("test_sentences", ev.sentences);
    report.set("test_bleu", ev.bleu);
    tasks::save_test_results(report, opt, info.name, data, ev);  // predictions file, BLEU with/without <unk>
    report.set("test_exact_match", ev.exact_match);
    report.set("train_seconds", train_seconds);
    report.set("epochs", snapshot_epochs.back());
    report.set("steps", double(step));
    report.set("final_train_loss", train_loss);
    report.set("bleu_longest_bucket", longest.bleu);
    report.set("bleu_longest_bucket_no_attention", plain.back().bleu);
    report.set("baseline", baseline_source);

    // ---- 7. The same code on dates ---------------------------------------------------------------
    if (opt.data.empty()) {
        std::printf("\n== dates: the same model on date normalisation ==\n");
        const TranslationData dates = tasks::prepare_translation(tasks::load_translation_corpus(datasets + "dates", opt.seed));
        models::Seq2SeqConfig dc = cfg;
        dc.src_vocab = dates.src_vocab.size();
        dc.tgt_vocab = dates.tgt_vocab.size();
        models::Seq2Seq dmodel(dc, models::make_bahdanau_decoder);
        optim::Adam dadam(dmodel.parameters(), kLearningRate);
        long dstep = 0;
        Timer dtimer;
        const std::string dckpt = std::filesystem::path(opt.checkpoint).replace_extension("").string() + "_dates.ckpt";
        tasks::train_epochs(tasks::seq2seq_trainee(dmodel), dadam, dates, opt.quick ? tasks::head(dates.train, 3000) : dates.train, {kBatchSize, 1.0, opt.seed},
                            "07_attention", dckpt, 0, opt.quick ? 1 : kDateEpochs, dstep);
        const double dseconds = dtimer.seconds();
        const tasks::TranslationEval dev = tasks::evaluate_translation(dmodel, dates, opt.quick ? 100 : dates.test.size(),
                                                                       tasks::length_edges(dates.pairs.test));
        std::printf("dates test, %d sentences: exact match %.1f%%, BLEU %.4f (trained in %s)\n\n", dev.sentences,
                    100.0 * dev.exact_match, dev.bleu, format_duration(dseconds).c_str());
        tasks::print_translations(dev, 2);
        int shown = 0;  // a format whose parts come in another order: "march 3rd , 2021"
        for (size_t i = dev.translations.size(); i-- > 0;)
            if (has(dev.translations[i].src, ",") && dev.translations[i].src.size() == 4) shown = int(i);
        draw_alignment(plot_path(opt, "dates"), "dates: where each output token looks",
                       dev.translations[size_t(shown)]);
        report.set("dates_exact_match", dev.exact_match);
        report.set("dates_bleu", dev.bleu);
        report.set("dates_train_seconds", dseconds);
    }
    report.set("total_seconds", total.seconds());
    report.write(opt.report);
    print_outputs(opt);
    return 0;
}
