// Files built into the library (lib/data/): the default policy and what it names.
#ifndef JSZB_LIB_BASE_EMBEDDED_FILES_H
#define JSZB_LIB_BASE_EMBEDDED_FILES_H

#include <optional>
#include <string_view>

namespace jszb::core {

// The contents of a built-in file, by its name (no directory); nullopt if none.
std::optional<std::string_view> embedded_file(std::string_view name);

}  // namespace jszb::core

#endif  // JSZB_LIB_BASE_EMBEDDED_FILES_H
