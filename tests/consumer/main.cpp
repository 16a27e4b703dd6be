// main.cpp — a program built against an installed tinyattn: fits y = 2x - 1 with a Linear layer
// and Adam (autograd, the ops and their OpenMP loops), and writes a heatmap figure (the plotting
// code and, when tinyattn was built with it, gnuplot-iostream and Boost). Exit code 0 = it worked.
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "tinyattn/nn/linear.hpp"
#include "tinyattn/ops.hpp"
#include "tinyattn/optim/adam.hpp"
#include "tinyattn/plot/heatmap.hpp"

using namespace tinyattn;

int main(int argc, char** argv) {
    const std::string out_dir = argc > 1 ? argv[1] : ".";
    Rng rng(1);
    nn::Linear fit(1, 1, true, rng);
    optim::Adam adam(fit.parameters(), 0.05);
    const Tensor x = tensor({-1.0f, 0.0f, 1.0f, 2.0f}, {4, 1});
    const Tensor y = tensor({-3.0f, -1.0f, 1.0f, 3.0f}, {4, 1});
    float loss = 0.0f;
    for (int step = 0; step < 500; ++step) {
        adam.zero_grad();
        const Tensor d = fit.forward(x) - y;
        const Tensor l = mean(d * d);  // mean squared error
        l.backward();
        adam.step();
        loss = l.item();
    }
    const float w = fit.weight.data()[0], b = fit.bias.data()[0];
    std::printf("fitted y = %.3f x %+.3f (loss %.2g)\n", double(w), double(b), double(loss));
    if (std::fabs(w - 2.0f) > 0.05f || std::fabs(b + 1.0f) > 0.05f) return 1;

    plot::attention_heatmap(out_dir + "/consumer_heatmap", {{0.9f, 0.1f}, {0.2f, 0.8f}}, {"a", "b"}, {"x", "y"});
    if (!std::filesystem::exists(out_dir + "/consumer_heatmap.txt")) {
        std::printf("no heatmap data file in %s\n", out_dir.c_str());
        return 1;
    }
    std::printf("heatmap written to %s/consumer_heatmap.*\n", out_dir.c_str());
    return 0;
}
