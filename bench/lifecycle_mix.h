// The lifecycle mix of the issue, as data: per case, submit, dispatch, 1 in 5
// returned and re-dispatched, sign, 1 in 7 extended (approved), reply, 1 in 10
// visited not satisfied -> redo -> reply again, satisfied visit, close.
#ifndef JSZB_BENCH_LIFECYCLE_MIX_H
#define JSZB_BENCH_LIFECYCLE_MIX_H

#include <cstdint>

namespace jszb::bench {

struct MixShape {
  bool returned;
  bool extended;
  bool unsatisfied;
};

inline MixShape mix_shape(std::uint64_t case_index) {
  return {case_index % 5 == 0, case_index % 7 == 0, case_index % 10 == 0};
}

// Commands (submission included) the mix applies to one case: submit,
// dispatch, sign, reply, visit and close, plus return and re-dispatch, request
// and approve an extension, or visit, redo and reply again: 6.99 on average.
inline int mix_commands(const MixShape& s) {
  return 6 + (s.returned ? 2 : 0) + (s.extended ? 2 : 0) + (s.unsatisfied ? 3 : 0);
}

}  // namespace jszb::bench

#endif  // JSZB_BENCH_LIFECYCLE_MIX_H
