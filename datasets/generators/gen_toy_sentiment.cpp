// gen_toy_sentiment.cpp — writes datasets/toy-sentiment/{train,valid,test}.tsv: short reviews
// of movies, restaurants and books, "text<TAB>label<TAB>phenomenon", label pos / neg.
//
// The label is a fixed rule of the text (no noise), chosen so that word ORDER matters:
//   plain        the acting was superb .                          pos
//   intensifier  the food was extremely bad .                     neg
//   hedge        the plot was somewhat good .                     pos   (hedges never flip)
//   negation     the service was not bad at all .                 pos
//                the plot was not dull and the acting was superb . pos   (scope of "not")
//                the plot was dull and the acting was not superb . neg   (same words!)
//                the pacing is never boring .                     pos
//   contrast     the plot was dull but the acting was superb .    pos   (after "but" decides)
//                the plot was superb but the acting was dull .    neg   (same words!)
//                although the food was bad , the staff were great . pos (the main clause decides)
//                the staff were great , although the food was bad . pos
// In negation and contrast every sentiment word is as often on the winning side as on the
// losing side, and many sentences have a twin with the same bag of words and the other label:
// a bag-of-words model cannot beat chance on those, a model that sees order can.
// Labels are balanced overall and within every phenomenon (each example draws its label
// first, then a sentence that has it).
//
// It also writes lexicon.tsv, "word<TAB>class": the class of every word the grammar uses to carry
// sentiment (positive, negative, negator, intensifier, hedge, contrast); every other word is
// "other". Lesson 15 measures how much attention each class gets.
//
// usage: gen_toy_sentiment [--seed N] [--out DIR]
#include "generator_common.hpp"

using gen::Tokens;
using gen::append;
using gen::chance;
using gen::pick;
using tinyattn::Rng;

namespace {

struct Aspect {
    std::string word;
    bool plural;  // "the characters were"
};

struct Domain {
    std::vector<std::string> names;  // "this movie was great"
    std::vector<Aspect> aspects;
};

const std::vector<Domain> kDomains = {
    {{"movie", "film"},
     {{"plot", false}, {"acting", false}, {"music", false}, {"ending", false}, {"dialogue", false},
      {"cast", false}, {"soundtrack", false}, {"characters", true}, {"effects", true}}},
    {{"restaurant", "place"},
     {{"food", false}, {"service", false}, {"dessert", false}, {"pasta", false}, {"wine", false},
      {"atmosphere", false}, {"staff", true}, {"waiters", true}, {"portions", true}}},
    {{"book", "novel"},
     {{"story", false}, {"writing", false}, {"ending", false}, {"prose", false}, {"pacing", false},
      {"humour", false}, {"characters", true}, {"chapters", true}, {"descriptions", true}}},
};

// Sentiment words, index 0 positive, 1 negative.
const std::vector<std::vector<std::string>> kAdjectives = {
    {"good", "great", "excellent", "superb", "wonderful", "brilliant", "lovely", "fantastic"},
    {"bad", "terrible", "awful", "dull", "boring", "poor", "weak", "disappointing"}};
const std::vector<std::vector<std::string>> kVerbs = {{"loved", "enjoyed", "liked"}, {"hated", "disliked"}};

const std::vector<std::string> kIntensifiers = {"very", "extremely", "really", "incredibly", "truly"};
const std::vector<std::string> kHedges = {"somewhat", "fairly", "rather", "kind of", "slightly"};
const std::vector<std::string> kOpeners = {"overall ,", "honestly ,", "i think", "in my opinion ,"};

enum Polarity { POS = 0, NEG = 1 };
Polarity flip(Polarity p) { return p == POS ? NEG : POS; }

const Aspect& pick_aspect(Rng& rng, const Domain& d, const std::string& avoid = "") {
    for (;;) {
        const Aspect& a = pick(rng, d.aspects);
        if (a.word != avoid) return a;
    }
}

// "the plot was [modifier] superb" — modifier is "", or words from kIntensifiers / kHedges.
Tokens clause(const Aspect& a, const std::string& modifier, const std::string& adjective, bool negated = false) {
    Tokens t = {"the", a.word, a.plural ? "were" : "was"};
    if (negated) t.push_back("not");
    append(t, gen::split(modifier));
    t.push_back(adjective);
    return t;
}

// A clause of polarity p for contrast sentences: "the X was ADJ" or "i loved the X".
Tokens polar_clause(Rng& rng, const Aspect& a, Polarity p) {
    if (chance(rng, 20)) return {"i", pick(rng, kVerbs[p]), "the", a.word};
    std::string modifier;
    if (chance(rng, 20)) modifier = pick(rng, chance(rng, 50) ? kIntensifiers : kHedges);
    return clause(a, modifier, pick(rng, kAdjectives[p]));
}

// plain / intensifier / hedge: every sentiment word has the polarity p.
Tokens plain(Rng& rng, const Domain& d, Polarity p, const std::vector<std::string>* modifiers) {
    auto mod = [&]() { return modifiers ? pick(rng, *modifiers) : std::string(); };
    const int form = rng.randint(0, 10);
    if (form < 4) return clause(pick_aspect(rng, d), mod(), pick(rng, kAdjectives[p]));
    if (form < 6) {
        Tokens t = {"this", pick(rng, d.names), "was"};
        append(t, gen::split(mod()));
        t.push_back(pick(rng, kAdjectives[p]));
        return t;
    }
    if (form < 8 || modifiers) {  // two clauses that agree; the modifier on one of them
        const Aspect& a = pick_aspect(rng, d);
        const bool first = chance(rng, 50);
        Tokens t = clause(a, first ? mod() : "", pick(rng, kAdjectives[p]));
        t.push_back("and");
        append(t, clause(pick_aspect(rng, d, a.word), first ? "" : mod(), pick(rng, kAdjectives[p])));
        return t;
    }
    if (form < 9) return {"i", pick(rng, kVerbs[p]), "the", pick_aspect(rng, d).word};
    const std::string adj = pick(rng, kAdjectives[p]);
    return {std::string("aeiou").find(adj[0]) != std::string::npos ? "an" : "a", adj, pick(rng, d.names)};
}

// negation: "not" (or "never") in front of a word of the opposite polarity.
Tokens negation(Rng& rng, const Domain& d, Polarity p) {
    const int form = rng.randint(0, 20);
    const Aspect& a = pick_aspect(rng, d);
    if (form < 7) {  // the food was not bad [at all]
        Tokens t = clause(a, "", pick(rng, kAdjectives[flip(p)]), true);
        if (chance(rng, 30)) append(t, {"at", "all"});
        return t;
    }
    if (form < 16) {  // one negated clause and one plain clause, in either order, that agree
        const Aspect& b = pick_aspect(rng, d, a.word);
        std::string modifier;
        if (chance(rng, 20)) modifier = pick(rng, chance(rng, 50) ? kIntensifiers : kHedges);
        Tokens negated = clause(a, "", pick(rng, kAdjectives[flip(p)]), true);
        Tokens straight = clause(b, modifier, pick(rng, kAdjectives[p]));
        const bool negated_first = chance(rng, 50);
        Tokens t = negated_first ? negated : straight;
        t.push_back("and");
        append(t, negated_first ? straight : negated);
        return t;
    }
    return {"the", a.word, a.plural ? "are" : "is", "never", pick(rng, kAdjectives[flip(p)])};  // never boring
}

// contrast: two clauses of opposite polarity; the one after "but" / the main clause decides.
Tokens contrast(Rng& rng, const Domain& d, Polarity p) {
    const Aspect& a = pick_aspect(rng, d);
    const Aspect& b = pick_aspect(rng, d, a.word);
    const Tokens loser = polar_clause(rng, a, flip(p)), winner = polar_clause(rng, b, p);
    const int form = rng.randint(0, 4);
    Tokens t;
    if (form < 2) {  // loser but winner
        t = loser;
        t.push_back("but");
        append(t, winner);
    } else if (form == 2) {  // although loser , winner
        t = {"although"};
        append(t, loser);
        t.push_back(",");
        append(t, winner);
    } else {  // winner , although loser
        t = winner;
        append(t, {",", "although"});
        append(t, loser);
    }
    return t;
}

gen::Example make_example(Rng& rng, const std::string& phenomenon, Polarity p) {
    for (;;) {
        const Domain& d = pick(rng, kDomains);
        Tokens t;
        if (chance(rng, 20)) t = gen::split(pick(rng, kOpeners));
        if (phenomenon == "plain") append(t, plain(rng, d, p, nullptr));
        if (phenomenon == "intensifier") append(t, plain(rng, d, p, &kIntensifiers));
        if (phenomenon == "hedge") append(t, plain(rng, d, p, &kHedges));
        if (phenomenon == "negation") append(t, negation(rng, d, p));
        if (phenomenon == "contrast") append(t, contrast(rng, d, p));
        t.push_back(".");
        if (t.size() >= 4 && t.size() <= 20) return gen::Example{{gen::join(t), p == POS ? "pos" : "neg", phenomenon}};
    }
}

// Every (phenomenon, label) cell gets a fixed share of every split, so labels are exactly
// balanced overall and within each phenomenon, in train, valid and test alike.
gen::Splits make_splits(Rng& rng) {
    const std::vector<std::pair<std::string, int>> percent = {
        {"plain", 24}, {"negation", 28}, {"contrast", 28}, {"intensifier", 10}, {"hedge", 10}};
    const int n_train = 20000, n_valid = 1000, n_test = 1000;
    gen::UniqueExamples seen;
    gen::Splits all;
    for (const auto& [phenomenon, share] : percent)
        for (const Polarity p : {POS, NEG}) {
            const int train = n_train * share / 200, valid = n_valid * share / 200, test = n_test * share / 200;
            const auto make = [&, phenomenon = phenomenon](Rng& r) { return make_example(r, phenomenon, p); };
            gen::append_splits(all, gen::split_examples(gen::generate_unique(rng, train + valid + test, make, seen),
                                                        valid, test, rng));
        }
    gen::shuffle_splits(all, rng);  // mix the cells so the files do not list all "plain" examples first
    return all;
}

// lexicon.tsv: one line per word of the lists above, with its class.
int write_lexicon(const std::string& dir) {
    std::ofstream out(dir + "/lexicon.tsv");
    out << "word\tclass\n";
    auto write = [&](const std::vector<std::string>& phrases, const char* word_class) {
        for (const std::string& phrase : phrases)
            for (const std::string& word : gen::split(phrase)) out << word << "\t" << word_class << "\n";
    };
    for (const Polarity p : {POS, NEG}) {
        write(kAdjectives[p], p == POS ? "positive" : "negative");
        write(kVerbs[p], p == POS ? "positive" : "negative");
    }
    write({"not", "never"}, "negator");
    write(kIntensifiers, "intensifier");
    write(kHedges, "hedge");
    write({"but", "although"}, "contrast");
    if (!out) {
        std::cerr << "gen_toy_sentiment: cannot write " << dir << "/lexicon.tsv\n";
        return 1;
    }
    std::cout << "wrote " << dir << "/lexicon.tsv\n";
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    const int status =
        gen::run_generator(argc, argv, "toy-sentiment", {"text", "label", "phenomenon"}, 1, make_splits);
    return status != 0 ? status : write_lexicon(gen::parse_args(argc, argv, "toy-sentiment").out);
}
