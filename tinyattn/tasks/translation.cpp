// translation.cpp — corpus loading, the training epoch, greedy evaluation and checkpoints.
#include "tinyattn/tasks/translation.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "tinyattn/data/batching.hpp"
#include "tinyattn/data/tokenizer.hpp"
#include "tinyattn/eval/decode.hpp"
#include "tinyattn/autograd.hpp"
#include "tinyattn/app/interrupt.hpp"
#include "tinyattn/optim/clip_grad.hpp"
#include "tinyattn/tasks/lesson_checkpoint.hpp"

namespace tinyattn::tasks {

namespace fs = std::filesystem;

// A counter from a checkpoint's metadata ("epoch", "step"), or an error naming the file.
static int parse_count(const std::string& text, const std::string& path) {
    int n = -1;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc() || ptr != text.data() + text.size() || n < 0)
        throw std::runtime_error(path + ": checkpoint counter '" + text + "' is not a whole number");
    return n;
}

// ---- data ---------------------------------------------------------------------------------

// Pairs with a side longer than max_length tokens (0: no limit) are dropped, and counted.
static std::vector<data::SentencePair> load_pairs_up_to(const std::string& path, int max_length, int& dropped) {
    std::vector<data::SentencePair> all = data::load_pairs(path), kept;
    const size_t limit = size_t(max_length);
    for (data::SentencePair& p : all) {
        if (max_length > 0 && (p.src.size() > limit || p.tgt.size() > limit)) ++dropped;
        else kept.push_back(std::move(p));
    }
    if (kept.empty())
        throw std::runtime_error(path + ": 0 usable pairs: all " + std::to_string(all.size()) + " have a side longer than " +
                                 std::to_string(max_length) + " tokens");
    return kept;
}

PairSplits load_translation_corpus(const std::string& path, uint64_t seed, int max_length) {
    int dropped = 0;
    PairSplits s;
    if (fs::is_directory(path)) {
        s.train = load_pairs_up_to((fs::path(path) / "train.tsv").string(), max_length, dropped);
        s.valid = load_pairs_up_to((fs::path(path) / "valid.tsv").string(), max_length, dropped);
        s.test = load_pairs_up_to((fs::path(path) / "test.tsv").string(), max_length, dropped);
        fs::path dir = fs::path(path).lexically_normal();
        if (dir.filename().empty()) dir = dir.parent_path();  // "datasets/toy-en-fr/"
        s.name = dir.filename().string();
    } else {
        // One file: shuffle (seeded) and cut 80/10/10, with valid and test at most 1,000 pairs each.
        std::vector<data::SentencePair> all = load_pairs_up_to(path, max_length, dropped);
        if (all.size() < 10)
            throw std::runtime_error("load_translation_corpus: " + path + " has " + std::to_string(all.size()) +
                                     " usable pairs; at least 10 are needed to split train/valid/test");
        std::vector<int> order(all.size());
        for (size_t i = 0; i < order.size(); ++i) order[i] = int(i);
        Rng rng(seed);
        rng.shuffle(order);
        const size_t held = std::min<size_t>(1000, all.size() / 10);
        for (size_t k = 0; k < order.size(); ++k) {
            data::SentencePair& p = all[size_t(order[k])];
            (k < held ? s.test : k < 2 * held ? s.valid : s.train).push_back(std::move(p));
        }
        s.name = fs::path(path).filename().string();
    }
    if (s.train.empty() || s.test.empty())
        throw std::runtime_error("load_translation_corpus: " + path + ": empty train or test split");
    if (dropped > 0)
        std::printf("%s: %d pair(s) with a side longer than %d tokens left out\n", path.c_str(), dropped, max_length);
    if (s.test.size() < size_t(kFewTestPairs))
        std::printf("warning: only %zu test pairs: BLEU on so few sentences moves a lot with each one, too coarse "
                    "to compare models\n", s.test.size());
    return s;
}

EncodedPairs encode_pairs(const std::vector<data::SentencePair>& pairs, const data::Vocab& src_vocab,
                          const data::Vocab& tgt_vocab) {
    EncodedPairs e;
    for (const data::SentencePair& p : pairs) {
        e.src.push_back(src_vocab.encode(p.src, /*add_bos=*/false, /*add_eos=*/true));
        e.tgt.push_back(tgt_vocab.encode(p.tgt));
        e.src_lengths.push_back(int(e.src.back().size()));
    }
    return e;
}

TranslationData prepare_translation(PairSplits pairs, data::Vocab src_vocab, data::Vocab tgt_vocab) {
    TranslationData d;
    d.pairs = std::move(pairs);
    d.src_vocab = std::move(src_vocab);
    d.tgt_vocab = std::move(tgt_vocab);
    d.train = encode_pairs(d.pairs.train, d.src_vocab, d.tgt_vocab);
    d.valid = encode_pairs(d.pairs.valid, d.src_vocab, d.tgt_vocab);
    d.test = encode_pairs(d.pairs.test, d.src_vocab, d.tgt_vocab);
    return d;
}

TranslationData prepare_translation(PairSplits pairs) {
    std::vector<std::vector<std::string>> src, tgt;
    for (const data::SentencePair& p : pairs.train) {
        src.push_back(p.src);
        tgt.push_back(p.tgt);
    }
    data::Vocab sv = data::Vocab::build(src), tv = data::Vocab::build(tgt);
    return prepare_translation(std::move(pairs), std::move(sv), std::move(tv));
}

LessonData load_lesson_data(const LessonOptions& opt, const std::string& shipped_corpus) {
    const bool own = !opt.data.empty();
    PairSplits pairs = load_translation_corpus(own ? opt.data : std::string(TINYATTN_SOURCE_DIR) + "/datasets/" + shipped_corpus,
                                               opt.seed, own ? kOwnDataMaxTokens : 0);
    LessonData d;
    if (opt.resume.empty()) {
        d.data = prepare_translation(std::move(pairs));
        return d;
    }
    ResumeInfo r = read_resume_info(opt.resume);  // keep the ids the checkpoint was trained with
    d.first_epoch = r.epoch;
    d.step = r.step;
    d.data = prepare_translation(std::move(pairs), std::move(r.src_vocab), std::move(r.tgt_vocab));
    return d;
}

std::string fingerprint(const TranslationData& data) {
    std::vector<std::string> lines;
    for (const data::SentencePair& p : data.pairs.train) lines.push_back(p.src_text + "\t" + p.tgt_text);
    return data_fingerprint(lines);
}

EncodedPairs head(const EncodedPairs& pairs, size_t n) {
    n = std::min(n, pairs.size());
    EncodedPairs h;
    h.src.assign(pairs.src.begin(), pairs.src.begin() + long(n));
    h.tgt.assign(pairs.tgt.begin(), pairs.tgt.begin() + long(n));
    h.src_lengths.assign(pairs.src_lengths.begin(), pairs.src_lengths.begin() + long(n));
    return h;
}

// ---- training -------------------------------------------------------------------------------

static data::BatchOptions batch_options(const TrainConfig& c) {
    data::BatchOptions o;
    o.batch_size = c.batch_size;
    o.seed = c.seed;
    return o;  // shuffled and length-bucketed
}

int batches_per_epoch(const EncodedPairs& train, int batch_size) {
    TrainConfig c;
    c.batch_size = batch_size;
    return int(data::make_batches(train.src_lengths, batch_options(c), 0).size());
}

double train_epoch(const models::Seq2Seq& model, optim::Optimizer& optimizer, const EncodedPairs& train,
                   const TrainConfig& config, int epoch, Progress& progress, long& step) {
    const auto batches = data::make_batches(train.src_lengths, batch_options(config), epoch);
    double loss_sum = 0.0;
    long token_sum = 0;
    for (size_t k = 0; k < batches.size(); ++k) {
        const data::Batch batch = data::collate_pairs(train.src, train.tgt, batches[k]);
        long tokens = 0;
        for (int n : batch.tgt_lengths) tokens += n;
        optimizer.zero_grad();
        const Tensor loss = model.loss(batch);  // mean over the batch's real target tokens
        loss.backward();
        if (config.clip_norm > 0) optim::clip_grad_norm(optimizer.params(), config.clip_norm);
        optimizer.step();
        ++step;
        const float l = loss.item();
        loss_sum += double(l) * double(tokens);
        token_sum += tokens;
        progress.step(epoch, int(k), l, tokens);
        if (interrupted()) break;  // Ctrl-C: stop at this step boundary (train_epochs saves)
    }
    return token_sum > 0 ? loss_sum / double(token_sum) : 0.0;
}

double train_epochs(const models::Seq2Seq& model, optim::Optimizer& optimizer, const TranslationData& data,
                    const EncodedPairs& train, const TrainConfig& config, const std::string& lesson,
                    const std::string& checkpoint, int first_epoch, int epochs, long& step,
                    const std::function<void(int)>& after_epoch) {
    if (nothing_to_train(first_epoch, epochs)) return 0.0;
    Progress progress(first_epoch, epochs, batches_per_epoch(train, config.batch_size));
    install_interrupt_handler();  // Ctrl-C saves a checkpoint at the next step instead of killing
    const io::Metadata model_config = config.model_config.empty() ? seq2seq_config(model.config) : config.model_config;
    double loss = 0.0;
    for (int epoch = first_epoch; epoch < epochs; ++epoch) {
        loss = train_epoch(model, optimizer, train, config, epoch, progress, step);
        if (interrupted()) {  // saved as "epoch not done": --resume starts it again
            save_translation_checkpoint(checkpoint, model, model_config, optimizer, data, lesson, epoch, step);
            exit_after_interrupt(checkpoint);
        }
        save_translation_checkpoint(checkpoint, model, model_config, optimizer, data, lesson, epoch + 1, step);
        if (after_epoch) after_epoch(epoch + 1);
    }
    return loss;
}

// ---- translating and scoring ------------------------------------------------------------------

Tokens Translation::src_labels() const {
    Tokens t = src;
    t.push_back("<eos>");
    return t;
}

Tokens Translation::hyp_labels() const {
    Tokens t = hyp;
    if (attention.size() > hyp.size()) t.push_back("<eos>");  // the step that produced <eos>
    return t;
}

plot::Matrix teacher_forced_attention(const models::Seq2Seq& model, const EncodedPairs& pairs, int i) {
    NoGrad no_grad;
    const data::Batch batch = data::collate_pairs(pairs.src, pairs.tgt, {i});
    const Tensor a = model.forward(batch).attention;  // [1, T, S]
    plot::Matrix m(size_t(batch.T), std::vector<float>(size_t(batch.S)));
    for (int t = 0; t < batch.T; ++t)
        for (int j = 0; j < batch.S; ++j) m[size_t(t)][size_t(j)] = a.data()[t * batch.S + j];
    return m;
}

Translation translate(const models::Seq2Seq& model, const data::Vocab& src_vocab, const data::Vocab& tgt_vocab,
                      const Tokens& src, const Tokens& ref) {
    models::Seq2SeqStepDecoder stepper(model);
    const std::vector<int> ids = src_vocab.encode(src, false, /*add_eos=*/true);
    DecodeOptions options;
    options.max_length = 2 * int(ids.size()) + 10;
    const Hypothesis h = greedy_decode(stepper, ids, options);
    Translation t;
    t.src = src;
    t.ref = ref;
    for (int id : h.tokens) t.hyp.push_back(tgt_vocab.token(id));
    if (!h.attention.empty() && !h.attention[0].empty()) t.attention = h.attention;
    return t;
}

std::vector<int> length_edges(const std::vector<data::SentencePair>& test) {
    int lo = 1 << 30, hi = 0;
    for (const auto& p : test) {
        lo = std::min(lo, int(p.src.size()));
        hi = std::max(hi, int(p.src.size()));
    }
    std::vector<int> edges;
    if (lo < 4) edges.push_back(std::max(1, lo));
    for (int e : {4, 6, 8, 10, 12, 16}) edges.push_back(e);
    if (hi + 1 > 16) edges.push_back(hi + 1);
    return edges;
}

TranslationEval evaluate_translation(const models::Seq2Seq& model, const TranslationData& data,
                                     size_t max_sentences, const std::vector<int>& edges) {
    return evaluate_pairs(model, data, data.pairs.test, max_sentences, edges);
}

TranslationEval evaluate_pairs(const models::Seq2Seq& model, const TranslationData& data,
                               const std::vector<data::SentencePair>& split, size_t max_sentences,
                               const std::vector<int>& edges) {
    const auto start = std::chrono::steady_clock::now();
    TranslationEval e;
    const size_t n = std::min(max_sentences, split.size());
    std::vector<Tokens> refs, hyps;
    std::vector<int> lengths;
    for (size_t i = 0; i < n; ++i) {
        const data::SentencePair& p = split[i];
        e.translations.push_back(translate(model, data.src_vocab, data.tgt_vocab, p.src, p.tgt));
        refs.push_back(p.tgt);
        hyps.push_back(e.translations.back().hyp);
        lengths.push_back(int(p.src.size()));
    }
    e.sentences = int(n);
    e.bleu = corpus_bleu(refs, hyps).bleu;
    e.exact_match = exact_match(refs, hyps);
    // Buckets no test sentence falls in are left out: a BLEU of 0 "for the longest sentences" of
    // a corpus that has none would be a number nobody measured.
    for (const BleuBucket& b : bleu_by_length(lengths, refs, hyps, edges))
        if (b.count > 0) e.buckets.push_back(b);
    e.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return e;
}

void print_translations(const TranslationEval& eval, int n) {
    for (int i = 0; i < n && i < int(eval.translations.size()); ++i) {
        const Translation& t = eval.translations[size_t(i)];
        std::printf("  EN   %s\n  REF  %s\n  OUT  %s %s\n\n", data::join(t.src).c_str(), data::join(t.ref).c_str(),
                    data::join(t.hyp).c_str(), t.hyp == t.ref ? "✓" : "✗");
    }
}

void print_test_results(const TranslationEval& eval, int n) {
    std::printf("\ntest split, %d sentences, greedy decoding: corpus BLEU-4 %.4f, exact match %.1f%% (%.1f s)\n\n",
                eval.sentences, eval.bleu, 100.0 * eval.exact_match, eval.seconds);
    print_translations(eval, n);
}

void print_training_summary(int first_epoch, int epochs, long steps, double seconds, double loss) {
    if (epochs <= first_epoch) return;  // train_epochs said "nothing to train"
    std::printf("\ntrained epoch(s) %d to %d of %d (%ld steps in all) in %s; mean training loss of the last epoch %.4f\n",
                first_epoch + 1, epochs, epochs, steps, format_duration(seconds).c_str(), loss);
}

std::string bucket_label(const BleuBucket& b) {
    return b.hi - 1 == b.lo ? std::to_string(b.lo) : std::to_string(b.lo) + "-" + std::to_string(b.hi - 1);
}

std::vector<std::string> bucket_labels(const std::vector<BleuBucket>& buckets) {
    std::vector<std::string> labels;
    for (const BleuBucket& b : buckets) labels.push_back(bucket_label(b) + " (" + std::to_string(b.count) + ")");
    return labels;
}

std::string plot_bleu_by_length(const std::string& path, const std::string& title,
                                const std::vector<BleuBucket>& buckets, const std::vector<plot::Series>& series) {
    bool any = false;
    for (const plot::Series& s : series)
        for (float v : s.y) any = any || v > 0.0f;
    if (!any) return "(" + title + ": BLEU is 0 in every bucket, no figure drawn)\n";
    return plot::bucket_bars(path, bucket_labels(buckets), series,
                             {.title = title, .x_label = "source words (sentences)", .y_label = "corpus BLEU-4 (0 to 1)"});
}

void write_buckets(const std::string& path, const std::string& corpus, const std::vector<BleuBucket>& buckets) {
    fs::create_directories(fs::path(path).parent_path());
    std::ofstream f(path);
    if (!f) throw std::runtime_error("write_buckets: cannot write " + path);
    f << "# corpus BLEU-4 by source length: lo hi count bleu\n" << "corpus\t" << corpus << "\n";
    for (const BleuBucket& b : buckets) f << b.lo << "\t" << b.hi << "\t" << b.count << "\t" << b.bleu << "\n";
}

std::vector<BleuBucket> read_buckets(const std::string& path, const std::string& corpus) {
    std::ifstream f(path);
    std::vector<BleuBucket> buckets;
    std::string line, key, name;
    while (std::getline(f, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream in(line);
        if (line.rfind("corpus\t", 0) == 0) {
            in >> key >> name;
            if (name != corpus) return {};
            continue;
        }
        BleuBucket b;
        if (!(in >> b.lo >> b.hi >> b.count >> b.bleu)) return {};
        buckets.push_back(b);
    }
    return name == corpus ? buckets : std::vector<BleuBucket>{};
}

// ---- checkpoints ------------------------------------------------------------------------------

io::Metadata seq2seq_config(const models::Seq2SeqConfig& c) {
    return {{"embedding_dim", std::to_string(c.embedding_dim)},
            {"hidden_size", std::to_string(c.hidden_size)},
            {"attention", models::attention_kind_name(c.attention)}};
}

void save_translation_checkpoint(const std::string& path, const nn::Module& model, const io::Metadata& model_config,
                                 const optim::Optimizer& optimizer, const TranslationData& data,
                                 const std::string& lesson, int epoch, long step) {
    if (path.empty()) return;
    if (fs::path(path).has_parent_path()) fs::create_directories(fs::path(path).parent_path());
    io::Metadata meta = model_config;
    meta["lesson"] = lesson;
    meta["corpus"] = data.pairs.name;
    meta["data"] = fingerprint(data);
    meta["epoch"] = std::to_string(epoch);
    meta["step"] = std::to_string(step);
    meta["src_tokens"] = data.src_vocab.to_text();  // inside the one file: a moved copy still loads
    meta["tgt_tokens"] = data.tgt_vocab.to_text();
    save_global_rng(meta);
    io::save_checkpoint(path, model, &optimizer, meta);
}

void load_translation_checkpoint(const std::string& path, nn::Module& model, const io::Metadata& model_config,
                                 optim::Optimizer& optimizer, const TranslationData& data,
                                 const std::vector<std::string>& lessons) {
    const io::Metadata meta = io::read_checkpoint(path).metadata;
    check_resume(meta, path, lessons, model_config, fingerprint(data));
    io::load_checkpoint(path, model, &optimizer);
    restore_global_rng(meta);
}

ResumeInfo read_resume_info(const std::string& path) {
    ResumeInfo r;
    r.metadata = io::read_checkpoint(path).metadata;
    r.epoch = parse_count(metadata_value(r.metadata, "epoch", path), path);
    r.step = parse_count(metadata_value(r.metadata, "step", path), path);
    r.src_vocab = vocab_from_metadata(r.metadata, "src_tokens", path);
    r.tgt_vocab = vocab_from_metadata(r.metadata, "tgt_tokens", path);
    return r;
}

}  // namespace tinyattn::tasks
