// Open311 GeoReport v2 out of jszb: the services a policy's dispatch
// catalogue names, and cases as service requests (docs/open311.md).
#ifndef JSZB_LIB_INTERCHANGE_OPEN311_H
#define JSZB_LIB_INTERCHANGE_OPEN311_H

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/engine.h"
#include "interchange/open311_writer.h"
#include "policy/policy.h"

namespace jszb::core::open311 {

// A service: a category path the policy names (a dispatch or deadline rule's
// category), e.g. service_code "公共服务/供水".
struct Service {
  std::string code;         // the levels joined by "/"
  std::string name;         // the last level
  std::string group;        // the first level
  std::string description;  // the first dispatch rule's description naming it, or ""
};

// A service_code's levels ("公共服务/供水" -> 公共服务, 供水; "" -> none).
std::vector<std::string_view> split_levels(std::string_view code);

// The policy's services, sorted by code, each once.
std::vector<Service> services(const Policy& policy);
std::string render_services(const std::vector<Service>& services, Format format);

// The service a submission names: one of the policy's, or a deeper category
// under one ("公共服务/供水/停水" under "公共服务/供水"); nullptr if none.
const Service* find_service(const std::vector<Service>& services, std::string_view code);

enum class StatusFilter { kAny = 0, kOpen = 1, kClosed = 2 };

struct Query {
  CaseId id = 0;    // one request; 0: all that match the rest
  TimeMs from = 0;  // requested (received) in [from, until); 0: open end
  TimeMs until = 0;
  StatusFilter status = StatusFilter::kAny;
  std::string_view service_code;  // a category path prefix, levels joined by "/"
  // Contact (name, phone), the exact address and point: only when asked for.
  // Without it the address is the area's names and lat/long are rounded to
  // 0.001 degrees (about 100 m). Erased data is gone either way.
  bool with_personal = false;
  std::size_t limit = 0;  // 0: no limit
};

// The matching cases as service requests, ascending by id. A query for one id
// that does not exist: NotFound.
absl::StatusOr<std::string> requests(Engine& engine, const Query& query, Format format);

}  // namespace jszb::core::open311

#endif  // JSZB_LIB_INTERCHANGE_OPEN311_H
