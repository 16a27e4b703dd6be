// gen_toy_scenes.cpp — writes the toy scenes of lesson 13 as PNG files you can open, in the
// folder format `--data` reads: OUT/{train,valid,test}/scene_N.png, captions.tsv
// (`file<TAB>caption`) and boxes.tsv (`file<TAB>word index<TAB>word<TAB>x0 y0 x1 y1`, one line
// per word that names an object; pixels [x0, x1) × [y0, y1)).
//
// The scenes themselves are drawn by tinyattn/data/toy_scenes.cpp, which lesson 13 calls
// directly: 6,900 images are not committed, they are regenerated at run time from the seed,
// and tests/test_toy_scenes.cpp holds their bytes to a committed hash.
//
// usage: gen_toy_scenes [--seed N] [--out DIR]      (default DIR: datasets/toy-scenes, not committed)
#include "generator_common.hpp"

#include <cstdio>

#include "tinyattn/data/image_file.hpp"
#include "tinyattn/data/toy_scenes.hpp"

namespace {

void write_split(const std::filesystem::path& dir, const std::vector<tinyattn::data::CaptionedImage>& scenes) {
    std::filesystem::create_directories(dir);
    std::ofstream captions(dir / "captions.tsv"), boxes(dir / "boxes.tsv");
    int counts[4] = {0, 0, 0, 0};
    for (const auto& s : scenes) {
        const std::string file = s.name + ".png";
        tinyattn::data::write_png((dir / file).string(), tinyattn::data::from_model_input(s.pixels, s.size));
        captions << file << '\t' << gen::join(s.caption) << '\n';
        for (size_t t = 0; t < s.caption.size(); ++t) {
            const tinyattn::data::Box& b = s.word_boxes[t];
            if (!b.empty())
                boxes << file << '\t' << t << '\t' << s.caption[t] << '\t' << b.x0 << ' ' << b.y0 << ' ' << b.x1 << ' '
                      << b.y1 << '\n';
        }
        ++counts[s.objects];
    }
    if (!captions || !boxes) throw std::runtime_error("gen_toy_scenes: cannot write to " + dir.string());
    std::printf("%-6s %5zu scenes: %d with 1 object, %d with 2, %d with 3\n", dir.filename().c_str(), scenes.size(),
                counts[1], counts[2], counts[3]);
}

}  // namespace

int main(int argc, char** argv) {
    try {
        const gen::Options opt = gen::parse_args(argc, argv, "toy-scenes");
        const auto splits = tinyattn::data::make_toy_scenes(opt.seed, tinyattn::data::kTrainScenes,
                                                            tinyattn::data::kValidScenes, tinyattn::data::kTestScenes);
        const std::filesystem::path out(opt.out);
        write_split(out / "train", splits.train);
        write_split(out / "valid", splits.valid);
        write_split(out / "test", splits.test);
        std::printf("wrote %s/{train,valid,test}/ (PNG + captions.tsv + boxes.tsv)\n", opt.out.c_str());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 1;
    }
}
