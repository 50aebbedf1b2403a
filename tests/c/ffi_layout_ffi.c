/* The layout facts of ffi_layout_list.h under the generated jszb_ffi.h, which
   has no includes of its own: the FFIs that read it know these types. */
#include <stddef.h>
#include <stdint.h>

#include "jszb/jszb_ffi.h"

const size_t jszb_ffi_layout[] = {
#include "ffi_layout_list.h"
};
const size_t jszb_ffi_layout_count = sizeof jszb_ffi_layout / sizeof jszb_ffi_layout[0];
