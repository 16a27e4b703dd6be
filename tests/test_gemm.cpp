// test_gemm.cpp — the fast gemm kernel against the textbook triple loop, and matmul by hand.
//
// gemm_reference is the definition (C = alpha·op(A)·op(B) + beta·C, accumulated in double);
// the fast kernel must agree with it for every transpose combination, awkward sizes that do
// not divide any block or SIMD width, alpha/beta variants and row strides wider than the rows.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include <omp.h>

#include "tinyattn/kernels/gemm.hpp"
#include "tinyattn/kernels/parallel.hpp"
#include "tinyattn/tinyattn.hpp"

using namespace tinyattn;

namespace {

struct GemmCase {
    bool trans_a, trans_b;
    int M, N, K;
    float alpha, beta;
    int pad;  // extra columns in every stored row: lda/ldb/ldc = width + pad
};

std::vector<float> random_buffer(size_t n, Rng& rng) {
    std::vector<float> v(n);
    for (float& x : v) x = rng.uniform(-1.0f, 1.0f);
    return v;
}

// Runs gemm and gemm_reference on the same random operands; checks every element of C,
// including the padding columns, which neither kernel may touch.
void check_against_reference(const GemmCase& c, uint64_t seed) {
    Rng rng(seed);
    // Stored shapes: A is M×K (or K×M when transposed), B is K×N (or N×K), C is M×N.
    const int a_rows = c.trans_a ? c.K : c.M, a_cols = c.trans_a ? c.M : c.K;
    const int b_rows = c.trans_b ? c.N : c.K, b_cols = c.trans_b ? c.K : c.N;
    const int lda = a_cols + c.pad, ldb = b_cols + c.pad, ldc = c.N + c.pad;
    const std::vector<float> A = random_buffer(size_t(a_rows) * lda, rng);
    const std::vector<float> B = random_buffer(size_t(b_rows) * ldb, rng);
    std::vector<float> C_fast = random_buffer(size_t(c.M) * ldc, rng);
    const std::vector<float> C_init = C_fast;
    std::vector<float> C_ref = C_fast;
    gemm(c.trans_a, c.trans_b, c.M, c.N, c.K, c.alpha, A.data(), lda, B.data(), ldb, c.beta, C_fast.data(), ldc);
    gemm_reference(c.trans_a, c.trans_b, c.M, c.N, c.K, c.alpha, A.data(), lda, B.data(), ldb, c.beta,
                   C_ref.data(), ldc);
    INFO("trans_a=" << c.trans_a << " trans_b=" << c.trans_b << " M=" << c.M << " N=" << c.N << " K=" << c.K
                    << " alpha=" << c.alpha << " beta=" << c.beta << " pad=" << c.pad);
    // float accumulation over K terms of size ≤ 1 drifts by about K·6e-8 from the double reference
    const double tol = 1e-6 * (c.K + 1);
    for (int i = 0; i < c.M; ++i)
        for (int j = 0; j < ldc; ++j) {
            const size_t at = size_t(i) * ldc + size_t(j);
            INFO("C[" << i << ", " << j << "]");
            if (j >= c.N) REQUIRE(C_fast[at] == C_init[at]);  // the padding columns are untouched
            else REQUIRE(std::fabs(C_fast[at] - C_ref[at]) <= tol);
        }
}

}  // namespace

TEST_CASE("gemm matches the reference on odd square sizes, all transpose combinations", "[gemm]") {
    for (int n : {1, 7, 33, 129})
        for (int ta = 0; ta < 2; ++ta)
            for (int tb = 0; tb < 2; ++tb) check_against_reference({ta == 1, tb == 1, n, n, n, 1.0f, 0.0f, 0}, 1 + n);
}

TEST_CASE("gemm matches the reference on non-square shapes", "[gemm]") {
    const int shapes[][3] = {{1, 7, 33}, {7, 1, 129}, {33, 129, 1}, {129, 7, 33}, {7, 33, 129},
                             {1, 1, 129}, {129, 1, 1}, {2, 65, 3}, {70, 70, 70}};  // 70³ takes the OpenMP path
    for (const auto& s : shapes)
        for (int ta = 0; ta < 2; ++ta)
            for (int tb = 0; tb < 2; ++tb)
                check_against_reference({ta == 1, tb == 1, s[0], s[1], s[2], 1.0f, 0.0f, 0}, uint64_t(s[0] * 1000 + s[1]));
}

TEST_CASE("gemm honours alpha and beta (including accumulate and scale-only)", "[gemm]") {
    const float alphas[] = {1.0f, -0.5f, 2.0f, 0.0f};
    const float betas[] = {0.0f, 1.0f, 0.25f, -1.0f};
    for (float alpha : alphas)
        for (float beta : betas)
            for (int ta = 0; ta < 2; ++ta)
                for (int tb = 0; tb < 2; ++tb) check_against_reference({ta == 1, tb == 1, 7, 33, 5, alpha, beta, 0}, 99);
}

TEST_CASE("gemm with beta = 0 ignores NaN already in C (it is overwritten, not scaled)", "[gemm]") {
    const std::vector<float> A = {1, 2, 3, 4}, B = {5, 6, 7, 8};
    std::vector<float> C(4, std::nanf(""));
    gemm(false, false, 2, 2, 2, 1.0f, A.data(), 2, B.data(), 2, 0.0f, C.data(), 2);
    REQUIRE(C == std::vector<float>{19, 22, 43, 50});
}

TEST_CASE("gemm shared among threads matches the reference and gives the same bits as one thread", "[gemm]") {
    // Large enough to be cut into chunks that the threads take in turn: chunks of columns (wide
    // C), of rows (tall C), both with k-slices and a ragged last chunk; a thin product with one
    // row (a batch of one), one with few columns (scores); and one whose shared operand is too big
    // for small chunks (one chunk per thread). Three threads on two cores: some take chunks from
    // another thread's block.
    const int shapes[][3] = {{32, 515, 321}, {517, 40, 257}, {1, 4099, 257}, {1031, 3, 301}, {300, 300, 300}};
    for (const auto& s : shapes)
        for (int ta = 0; ta < 2; ++ta)
            for (int tb = 0; tb < 2; ++tb) {
                const GemmCase c{ta == 1, tb == 1, s[0], s[1], s[2], 1.0f, 0.5f, 3};
                check_against_reference(c, 7);
                Rng rng(8);
                const int lda = (c.trans_a ? c.M : c.K) + c.pad, ldb = (c.trans_b ? c.K : c.N) + c.pad;
                const std::vector<float> A = random_buffer(size_t(c.trans_a ? c.K : c.M) * lda, rng);
                const std::vector<float> B = random_buffer(size_t(c.trans_b ? c.N : c.K) * ldb, rng);
                const std::vector<float> C0 = random_buffer(size_t(c.M) * c.N, rng);
                std::vector<float> C1 = C0, C2 = C0, C3 = C0;
                const int threads_before = omp_get_max_threads();
                set_busy_backoff(false);  // take the parallel path even on a busy test machine
                omp_set_num_threads(1);
                gemm(c.trans_a, c.trans_b, c.M, c.N, c.K, c.alpha, A.data(), lda, B.data(), ldb, c.beta, C1.data(), c.N);
                omp_set_num_threads(2);
                gemm(c.trans_a, c.trans_b, c.M, c.N, c.K, c.alpha, A.data(), lda, B.data(), ldb, c.beta, C2.data(), c.N);
                omp_set_num_threads(3);
                gemm(c.trans_a, c.trans_b, c.M, c.N, c.K, c.alpha, A.data(), lda, B.data(), ldb, c.beta, C3.data(), c.N);
                omp_set_num_threads(threads_before);
                set_busy_backoff(true);
                INFO("M=" << c.M << " N=" << c.N << " K=" << c.K << " trans_a=" << ta << " trans_b=" << tb);
                REQUIRE(C1 == C2);  // bit for bit: every element is computed exactly as on one thread
                REQUIRE(C1 == C3);
            }
}

TEST_CASE("thin products (a batch of one) match the reference, leftover k terms and every column group", "[gemm]") {
    // C = x·Wᵀ with one row: N = 8·m + 4 + 3 columns run through the eight-at-a-time kernel, the
    // four-at-a-time loop and the one-at-a-time loop; K not a multiple of 8 leaves terms over.
    for (int K : {1, 7, 13, 64, 129})
        for (float beta : {0.0f, 0.5f})
            for (int pad : {0, 3}) check_against_reference({false, true, 1, 23, K, 0.75f, beta, pad}, uint64_t(K));
}

TEST_CASE("gemm reads and writes through leading dimensions wider than the rows", "[gemm]") {
    for (int pad : {1, 3, 16})
        for (int ta = 0; ta < 2; ++ta)
            for (int tb = 0; tb < 2; ++tb) {
                check_against_reference({ta == 1, tb == 1, 7, 33, 129, 1.0f, 0.0f, pad}, 5);
                check_against_reference({ta == 1, tb == 1, 33, 7, 1, -2.0f, 0.5f, pad}, 6);
            }
}

TEST_CASE("gemm_reference computes the textbook product", "[gemm]") {
    // The reference is itself checked by hand, so the comparisons above rest on something.
    // A = [[1, 2, 3], [4, 5, 6]], B = [[7, 8], [9, 10], [11, 12]]:
    // A·B = [[1·7+2·9+3·11, 1·8+2·10+3·12], [4·7+5·9+6·11, 4·8+5·10+6·12]] = [[58, 64], [139, 154]]
    const std::vector<float> A = {1, 2, 3, 4, 5, 6}, B = {7, 8, 9, 10, 11, 12};
    std::vector<float> C = {1, 1, 1, 1};
    gemm_reference(false, false, 2, 2, 3, 1.0f, A.data(), 3, B.data(), 2, 0.0f, C.data(), 2);
    REQUIRE(C == std::vector<float>{58, 64, 139, 154});
    // Aᵀ stored as [3, 2] = [[1, 4], [2, 5], [3, 6]], read with trans_a; alpha 2, beta 1 on C.
    const std::vector<float> At = {1, 4, 2, 5, 3, 6};
    gemm_reference(true, false, 2, 2, 3, 2.0f, At.data(), 2, B.data(), 2, 1.0f, C.data(), 2);
    REQUIRE(C == std::vector<float>{3 * 58, 3 * 64, 3 * 139, 3 * 154});
}

TEST_CASE("matmul of a 2x3 and a 3x2 matrix, computed by hand", "[gemm][matmul]") {
    // [[1, 2, 3], [4, 5, 6]] · [[7, 8], [9, 10], [11, 12]] = [[58, 64], [139, 154]]
    Tensor a = tensor({1, 2, 3, 4, 5, 6}, {2, 3});
    Tensor b = tensor({7, 8, 9, 10, 11, 12}, {3, 2});
    Tensor c = matmul(a, b);
    REQUIRE(c.shape() == Shape{2, 2});
    REQUIRE(c.to_vector() == std::vector<float>{58, 64, 139, 154});
    // Batched, with the batch of b broadcast from 1: each batch item repeats the product.
    Tensor a3 = tensor({1, 2, 3, 4, 5, 6, -1, -2, -3, -4, -5, -6}, {2, 2, 3});
    Tensor c3 = matmul(a3, reshape(b, {1, 3, 2}));
    REQUIRE(c3.shape() == Shape{2, 2, 2});
    REQUIRE(c3.to_vector() == std::vector<float>{58, 64, 139, 154, -58, -64, -139, -154});
    // [B, M, K] x [K, N] gives the same numbers.
    REQUIRE(matmul(a3, b).to_vector() == c3.to_vector());
}
