/* Reads of one case that the C tests share: its state and its event count,
   each from a snapshot freed at once. -1 and 0 when the case cannot be read. */
#ifndef JSZB_TESTS_C_CASE_READS_H
#define JSZB_TESTS_C_CASE_READS_H

#include <stddef.h>
#include <stdint.h>

#include "jszb/jszb.h"

static inline int state_of(jszb_engine* e, uint64_t id) {
  jszb_case* c = NULL;
  int state = 0;
  if (jszb_engine_get_case(e, id, &c) != JSZB_OK) return -1;
  state = jszb_case_get_info(c)->state;
  jszb_case_free(c);
  return state;
}

static inline size_t events_of(jszb_engine* e, uint64_t id) {
  jszb_case* c = NULL;
  size_t n = 0;
  if (jszb_engine_get_case(e, id, &c) != JSZB_OK) return 0;
  n = jszb_case_get_info(c)->event_count;
  jszb_case_free(c);
  return n;
}

#endif /* JSZB_TESTS_C_CASE_READS_H */
