// gen_toy_en_fr.cpp — writes datasets/toy-en-fr/{train,valid,test}.tsv: English sentences
// from a small grammar and their French translations, "english<TAB>french".
//
// The grammar is small (a few hundred words) but it contains the things that make
// translation more than word-for-word substitution, so attention maps have something to show:
//   reordering      the red car            -> la voiture rouge       (most adjectives follow the noun)
//   agreement       the small red cars     -> les petites voitures rouges
//   one-to-two      does not see           -> ne voit pas
//   two-to-one      of the cat / to the market -> du chat / au marché  (de+le, à+le, de+les, à+les)
//   elision         the man / I like       -> l' homme / j' aime, ne -> n', de -> d'
//   possessives     my car / my school     -> ma voiture / mon école (agree with the noun)
//   negated objects does not have a car    -> n' a pas de voiture
// Present tense, one clause, optional adjective, prepositional phrase and negation.
// Tokens are separated by single spaces; an elided word keeps its apostrophe ("l'").
// Each English sentence has exactly one French translation ("you" is always "tu",
// "you all" is "vous"), so the corpus is a function the model can learn exactly.
//
// usage: gen_toy_en_fr [--seed N] [--out DIR]
#include "generator_common.hpp"

using gen::Tokens;
using gen::chance;
using gen::pick;
using tinyattn::Rng;

namespace {

// Categories: p person, a animal, o object, f food, l place.
struct Noun {
    std::string en, en_pl, fr, fr_pl;
    char gender;  // 'm' or 'f'
    char cat;
};

const std::vector<Noun> kNouns = {
    {"man", "men", "homme", "hommes", 'm', 'p'},          {"woman", "women", "femme", "femmes", 'f', 'p'},
    {"boy", "boys", "garçon", "garçons", 'm', 'p'},        {"girl", "girls", "fille", "filles", 'f', 'p'},
    {"child", "children", "enfant", "enfants", 'm', 'p'}, {"teacher", "teachers", "professeur", "professeurs", 'm', 'p'},
    {"doctor", "doctors", "médecin", "médecins", 'm', 'p'}, {"mother", "mothers", "mère", "mères", 'f', 'p'},
    {"father", "fathers", "père", "pères", 'm', 'p'},     {"uncle", "uncles", "oncle", "oncles", 'm', 'p'},
    {"aunt", "aunts", "tante", "tantes", 'f', 'p'},       {"actress", "actresses", "actrice", "actrices", 'f', 'p'},
    {"cat", "cats", "chat", "chats", 'm', 'a'},           {"dog", "dogs", "chien", "chiens", 'm', 'a'},
    {"horse", "horses", "cheval", "chevaux", 'm', 'a'},   {"bird", "birds", "oiseau", "oiseaux", 'm', 'a'},
    {"cow", "cows", "vache", "vaches", 'f', 'a'},         {"bee", "bees", "abeille", "abeilles", 'f', 'a'},
    {"elephant", "elephants", "éléphant", "éléphants", 'm', 'a'}, {"mouse", "mice", "souris", "souris", 'f', 'a'},
    {"car", "cars", "voiture", "voitures", 'f', 'o'},     {"book", "books", "livre", "livres", 'm', 'o'},
    {"table", "tables", "table", "tables", 'f', 'o'},     {"key", "keys", "clé", "clés", 'f', 'o'},
    {"hat", "hats", "chapeau", "chapeaux", 'm', 'o'},     {"computer", "computers", "ordinateur", "ordinateurs", 'm', 'o'},
    {"bag", "bags", "sac", "sacs", 'm', 'o'},             {"letter", "letters", "lettre", "lettres", 'f', 'o'},
    {"picture", "pictures", "image", "images", 'f', 'o'}, {"umbrella", "umbrellas", "parapluie", "parapluies", 'm', 'o'},
    {"apple", "apples", "pomme", "pommes", 'f', 'f'},     {"cake", "cakes", "gâteau", "gâteaux", 'm', 'f'},
    {"lemon", "lemons", "citron", "citrons", 'm', 'f'},       {"orange", "oranges", "orange", "oranges", 'f', 'f'},
    {"egg", "eggs", "œuf", "œufs", 'm', 'f'},             {"tomato", "tomatoes", "tomate", "tomates", 'f', 'f'},
    {"house", "houses", "maison", "maisons", 'f', 'l'},   {"market", "markets", "marché", "marchés", 'm', 'l'},
    {"school", "schools", "école", "écoles", 'f', 'l'},   {"park", "parks", "parc", "parcs", 'm', 'l'},
    {"garden", "gardens", "jardin", "jardins", 'm', 'l'}, {"hotel", "hotels", "hôtel", "hôtels", 'm', 'l'},
    {"hospital", "hospitals", "hôpital", "hôpitaux", 'm', 'l'}, {"church", "churches", "église", "églises", 'f', 'l'},
    {"station", "stations", "gare", "gares", 'f', 'l'},   {"shop", "shops", "magasin", "magasins", 'm', 'l'},
};

struct Adjective {
    std::string en;
    std::string m, m_before_vowel, f, m_pl, f_pl;  // French forms
    bool before_noun;                              // grand, petit, beau, jeune, vieux, bon
    std::string cats;                              // nouns it may describe
};

const std::vector<Adjective> kAdjectives = {
    {"red", "rouge", "rouge", "rouge", "rouges", "rouges", false, "o"},
    {"black", "noir", "noir", "noire", "noirs", "noires", false, "ao"},
    {"white", "blanc", "blanc", "blanche", "blancs", "blanches", false, "ao"},
    {"green", "vert", "vert", "verte", "verts", "vertes", false, "of"},
    {"tired", "fatigué", "fatigué", "fatiguée", "fatigués", "fatiguées", false, "pa"},
    {"happy", "heureux", "heureux", "heureuse", "heureux", "heureuses", false, "pa"},
    {"sad", "triste", "triste", "triste", "tristes", "tristes", false, "pa"},
    {"kind", "gentil", "gentil", "gentille", "gentils", "gentilles", false, "pa"},
    {"lazy", "paresseux", "paresseux", "paresseuse", "paresseux", "paresseuses", false, "pa"},
    {"famous", "célèbre", "célèbre", "célèbre", "célèbres", "célèbres", false, "pl"},
    {"quiet", "calme", "calme", "calme", "calmes", "calmes", false, "pal"},
    {"expensive", "cher", "cher", "chère", "chers", "chères", false, "of"},
    {"heavy", "lourd", "lourd", "lourde", "lourds", "lourdes", false, "o"},
    {"delicious", "délicieux", "délicieux", "délicieuse", "délicieux", "délicieuses", false, "f"},
    {"big", "grand", "grand", "grande", "grands", "grandes", true, "paol"},
    {"small", "petit", "petit", "petite", "petits", "petites", true, "paofl"},
    {"beautiful", "beau", "bel", "belle", "beaux", "belles", true, "paol"},
    {"young", "jeune", "jeune", "jeune", "jeunes", "jeunes", true, "pa"},
    {"old", "vieux", "vieil", "vieille", "vieux", "vieilles", true, "paol"},
    {"good", "bon", "bon", "bonne", "bons", "bonnes", true, "pf"},
};

// French present tense by person: je, tu, il/elle, nous, vous, ils.
using Conjugation = std::vector<std::string>;

struct Verb {
    std::string en, en_3sg;  // "look for" / "looks for"
    Conjugation fr;
    std::string subject_cats, object_cats;
    bool indefinite_object;  // may take "a cat" (-> "pas de chat" when negated)
};

const std::vector<Verb> kTransitive = {
    {"see", "sees", {"vois", "vois", "voit", "voyons", "voyez", "voient"}, "pa", "paofl", true},
    {"like", "likes", {"aime", "aimes", "aime", "aimons", "aimez", "aiment"}, "p", "paofl", false},
    {"watch", "watches", {"regarde", "regardes", "regarde", "regardons", "regardez", "regardent"}, "pa", "pao", false},
    {"look for", "looks for", {"cherche", "cherches", "cherche", "cherchons", "cherchez", "cherchent"}, "pa", "paof", true},
    {"eat", "eats", {"mange", "manges", "mange", "mangeons", "mangez", "mangent"}, "pa", "f", true},
    {"buy", "buys", {"achète", "achètes", "achète", "achetons", "achetez", "achètent"}, "p", "of", true},
    {"find", "finds", {"trouve", "trouves", "trouve", "trouvons", "trouvez", "trouvent"}, "pa", "paof", true},
    {"take", "takes", {"prends", "prends", "prend", "prenons", "prenez", "prennent"}, "p", "of", true},
    {"want", "wants", {"veux", "veux", "veut", "voulons", "voulez", "veulent"}, "pa", "aof", true},
    {"have", "has", {"ai", "as", "a", "avons", "avez", "ont"}, "p", "aof", true},
    {"help", "helps", {"aide", "aides", "aide", "aidons", "aidez", "aident"}, "p", "pa", false},
    {"wait for", "waits for", {"attends", "attends", "attend", "attendons", "attendez", "attendent"}, "pa", "pa", false},
};
const Conjugation kEtre = {"suis", "es", "est", "sommes", "êtes", "sont"};
const Conjugation kAller = {"vais", "vas", "va", "allons", "allez", "vont"};
const Conjugation kParler = {"parle", "parles", "parle", "parlons", "parlez", "parlent"};
const Conjugation kPenser = {"pense", "penses", "pense", "pensons", "pensez", "pensent"};
const Conjugation kDonner = {"donne", "donnes", "donne", "donnons", "donnez", "donnent"};

// Sentence-final prepositional phrases: English word, French words, nouns allowed.
struct Preposition {
    std::string en;
    Tokens fr;
    std::string cats;
};
const std::vector<Preposition> kPlacePrepositions = {
    {"near", {"près", "de"}, "paol"}, {"in", {"dans"}, "l"}, {"behind", {"derrière"}, "paol"}};
const Preposition kWith = {"with", {"avec"}, "pa"};

// A noun phrase or subject pronoun in both languages, with what agreement needs.
struct Phrase {
    Tokens en, fr;
    int person = 2;  // 0 je, 1 tu, 2 il/elle, 3 nous, 4 vous, 5 ils
    char gender = 'm';
    bool plural = false;
    bool indefinite = false;
    char cat = 'p';  // noun category (pronouns are persons)
};

bool has(const std::string& cats, char c) { return cats.find(c) != std::string::npos; }

// Does a French word start with a vowel sound (all our h words are "h muet")?
bool fr_vowel(const std::string& w) {
    for (const char* v : {"a", "e", "i", "o", "u", "y", "h", "é", "è", "ê", "â", "î", "ô", "œ"})
        if (w.rfind(v, 0) == 0) return true;
    return false;
}

bool en_vowel(const std::string& w) { return !w.empty() && std::string("aeiou").find(w[0]) != std::string::npos; }

// determiner | English | French masculine, feminine, plural | may be plural
struct Determiner {
    std::string en, m, f, pl;
};
const Determiner kThe = {"the", "le", "la", "les"};
const Determiner kA = {"a", "un", "une", ""};
const std::vector<Determiner> kPossessives = {{"my", "mon", "ma", "mes"},     {"your", "ton", "ta", "tes"},
                                              {"his", "son", "sa", "ses"},    {"her", "son", "sa", "ses"},
                                              {"our", "notre", "notre", "nos"}, {"their", "leur", "leur", "leurs"}};

const Noun& pick_noun(Rng& rng, const std::string& cats) {
    for (;;) {
        const Noun& n = pick(rng, kNouns);
        if (has(cats, n.cat)) return n;
    }
}

// det [adjective] noun  ->  dét [adjectif] nom [adjectif]
Phrase noun_phrase(Rng& rng, const std::string& cats, bool allow_indefinite, int adjective_percent) {
    const Noun& n = pick_noun(rng, cats);
    Phrase p;
    p.gender = n.gender;
    p.cat = n.cat;
    const int kind = rng.randint(0, 10);  // 0-4 the, 5-7 possessive, 8-9 a/an
    Determiner det = kThe;
    if (kind >= 8 && allow_indefinite) {
        det = kA;
        p.indefinite = true;
    } else if (kind >= 5) {
        det = pick(rng, kPossessives);
    }
    p.plural = !p.indefinite && chance(rng, 35);
    p.person = p.plural ? 5 : 2;
    const std::string en_noun = p.plural ? n.en_pl : n.en, fr_noun = p.plural ? n.fr_pl : n.fr;

    const Adjective* adj = nullptr;
    if (chance(rng, adjective_percent))
        for (;;) {
            adj = &pick(rng, kAdjectives);
            if (has(adj->cats, n.cat)) break;
        }
    // English: determiner, adjective, noun ("a" becomes "an" before a vowel).
    const std::string next_en = adj ? adj->en : en_noun;
    p.en = {det.en == "a" && en_vowel(next_en) ? "an" : det.en};
    if (adj) p.en.push_back(adj->en);
    p.en.push_back(en_noun);
    // French: the determiner agrees with the noun; most adjectives follow it.
    p.fr = {p.plural ? det.pl : (n.gender == 'f' ? det.f : det.m)};
    std::string fr_adj;
    if (adj) {
        if (p.plural) fr_adj = n.gender == 'f' ? adj->f_pl : adj->m_pl;
        else if (n.gender == 'f') fr_adj = adj->f;
        else fr_adj = (adj->before_noun && fr_vowel(n.fr)) ? adj->m_before_vowel : adj->m;  // un bel homme
    }
    if (adj && adj->before_noun) p.fr.push_back(fr_adj);
    p.fr.push_back(fr_noun);
    if (adj && !adj->before_noun) p.fr.push_back(fr_adj);
    return p;
}

// the X of the Y -> le X de le Y (-> du Y after contraction)
Phrase with_owner(Rng& rng, Phrase head) {
    Phrase owner = noun_phrase(rng, "pa", false, 0);
    head.en.push_back("of");
    gen::append(head.en, owner.en);
    head.fr.push_back("de");
    gen::append(head.fr, owner.fr);
    return head;
}

struct Pronoun {
    std::string en, fr;
    int person;
    char gender;
};
const std::vector<Pronoun> kPronouns = {{"i", "je", 0, 'm'},   {"you", "tu", 1, 'm'},        {"he", "il", 2, 'm'},
                                        {"she", "elle", 2, 'f'}, {"we", "nous", 3, 'm'},      {"you all", "vous", 4, 'm'},
                                        {"they", "ils", 5, 'm'}};

Phrase subject(Rng& rng, const std::string& cats, int adjective_percent = 30) {
    if (has(cats, 'p') && chance(rng, 35)) {
        const Pronoun& pr = pick(rng, kPronouns);
        Phrase p;
        p.en = gen::split(pr.en);
        p.fr = {pr.fr};
        p.person = pr.person;
        p.gender = pr.gender;
        p.plural = pr.person >= 3;
        return p;
    }
    return noun_phrase(rng, cats, true, adjective_percent);
}

// English verb group: "sees" / "does not see" / "look for".
Tokens english_verb(const std::string& base, const std::string& third_singular, int person, bool negated) {
    if (!negated) return gen::split(person == 2 ? third_singular : base);
    Tokens t = {person == 2 ? "does" : "do", "not"};
    gen::append(t, gen::split(base));
    return t;
}

Tokens english_be(int person, bool negated) {
    Tokens t = {person == 0 ? "am" : person == 2 ? "is" : "are"};
    if (negated) t.push_back("not");
    return t;
}

// French verb group: "voit" / "ne voit pas" (ne -> n' is done by finish_french).
Tokens french_verb(const Conjugation& c, int person, bool negated) {
    if (!negated) return {c[size_t(person)]};
    return {"ne", c[size_t(person)], "pas"};
}

// The spelling rules of French that depend on the next word, applied to a whole sentence:
// le/la -> l' and ma/ta/sa -> mon/ton/son before a vowel; de le -> du, de les -> des,
// à le -> au, à les -> aux; je -> j', ne -> n', de -> d' before a vowel.
Tokens finish_french(const Tokens& in) {
    Tokens t = in;
    for (size_t i = 0; i + 1 < t.size(); ++i) {
        if (!fr_vowel(t[i + 1])) continue;
        if (t[i] == "le" || t[i] == "la") t[i] = "l'";
        if (t[i] == "ma" || t[i] == "ta" || t[i] == "sa") t[i] = t[i] == "ma" ? "mon" : t[i] == "ta" ? "ton" : "son";
    }
    Tokens out;
    for (size_t i = 0; i < t.size(); ++i) {
        const bool next_le = i + 1 < t.size() && t[i + 1] == "le", next_les = i + 1 < t.size() && t[i + 1] == "les";
        if ((t[i] == "de" || t[i] == "à") && (next_le || next_les)) {
            out.push_back(t[i] == "de" ? (next_le ? "du" : "des") : (next_le ? "au" : "aux"));
            ++i;
        } else {
            out.push_back(t[i]);
        }
    }
    for (size_t i = 0; i + 1 < out.size(); ++i)
        if ((out[i] == "je" || out[i] == "ne" || out[i] == "de") && fr_vowel(out[i + 1]))
            out[i] = out[i].substr(0, 1) + "'";
    return out;
}

struct Sentence {
    Tokens en, fr;
};

void add_phrase(Sentence& s, const Tokens& en_word, const Tokens& fr_word, const Phrase& p) {
    gen::append(s.en, en_word);
    gen::append(s.en, p.en);
    gen::append(s.fr, fr_word);
    gen::append(s.fr, p.fr);
}

// subject verb object [prepositional phrase]
Sentence transitive(Rng& rng, bool negated) {
    const Verb& v = pick(rng, kTransitive);
    const Phrase subj = subject(rng, v.subject_cats);
    Phrase obj = noun_phrase(rng, v.object_cats, v.indefinite_object, 35);
    if (!obj.indefinite && obj.en[0] == "the" && chance(rng, 15)) obj = with_owner(rng, obj);
    if (negated && obj.indefinite) obj.fr[0] = "de";  // il ne voit pas de chat
    Sentence s{subj.en, subj.fr};
    gen::append(s.en, english_verb(v.en, v.en_3sg, subj.person, negated));
    gen::append(s.fr, french_verb(v.fr, subj.person, negated));
    add_phrase(s, {}, {}, obj);
    if (chance(rng, 25)) {
        const Preposition& prep = chance(rng, 25) ? kWith : pick(rng, kPlacePrepositions);
        add_phrase(s, {prep.en}, prep.fr, noun_phrase(rng, prep.cats, false, 20));
    }
    return s;
}

// subject is [not] adjective — the adjective agrees with the subject.
Sentence be_adjective(Rng& rng, bool negated) {
    const Phrase subj = subject(rng, "paofl", 0);  // not "the big church is small"
    // je/tu/nous/vous do not show their gender: they take only adjectives with one form for both.
    const bool gender_unknown = subj.person != 2 && subj.person != 5;
    const Adjective* a = nullptr;
    do {
        a = &pick(rng, kAdjectives);
    } while (!has(a->cats, subj.cat) || (gender_unknown && a->m != a->f));
    Sentence s{subj.en, subj.fr};
    gen::append(s.en, english_be(subj.person, negated));
    s.en.push_back(a->en);
    gen::append(s.fr, french_verb(kEtre, subj.person, negated));
    s.fr.push_back(subj.plural ? (subj.gender == 'f' ? a->f_pl : a->m_pl) : (subj.gender == 'f' ? a->f : a->m));
    return s;
}

// subject is [not] near/in/behind the place
Sentence be_location(Rng& rng, bool negated) {
    const Phrase subj = subject(rng, "pao");
    const Preposition& prep = pick(rng, kPlacePrepositions);
    Sentence s{subj.en, subj.fr};
    gen::append(s.en, english_be(subj.person, negated));
    gen::append(s.fr, french_verb(kEtre, subj.person, negated));
    add_phrase(s, {prep.en}, prep.fr, noun_phrase(rng, prep.cats == "l" ? "l" : "lo", false, 30));
    return s;
}

// goes to the market / talks to the boy / talks about the cat / thinks about the cake
Sentence prepositional_verb(Rng& rng, bool negated) {
    const int which = rng.randint(0, 4);
    const Phrase subj = subject(rng, which == 0 ? "pa" : "p");
    const std::vector<std::string> en_base = {"go", "talk", "talk", "think"}, en_3sg = {"goes", "talks", "talks", "thinks"};
    const std::vector<std::string> en_prep = {"to", "to", "about", "about"}, fr_prep = {"à", "à", "de", "à"};
    const std::vector<const Conjugation*> fr_verb = {&kAller, &kParler, &kParler, &kPenser};
    const std::vector<std::string> cats = {"l", "p", "paofl", "paofl"};
    Sentence s{subj.en, subj.fr};
    gen::append(s.en, english_verb(en_base[size_t(which)], en_3sg[size_t(which)], subj.person, negated));
    gen::append(s.fr, french_verb(*fr_verb[size_t(which)], subj.person, negated));
    add_phrase(s, {en_prep[size_t(which)]}, {fr_prep[size_t(which)]}, noun_phrase(rng, cats[size_t(which)], true, 30));
    return s;
}

// subject gives the book to the boy -> donne le livre au garçon
Sentence give(Rng& rng, bool negated) {
    const Phrase subj = subject(rng, "p");
    Phrase obj = noun_phrase(rng, "of", false, 30);
    Sentence s{subj.en, subj.fr};
    gen::append(s.en, english_verb("give", "gives", subj.person, negated));
    gen::append(s.fr, french_verb(kDonner, subj.person, negated));
    add_phrase(s, {}, {}, obj);
    add_phrase(s, {"to"}, {"à"}, noun_phrase(rng, "pa", false, 20));
    return s;
}

gen::Example make_example(Rng& rng) {
    for (;;) {
        const bool negated = chance(rng, 35);
        const int kind = rng.randint(0, 100);
        Sentence s = kind < 45   ? transitive(rng, negated)
                     : kind < 60 ? be_adjective(rng, negated)
                     : kind < 70 ? be_location(rng, negated)
                     : kind < 90 ? prepositional_verb(rng, negated)
                                 : give(rng, negated);
        s.en.push_back(".");
        s.fr = finish_french(s.fr);
        s.fr.push_back(".");
        if (s.en.size() >= 3 && s.en.size() <= 15 && s.fr.size() >= 3 && s.fr.size() <= 15)
            return {{gen::join(s.en), gen::join(s.fr)}};
    }
}

}  // namespace

int main(int argc, char** argv) {
    return gen::run_generator(argc, argv, "toy-en-fr", {"english", "french"}, 2, [](tinyattn::Rng& rng) {
        return gen::generate_splits(rng, 20000, 1000, 1000, make_example);
    });
}
