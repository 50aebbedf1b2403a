// The replay targets' shared driver: records of a log, replayed one by one
// into one engine (under the built-in policy, or none, as verify() replays).
//
// Each record is accepted, changing the engine, or refused, changing nothing
// (no case added, no event added to any case) with a valid message. At the
// end every case passes check_all_cases: it exports and replays again.
#ifndef JSZB_TESTS_FUZZ_FUZZ_REPLAY_H
#define JSZB_TESTS_FUZZ_FUZZ_REPLAY_H

#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_common.h"
#include "fuzz_engine_checks.h"

namespace jszb_fuzz {

inline const jszb_policy* default_policy() {
  static jszb_policy* p = [] {
    jszb_policy* out = nullptr;
    FUZZ_CHECK(jszb_policy_default(&out) == JSZB_OK);
    return out;
  }();
  return p;
}

inline jszb_engine* open_engine(bool with_policy) {
  jszb_engine* e = nullptr;
  FUZZ_CHECK(jszb_engine_open(nullptr, &e) == JSZB_OK);
  if (with_policy) FUZZ_CHECK(jszb_engine_set_policy(e, default_policy()) == JSZB_OK);
  return e;
}

// How many cases and events the engine holds: what a refused call leaves alone.
inline std::pair<std::uint64_t, std::uint64_t> footprint(jszb_engine* e) {
  std::uint64_t* ids = nullptr;
  std::size_t count = 0;
  FUZZ_CHECK(check_rc(jszb_engine_list_cases(e, nullptr, &ids, &count)) == JSZB_OK);
  std::uint64_t events = 0;
  for (std::size_t i = 0; i < count; ++i) {
    jszb_case* c = nullptr;
    FUZZ_CHECK(check_rc(jszb_engine_get_case(e, ids[i], &c)) == JSZB_OK);
    events += jszb_case_get_info(c)->event_count;
    jszb_case_free(c);
  }
  jszb_free(ids);
  return {count, events};
}

// replay(engine, record) -> jszb_code, for each record in order.
template <class Replay>
void replay_log(const std::vector<std::string>& records, bool with_policy, Replay&& replay) {
  jszb_engine* e = open_engine(with_policy);
  std::pair<std::uint64_t, std::uint64_t> before = footprint(e);
  for (const std::string& r : records) {
    int rc = check_rc(replay(e, r));
    std::pair<std::uint64_t, std::uint64_t> after = footprint(e);
    if (rc == JSZB_OK) {
      FUZZ_CHECK(after.second == before.second + 1);
    } else {
      FUZZ_CHECK(after == before);
    }
    before = after;
  }
  check_all_cases(e, 16, [&] { return open_engine(with_policy); });
  jszb_engine_close(e);
}

}  // namespace jszb_fuzz

#endif  // JSZB_TESTS_FUZZ_FUZZ_REPLAY_H
