// gemm_threads.cpp — one product shared among the threads (point 5 of gemm.cpp's lesson).
//
// The obvious way is one fixed rectangle of C per thread. Its weakness shows on a busy machine:
// a product is only as fast as its slowest thread, and a thread that loses its core for a moment,
// or works from a cold cache, makes the other wait at the end of every product.
//
// An older version made the threads meet at barriers after every packing step (packing the
// shared operand once, together); for the products of a small LSTM (32×320 · 320×512) the
// waiting cost more than the shared packing saved. Here each thread packs what it needs into its
// own buffers and the threads meet only at the end. Starting them still costs a few microseconds,
// so gemm() shares only products of at least kParallelWork multiply-adds.
#include "tinyattn/kernels/gemm_threads.hpp"

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <vector>

#include "tinyattn/kernels/gemm_packed.hpp"
#include "tinyattn/kernels/gemm_thin.hpp"
#include "tinyattn/kernels/parallel.hpp"

namespace tinyattn {

namespace {

// C's longer side is cut into chunks of whole tiles and the chunks into one block per thread, in
// order. Each thread works through its own block first — the same part of C every time, so the
// weights it packed last time may still be in its cache — and then helps with the others'
// blocks, taking their next chunks. A thread that runs slower (its core busy with something
// else for a moment) so takes fewer chunks instead of making the others wait for it at the end,
// as it would with one fixed half each.
//
// How small a chunk may be depends on what it re-reads. A row chunk multiplies its rows of A by
// all of op(B), packed once per thread; while that fits in L2 (as it does for most products of
// W1, W3 and W4) a chunk can be two tiles, and ~16 chunks per thread keep the wait short. A
// bigger op(B) would stream from L3 again for every chunk, so then each thread takes one chunk —
// its half — and runs gemm_packed on it, blocked for the caches as in gemm.cpp (point 4). Column
// chunks and op(A) likewise.
constexpr int kChunksPerThread = 16;
constexpr std::size_t kMinChunkWork = std::size_t(1) << 16;  // multiply-adds: ~2 µs on one core
constexpr std::size_t kSharedFitsL2 = std::size_t(1) << 16;  // floats: 256 KiB, half of L2

struct Chunks {
    bool by_rows;            // chunks of rows (C is tall) or of columns (C is wide)
    bool shared_fits;        // the operand every chunk needs fits in L2: small chunks
    int total, size, count;  // rows (or columns) of C, per chunk (whole tiles), and chunks
    int per_block;           // chunks per thread's block: block b is [b·per_block, (b+1)·per_block)
    struct alignas(64) Counter {  // one cache line each: the threads' counters do not share one
        std::atomic<int> next;    // the block's next chunk nobody has taken yet
    };
    std::vector<Counter> blocks;

    Chunks(int M, int N, int K, int threads) : blocks(std::size_t(threads)) {
        const int row_tiles = (M + MR - 1) / MR, col_tiles = (N + NR - 1) / NR;
        by_rows = row_tiles > col_tiles;
        const int tiles = by_rows ? row_tiles : col_tiles, tiles_per_thread = (tiles + threads - 1) / threads;
        const std::size_t shared = std::size_t(K) * (by_rows ? N : M);  // op(B) or op(A), whole
        const std::size_t tile_work = std::size_t(K) * (by_rows ? std::size_t(MR) * N : std::size_t(NR) * M);
        shared_fits = shared <= kSharedFitsL2;
        int tiles_per_chunk = tiles_per_thread;  // one chunk per thread ...
        if (shared_fits)                         // ... or smaller ones, but not tiny
            tiles_per_chunk = std::min(tiles_per_thread, std::max(tiles / (kChunksPerThread * threads),
                                                                  int((kMinChunkWork + tile_work - 1) / tile_work)));
        total = by_rows ? M : N;
        size = tiles_per_chunk * (by_rows ? MR : NR);
        count = (total + size - 1) / size;
        per_block = (count + threads - 1) / threads;
        for (int b = 0; b < threads; ++b) blocks[std::size_t(b)].next = b * per_block;
    }

    // Thread `thread` takes a chunk (its first row or column, and its length): the next one of
    // its own block, else of the following blocks in turn. False when every chunk is taken.
    bool take(int thread, int& first, int& length) {
        const int n = int(blocks.size());
        for (int k = 0; k < n; ++k) {
            const int b = (thread + k) % n;
            const int c = blocks[std::size_t(b)].next.fetch_add(1);
            if (c < std::min(count, (b + 1) * per_block)) {
                first = c * size;
                length = std::min(size, total - first);
                return true;
            }
        }
        return false;
    }
};

// C cut into chunks of rows: every chunk needs all of op(B), so the thread packs it once, for
// every k-slice, before taking chunks; a chunk then packs only its own rows of op(A).
void multiply_row_chunks(bool trans_a, bool trans_b, int N, int K, float alpha, const float* A, int lda,
                         const float* B, int ldb, float beta, float* C, int ldc, Chunks& chunks, int thread) {
    const int n_pad = (N + NR - 1) / NR * NR;
    float* Bp = packed_b_buffer(std::size_t(K) * n_pad);  // k-slice pc starts at pc·n_pad
    for (int pc = 0; pc < K; pc += KC)
        pack_b_panels(trans_b, B, ldb, 0, N, pc, std::min(KC, K - pc), Bp + std::size_t(pc) * n_pad);
    float* Ap = packed_a_buffer(std::size_t(chunks.size) * KC);
    int first, rows;
    while (chunks.take(thread, first, rows))
        for (int pc = 0; pc < K; pc += KC) {
            const int kc = std::min(KC, K - pc);
            pack_a_panels(trans_a, A, lda, first, rows, pc, kc, alpha, Ap);
            for (int i = 0; i < rows; i += MC)  // row blocks, as in gemm_packed
                multiply_panels(kc, Ap + std::size_t(i) * kc, std::min(MC, rows - i), Bp + std::size_t(pc) * n_pad, N,
                                C + std::size_t(first + i) * ldc, ldc, pc == 0 ? beta : 1.0f);
        }
}

// C cut into chunks of columns: every chunk needs all of op(A), packed once per thread; a chunk
// packs only its own columns of op(B).
void multiply_column_chunks(bool trans_a, bool trans_b, int M, int K, float alpha, const float* A, int lda,
                            const float* B, int ldb, float beta, float* C, int ldc, Chunks& chunks, int thread) {
    const int m_pad = (M + MR - 1) / MR * MR;
    float* Ap = packed_a_buffer(std::size_t(K) * m_pad);  // k-slice pc starts at pc·m_pad
    for (int pc = 0; pc < K; pc += KC)
        pack_a_panels(trans_a, A, lda, 0, M, pc, std::min(KC, K - pc), alpha, Ap + std::size_t(pc) * m_pad);
    float* Bp = packed_b_buffer(std::size_t(chunks.size) * KC);
    int j, cols;
    while (chunks.take(thread, j, cols))
        for (int pc = 0; pc < K; pc += KC) {
            const int kc = std::min(KC, K - pc);
            pack_b_panels(trans_b, B, ldb, j, cols, pc, kc, Bp);
            for (int i = 0; i < M; i += MC)
                multiply_panels(kc, Ap + std::size_t(pc) * m_pad + std::size_t(i) * kc, std::min(MC, M - i), Bp, cols,
                                C + std::size_t(i) * ldc + j, ldc, pc == 0 ? beta : 1.0f);
        }
}

// Each chunk as a product of its own, by `kernel`: thin products (nothing to pack), and big
// ones (one chunk per thread, which gemm_packed blocks for the caches as in gemm.cpp, point 4).
void multiply_each_chunk(GemmKernel kernel, bool trans_a, bool trans_b, int M, int N, int K, float alpha,
                         const float* A, int lda, const float* B, int ldb, float beta, float* C, int ldc,
                         Chunks& chunks, int thread) {
    int first, length;
    while (chunks.take(thread, first, length))
        if (chunks.by_rows)  // rows [first, first+length) of op(A) and C
            kernel(trans_a, trans_b, length, N, K, alpha, trans_a ? A + first : A + std::size_t(first) * lda, lda, B,
                   ldb, beta, C + std::size_t(first) * ldc, ldc);
        else  // columns [first, first+length) of op(B) and C
            kernel(trans_a, trans_b, M, length, K, alpha, A, lda, trans_b ? B + std::size_t(first) * ldb : B + first,
                   ldb, beta, C + first, ldc);
}

}  // namespace

void gemm_on_threads(GemmKernel kernel, bool trans_a, bool trans_b, int M, int N, int K, float alpha,
                     const float* A, int lda, const float* B, int ldb, float beta, float* C, int ldc) {
    Chunks chunks(M, N, K, max_threads());
    parallel_region([&](int thread, int) {
        if (kernel == gemm_thin || !chunks.shared_fits)
            multiply_each_chunk(kernel, trans_a, trans_b, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc, chunks, thread);
        else if (chunks.by_rows)
            multiply_row_chunks(trans_a, trans_b, N, K, alpha, A, lda, B, ldb, beta, C, ldc, chunks, thread);
        else
            multiply_column_chunks(trans_a, trans_b, M, K, alpha, A, lda, B, ldb, beta, C, ldc, chunks, thread);
    });
}

}  // namespace tinyattn
