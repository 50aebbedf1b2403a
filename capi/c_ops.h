// What c_ops.cc shares with c_prometheus.cc: an engine's store stats and
// metrics, as the C structs are filled.
#ifndef JSZB_CAPI_C_OPS_H
#define JSZB_CAPI_C_OPS_H

#include "c_handles.h"
#include "jszb/jszb.h"
#include "store/store_stats.h"

namespace jszb::capi {

// The stats of the engine's store (or of its memory, for an in-memory
// engine); a pipelined batch under way is waited for first.
int store_stats(jszb_engine* engine, core::StoreStats* out);
void fill_metrics(const jszb_engine* engine, jszb_metrics* m);

}  // namespace jszb::capi

#endif  // JSZB_CAPI_C_OPS_H
