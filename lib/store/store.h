// Store: what an engine writes to, in roles. Every store is an event log
// (event_log.h) with its counters (counter_store.h). A durable store is also
// a case archive (case_archive.h), holding the cases the engine has let go of,
// and something to recover from (recovery.h); the engine finds those roles by
// type when it is given the store.
//
// MemoryStore keeps the log in memory; SqliteStore (sqlite_store.h) on disk.
#ifndef JSZB_LIB_STORE_STORE_H
#define JSZB_LIB_STORE_STORE_H

#include "store/counter_store.h"
#include "store/event_log.h"

namespace jszb::core {

class Store : public EventLog, public CounterStore {};

}  // namespace jszb::core

#endif  // JSZB_LIB_STORE_STORE_H
