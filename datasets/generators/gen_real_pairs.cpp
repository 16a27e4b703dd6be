// gen_real_pairs.cpp — writes one English–French sentence-pair file that LOOKS like a real one:
// the Tatoeba format of manythings.org's fra.txt (`english<TAB>french<TAB>attribution`), raw text
// with capitals, punctuation (. , ? ! : « » "), accents, English contractions (don't, isn't, it's,
// I'm), French elision (l'ombrec, j'aime, qu'il, n'est) and a long Zipf tail of rare words.
//
// The words are invented (invented_lexicon.hpp): a few real ones at the head of each list, then
// thousands of pseudo-words drawn with Zipf frequencies, so most word types occur once or twice,
// as in a real file. French has more word types than English, as in real data: nouns have
// gender, adjectives four forms (m, f, m pl, f pl), verbs six persons, an infinitive and a
// participle, where English has -s and -ed.
//
// The translation is a grammar a seq2seq model can learn (each English sentence has exactly one
// French translation) with what makes it more than word-for-word substitution:
//   reordering       the brelmot cat          -> le chat brélmot          (adjective after the noun)
//                    Tom's car                -> la voiture de Tom
//   agreement        the small red cars       -> les petites voitures rouges; she is tired -> elle est fatiguée
//   one-to-two       don't see / didn't see   -> ne voit pas / n'a pas vu
//   two-to-one       to the market / of the   -> au marché / du
//   elision          the ombrec / I aime      -> l'ombrec / j'aime; que il -> qu'il
//   questions        Does Tom like cats?      -> Est-ce que Tom aime les chats ?
//   quotes           Tom said, "It's late."   -> Tom a dit : « C'est tard. »
// What it does NOT model: idioms, word senses, free word order, real frequencies of real words.
//
// usage: gen_real_pairs [--pairs 11000] [--seed 1] [--out real_en_fr.tsv] [--nouns 1500] ...
// (--help lists every flag with its default).
#include "real_pairs_lexicon.hpp"

#include "tinyattn/data/tokenizer.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <tuple>
#include <unordered_set>

using tinyattn::Rng;
using gen::Tokens;

namespace {

using gen::Adjective, gen::Lexicon, gen::Noun, gen::Verb, gen::chance;
using gen::kAvoir, gen::kEtre, gen::kPouvoir, gen::kRealVerbs;

// A subject or object in both languages, with what agreement needs.
struct Phrase {
    Tokens en, fr;
    int person = 2;  // 0 je, 1 tu, 2 il/elle, 3 nous, 4 vous, 5 ils/elles
    char gender = 'm';
    bool plural = false, indefinite = false;
    int sense = 0;  // of the noun (Noun::sense); pronouns and names are people
};

struct Grammar {
    const Lexicon& lex;
    gen::Zipf noun_rank, adjective_rank, verb_rank, name_rank;

    // The French form of adjective number r for a noun of this gender, number and sense.
    std::string adjective_form(int r, char gender, bool plural, int sense) const {
        const Adjective& a = lex.adjectives[size_t(sense)][size_t(r)];
        return plural ? (gender == 'f' ? a.f_pl : a.m_pl) : (gender == 'f' ? a.f : a.m);
    }

    Phrase name(Rng& rng) const {
        const int r = name_rank.sample(rng);
        return {{lex.names[size_t(r)]}, {lex.names[size_t(r)]}, 2, lex.name_gender[size_t(r)]};
    }

    // [det] [adjective] noun: the / a / my / Tom's / bare plural
    Phrase noun_phrase(Rng& rng, bool allow_indefinite) const {
        const Noun& n = lex.nouns[size_t(noun_rank.sample(rng))];
        Phrase p;
        p.gender = n.gender;
        p.sense = n.sense;
        const int kind = rng.randint(0, 20);
        p.indefinite = allow_indefinite && kind >= 16;
        p.plural = !p.indefinite && chance(rng, 30);
        p.person = p.plural ? 5 : 2;
        const int adj_rank = chance(rng, 25) ? adjective_rank.sample(rng) : -1;
        const Adjective* adj = adj_rank >= 0 ? &lex.adjectives[0][size_t(adj_rank)] : nullptr;
        const std::string fr_adj = adj ? adjective_form(adj_rank, n.gender, p.plural, n.sense) : "";
        static const std::vector<std::vector<std::string>> kPossessive = {
            {"my", "mon", "ma", "mes"}, {"your", "ton", "ta", "tes"}, {"his", "son", "sa", "ses"},
            {"her", "son", "sa", "ses"}, {"our", "notre", "notre", "nos"}, {"their", "leur", "leur", "leurs"}};
        Tokens owner_en, owner_fr;
        std::vector<std::string> det = {"the", "le", "la", "les"};
        if (p.indefinite) det = {"a", "un", "une", "des"};
        else if (kind >= 12) det = kPossessive[size_t(rng.randint(0, 6))];
        else if (kind >= 10) {  // Tom's car -> la voiture de Tom
            const Phrase who = name(rng);
            owner_en = {who.en[0] + "'s"};
            owner_fr = {"de", who.fr[0]};
        }
        const std::string en_noun = p.plural ? n.en_pl : n.en;
        if (!owner_en.empty()) p.en = owner_en;
        else p.en = {det[0] == "a" && gen::starts_with_vowel(adj ? adj->en : en_noun) ? "an" : det[0]};
        if (adj) p.en.push_back(adj->en);
        p.en.push_back(en_noun);
        p.fr = {p.plural ? det[3] : n.gender == 'f' ? det[2] : det[1]};
        if (adj && adj->before_noun) p.fr.push_back(fr_adj);
        p.fr.push_back(p.plural ? n.fr_pl : n.fr);
        if (adj && !adj->before_noun) p.fr.push_back(fr_adj);
        p.fr.insert(p.fr.end(), owner_fr.begin(), owner_fr.end());
        return p;
    }

    Phrase subject(Rng& rng) const {
        static const std::vector<std::tuple<std::string, std::string, int, char>> kPronouns = {
            {"I", "je", 0, 'm'}, {"you", "tu", 1, 'm'}, {"he", "il", 2, 'm'}, {"she", "elle", 2, 'f'},
            {"we", "nous", 3, 'm'}, {"they", "ils", 5, 'm'}};
        const int kind = rng.randint(0, 10);
        if (kind < 5) {
            const auto& [en, fr, person, gender] = kPronouns[size_t(rng.randint(0, int(kPronouns.size())))];
            Phrase p{{en}, {fr}, person, gender};
            p.plural = person >= 3;
            return p;
        }
        return kind < 7 ? name(rng) : noun_phrase(rng, true);
    }
};

void append(Tokens& a, const Tokens& b) { a.insert(a.end(), b.begin(), b.end()); }

struct Clause {
    Tokens en, fr;
};

// The English forms a contraction may shorten: "do not" -> "don't", "I am" -> "I'm".
Tokens english_not(const std::string& aux, bool contract) {
    if (!contract) return aux == "can" ? Tokens{"cannot"} : Tokens{aux, "not"};
    return {aux == "can" ? "can't" : aux == "will" ? "won't" : aux + "n't"};
}

// How a clause is said: negated ("don't"), a question ("Does Tom ...?" -> "Est-ce que Tom ... ?")
// or an imperative to "you" ("Wait for Tom!" -> "Attends Tom !").
struct Form {
    bool negated = false, question = false, imperative = false;
};

// English subject and auxiliary in the order the form wants: "Tom doesn't" / "does Tom" / "don't".
void english_head(Clause& c, const Phrase& subj, const std::string& aux, bool needs_aux, const Form& form, bool contract) {
    if (form.question) {
        c.en.push_back(aux);
        append(c.en, subj.en);
        return;
    }
    if (!form.imperative) append(c.en, subj.en);
    if (form.negated) append(c.en, english_not(aux, contract));
    else if (needs_aux) c.en.push_back(aux);
}

// subject verb object [place]: present, past (passé composé) or with "want to" / "can".
Clause action(const Grammar& g, Rng& rng, const Phrase& subj, const Form& form) {
    Phrase obj = g.noun_phrase(rng, true);
    const Verb& v = g.lex.verbs[size_t(obj.sense)][size_t(g.verb_rank.sample(rng))];
    if (form.negated && obj.indefinite) obj.fr[0] = "de";  // il ne voit pas de chat
    const bool contract = chance(rng, 70), plain = !form.negated && !form.question;
    const int tense = form.imperative ? 0 : rng.randint(0, 12);  // 0-4 present, 5-7 past, 8 want to, 9 can, 10-11 future
    const size_t person = size_t(subj.person);
    const std::string does = subj.person == 2 ? "does" : "do";
    Clause c;
    if (form.question) c.fr = {"est-ce", "que"};
    if (!form.imperative) append(c.fr, subj.fr);
    std::string fr_verb;  // the conjugated French word: ne ... pas goes around it
    if (tense < 5) {
        english_head(c, subj, does, false, form, contract);
        append(c.en, gen::split_words(plain && subj.person == 2 ? v.en_3sg : v.en));
        // the imperative is the tu form, without the s of -er verbs: (tu) écoutes -> écoute
        fr_verb = form.imperative && v.fr[1].size() > 2 && v.fr[1].compare(v.fr[1].size() - 2, 2, "es") == 0 ? v.fr[0]
                                                                                                          : v.fr[person];
    } else if (tense < 8) {
        english_head(c, subj, "did", false, form, contract);
        append(c.en, gen::split_words(plain ? v.en_past : v.en));
        fr_verb = kAvoir[person];
    } else if (tense == 8) {
        english_head(c, subj, does, false, form, contract);
        append(c.en, {plain && subj.person == 2 ? "wants" : "want", "to"});
        append(c.en, gen::split_words(v.en));
        fr_verb = kRealVerbs[2].fr[person];  // vouloir
    } else if (tense >= 10) {  // will see -> verrai, verras, ...
        english_head(c, subj, "will", true, form, contract);
        append(c.en, gen::split_words(v.en));
        static const std::vector<std::string> kFuture = {"ai", "as", "a", "ons", "ez", "ont"};
        fr_verb = v.fr_future + kFuture[person];
    } else {
        english_head(c, subj, "can", true, form, contract);
        append(c.en, gen::split_words(v.en));
        fr_verb = kPouvoir[person];
    }
    append(c.fr, form.negated ? Tokens{"ne", fr_verb, "pas"} : Tokens{fr_verb});
    if (tense >= 5 && tense < 10) c.fr.push_back(tense < 8 ? v.fr_part : v.fr_inf);
    append(c.en, obj.en);
    append(c.fr, obj.fr);
    if (chance(rng, 25)) {  // a place or company: in / with / near / to
        static const std::vector<std::pair<Tokens, Tokens>> kPrepositions = {
            {{"in"}, {"dans"}}, {{"with"}, {"avec"}}, {{"near"}, {"près", "de"}}, {{"to"}, {"à"}}};
        const auto& [en, fr] = kPrepositions[size_t(rng.randint(0, 4))];
        const Phrase where = g.noun_phrase(rng, false);
        append(c.en, en);
        append(c.en, where.en);
        append(c.fr, fr);
        append(c.fr, where.fr);
    }
    return c;
}

// subject is [not] adjective: the adjective agrees with the subject ("it" -> "c'est").
Clause be_adjective(const Grammar& g, Rng& rng, Phrase subj, const Form& form) {
    const int r = g.adjective_rank.sample(rng);
    const Adjective& a = g.lex.adjectives[0][size_t(r)];
    if (chance(rng, 15)) subj = Phrase{{"it"}, {"ce"}, 2, 'm', false, false, 2};
    const bool pronoun = subj.en.size() == 1 && subj.fr.size() == 1 && std::islower(static_cast<unsigned char>(subj.fr[0][0]));
    const bool contract = pronoun && chance(rng, 60);
    static const std::vector<std::string> kBe = {"am", "are", "is", "are", "are", "are"};
    const std::string be = kBe[size_t(subj.person)];
    Clause c;
    if (form.question) {
        c.en = {be};
        append(c.en, subj.en);
        c.fr = {"est-ce", "que"};
    } else if (contract) {  // I'm, you're, it's, they aren't, I'm not
        static const std::vector<std::string> kShort = {"'m", "'re", "'s", "'re", "'re", "'re"};
        c.en = {subj.en[0]};
        if (!form.negated || subj.person == 0) c.en.back() += kShort[size_t(subj.person)];
        else c.en.push_back(be + "n't");
        if (form.negated && subj.person == 0) c.en.push_back("not");
    } else {
        c.en = subj.en;
        c.en.push_back(be);
        if (form.negated) c.en.push_back("not");
    }
    c.en.push_back(a.en);
    append(c.fr, subj.fr);
    const std::string etre = kEtre[size_t(subj.person)];
    append(c.fr, form.negated ? Tokens{"ne", etre, "pas"} : Tokens{etre});
    c.fr.push_back(g.adjective_form(r, subj.gender, subj.plural, subj.sense));
    return c;
}

// The French spelling rules that depend on the next word, over a whole sentence: le/la -> l',
// ma/ta/sa -> mon/ton/son before a vowel; de le -> du, de les -> des, à le -> au, à les -> aux;
// je, ne, de, ce -> j', n', d', c' and que -> qu' before a vowel (a capital is kept: "J'").
bool vowel_next(const std::string& w) {
    std::string lower = w;
    if (!lower.empty() && lower[0] >= 'A' && lower[0] <= 'Z') lower[0] = char(lower[0] - 'A' + 'a');
    return gen::starts_with_vowel(lower);
}
Tokens finish_french(const Tokens& in) {
    Tokens t;
    for (size_t i = 0; i < in.size(); ++i) {
        const std::string next = i + 1 < in.size() ? in[i + 1] : "";
        if ((in[i] == "de" || in[i] == "à") && (next == "le" || next == "les")) {
            t.push_back(in[i] == "de" ? (next == "le" ? "du" : "des") : (next == "le" ? "au" : "aux"));
            ++i;
        } else {
            t.push_back(in[i]);
        }
    }
    static const std::map<std::string, std::string> kElided = {
        {"le", "l'"}, {"la", "l'"}, {"je", "j'"}, {"ne", "n'"}, {"de", "d'"}, {"ce", "c'"},
        {"que", "qu'"}, {"ma", "mon"}, {"ta", "ton"}, {"sa", "son"}};
    for (size_t i = 0; i + 1 < t.size(); ++i) {
        const bool capital = t[i][0] >= 'A' && t[i][0] <= 'Z';
        std::string lower = t[i];
        if (capital) lower[0] = char(lower[0] - 'A' + 'a');
        if (kElided.count(lower) && vowel_next(t[i + 1]))
            t[i] = capital ? gen::capitalize(kElided.at(lower)) : kElided.at(lower);
    }
    return t;
}

// Tokens to text the way each language is typed: no space before . , and after an elision; in
// French a narrow no-break space (U+202F) before ? ! : and inside « », as in Tatoeba's French.
// "<q" and "q>" are the opening and closing quotes.
std::string render(const Tokens& tokens, bool french) {
    const std::string thin = "\u202f";
    std::string out;
    for (size_t i = 0; i < tokens.size(); ++i) {
        const std::string& t = tokens[i];
        const std::string shown = t == "<q" ? (french ? "«" : "\"") : t == "q>" ? (french ? "»" : "\"") : t;
        const bool glued_before = t == "." || t == "," || (!french && (t == "?" || t == "!" || t == "q>"));
        const bool thin_before = french && (t == "?" || t == "!" || t == ":" || t == "q>");
        const bool glued_after_prev = i > 0 && (tokens[i - 1].back() == '\'' || (!french && tokens[i - 1] == "<q"));
        if (i > 0) out += glued_before || glued_after_prev ? "" : thin_before || (french && tokens[i - 1] == "<q") ? thin : " ";
        out += shown;
    }
    return out;
}

Clause capitalized(Clause c) {
    c.en[0] = gen::capitalize(c.en[0]);
    c.fr[0] = gen::capitalize(c.fr[0]);
    return c;
}

// One sentence pair: a statement, a question, an imperative, a quote or two joined clauses.
Clause sentence(const Grammar& g, Rng& rng) {
    const int kind = rng.randint(0, 100);
    const auto clause = [&](Form form) {
        const Phrase subj = g.subject(rng);
        return chance(rng, 70) ? action(g, rng, subj, form) : be_adjective(g, rng, subj, form);
    };
    const auto statement = [&] { return clause(Form{chance(rng, 30), false, false}); };
    Clause c;
    if (kind < 50) {  // Tom doesn't like cats.
        c = capitalized(statement());
        c.en.push_back(chance(rng, 10) ? "!" : ".");
        c.fr.push_back(c.en.back());
    } else if (kind < 65) {  // Does Tom like cats? -> Est-ce que Tom aime les chats ?
        c = capitalized(clause(Form{false, true, false}));
        c.en.push_back("?");
        c.fr.push_back("?");
    } else if (kind < 75) {  // Listen to the cat! / Don't wait for Tom.
        c = capitalized(action(g, rng, Phrase{{"you"}, {"tu"}, 1, 'm'}, Form{chance(rng, 40), false, true}));
        c.en.push_back(chance(rng, 50) ? "!" : ".");
        c.fr.push_back(c.en.back());
    } else if (kind < 85) {  // Tom said, "It's late." -> Tom a dit : « C'est tard. »
        const Phrase who = g.name(rng);
        const Clause q = capitalized(statement());
        c.en = {who.en[0], "said", ",", "<q"};
        append(c.en, q.en);
        append(c.en, {".", "q>"});
        c.fr = {who.fr[0], "a", "dit", ":", "<q"};
        append(c.fr, q.fr);
        append(c.fr, {".", "q>"});
    } else {  // two clauses: ", but" / "because"
        const bool but = chance(rng, 50);
        c = capitalized(statement());
        const Clause second = statement();
        append(c.en, but ? Tokens{",", "but"} : Tokens{"because"});
        append(c.fr, but ? Tokens{",", "mais"} : Tokens{"parce", "que"});
        append(c.en, second.en);
        append(c.fr, second.fr);
        c.en.push_back(".");
        c.fr.push_back(".");
    }
    c.fr = finish_french(c.fr);
    return c;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        const gen::Flags f = gen::parse_flags(argc, argv, "gen_real_pairs",
                                              {{"pairs", "11000"}, {"seed", "1"}, {"out", "real_en_fr.tsv"},
                                               {"nouns", "1500"}, {"adjectives", "5000"}, {"verbs", "20000"},
                                               {"names", "600"}, {"zipf", "1.39"}, {"name-zipf", "1.5"}});
        Rng rng(uint64_t(f.number("seed")));
        const Lexicon lex = gen::make_lexicon(rng, int(f.number("nouns")), int(f.number("adjectives")),
                                         int(f.number("verbs")), int(f.number("names")));
        const double s = f.real("zipf");
        const Grammar g{lex, gen::Zipf(int(lex.nouns.size()), s), gen::Zipf(int(lex.adjectives[0].size()), s),
                        gen::Zipf(int(lex.verbs[0].size()), s), gen::Zipf(int(lex.names.size()), f.real("name-zipf"))};
        const long want = f.number("pairs");
        const std::filesystem::path parent = std::filesystem::path(f.text("out")).parent_path();
        if (!parent.empty()) std::filesystem::create_directories(parent);
        std::ofstream out(f.text("out"), std::ios::binary);
        if (!out) throw std::runtime_error("gen_real_pairs: cannot write " + f.text("out"));
        std::unordered_set<std::string> seen;  // one line per English sentence: it has one translation
        std::map<std::string, int> en_types, fr_types;
        std::map<size_t, long> lengths;
        long attempts = 0;
        while (long(seen.size()) < want) {
            if (++attempts > 50 * (want + 100)) throw std::runtime_error("gen_real_pairs: lexicon too small for --pairs");
            const Clause c = sentence(g, rng);
            const std::string en = render(c.en, false), fr = render(c.fr, true);
            const Tokens en_tokens = tinyattn::data::tokenize(en, "en"), fr_tokens = tinyattn::data::tokenize(fr, "fr");
            if (en_tokens.size() < 3 || en_tokens.size() > 25 || fr_tokens.size() < 3 || fr_tokens.size() > 25) continue;
            if (!seen.insert(en).second) continue;
            for (const std::string& t : en_tokens) ++en_types[t];
            for (const std::string& t : fr_tokens) ++fr_types[t];
            ++lengths[en_tokens.size()];
            out << en << '\t' << fr << "\tgenerated by gen_real_pairs --seed " << f.text("seed") << ", pair #"
                << seen.size() << '\n';
        }
        const auto singletons = [](const std::map<std::string, int>& types) {
            long n = 0;
            for (const auto& [t, count] : types) n += count == 1;
            return 100.0 * double(n) / double(types.size());
        };
        std::printf("wrote %s: %ld pairs\n", f.text("out").c_str(), want);
        std::printf("word types (tinyattn's tokenizer): English %zu (%.0f%% seen once), French %zu (%.0f%% seen once)\n",
                    en_types.size(), singletons(en_types), fr_types.size(), singletons(fr_types));
        std::printf("English length (tokens): ");
        for (const auto& [len, n] : lengths) std::printf("%zu:%ld ", len, n);
        std::printf("\n");
        return 0;
    } catch (const std::exception& e) {
        std::cerr << e.what() << "\n";
        return 1;
    }
}
