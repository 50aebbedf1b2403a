// Fuzzes the GeoJSON street areas (lib/policy/areas.cc) through the C ABI: the
// bytes are the areas_file of a small policy, loaded with jszb_policy_load
// from a scratch directory.
//
// Refused: nothing is written to *out and the message is valid UTF-8 of at
// most 1 KiB. Loaded: requests given only a map point (points inside the
// seed's cells, on their borders, and taken from the bytes) are routed, each
// to a street of the policy or to none.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>

#include "fuzz_common.h"

namespace {

using jszb_fuzz::check_rc;
using jszb_fuzz::check_string;

constexpr std::int64_t kT0 = 1717214400000;  // 2024-06-01 12:00 China time

// Two districts and their streets (the seeds' features carry these codes).
const char kPolicy[] =
    "name: \"areas\"\n"
    "version: 1\n"
    "calendar {\n"
    "  name: \"24x7\" utc_offset_minutes: 480\n"
    "  working_hours { from: \"00:00\" to: \"24:00\" }\n"
    "  first_year: 2024 last_year: 2025 beyond: BEYOND_SCHEDULE_REFUSE\n"
    "}\n"
    "areas_file: \"areas.geojson\"\n"
    "units { code: 110105 name: \"朝阳区\" unit_class: UNIT_CLASS_DISTRICT }\n"
    "units { code: 110105007 name: \"和平街街道\" unit_class: UNIT_CLASS_STREET district: 110105 "
    "}\n"
    "units { code: 110105026 name: \"望京街道\" unit_class: UNIT_CLASS_STREET district: 110105 }\n"
    "units { code: 110101 name: \"东城区\" unit_class: UNIT_CLASS_DISTRICT }\n"
    "units { code: 110101001 name: \"东华门街道\" unit_class: UNIT_CLASS_STREET district: 110101 "
    "}\n"
    "dispatch_rules { id: \"street-first\" priority: 100 match { needs_street: true }\n"
    "  dispatch { street_of_request: true } }\n"
    "deadline_rules { id: \"reply\" step: STEP_REPLY limit { amount: 7 unit: TIME_UNIT_DAYS } }\n";

bool is_street(std::uint32_t code) {
  return code == 110105007 || code == 110105026 || code == 110101001;
}

void route_point(jszb_engine* e, int n, double lat, double lon) {
  jszb_intake in = JSZB_INTAKE_INIT;
  std::string ref = "p-" + std::to_string(n);
  in.time_ms = kT0;
  in.actor.role = JSZB_ROLE_OPERATOR;
  in.channel = JSZB_CHANNEL_APP;
  in.channel_ref = ref.c_str();
  in.kind = JSZB_KIND_HELP;
  in.category[0] = "城乡建设";
  in.has_point = 1;
  in.lat = lat;
  in.lon = lon;
  in.content = "路灯不亮";
  std::uint64_t id = 0;
  if (check_rc(jszb_engine_submit(e, &in, &id, nullptr)) != JSZB_OK) return;
  jszb_routing* r = nullptr;
  if (check_rc(jszb_engine_route(e, id, &r)) != JSZB_OK) {
    FUZZ_CHECK(r == nullptr);
    return;
  }
  const jszb_route* d = jszb_routing_decision(r);
  FUZZ_CHECK(d != nullptr);
  FUZZ_CHECK(d->street == 0 || is_street(d->street));
  if (d->outcome == JSZB_ROUTE_DISPATCH) FUZZ_CHECK(is_street(d->lead));
  check_string(d->rule, true);
  jszb_routing_free(r);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string& dir = jszb_fuzz::scratch_dir();
  jszb_fuzz::write_file(dir + "/areas.geojson", data, size);
  jszb_policy* p = jszb_fuzz::poison_ptr<jszb_policy>();
  int rc = check_rc(jszb_policy_load("areas.textproto", kPolicy, dir.c_str(), &p));
  if (rc != JSZB_OK) {
    FUZZ_CHECK(p == jszb_fuzz::poison_ptr<jszb_policy>());
    return 0;
  }
  jszb_engine* e = nullptr;
  FUZZ_CHECK(jszb_engine_open(nullptr, &e) == JSZB_OK);
  FUZZ_CHECK(jszb_engine_set_policy(e, p) == JSZB_OK);
  int n = 0;
  // Inside, on the border of and between the seeds' cells, and off the map.
  const double points[][2] = {{39.05, 116.05}, {39.05, 116.15}, {39.0, 116.1}, {39.1, 116.0},
                              {90.0, 180.0},   {-91.0, 0.0},    {0.0, 0.0},    {NAN, 116.0}};
  for (const auto& pt : points) route_point(e, n++, pt[0], pt[1]);
  // Points the bytes hold (their last 16 bytes, read as two doubles).
  if (size >= 16) {
    double lat, lon;
    std::memcpy(&lat, data + size - 16, 8);
    std::memcpy(&lon, data + size - 8, 8);
    route_point(e, n++, lat, lon);
  }
  jszb_engine_close(e);
  jszb_policy_free(p);
  return 0;
}
