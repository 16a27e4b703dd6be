// fuzz_vocab.cpp — libFuzzer entry point; the checks are fuzz_targets::vocab (fuzz_targets.hpp).
#include "fuzz_targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    fuzz_targets::vocab(data, size);
    return 0;
}
