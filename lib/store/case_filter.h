// CaseFilter: which cases a listing returns. The engine matches the cases it
// holds in memory; a durable store answers the same filter in SQL.
#ifndef JSZB_LIB_STORE_CASE_FILTER_H
#define JSZB_LIB_STORE_CASE_FILTER_H

#include <array>
#include <cstddef>
#include <string_view>

#include "model/case.h"

namespace jszb::core {

// Which cases a listing returns; every field set must match.
struct CaseFilter {
  State state = State::kUnspecified;  // any
  UnitId unit = 0;                    // lead, copied or co-handling; 0: any
  // Area by name, each level empty for any.
  std::string_view district;
  std::string_view street;
  std::string_view community;
  // Category path prefix: the leading levels given (empty: any).
  std::array<std::string_view, 3> category;
  // Received in [received_from, received_until); 0: unbounded.
  TimeMs received_from = 0;
  TimeMs received_until = 0;
  // The running reply deadline due in [due_from, due_until); 0: unbounded.
  // Setting either leaves out cases without a running reply deadline.
  TimeMs due_from = 0;
  TimeMs due_until = 0;
  CaseId after = 0;       // ids greater than this
  std::size_t limit = 0;  // 0: no limit
};

// Whether a case matches the filter (as the store's query would have it).
bool matches(const CaseFilter& f, const Case& c);

}  // namespace jszb::core

#endif  // JSZB_LIB_STORE_CASE_FILTER_H
