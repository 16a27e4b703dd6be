// real_pairs_lexicon.hpp — the vocabulary of gen_real_pairs: a few real English–French words at
// the head of each list, then thousands of invented ones (invented_lexicon.hpp), with the French
// inflection that gives French more word types than English.
// This header is for the generators only; it is not part of the tinyattn library.
#pragma once

#include "invented_lexicon.hpp"

namespace gen {

using Tokens = std::vector<std::string>;

inline bool chance(tinyattn::Rng& rng, int percent) { return rng.randint(0, 100) < percent; }

struct Noun {
    std::string en, en_pl, fr, fr_pl;
    char gender;
    int sense = 0;  // 0 people, 1 animals, 2 things: picks the French word of a verb or adjective
};
struct Adjective {
    std::string en, m, f, m_pl, f_pl;
    bool before_noun;
};
struct Verb {
    std::string en, en_3sg, en_past;  // "listen to", "listens to", "listened to"
    Tokens fr;                        // je tu il nous vous ils
    std::string fr_inf, fr_part, fr_future;  // future stem: aimer-ai, verr-ai
};

// The head of each list: real words, the most frequent ranks.
inline const std::vector<Noun> kRealNouns = {
    {"cat", "cats", "chat", "chats", 'm', 1},         {"dog", "dogs", "chien", "chiens", 'm', 1},
    {"house", "houses", "maison", "maisons", 'f', 2}, {"car", "cars", "voiture", "voitures", 'f', 2},
    {"book", "books", "livre", "livres", 'm', 2},     {"friend", "friends", "ami", "amis", 'm', 0},
    {"man", "men", "homme", "hommes", 'm', 0},        {"woman", "women", "femme", "femmes", 'f', 0},
    {"child", "children", "enfant", "enfants", 'm', 0}, {"letter", "letters", "lettre", "lettres", 'f', 2},
    {"apple", "apples", "pomme", "pommes", 'f', 2},   {"school", "schools", "école", "écoles", 'f', 2},
    {"door", "doors", "porte", "portes", 'f', 2},     {"hotel", "hotels", "hôtel", "hôtels", 'm', 2},
};
inline const std::vector<Adjective> kRealAdjectives = {
    {"big", "grand", "grande", "grands", "grandes", true},   {"small", "petit", "petite", "petits", "petites", true},
    {"good", "bon", "bonne", "bons", "bonnes", true},        {"red", "rouge", "rouge", "rouges", "rouges", false},
    {"tired", "fatigué", "fatiguée", "fatigués", "fatiguées", false},
    {"happy", "heureux", "heureuse", "heureux", "heureuses", false},
    {"sick", "malade", "malade", "malades", "malades", false},         {"ready", "prêt", "prête", "prêts", "prêtes", false},
};
inline const std::vector<Verb> kRealVerbs = {
    {"like", "likes", "liked", {"aime", "aimes", "aime", "aimons", "aimez", "aiment"}, "aimer", "aimé", "aimer"},
    {"see", "sees", "saw", {"vois", "vois", "voit", "voyons", "voyez", "voient"}, "voir", "vu", "verr"},
    {"want", "wants", "wanted", {"veux", "veux", "veut", "voulons", "voulez", "veulent"}, "vouloir", "voulu", "voudr"},
    {"listen to", "listens to", "listened to", {"écoute", "écoutes", "écoute", "écoutons", "écoutez", "écoutent"},
     "écouter", "écouté", "écouter"},
    {"wait for", "waits for", "waited for", {"attends", "attends", "attend", "attendons", "attendez", "attendent"},
     "attendre", "attendu", "attendr"},
    {"find", "finds", "found", {"trouve", "trouves", "trouve", "trouvons", "trouvez", "trouvent"}, "trouver", "trouvé", "trouver"},
    {"help", "helps", "helped", {"aide", "aides", "aide", "aidons", "aidez", "aident"}, "aider", "aidé", "aider"},
};
inline const Tokens kAvoir = {"ai", "as", "a", "avons", "avez", "ont"}, kEtre = {"suis", "es", "est", "sommes", "êtes", "sont"};
inline const Tokens kPouvoir = {"peux", "peux", "peut", "pouvons", "pouvez", "peuvent"};

// Word senses: an invented verb or adjective has one French translation per noun class (people,
// animals, things), chosen by its object or the noun it describes — as English "take" is
// "emmener" for a person and "prendre" for a thing. The choice is a rule of the sentence, so the
// translation stays a function; it is also why French has more word types than English.
inline constexpr int kSenses = 3;
struct Lexicon {
    std::vector<Noun> nouns;
    std::vector<std::vector<Adjective>> adjectives;  // [sense][rank]; the English word is the same
    std::vector<std::vector<Verb>> verbs;
    std::vector<std::string> names;
    std::vector<char> name_gender;
};

inline std::string plural_s(const std::string& w) {
    const auto ends = [&](const std::string& e) { return w.size() >= e.size() && w.compare(w.size() - e.size(), e.size(), e) == 0; };
    return w + (ends("s") || ends("sh") || ends("ch") || ends("x") || ends("o") ? "es" : "s");
}

// -e for the feminine, -s for the plural: brélmot, brélmote, brélmots, brélmotes.
inline Adjective regular_adjective(const std::string& en, const std::string& m) {
    const std::string f = m.back() == 'e' ? m : m + "e";
    return {en, m, f, m + "s", f + "s", false};
}

// A regular -er verb: stem + endings (je brélmote, nous brélmotons, brélmoter, brélmoté).
inline Verb regular_verb(const std::string& en, const std::string& stem) {
    const std::string past = en + (en.back() == 'e' ? "d" : "ed");
    return {en, plural_s(en), past, {stem + "e", stem + "es", stem + "e", stem + "ons", stem + "ez", stem + "ent"},
            stem + "er", stem + "é", stem + "er"};
}

// Real heads, then invented tails; names are invented words with a capital.
inline Lexicon make_lexicon(tinyattn::Rng& rng, int n_nouns, int n_adjectives, int n_verbs, int n_names) {
    std::set<std::string> taken;
    for (const Noun& n : kRealNouns) taken.insert({"en:" + n.en, "fr:" + n.fr});
    Lexicon lex{kRealNouns, std::vector<std::vector<Adjective>>(kSenses, kRealAdjectives),
                std::vector<std::vector<Verb>>(kSenses, kRealVerbs), {"Tom", "Mary", "John", "Alice"}, {'m', 'f', 'm', 'f'}};
    for (const gen::WordPair& w : gen::invent_words(rng, n_nouns, taken)) {
        const char g = chance(rng, 45) ? 'f' : 'm';
        std::string fr = w.fr;
        if (g == 'f' && fr.back() != 'e') fr += "e";  // feminine nouns mostly end in -e
        lex.nouns.push_back({w.en, plural_s(w.en), fr, fr + (fr.back() == 's' ? "" : "s"), g, rng.randint(0, kSenses)});
    }
    // kSenses French words for each invented English adjective and verb.
    const std::vector<gen::WordPair> adjectives = gen::invent_words(rng, n_adjectives, taken),
                                     verbs = gen::invent_words(rng, n_verbs, taken);
    for (int sense = 0; sense < kSenses; ++sense) {
        const std::vector<gen::WordPair> fr_adjectives = sense ? gen::invent_words(rng, n_adjectives, taken) : adjectives,
                                         fr_verbs = sense ? gen::invent_words(rng, n_verbs, taken) : verbs;
        for (size_t i = 0; i < adjectives.size(); ++i)
            lex.adjectives[size_t(sense)].push_back(regular_adjective(adjectives[i].en + "y", fr_adjectives[i].fr));
        for (size_t i = 0; i < verbs.size(); ++i)
            lex.verbs[size_t(sense)].push_back(regular_verb(verbs[i].en, fr_verbs[i].fr));
    }
    for (const gen::WordPair& w : gen::invent_words(rng, n_names, taken)) {
        lex.names.push_back(gen::capitalize(w.en));
        lex.name_gender.push_back(chance(rng, 50) ? 'f' : 'm');
    }
    return lex;
}

}  // namespace gen
