// rare_words.cpp — BLEU on test sentences grouped by their rarest word (see rare_words.hpp).
#include "tinyattn/tasks/rare_words.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

namespace tinyattn::tasks {

std::vector<RarityGroup> bleu_by_word_rarity(const TranslationEval& eval, const std::vector<data::SentencePair>& train) {
    std::map<std::string, int> src_count, tgt_count;  // each side counted on its own
    for (const data::SentencePair& p : train) {
        for (const std::string& w : p.src) ++src_count[w];
        for (const std::string& w : p.tgt) ++tgt_count[w];
    }
    auto rarest = [](const std::map<std::string, int>& counts, const Tokens& words) {
        int lowest = 1 << 30;
        for (const std::string& w : words) {
            const auto it = counts.find(w);
            lowest = std::min(lowest, it == counts.end() ? 0 : it->second);
        }
        return lowest;
    };
    std::vector<RarityGroup> groups{{"unseen", 0, 0.0}, {"rare", 0, 0.0}, {"common", 0, 0.0}};
    std::vector<std::vector<Tokens>> refs(3), hyps(3);
    for (const Translation& t : eval.translations) {
        const int lowest = std::min(rarest(src_count, t.src), rarest(tgt_count, t.ref));
        const size_t g = lowest == 0 ? 0 : lowest <= kRareCount ? 1 : 2;
        refs[g].push_back(t.ref);
        hyps[g].push_back(t.hyp);
    }
    for (size_t g = 0; g < groups.size(); ++g) {
        groups[g].sentences = int(refs[g].size());
        groups[g].bleu = refs[g].empty() ? 0.0 : corpus_bleu(refs[g], hyps[g]).bleu;
    }
    return groups;
}

UnseenWords unseen_target_words(const TranslationEval& eval, const std::vector<data::SentencePair>& train) {
    std::set<std::string> seen;
    for (const data::SentencePair& p : train) seen.insert(p.tgt.begin(), p.tgt.end());
    UnseenWords u;
    for (const Translation& t : eval.translations)
        for (const std::string& w : t.ref)
            if (seen.count(w) == 0) {
                ++u.in_references;
                u.written += std::find(t.hyp.begin(), t.hyp.end(), w) != t.hyp.end();
            }
    return u;
}

void report_bleu_by_word_rarity(const std::vector<RarityGroup>& groups, const UnseenWords& unseen, Report& report) {
    std::printf("test sentences by their rarest word (counted in the training split; rare = seen 1-%d times):\n", kRareCount);
    for (const RarityGroup& g : groups) {
        std::printf("  %-7s %5d sentences  BLEU %.4f\n", g.name.c_str(), g.sentences, g.bleu);
        report.set("test_bleu_" + g.name, g.bleu);
        report.set("test_sentences_" + g.name, g.sentences);
    }
    std::printf("reference words the training targets never had: %d, written by the model: %d (%.1f%%)\n",
                unseen.in_references, unseen.written, 100.0 * unseen.written / std::max(1, unseen.in_references));
    report.set("unseen_reference_words", unseen.in_references);
    report.set("unseen_reference_words_written", unseen.written);
}

}  // namespace tinyattn::tasks
