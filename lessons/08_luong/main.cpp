// Lesson 08 — Luong attention: seven ways to score the source, compared on the same task.
//
// Trains seven copies of lesson 07's encoder–decoder whose decoder follows Luong et al. 2015
// (tinyattn/models/luong.hpp: cell first, attention with s_t, attentional state h̃_t) with the
// global dot, general and concat scores, local-p, and the content-based (cosine), location-based and
// local-m attention of issue 21, each for the same number of steps
// on the same training pairs (one epoch each by default, half of lesson 07's steps); scores each on
// the held-out test split (corpus BLEU-4, exact match, training time) and draws the seven
// alignments of one test sentence side by side.
// --input-feeding feeds h̃_{t-1} into the next step (Luong's section 3.3) in all seven; --unscaled
// scores with s_t itself as the paper does, instead of s_t / √H (see tinyattn/models/luong.hpp).
// --bpe N: all seven read and write the same byte-pair pieces (tasks/subword_data.hpp), scored in words.
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>
#include <iostream>

#include "tinyattn/autograd.hpp"
#include "tinyattn/models/luong.hpp"
#include "tinyattn/optim/adam.hpp"
#include "tinyattn/plot/panel_grid.hpp"
#include "tinyattn/plot/plot.hpp"
#include "tinyattn/tasks/translation.hpp"
#include "tinyattn/tinyattn.hpp"

using namespace tinyattn;
namespace fs = std::filesystem;

namespace {

constexpr double kLearningRate = 3e-3;       // lesson 07's
constexpr double kQuickLearningRate = 1e-2;  // --quick: 3e-3 learns too little in 125 steps
constexpr int kBatchSize = 32;
constexpr size_t kQuickTrainPairs = 4000;  // --quick: 125 steps per variant
constexpr int kWindow = 5;              // local-p: half-width D of the window (σ = D/2)

// What a score may need to know about the corpus: the longest source sentence (location-based
// has one weight row per position) and source tokens per target token (local-m's p_t = t · ratio).
struct CorpusShape {
    int max_source_len = 0;
    float ratio = 1.0f;
};

// The seven scores (tinyattn/models/luong.cpp: DotScore, GeneralScore, ConcatScore, LocalPScore,
// CosineScore, LocationScore, LocalMScore; read each attend() there). H = hidden size, A = the
// concat score's / local-p predictor's width, q = the query scale (1/√H unless --unscaled).
struct Variant {
    const char* name;
    std::function<std::unique_ptr<models::SourceAttention>(int H, int A, float q, const CorpusShape& c, Rng& rng)>
        make_score;
};
using CS = CorpusShape;
const Variant kVariants[] = {
    {"dot", [](int, int, float q, const CS&, Rng&) { return std::make_unique<models::DotScore>(q); }},
    {"general",
     [](int H, int, float q, const CS&, Rng& rng) { return std::make_unique<models::GeneralScore>(H, q, rng); }},
    {"concat",
     [](int H, int A, float, const CS&, Rng& rng) { return std::make_unique<models::ConcatScore>(H, A, rng); }},
    {"local-p",
     [](int H, int A, float q, const CS&, Rng& rng) {
         return std::make_unique<models::LocalPScore>(H, kWindow, A, q, rng);
     }},
    {"cosine", [](int H, int, float, const CS&, Rng&) { return std::make_unique<models::CosineScore>(H); }},
    {"location",
     [](int H, int, float, const CS& c, Rng& rng) {
         return std::make_unique<models::LocationScore>(H, c.max_source_len, rng);
     }},
    {"local-m",
     [](int H, int, float q, const CS& c, Rng& rng) {
         return std::make_unique<models::LocalMScore>(H, kWindow, c.ratio, q, rng);
     }},
};

CorpusShape corpus_shape(const tasks::TranslationData& data) {
    CorpusShape c;
    double src_tokens = 0, tgt_tokens = 0;
    for (const tasks::EncodedPairs* split : {&data.train, &data.valid, &data.test})
        for (const std::vector<int>& s : split->src) c.max_source_len = std::max(c.max_source_len, int(s.size()));
    for (size_t i = 0; i < data.train.size(); ++i) {
        src_tokens += double(data.train.src[i].size());      // words + <eos>
        tgt_tokens += double(data.train.tgt[i].size() + 1);  // words + <eos>: the decoder's steps
    }
    if (tgt_tokens > 0) c.ratio = float(src_tokens / tgt_tokens);
    return c;
}

// One checkpoint per variant beside --checkpoint: build/08_luong.ckpt -> build/08_luong_dot.ckpt, ...
std::string variant_path(const std::string& base, const Variant& v) {
    return fs::path(base).replace_extension("").string() + "_" + v.name + ".ckpt";
}

// What a variant's checkpoint records about its model (and --resume compares): lesson 07's sizes and which decoder.
io::Metadata variant_config(const models::Seq2Seq& model, const Variant& v, bool input_feeding, bool scaled) {
    io::Metadata config = tasks::seq2seq_config(model);
    config["decoder"] = "luong";
    config["attention"] = v.name;
    config["input_feeding"] = input_feeding ? "1" : "0";
    config["window"] = std::to_string(kWindow);
    config["scaled"] = scaled ? "1" : "0";
    return config;
}

// The sentence the figure shows: the first test pair of 9–10 words whose French has "pas"
// (one-to-two: not -> ne … pas); at that length one usually has an adjective that moves after its
// noun too. 0 if there is none (a learner's corpus).
int pick_example(const std::vector<data::SentencePair>& test) {
    for (size_t i = 0; i < test.size(); ++i) {
        const size_t n = test[i].src.size();
        const bool pas = std::find(test[i].tgt.begin(), test[i].tgt.end(), "pas") != test[i].tgt.end();
        if (pas && n >= 9 && n <= 10) return int(i);
    }
    return 0;
}

// Corpus BLEU over the test translations whose English has an adjective that French moves after
// its noun (tasks::has_postnominal_adjective): the reordering sentences. n = how many.
struct SubsetBleu {
    double bleu = 0;
    int n = 0;
};
SubsetBleu reordering_bleu(const tasks::TranslationEval& e) {
    std::vector<Tokens> refs, hyps;
    for (const tasks::Translation& t : e.translations)
        if (tasks::has_postnominal_adjective(t.src)) {
            refs.push_back(t.ref);
            hyps.push_back(t.hyp);
        }
    return {refs.empty() ? 0.0 : corpus_bleu(refs, hyps).bleu, int(refs.size())};
}

struct Result {
    const Variant* variant = nullptr;
    size_t parameters = 0;
    double train_seconds = 0, train_loss = 0;
    int epochs = 0;
    long steps = 0;
    tasks::TranslationEval eval;
    SubsetBleu reorder;
    plot::Matrix alignment;
};

// Builds, (resumes,) trains and scores one variant.
Result run_variant(const Variant& v, bool input_feeding, bool scaled, const LessonOptions& opt,
                   const tasks::LessonData& loaded, const tasks::EncodedPairs& train_set, int epochs,
                   size_t test_size, int example) {
    const tasks::TranslationData& data = loaded.data;
    models::Seq2SeqConfig cfg;  // lesson 07's sizes: embedding 64, hidden 128
    cfg.src_vocab = data.src_vocab.size();
    cfg.tgt_vocab = data.tgt_vocab.size();
    const int H = cfg.hidden_size, A = cfg.attn_dim > 0 ? cfg.attn_dim : cfg.hidden_size;
    Rng rng(opt.seed);  // every variant starts from the same seed; the score draws its weights first
    std::unique_ptr<models::SourceAttention> score =
        v.make_score(H, A, models::luong_query_scale(scaled, H), corpus_shape(data), rng);
    const std::unique_ptr<models::Seq2Seq> model = models::make_luong_seq2seq(cfg, std::move(score), input_feeding, rng);
    optim::Adam adam(model->parameters(), opt.quick ? kQuickLearningRate : kLearningRate);
    Result r;
    r.variant = &v;
    r.parameters = model->parameter_count();
    r.steps = loaded.step;
    tasks::TrainConfig tc{kBatchSize, 1.0, opt.seed};
    tc.stopping = tasks::early_stopping(opt, {});  // --patience, --keep-last, per variant:
    if (!opt.resume.empty())  // each variant's early-stopping state is in its own checkpoint
        tc.stopping.load_state(io::read_checkpoint(variant_path(opt.resume, v)).metadata, variant_path(opt.resume, v));
    tasks::Trainee trainee = tasks::seq2seq_trainee(*model);
    trainee.config = variant_config(*model, v, input_feeding, scaled);  // which Luong decoder, for checkpoints and --resume
    if (!opt.resume.empty())
        tasks::load_translation_checkpoint(variant_path(opt.resume, v), *model, trainee.config, adam, data, {"08_luong"});
    std::printf("\n== %s%s: %zu parameters ==\n", v.name,
                input_feeding ? " + input feeding" : "", r.parameters);
    const std::string ckpt = variant_path(opt.checkpoint, v);
    Timer timer;
    r.epochs = std::max(loaded.first_epoch, epochs);
    r.train_loss = tasks::train_epochs(trainee, adam, data, train_set, tc, "08_luong", ckpt, loaded.first_epoch, epochs,
                                       r.steps);
    r.train_seconds = timer.seconds();
    r.eval = tasks::evaluate_translation(*model, data, test_size, tasks::length_edges(data.pairs.test));
    r.reorder = reordering_bleu(r.eval);
    r.alignment = tasks::teacher_forced_attention(*model, data.test, example);
    std::printf("%s: test BLEU %.4f, exact match %.1f%%, trained in %s\n", v.name, r.eval.bleu,
                100.0 * r.eval.exact_match, format_duration(r.train_seconds).c_str());
    return r;
}

}  // namespace

int main(int argc, char** argv) {
    // Our one extra flag; everything else goes to the shared parser.
    bool input_feeding = false, scaled = true;
    std::vector<char*> args;
    for (int i = 0; i < argc; ++i) {
        if (std::strcmp(argv[i], "--input-feeding") == 0) input_feeding = true;
        else if (std::strcmp(argv[i], "--unscaled") == 0) scaled = false;
        else args.push_back(argv[i]);
    }
    LessonInfo info("08_luong",
                    "Luong attention (dot, general, concat, local-p) and cosine, location, local-m on toy "
                    "English→French. Extra flags: "
                    "--input-feeding (feed h̃_{t-1} into the next step), --unscaled (the paper's raw scores, not "
                    "/√H). --checkpoint/--resume take one base path (one file per variant); with --bpe N all seven "
                    "share one set of merges");
    info.trains = true;
    info.text_data = true;
    info.translation = true;
    info.default_epochs = 1;
    info.quick_epochs = 1;
    info.data_help = tasks::kPairDataFormat;
    info.subwords = true;
    const LessonOptions opt = parse_lesson_args(int(args.size()), args.data(), info);
    Timer total;

    // ---- 1. Data: lesson 07's corpus and vocabularies, a training subset for each variant -------
    LessonOptions data_opt = opt;  // a resumed run reads its vocabularies from the first variant's checkpoint
    if (!opt.resume.empty()) data_opt.resume = variant_path(opt.resume, kVariants[0]);
    const tasks::LessonData loaded = tasks::load_lesson_data(data_opt, "toy-en-fr");
    const tasks::TranslationData& data = loaded.data;
    const tasks::EncodedPairs train_set = opt.quick ? tasks::head(data.train, kQuickTrainPairs) : data.train;
    const size_t test_size = opt.quick ? 100 : data.test.size();
    const int epochs = opt.epochs;  // the total: a resumed run trains the rest
    std::printf("corpus %s: training each variant on %zu of %zu train pairs for %d epoch(s); %zu test pairs; "
                "vocab %d %s / %d %s\n",
                data.pairs.name.c_str(), train_set.size(), data.train.size(), epochs, test_size,
                data.src_vocab.size(), data::language_name(data.pairs.src_lang).c_str(),
                data.tgt_vocab.size(), data::language_name(data.pairs.tgt_lang).c_str());
    std::printf("Adam lr %g, batch %d, clipping at norm 1; local-p window D = %d; input feeding %s; scores %s\n",
                opt.quick ? kQuickLearningRate : kLearningRate, kBatchSize, kWindow, input_feeding ? "on" : "off",
                scaled ? "scaled by 1/sqrt(H)" : "unscaled");

    const CorpusShape shape = corpus_shape(data);
    std::printf("location: one weight row per source position, %d positions; local-m: p_t = t * %.3f "
                "(source / target tokens of the training set)\n",
                shape.max_source_len, double(shape.ratio));

    // ---- 2. Train and score the seven variants -----------------------------------------------------
    const int example = pick_example(data.pairs.test);
    std::vector<Result> results;
    for (const Variant& v : kVariants)
        results.push_back(run_variant(v, input_feeding, scaled, opt, loaded, train_set, epochs, test_size, example));

    // ---- 3. The table ------------------------------------------------------------------------------
    std::printf("\ntest split (%zu sentences, greedy decoding, corpus BLEU-4):\n\n", test_size);
    std::printf("| score    | parameters | test BLEU | exact match | BLEU, reordering (n = %3d) | training time |\n",
                results[0].reorder.n);
    std::printf("|----------|-----------:|----------:|------------:|--------------------------:|--------------:|\n");
    for (const Result& r : results)
        std::printf("| %-8s | %10zu | %9.4f | %10.1f%% | %25.4f | %13s |\n", r.variant->name, r.parameters,
                    r.eval.bleu, 100.0 * r.eval.exact_match, r.reorder.bleu, format_duration(r.train_seconds).c_str());
    std::printf("\nthe general model's first test translations:\n\n");
    tasks::print_translations(results[1].eval, 3);

    // ---- 4. The seven alignments of one sentence, side by side ----------------------------------
    // The rows and columns are what the models read: words, or --bpe pieces.
    const tasks::AlignmentLabels labels = tasks::teacher_forced_labels(data, data.pairs.test[size_t(example)]);
    std::vector<std::vector<plot::Panel>> grid(1);
    for (const Result& r : results)
        grid[0].push_back(
            plot::make_panel("08_luong", r.alignment, labels.columns, labels.rows, -1, -1, r.variant->name));
    // The side runs (--unscaled, --input-feeding) name their figures, so they never overwrite the default run's.
    const std::string variant = std::string(scaled ? "" : "_unscaled") + (input_feeding ? "_input_feeding" : "");
    const std::string align_path = (fs::path(opt.plots_dir) / ("08_luong_alignments" + variant)).string();
    const std::string title = "seven attention scores (teacher forcing on the reference)" +
                              std::string(scaled ? "" : ", unscaled") + (input_feeding ? ", input feeding" : "");
    std::cout << "\n" << plot::panel_grid_figure(align_path, grid, title, 1.0f, "08_luong");

    // BLEU by source length for the seven, one bar each.
    std::vector<plot::Series> series;
    for (const Result& r : results) {
        plot::Series s{r.variant->name, {}, {}};
        for (const BleuBucket& b : r.eval.buckets) s.y.push_back(float(b.bleu));
        series.push_back(s);
    }
    std::cout << "\n"
              << plot::bucket_bars((fs::path(opt.plots_dir) / ("08_luong_bleu_by_length" + variant)).string(),
                                   tasks::bucket_labels(results[0].eval.buckets), series,
                                   {.title = "test BLEU by source length, seven attention scores",
                                    .x_label = "source words (sentences)", .y_label = "corpus BLEU-4 (0 to 1)"});

    // ---- 5. Report ------------------------------------------------------------------------------------
    Report report;
    report.set("lesson", "08_luong");
    report.set("corpus", data.pairs.name);
    report.set("bpe_merges", data.subwords.merges);
    report.set("test_sentences", double(test_size));
    report.set("train_pairs", double(train_set.size()));
    report.set("epochs", results[0].epochs);
    report.set("input_feeding", input_feeding ? 1.0 : 0.0);
    report.set("scaled", scaled ? 1.0 : 0.0);
    double min_bleu = 1.0;
    for (const Result& r : results) {
        std::string key = r.variant->name;
        std::replace(key.begin(), key.end(), '-', '_');  // local-p -> local_p, local-m -> local_m
        report.set(key + "_test_bleu", r.eval.bleu);
        report.set(key + "_test_exact_match", r.eval.exact_match);
        report.set(key + "_reorder_bleu", r.reorder.bleu);
        report.set(key + "_train_seconds", r.train_seconds);
        report.set(key + "_final_train_loss", r.train_loss);
        report.set(key + "_steps", double(r.steps));
        min_bleu = std::min(min_bleu, r.eval.bleu);
    }
    report.set("min_test_bleu", min_bleu);
    tasks::save_test_results(report, opt, "08_luong", data, results[1].eval);  // the general model's predictions
    report.set("reorder_sentences", double(results[0].reorder.n));
    report.set("total_seconds", total.seconds());
    report.write(opt.report);
    std::printf("\n");
    print_outputs(opt);
    std::printf("checkpoints: one per variant, e.g. %s\n", variant_path(opt.checkpoint, kVariants[0]).c_str());
    return 0;
}
