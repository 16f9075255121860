#pragma once

#include <cstdio>
#include <cstdlib>

// An invariant a harness checks: a violation aborts, which libFuzzer reports
// as a crash with the input that caused it.
#define FUZZ_CHECK(cond)                                                       \
  do {                                                                         \
    if (!(cond)) {                                                             \
      std::fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__,          \
                   __LINE__, #cond);                                           \
      std::abort();                                                            \
    }                                                                          \
  } while (0)
