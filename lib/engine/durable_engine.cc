#include "engine/durable_engine.h"

#include <utility>

namespace jszb::core {

absl::StatusOr<DurableEngine> open_durable_engine(const std::string& path,
                                                  const SqliteStoreOptions& store_options,
                                                  const EngineOptions& options) {
  absl::StatusOr<std::unique_ptr<SqliteStore>> store = SqliteStore::open(path, store_options);
  if (!store.ok()) return store.status();
  DurableEngine out;
  out.store = store->get();
  out.engine = std::make_unique<Engine>(options, std::move(*store));
  if (absl::Status s = out.engine->recover(); !s.ok()) return s;
  return out;
}

}  // namespace jszb::core
