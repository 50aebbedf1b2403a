// How jszb's states read in Open311 (status open or closed) and in
// FixMyStreet's public states: one table, row per jszb_state, documented in
// docs/open311.md.
#ifndef JSZB_LIB_INTERCHANGE_OPEN311_STATES_H
#define JSZB_LIB_INTERCHANGE_OPEN311_STATES_H

#include <array>
#include <string_view>

#include "jszb/types.hpp"
#include "model/case.h"

namespace jszb::core::open311 {

struct StateMapping {
  State state;
  bool closed;                   // Open311 status: "closed", else "open"
  std::string_view fixmystreet;  // the state FixMyStreet would show
};

// Every jszb state, in the order of jszb_state.
const std::array<StateMapping, kStateCount>& state_mappings();

// "open" or "closed".
std::string_view status(State s);
// FixMyStreet's state for the case: the table's, refined where the case says
// more (a closed order whose last result was solved is "fixed"; a request not
// dispatched as a duplicate is "duplicate", sent to the emergency services
// "internal referral").
std::string_view fixmystreet_state(const Case& c);

}  // namespace jszb::core::open311

#endif  // JSZB_LIB_INTERCHANGE_OPEN311_STATES_H
