// rare_words.hpp — how a translation model does on the test sentences with rare words.
//
// A word-level model has never seen a test word that is not in its training split (it reads
// <unk>, and it cannot write it); a BPE model writes it from pieces (tasks/subword_data.hpp).
// To compare the two, the test sentences are grouped by their rarest WORD — counted on the
// training split's words, both sides, whatever the model reads — so both runs score the same
// groups:
//   unseen  a word (source or reference) the training split never had
//   rare    no unseen word, but one seen 1 to kRareCount times
//   common  every word seen more than kRareCount times
#pragma once
#include <string>
#include <vector>

#include "tinyattn/app/lesson_cli.hpp"
#include "tinyattn/tasks/translation_eval.hpp"

namespace tinyattn::tasks {

inline constexpr int kRareCount = 4;

struct RarityGroup {
    std::string name;  // "unseen", "rare", "common"
    int sentences = 0;
    double bleu = 0.0;  // corpus BLEU-4 (0 to 1) of the group's translations, in words
};

// The three groups of eval's translations (their words: src, ref, hyp), with their corpus BLEU.
std::vector<RarityGroup> bleu_by_word_rarity(const TranslationEval& eval, const std::vector<data::SentencePair>& train);

// The reference words the training split's targets never had: how many, and how many of them the
// model wrote (anywhere in its output for that sentence). A word-level model can write none of them.
struct UnseenWords {
    int in_references = 0, written = 0;
};
UnseenWords unseen_target_words(const TranslationEval& eval, const std::vector<data::SentencePair>& train);

// Prints one line per group ("  unseen    212 sentences  BLEU 0.0810") and adds them to the
// lesson's report as test_bleu_<group> and test_sentences_<group>.
// Then the unseen target words (unseen_* in the report).
void report_bleu_by_word_rarity(const std::vector<RarityGroup>& groups, const UnseenWords& unseen, Report& report);

}  // namespace tinyattn::tasks
