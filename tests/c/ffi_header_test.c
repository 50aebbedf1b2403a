/* jszb_ffi.h, generated from jszb.h for FFIs, compiles as strict C99 and
   declares the same structs with the same layouts and the same constants as
   jszb.h: the facts of ffi_layout_list.h, taken once under each header (in
   two translation units, ffi_layout_ffi.c being the other), must agree. */
#include <stddef.h>
#include <stdio.h>

#include "jszb/jszb.h"

extern const size_t jszb_ffi_layout[];
extern const size_t jszb_ffi_layout_count;

static const size_t header_layout[] = {
#include "ffi_layout_list.h"
};

int main(void) {
  size_t i, n = sizeof header_layout / sizeof header_layout[0];
  int failures = 0;
  if (jszb_ffi_layout_count != n) {
    fprintf(stderr, "%zu facts under jszb_ffi.h, %zu under jszb.h\n", jszb_ffi_layout_count, n);
    return 1;
  }
  for (i = 0; i < n; i++) {
    if (jszb_ffi_layout[i] != header_layout[i]) {
      fprintf(stderr, "fact %zu of ffi_layout_list.h: %zu under jszb_ffi.h, %zu under jszb.h\n",
              i + 1, jszb_ffi_layout[i], header_layout[i]);
      failures++;
    }
  }
  if (failures == 0) printf("%zu facts agree between jszb.h and jszb_ffi.h\n", n);
  return failures ? 1 : 0;
}
