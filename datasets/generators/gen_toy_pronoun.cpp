// gen_toy_pronoun.cpp — writes datasets/toy-pronoun/{train,valid,test}.tsv: "it → il / elle", the
// articles' "the animal didn't cross the street because it was too tired" (seed 003 §4.2.3), as
// a translation task where the pronoun can only be right if the model found its antecedent:
//
//   the cat did not cross the street because it was too tired .
//   le chat n' a pas traversé la rue parce qu' il était trop fatigué .          (it = the cat)
//   the cat did not cross the street because it was too wide .
//   le chat n' a pas traversé la rue parce qu' elle était trop large .          (it = the street)
//   the street was not crossed by the cat because it was very tired .
//   la rue n' a pas été traversée par le chat parce qu' il était très fatigué . (passive: order swapped)
//
// The adjective decides the antecedent (tired, scared, slow, weak, lazy describe the animal; wide,
// busy, long, dangerous, steep the place), and French makes the choice visible twice: il / elle
// and the adjective's agreement (fatigué / fatiguée). The controls, so that no shortcut works:
//   - the two nouns always have different genders (the wrong antecedent gives the wrong pronoun);
//   - every split has the same number of sentences in each of the 8 cells
//       {active, passive} × {animal, place adjective} × {masculine, feminine antecedent},
//     so "always il", "the first noun's gender", "the nearest noun's gender" and "the animal's
//     gender" each get exactly 50 %.
// Third column: "antecedent=I distractor=J", the English token indices of the two nouns, for the
// lesson's per-head measurements (the pair loaders read it as an attribution and ignore it).
//
// usage: gen_toy_pronoun [--seed N] [--out DIR]
#include "generator_common.hpp"

using gen::Tokens;
using gen::pick;
using tinyattn::Rng;

namespace {

struct Noun {
    std::string en, fr;
    bool feminine;
};

const std::vector<Noun> kAnimals = {{"cat", "chat", false},   {"dog", "chien", false},  {"horse", "cheval", false},
                                    {"wolf", "loup", false},  {"cow", "vache", true},   {"mouse", "souris", true},
                                    {"goat", "chèvre", true}, {"sheep", "brebis", true}};
const std::vector<Noun> kPlaces = {{"bridge", "pont", false}, {"field", "champ", false}, {"garden", "jardin", false},
                                   {"path", "chemin", false}, {"street", "rue", true},   {"road", "route", true},
                                   {"river", "rivière", true}, {"square", "place", true}};

struct Adjective {
    std::string en, masculine, feminine;
};
const std::vector<Adjective> kAnimalAdjectives = {{"tired", "fatigué", "fatiguée"}, {"scared", "effrayé", "effrayée"},
                                                  {"slow", "lent", "lente"},         {"weak", "faible", "faible"},
                                                  {"lazy", "paresseux", "paresseuse"}};
const std::vector<Adjective> kPlaceAdjectives = {{"wide", "large", "large"},   {"busy", "animé", "animée"},
                                                 {"long", "long", "longue"},   {"dangerous", "dangereux", "dangereuse"},
                                                 {"steep", "raide", "raide"}};

// English determiner -> French {masculine, feminine}. Every French noun here starts with a consonant.
struct Determiner {
    std::string en, masculine, feminine;
};
const std::vector<Determiner> kDeterminers = {
    {"the", "le", "la"}, {"this", "ce", "cette"}, {"my", "mon", "ma"}, {"your", "ton", "ta"}};

Tokens noun_phrase_en(const Determiner& d, const Noun& n) { return {d.en, n.en}; }
Tokens noun_phrase_fr(const Determiner& d, const Noun& n) { return {n.feminine ? d.feminine : d.masculine, n.fr}; }

// One sentence of a cell: passive or active, the adjective describes the animal or the place, and
// the antecedent (the noun the adjective describes) is feminine or not. The other noun has the
// other gender.
gen::Example make_example(Rng& rng, bool passive, bool animal_adjective, bool feminine_antecedent) {
    const auto pick_noun = [&](const std::vector<Noun>& nouns, bool feminine) {
        for (;;) {
            const Noun& n = pick(rng, nouns);
            if (n.feminine == feminine) return n;
        }
    };
    const Noun animal = pick_noun(kAnimals, animal_adjective ? feminine_antecedent : !feminine_antecedent);
    const Noun place = pick_noun(kPlaces, animal_adjective ? !feminine_antecedent : feminine_antecedent);
    const Adjective& adj = pick(rng, animal_adjective ? kAnimalAdjectives : kPlaceAdjectives);
    const Determiner &da = pick(rng, kDeterminers), &dp = pick(rng, kDeterminers);
    const bool too = rng.randint(0, 2) == 0;

    Tokens en, fr;
    if (!passive) {  // the cat did not cross the street   /   le chat n' a pas traversé la rue
        gen::append(en, noun_phrase_en(da, animal));
        gen::append(en, {"did", "not", "cross"});
        gen::append(en, noun_phrase_en(dp, place));
        gen::append(fr, noun_phrase_fr(da, animal));
        gen::append(fr, {"n'", "a", "pas", "traversé"});
        gen::append(fr, noun_phrase_fr(dp, place));
    } else {  // the street was not crossed by the cat   /   la rue n' a pas été traversée par le chat
        gen::append(en, noun_phrase_en(dp, place));
        gen::append(en, {"was", "not", "crossed", "by"});
        gen::append(en, noun_phrase_en(da, animal));
        gen::append(fr, noun_phrase_fr(dp, place));
        gen::append(fr, {"n'", "a", "pas", "été", place.feminine ? "traversée" : "traversé", "par"});
        gen::append(fr, noun_phrase_fr(da, animal));
    }
    gen::append(en, {"because", "it", "was", too ? "too" : "very", adj.en, "."});
    gen::append(fr, {"parce", "qu'", feminine_antecedent ? "elle" : "il", "était", too ? "trop" : "très",
                     feminine_antecedent ? adj.feminine : adj.masculine, "."});
    // Token indices of the nouns in the English sentence: 1 and 6 (active) or 1 and 7 (passive).
    const int animal_at = passive ? 7 : 1, place_at = passive ? 1 : 6;
    const int antecedent = animal_adjective ? animal_at : place_at, distractor = animal_adjective ? place_at : animal_at;
    return gen::Example{{gen::join(en), gen::join(fr),
                         "antecedent=" + std::to_string(antecedent) + " distractor=" + std::to_string(distractor)}};
}

gen::Splits make_splits(Rng& rng) {
    const int train = 500, valid = 40, test = 60;  // per cell; 8 cells
    gen::UniqueExamples seen;
    gen::Splits all;
    for (const bool passive : {false, true})
        for (const bool animal_adjective : {true, false})
            for (const bool feminine : {false, true}) {
                const auto make = [&](Rng& r) { return make_example(r, passive, animal_adjective, feminine); };
                gen::append_splits(all, gen::split_examples(gen::generate_unique(rng, train + valid + test, make, seen),
                                                            valid, test, rng));
            }
    gen::shuffle_splits(all, rng);  // mix the cells
    return all;
}

}  // namespace

int main(int argc, char** argv) {
    return gen::run_generator(argc, argv, "toy-pronoun", {"english", "french", "nouns"}, 2, make_splits);
}
