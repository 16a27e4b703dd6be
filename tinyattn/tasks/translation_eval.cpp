// translation_eval.cpp — greedy translation, scoring and BLEU-by-length reports (see translation_eval.hpp).
#include "tinyattn/tasks/translation_eval.hpp"

#include <algorithm>
#include <cctype>
#include <set>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "tinyattn/autograd.hpp"
#include "tinyattn/data/batching.hpp"
#include "tinyattn/data/tokenizer.hpp"
#include "tinyattn/eval/decode.hpp"
#include "tinyattn/plot/figure_files.hpp"

namespace tinyattn::tasks {

namespace fs = std::filesystem;

// ---- translating and scoring ------------------------------------------------------------------

Tokens Translation::src_labels() const {
    Tokens t = src_pieces.empty() ? src : src_pieces;
    t.push_back("<eos>");
    return t;
}

Tokens Translation::hyp_labels() const {
    Tokens t = hyp_pieces.empty() ? hyp : hyp_pieces;
    if (attention.size() > t.size()) t.push_back("<eos>");  // the step that produced <eos>
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

AlignmentLabels teacher_forced_labels(const TranslationData& data, const data::SentencePair& pair) {
    AlignmentLabels labels{source_pieces(data.subwords, pair.src), target_pieces(data.subwords, {pair.tgt})[0]};
    labels.columns.push_back("<eos>");
    labels.rows.push_back("<eos>");
    return labels;
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

void pieces_to_words(Translation& t, const Subwords& subwords, const Tokens& src_words, const Tokens& ref_words) {
    if (!subwords.on()) return;
    t.src_pieces = t.src;
    t.hyp_pieces = t.hyp;
    t.src = src_words;
    t.ref = ref_words;
    t.hyp = target_words(subwords, t.hyp_pieces);
}

Translation translate(const models::Seq2Seq& model, const TranslationData& data, const Tokens& src, const Tokens& ref) {
    Translation t = translate(model, data.src_vocab, data.tgt_vocab, source_pieces(data.subwords, src), ref);
    pieces_to_words(t, data.subwords, src, ref);
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

Tokens mark_unknown_words(const Tokens& words, const TranslationData& data, bool source) {
    Tokens shown;
    for (const std::string& w : words) {
        const Tokens pieces = source ? source_pieces(data.subwords, Tokens{w}) : target_pieces(data.subwords, {Tokens{w}})[0];
        shown.push_back(data::has_unk(pieces, source ? data.src_vocab : data.tgt_vocab) ? "⟨unk:" + w + "⟩" : w);
    }
    return shown;
}

void score_unknown_words(TranslationEval& e, const TranslationData& data) {
    std::vector<Tokens> refs_unk, hyps_unk, refs_known, hyps_known;
    for (Translation& t : e.translations) {
        t.src_shown = mark_unknown_words(t.src, data, /*source=*/true);
        const bool unk = t.src_shown != t.src;
        (unk ? refs_unk : refs_known).push_back(t.ref);
        (unk ? hyps_unk : hyps_known).push_back(t.hyp);
    }
    e.with_unk = int(refs_unk.size());
    e.bleu_with_unk = refs_unk.empty() ? 0.0 : corpus_bleu(refs_unk, hyps_unk).bleu;
    e.bleu_without_unk = refs_known.empty() ? 0.0 : corpus_bleu(refs_known, hyps_known).bleu;
    e.src_lang = data.pairs.src_lang;
    e.tgt_lang = data.pairs.tgt_lang;
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
        e.translations.push_back(translate(model, data, p.src, p.tgt));
        refs.push_back(p.tgt);
        hyps.push_back(e.translations.back().hyp);
        lengths.push_back(int(p.src.size()));
    }
    e.sentences = int(n);
    score_unknown_words(e, data);
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
    std::string src_label = eval.src_lang;  // "EN": the source column's language code
    for (char& c : src_label) c = char(std::toupper(static_cast<unsigned char>(c)));
    src_label.resize(std::max<size_t>(src_label.size(), 4), ' ');
    for (int i = 0; i < n && i < int(eval.translations.size()); ++i) {
        const Translation& t = eval.translations[size_t(i)];
        std::printf("  %s %s\n  REF  %s\n  OUT  %s %s\n\n", src_label.c_str(), data::join(t.src_shown).c_str(),
                    data::join(t.ref).c_str(), data::join(t.hyp).c_str(), t.hyp == t.ref ? "✓" : "✗");
    }
}

void print_test_results(const TranslationEval& eval, int n) {
    std::printf("\ntest split, %d sentences, greedy decoding: corpus BLEU-4 %.4f, exact match %.1f%% (%.1f s)\n\n",
                eval.sentences, eval.bleu, 100.0 * eval.exact_match, eval.seconds);
    if (eval.with_unk == 0)  // a BLEU of no sentences would print as 0.0000, which reads as a score
        std::printf("  every test source word is known to the model (no ⟨unk⟩)\n\n");
    else
        std::printf("  with a source word unknown to the model (⟨unk:word⟩ below): %d sentences, BLEU %.4f; "
                    "without: %d, BLEU %.4f\n\n",
                    eval.with_unk, eval.bleu_with_unk, eval.sentences - eval.with_unk, eval.bleu_without_unk);
    print_translations(eval, n);
}

std::string source_reference_cells(const Tokens& src, const Tokens& ref, const TranslationData& data) {
    return plot::tsv_cell(data::join(mark_unknown_words(src, data, /*source=*/true))) + "\t" +
           plot::tsv_cell(data::join(mark_unknown_words(ref, data, /*source=*/false)));
}

void write_translations(const std::string& path, const TranslationEval& eval, const TranslationData& data) {
    std::string text = "source\treference\toutput\n";
    for (const Translation& t : eval.translations)
        text += source_reference_cells(t.src, t.ref, data) + "\t" + plot::tsv_cell(data::join(t.hyp)) + "\n";
    plot::write_text_file(path, text);
}

void save_test_results(Report& report, const LessonOptions& opt, const std::string& lesson,
                       const TranslationData& data, const TranslationEval& eval) {
    const std::string path = (fs::path(opt.plots_dir) / (lesson + "_test_predictions.tsv")).string();
    write_translations(path, eval, data);
    note_output("test predictions (source, reference, output)", path);
    report.set("test_sentences_with_unk", eval.with_unk);
    report.set("test_bleu_with_unk", eval.bleu_with_unk);
    report.set("test_bleu_without_unk", eval.bleu_without_unk);
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

bool has_postnominal_adjective(const Tokens& en) {
    static const std::set<std::string> adjectives = {"red", "black", "white", "green", "tired", "happy", "sad",
                                                     "kind", "lazy", "famous", "quiet", "expensive", "heavy", "delicious"};
    return std::any_of(en.begin(), en.end(), [](const std::string& w) { return adjectives.count(w) > 0; });
}

}  // namespace tinyattn::tasks
