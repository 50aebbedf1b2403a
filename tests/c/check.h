/* The C tests' checks: a failed check is reported with its line and counted;
   OK() also prints the library's message. Include once per test program. */
#ifndef JSZB_TESTS_C_CHECK_H
#define JSZB_TESTS_C_CHECK_H

#include <stdio.h>

#include "jszb/jszb.h"

static int failures = 0;

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
      failures++;                                                              \
    }                                                                          \
  } while (0)

#define OK(call)                                                                      \
  do {                                                                                \
    int rc_ = (call);                                                                 \
    if (rc_ != JSZB_OK) {                                                             \
      fprintf(stderr, "%s:%d: %s returned %d: %s\n", __FILE__, __LINE__, #call, rc_, \
              jszb_error_last()->message);                                            \
      failures++;                                                                     \
    }                                                                                 \
  } while (0)

#endif /* JSZB_TESTS_C_CHECK_H */
