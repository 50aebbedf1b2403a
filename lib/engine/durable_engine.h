// An engine over a SqliteStore: opened (created if need be) and recovered in
// one call, so that a caller never sees an engine that has not caught up with
// its log.
#ifndef JSZB_LIB_ENGINE_DURABLE_ENGINE_H
#define JSZB_LIB_ENGINE_DURABLE_ENGINE_H

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "engine/engine.h"
#include "store/sqlite_store.h"

namespace jszb::core {

struct DurableEngine {
  std::unique_ptr<Engine> engine;
  SqliteStore* store = nullptr;  // owned by the engine
};

absl::StatusOr<DurableEngine> open_durable_engine(const std::string& path,
                                                  const SqliteStoreOptions& store_options,
                                                  const EngineOptions& options = {});

}  // namespace jszb::core

#endif  // JSZB_LIB_ENGINE_DURABLE_ENGINE_H
