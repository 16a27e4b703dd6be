// bench: the W1..W6 workloads of shared/WORKLOADS.md (filled in by the performance issue).
#include <cstdio>

int main() {
    std::puts("bench: no workloads implemented yet");
    return 0;
}
