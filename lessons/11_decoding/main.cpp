// Lesson 11 — decoding: greedy search against beam search (k = 1, 3, 5) on lesson 07's model.
//
// Trains a lesson-07 model (Bahdanau attention, tinyattn/models/seq2seq.hpp) — or, with
// --resume build/07_attention.ckpt --epochs 0, decodes with the one lesson 07 saved — and then
// translates the held-out test split with greedy_decode and with beam_search (tinyattn/eval/decode.hpp)
// at widths 1, 3 and 5: corpus BLEU-4, exact match, the mean log-probability of the chosen outputs
// (the objective beam search maximises) and the decoding time. Checks that width 1 is greedy,
// token for token, and prints the sentences where the beam fixed a greedy mistake.
// --bpe N (or a lesson-07 checkpoint trained with it): the searches run over byte-pair pieces, the
// checkpoint's merges; the outputs are joined back into words before BLEU (tasks/subword_data.hpp).
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "tinyattn/models/bahdanau.hpp"
#include "tinyattn/optim/adam.hpp"
#include "tinyattn/plot/figure_files.hpp"
#include "tinyattn/plot/plot.hpp"
#include "tinyattn/tasks/translation.hpp"
#include "tinyattn/tinyattn.hpp"

using namespace tinyattn;
namespace fs = std::filesystem;

namespace {

constexpr double kLearningRate = 3e-3;  // lesson 07's
constexpr int kBatchSize = 32;
constexpr float kAlpha = 0.6f;          // length normalisation: score = log P / len^0.6

// One way of decoding, and what it produced for every test sentence.
struct Search {
    std::string name;
    int beam_width = 0;  // 0: greedy_decode
    float alpha = 0.0f;
    std::vector<Hypothesis> hyps;
    std::vector<Tokens> outputs;
    double seconds = 0, bleu = 0, exact = 0, mean_log_prob = 0;
};

// Decodes the first n test sentences with one search and scores them (corpus BLEU-4 on words: with
// --bpe the source goes in as pieces and the output pieces are joined back into words).
void run_search(Search& s, const models::Seq2Seq& model, const tasks::TranslationData& data, size_t n) {
    models::Seq2SeqStepDecoder stepper(model);
    std::vector<Tokens> refs;
    double log_prob_sum = 0;
    Timer timer;
    for (size_t i = 0; i < n; ++i) {
        const data::SentencePair& p = data.pairs.test[i];
        const std::vector<int> ids =  // unknown -> <unk>
            data.src_vocab.encode(tasks::source_pieces(data.subwords, p.src), false, /*add_eos=*/true);
        DecodeOptions o;
        o.max_length = 2 * int(ids.size()) + 10;  // as tasks::translate
        if (s.beam_width > 0) o.beam_width = s.beam_width;
        o.alpha = s.alpha;
        Hypothesis h = s.beam_width == 0 ? greedy_decode(stepper, ids, o) : beam_search(stepper, ids, o);
        Tokens out;
        for (int id : h.tokens) out.push_back(data.tgt_vocab.token(id));
        log_prob_sum += h.log_prob;
        s.outputs.push_back(tasks::target_words(data.subwords, out));
        s.hyps.push_back(std::move(h));
        refs.push_back(p.tgt);
    }
    s.seconds = timer.seconds();
    s.bleu = corpus_bleu(refs, s.outputs).bleu;
    s.exact = exact_match(refs, s.outputs);
    s.mean_log_prob = log_prob_sum / double(n);
}

// The search's report key and predictions column: greedy, beam1, beam3, beam5, beam5_alpha0.
std::string key_of(const Search& s) {
    if (s.beam_width == 0) return "greedy";
    return "beam" + std::to_string(s.beam_width) + (s.alpha == 0.0f ? "_alpha0" : "");
}

// The search's outputs scored on the test sentences with a source word the model reads as <unk>
// and on the others (tasks::score_unknown_words: with_unk, bleu_with_unk, bleu_without_unk).
tasks::TranslationEval unknown_word_scores(const Search& s, const tasks::TranslationData& data) {
    tasks::TranslationEval e;
    for (size_t i = 0; i < s.outputs.size(); ++i) {
        tasks::Translation t;
        t.src = data.pairs.test[i].src;
        t.ref = data.pairs.test[i].tgt;
        t.hyp = s.outputs[i];
        e.translations.push_back(std::move(t));
    }
    e.sentences = int(e.translations.size());
    tasks::score_unknown_words(e, data);
    return e;
}

// Every decoded test sentence with each search's output, a TSV with a header:
//     source<TAB>reference<TAB>greedy<TAB>beam1<TAB>beam3<TAB>beam5<TAB>beam5_alpha0
// the words unknown to the model marked ⟨unk:word⟩ in source and reference.
void write_predictions(const std::string& path, const std::vector<Search>& searches,
                       const tasks::TranslationData& data) {
    std::string text = "source\treference";
    for (const Search& s : searches) text += "\t" + key_of(s);
    text += "\n";
    for (size_t i = 0; i < searches[0].outputs.size(); ++i) {
        text += tasks::source_reference_cells(data.pairs.test[i].src, data.pairs.test[i].tgt, data);
        for (const Search& s : searches) text += "\t" + plot::tsv_cell(data::join(s.outputs[i]));
        text += "\n";
    }
    plot::write_text_file(path, text);
}

// How many sentences where beam k=1 differs from greedy (tokens or log-probability).
int greedy_mismatches(const Search& greedy, const Search& k1) {
    int bad = 0;
    for (size_t i = 0; i < greedy.hyps.size(); ++i)
        if (greedy.hyps[i].tokens != k1.hyps[i].tokens || greedy.hyps[i].log_prob != k1.hyps[i].log_prob) ++bad;
    return bad;
}

}  // namespace

int main(int argc, char** argv) {
    LessonInfo info("11_decoding",
                    "greedy vs beam search (k = 1, 3, 5) on lesson 07's model: BLEU, log-probability, time, "
                    "and the sentences beam search fixes. --resume build/07_attention.ckpt --epochs 0 decodes "
                    "with lesson 07's saved model (with the --bpe N it was trained with, if any)");
    info.trains = true;
    info.text_data = true;
    info.translation = true;
    info.default_epochs = 1;
    info.quick_epochs = 1;
    info.data_help = tasks::kPairDataFormat;
    info.subwords = true;
    const LessonOptions opt = parse_lesson_args(argc, argv, info);
    Timer total;

    // ---- 1. A lesson-07 model: trained here (the default) or loaded with --resume -------------------
    const tasks::LessonData loaded = tasks::load_lesson_data(opt, "toy-en-fr");
    const tasks::TranslationData& data = loaded.data;
    long step = loaded.step;
    const tasks::EncodedPairs train_set = opt.quick ? tasks::head(data.train, 5000) : data.train;
    const size_t test_size = opt.quick ? 200 : data.test.size();
    models::Seq2SeqConfig cfg;  // lesson 07's: embedding 64, hidden 128, Bahdanau attention
    cfg.src_vocab = data.src_vocab.size();
    cfg.tgt_vocab = data.tgt_vocab.size();
    models::Seq2Seq model(cfg, models::make_bahdanau_decoder);
    optim::Adam adam(model.parameters(), kLearningRate);
    std::string source = "trained here";
    if (!opt.resume.empty()) {
        tasks::load_translation_checkpoint(opt.resume, model, tasks::seq2seq_config(model), adam, data,
                                           {info.name, "07_attention"});
        source = "loaded from " + opt.resume;
        std::printf("resumed from %s (epoch %d, step %ld)\n", opt.resume.c_str(), loaded.first_epoch, step);
    } else {
        const std::string from07 = std::string(TINYATTN_SOURCE_DIR) + "/build/07_attention.ckpt";
        if (fs::exists(from07))
            std::printf("(lesson 07's model %s exists; --resume %s --epochs 0 decodes with it instead)\n",
                        from07.c_str(), from07.c_str());
    }
    const int epochs = opt.epochs;  // the total: a model resumed at epoch 2 with --epochs 3 trains one more
    const int new_epochs = std::max(0, epochs - loaded.first_epoch);
    std::printf("corpus %s: %zu train pairs, %zu test pairs; model %zu parameters; training %d epoch(s)\n\n",
                data.pairs.name.c_str(), train_set.size(), test_size, model.parameter_count(), new_epochs);
    Timer timer;
    const double train_loss =
        tasks::train_epochs(tasks::seq2seq_trainee(model), adam, data, train_set, {kBatchSize, 1.0, opt.seed, {}, false, tasks::early_stopping(opt, loaded)}, "11_decoding", opt.checkpoint,
                            loaded.first_epoch, epochs, step);
    const double train_seconds = timer.seconds();
    tasks::print_training_summary(loaded.first_epoch, epochs, step, train_seconds, train_loss);
    std::printf("\n");
    if (new_epochs > 0 && !opt.resume.empty()) source += " + " + std::to_string(new_epochs) + " epoch(s) here";

    // ---- 2. Decode the test split five ways ----------------------------------------------------------
    std::vector<Search> searches(5);
    const struct { const char* name; int k; float alpha; } plan[] = {
        {"greedy", 0, 0.0f}, {"beam k=1", 1, kAlpha}, {"beam k=3", 3, kAlpha}, {"beam k=5", 5, kAlpha},
        {"beam k=5 a=0", 5, 0.0f}};  // the last: no length normalisation, the raw log P
    for (size_t i = 0; i < searches.size(); ++i) {
        Search& s = searches[i];
        s.name = plan[i].name;
        s.beam_width = plan[i].k;
        s.alpha = plan[i].alpha;
        run_search(s, model, data, test_size);
        std::printf("decoded %zu test sentences with %-12s in %.1f s\n", test_size, s.name.c_str(), s.seconds);
    }
    const Search &greedy = searches[0], &k1 = searches[1], &k5 = searches[3];
    const tasks::TranslationEval greedy_unk = unknown_word_scores(greedy, data), k5_unk = unknown_word_scores(k5, data);

    std::printf("\ntest split, %zu sentences (corpus BLEU-4; log P = log-probability of the whole output incl. "
                "<eos>; beam scores = log P / len^%.1f unless a=0):\n\n",
                test_size, double(kAlpha));
    std::printf("| search       | test BLEU | exact match | mean log P | decode time |\n");
    std::printf("|--------------|----------:|------------:|-----------:|------------:|\n");
    for (const Search& s : searches)
        std::printf("| %-12s | %9.4f | %10.1f%% | %10.4f | %9.1f s |\n", s.name.c_str(), s.bleu, 100.0 * s.exact,
                    s.mean_log_prob, s.seconds);
    if (greedy_unk.with_unk == 0)
        std::printf("\nevery test source word is known to the model (no ⟨unk⟩)\n");
    else
        std::printf("\nwith a source word unknown to the model (⟨unk:word⟩ below): %d sentences, BLEU greedy %.4f, "
                    "beam k=5 %.4f; without: %d, BLEU greedy %.4f, beam k=5 %.4f\n",
                    greedy_unk.with_unk, greedy_unk.bleu_with_unk, k5_unk.bleu_with_unk,
                    greedy_unk.sentences - greedy_unk.with_unk, greedy_unk.bleu_without_unk, k5_unk.bleu_without_unk);

    // ---- 3. Width 1 is greedy ---------------------------------------------------------------------
    const int mismatches = greedy_mismatches(greedy, k1);
    std::printf("\nbeam k=1 vs greedy: %d of %zu sentences differ (tokens or log-probability)%s\n", mismatches,
                test_size, mismatches == 0 ? " — identical, as they must be" : "");

    // ---- 4. Where the beam fixes (and breaks) greedy's output -----------------------------------------
    int fixed = 0, broken = 0, changed = 0, shown = 0;
    std::printf("\nsentences where beam k=5 gives the reference and greedy does not:\n\n");
    for (size_t i = 0; i < test_size; ++i) {
        const Tokens& ref = data.pairs.test[i].tgt;
        const bool g_ok = greedy.outputs[i] == ref, b_ok = k5.outputs[i] == ref;
        changed += greedy.outputs[i] != k5.outputs[i];
        broken += g_ok && !b_ok;
        if (b_ok && !g_ok) {
            ++fixed;
            if (shown++ < 4)
                std::printf("  %-7s %s\n  greedy  %s   (log P %.3f)\n  beam 5  %s   (log P %.3f) ✓\n\n",
                            data::language_name(data.pairs.src_lang).c_str(),
                            data::join(tasks::mark_unknown_words(data.pairs.test[i].src, data, /*source=*/true)).c_str(),
                            data::join(greedy.outputs[i]).c_str(),
                            greedy.hyps[i].log_prob, data::join(k5.outputs[i]).c_str(), k5.hyps[i].log_prob);
        }
    }
    if (fixed == 0) std::printf("  (none in this run)\n\n");
    std::printf("beam k=5 changed %d outputs: fixed %d, broke %d (greedy right, beam wrong)\n", changed, fixed, broken);

    // ---- 5. Figure: BLEU and exact match per search ---------------------------------------------------
    std::vector<std::string> names;
    plot::Series bleu{"corpus BLEU-4", {}, {}}, exact{"exact match", {}, {}};  // both as fractions, 0 to 1
    for (const Search& s : searches) {
        names.push_back(s.name);
        bleu.y.push_back(float(s.bleu));
        exact.y.push_back(float(s.exact));
    }
    std::cout << "\n"
              << plot::bucket_bars((fs::path(opt.plots_dir) / "11_decoding_comparison").string(), names, {bleu, exact},
                                   {.title = "greedy vs beam search on the test split", .x_label = "search",
                                    .y_label = "0 to 1"});

    Report report;
    report.set("lesson", "11_decoding");
    report.set("corpus", data.pairs.name);
    report.set("bpe_merges", data.subwords.merges);
    report.set("model", source);
    report.set("test_sentences", double(test_size));
    report.set("alpha", double(kAlpha));
    report.set("epochs", std::max(loaded.first_epoch, epochs));
    report.set("steps", double(step));
    report.set("final_train_loss", train_loss);
    report.set("train_seconds", train_seconds);
    for (const Search& s : searches) {
        const std::string key = key_of(s);
        report.set(key + "_bleu", s.bleu);
        report.set(key + "_exact_match", s.exact);
        report.set(key + "_mean_log_prob", s.mean_log_prob);
        report.set(key + "_seconds", s.seconds);
    }
    report.set("test_sentences_with_unk", greedy_unk.with_unk);
    report.set("greedy_bleu_with_unk", greedy_unk.bleu_with_unk);
    report.set("greedy_bleu_without_unk", greedy_unk.bleu_without_unk);
    report.set("beam5_bleu_with_unk", k5_unk.bleu_with_unk);
    report.set("beam5_bleu_without_unk", k5_unk.bleu_without_unk);
    report.set("k1_greedy_mismatches", mismatches);
    report.set("beam5_fixed", fixed);
    report.set("beam5_broke", broken);
    const std::string predictions = (fs::path(opt.plots_dir) / "11_decoding_test_predictions.tsv").string();
    write_predictions(predictions, searches, data);
    note_output("test predictions (source, reference, one output per search)", predictions);
    report.set("total_seconds", total.seconds());
    report.write(opt.report);
    print_outputs(opt);
    return 0;
}
