// Reading a file of Open311 service requests: a JSON array of objects, or
// <service_requests><request>...</request>...</service_requests> as GET
// requests writes it. Each request is its fields by name, with where it
// starts in the file for messages.
#ifndef JSZB_LIB_INTERCHANGE_OPEN311_READER_H
#define JSZB_LIB_INTERCHANGE_OPEN311_READER_H

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "interchange/open311_writer.h"

namespace jszb::core::open311 {

using Fields = std::map<std::string, std::string, std::less<>>;

struct ReadRequest {
  std::string where;  // "request 3" (JSON) or "request 3 (line 17)" (XML)
  Fields fields;      // a null or empty field is left out
};

// The whole file, or why it cannot be read (naming the line for XML).
absl::StatusOr<std::vector<ReadRequest>> read_requests(std::string_view data, Format format);

}  // namespace jszb::core::open311

#endif  // JSZB_LIB_INTERCHANGE_OPEN311_READER_H
