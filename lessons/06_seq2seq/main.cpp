// Lesson 06 — sequence to sequence WITHOUT attention: the whole source sentence must fit into the
// encoder's final state, one vector of 128 numbers.
//
// Trains tinyattn/models/seq2seq.hpp with lesson 06's decoder (FixedContextDecoder in
// tinyattn/models/bahdanau.cpp) on toy English → French, scores it
// on the held-out test split (corpus BLEU-4, exact match) and breaks BLEU down by source length:
// the longer the sentence, the worse the fixed-size summary does. The bucket results are written
// to plots/06_seq2seq_bleu_by_length.tsv so lesson 07 can draw them beside attention's.
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "tinyattn/models/bahdanau.hpp"
#include "tinyattn/optim/adam.hpp"
#include "tinyattn/plot/plot.hpp"
#include "tinyattn/tasks/translation.hpp"
#include "tinyattn/tinyattn.hpp"

using namespace tinyattn;

int main(int argc, char** argv) {
    LessonInfo info("06_seq2seq", "encoder-decoder without attention on toy English→French: BLEU falls with length");
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
    report.set("lesson", "06_seq2seq");

    // ---- 1. Data (shared with lessons 07, 08, 11: tinyattn/tasks/translation.hpp) ------------------
    tasks::LessonData loaded = tasks::load_lesson_data(opt, "toy-en-fr");
    const tasks::TranslationData& data = loaded.data;
    const int first_epoch = loaded.first_epoch;
    long step = loaded.step;
    const tasks::EncodedPairs train_set = opt.quick ? tasks::head(data.train, 6000) : data.train;
    const size_t test_size = opt.quick ? 200 : data.test.size();
    std::printf("corpus %s: %zu train / %zu test pairs, vocab %d %s / %d %s tokens\n",
                data.pairs.name.c_str(), train_set.size(), data.test.size(), data.src_vocab.size(),
                data::language_name(data.pairs.src_lang).c_str(), data.tgt_vocab.size(),
                data::language_name(data.pairs.tgt_lang).c_str());

    // ---- 2. Model: the flagship's encoder and decoder, but ctx_t = h_S at every step ----------------
    models::Seq2SeqConfig cfg;
    cfg.src_vocab = data.src_vocab.size();
    cfg.tgt_vocab = data.tgt_vocab.size();
    models::Seq2Seq model(cfg, models::make_fixed_context_decoder);  // models/bahdanau.cpp
    const double lr = 3e-3;  // as lesson 07, so the two differ only in attention
    optim::Adam adam(model.parameters(), lr);
    if (!opt.resume.empty()) {
        tasks::load_translation_checkpoint(opt.resume, model, tasks::seq2seq_config(model), adam, data, {info.name});
        std::printf("resumed from %s at epoch %d, step %ld\n", opt.resume.c_str(), first_epoch, step);
    }
    std::printf("model: %zu parameters, Adam lr %g, batch 32, gradient clipping at norm 1\n\n",
                model.parameter_count(), lr);

    // ---- 3. Train ---------------------------------------------------------------------------------
    const int epochs = opt.epochs;  // the total: a resumed run trains the rest
    tasks::TrainConfig tc{32, 1.0, opt.seed};
    tc.print_estimate = true;  // parameters, checkpoint size and epoch time, before the first epoch
    tc.stopping = tasks::early_stopping(opt, loaded);  // --patience, --keep-last
    Timer training;
    const double train_loss = tasks::train_epochs(
        tasks::seq2seq_trainee(model), adam, data, train_set, tc, "06_seq2seq", opt.checkpoint, first_epoch, epochs, step);
    const double train_seconds = training.seconds();
    tasks::print_training_summary(first_epoch, epochs, step, train_seconds, train_loss);

    // ---- 4. Test split: overall, and by source length -------------------------------------------
    const std::vector<int> edges = tasks::length_edges(data.pairs.test);
    const tasks::TranslationEval ev = tasks::evaluate_translation(model, data, test_size, edges);
    tasks::print_test_results(ev, 4);

    plot::Series bars{"no attention", {}, {}};
    for (const BleuBucket& b : ev.buckets) bars.y.push_back(float(b.bleu));
    const std::string base = (std::filesystem::path(opt.plots_dir) / "06_seq2seq_bleu_by_length").string();
    std::cout << tasks::plot_bleu_by_length(base, "test BLEU by source length, no attention", ev.buckets, {bars});
    tasks::write_buckets(base + ".tsv", data.pairs.name, ev.buckets);

    report.set("corpus", data.pairs.name);
    report.set("test_sentences", ev.sentences);
    report.set("test_bleu", ev.bleu);
    tasks::save_test_results(report, opt, info.name, data, ev);  // predictions file, BLEU with/without <unk>
    report.set("test_exact_match", ev.exact_match);
    report.set("bleu_shortest_bucket", ev.buckets.front().bleu);
    report.set("bleu_longest_bucket", ev.buckets.back().bleu);
    report.set("train_seconds", train_seconds);
    report.set("epochs", std::max(first_epoch, epochs));
    report.set("steps", double(step));
    report.set("final_train_loss", train_loss);
    report.set("total_seconds", total.seconds());
    report.write(opt.report);
    std::printf("buckets for lesson 07: %s.tsv\n", base.c_str());
    print_outputs(opt);
    return 0;
}
