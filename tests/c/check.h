/* The C tests' checks: a failed check is reported with its line and counted;
   OK() also prints the library's message. Include once per test program. */
#ifndef JSZB_TESTS_C_CHECK_H
#define JSZB_TESTS_C_CHECK_H

#include <stdio.h>
#include <string.h>

#include "jszb/jszb.h"

static int failures = 0;

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
      failures++;                                                              \
    }                                                                          \
  } while (0)

#define OK(call)                                                                     \
  do {                                                                               \
    int rc_ = (call);                                                                \
    if (rc_ != JSZB_OK) {                                                            \
      fprintf(stderr, "%s:%d: %s returned %d: %s\n", __FILE__, __LINE__, #call, rc_, \
              jszb_error_last()->message);                                           \
      failures++;                                                                    \
    }                                                                                \
  } while (0)

struct test {
  const char* name;
  void (*run)(void);
};

/* Runs the test named argv[1], or every test without an argument; the exit
   status is what ctest reads. */
static int run_tests(const struct test* tests, size_t n, int argc, char** argv) {
  size_t i, ran = 0;
  for (i = 0; i < n; i++) {
    if (argc > 1 && strcmp(argv[1], tests[i].name) != 0) continue;
    tests[i].run();
    ran++;
  }
  if (ran == 0) {
    fprintf(stderr, "no test named %s\n", argc > 1 ? argv[1] : "(none)");
    return 2;
  }
  if (failures) fprintf(stderr, "%d checks failed\n", failures);
  return failures ? 1 : 0;
}

#endif /* JSZB_TESTS_C_CHECK_H */
