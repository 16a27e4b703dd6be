// gemm_bench.cpp — W5: C = A·B for square n, GFLOP/s = 2n³ / time, straight on kernels/gemm.
#include <chrono>
#include <cstdio>

#include "workloads.hpp"
#include "tinyattn/kernels/gemm.hpp"

namespace bench {

void run_w5(const Options& opt) {
    tinyattn::Rng rng(1234);
    for (int n : {64, 128, 256, 512, 1024}) {
        std::vector<float> a(size_t(n) * n), b(size_t(n) * n), c(size_t(n) * n);
        for (float& x : a) x = rng.uniform(-1.0f, 1.0f);
        for (float& x : b) x = rng.uniform(-1.0f, 1.0f);
        // Repeat each product enough times that one timed sample lasts ~20 ms.
        const double flops = 2.0 * double(n) * n * n;
        const int reps = std::max(1, int(2e9 / flops));
        const Timing t = time_steps(
            [&] {
                for (int r = 0; r < reps; ++r)
                    tinyattn::gemm(false, false, n, n, n, 1.0f, a.data(), n, b.data(), n, 0.0f, c.data(), n);
            },
            Options{opt.threads, 3, std::max(opt.steps, 10)});
        std::printf("{\"workload\":\"W5\",\"threads\":%d,\"n\":%d,\"gflops\":%.2f,\"ms_per_gemm_median\":%.4f}\n",
                    opt.threads, n, flops * reps / (t.median() * 1e6), t.median() / reps);
    }
}

}  // namespace bench
