// Fuzzes the policy text parser (protobuf text format, then every check of
// lib/policy) through jszb_policy_load: the bytes are the policy's text.
//
// Refused: nothing is written to *out and the message is valid UTF-8 of at
// most 1 KiB. Loaded: the policy answers every question about itself, and an
// engine runs a request under it (submit, route, dispatch, advance).
#include <cstdint>
#include <string>

#include "fuzz_common.h"

namespace {

using jszb_fuzz::check_rc;
using jszb_fuzz::check_string;

constexpr std::int64_t kT0 = 1717214400000;  // 2024-06-01 12:00 China time

void check_units(const jszb_policy* p) {
  std::size_t n = jszb_policy_unit_count(p);
  for (std::size_t i = 0; i < n && i < 64; ++i) {
    const jszb_unit* u = jszb_policy_unit(p, i);
    FUZZ_CHECK(u != nullptr);
    check_string(u->name, false);
    FUZZ_CHECK(jszb_policy_find_unit(p, u->code) != nullptr);
  }
  FUZZ_CHECK(jszb_policy_unit(p, n) == nullptr);
}

void check_calendar(const jszb_policy* p) {
  std::int64_t out = jszb_fuzz::kPoison64;
  int working = -7;
  int rc = check_rc(jszb_calendar_is_working_day(p, 2024, 6, 3, &working));
  FUZZ_CHECK(rc == JSZB_OK ? (working == 0 || working == 1) : working == -7);
  rc = check_rc(jszb_calendar_next_working_instant(p, kT0, &out));
  FUZZ_CHECK(rc == JSZB_OK ? out >= kT0 : out == static_cast<std::int64_t>(jszb_fuzz::kPoison64));
  out = jszb_fuzz::kPoison64;
  rc = check_rc(jszb_calendar_add_working_days(p, kT0, 3, &out));
  FUZZ_CHECK(rc == JSZB_OK ? out >= kT0 : out == static_cast<std::int64_t>(jszb_fuzz::kPoison64));
  out = jszb_fuzz::kPoison64;
  rc = check_rc(jszb_calendar_add_working_time(p, kT0, 7200000, &out));
  FUZZ_CHECK(rc == JSZB_OK ? out >= kT0 : out == static_cast<std::int64_t>(jszb_fuzz::kPoison64));
  out = jszb_fuzz::kPoison64;
  rc = check_rc(jszb_calendar_working_time_between(p, kT0, kT0 + 86400000, &out));
  FUZZ_CHECK(rc == JSZB_OK ? (out >= 0 && out <= 86400000)
                           : out == static_cast<std::int64_t>(jszb_fuzz::kPoison64));
}

// A request under the policy: submitted, routed, dispatched, timers run.
void run_engine(const jszb_policy* p) {
  jszb_engine* e = nullptr;
  FUZZ_CHECK(jszb_engine_open(nullptr, &e) == JSZB_OK);
  if (check_rc(jszb_engine_set_policy(e, p)) != JSZB_OK) {
    jszb_engine_close(e);
    return;
  }
  jszb_intake in = JSZB_INTAKE_INIT;
  in.time_ms = kT0;
  in.actor.role = JSZB_ROLE_OPERATOR;
  in.channel = JSZB_CHANNEL_PHONE;
  in.channel_ref = "fuzz-1";
  in.kind = JSZB_KIND_COMPLAINT;
  in.category[0] = "城乡建设";
  in.category[1] = "施工管理";
  in.district = "朝阳区";
  in.street = "和平街街道";
  in.has_point = 1;
  in.lat = 39.97;
  in.lon = 116.43;
  in.content = "工地夜间施工扰民";
  std::uint64_t id = 0;
  if (check_rc(jszb_engine_submit(e, &in, &id, nullptr)) == JSZB_OK) {
    jszb_routing* r = nullptr;
    if (check_rc(jszb_engine_route(e, id, &r)) == JSZB_OK) {
      const jszb_route* d = jszb_routing_decision(r);
      FUZZ_CHECK(d != nullptr);
      check_string(d->rule, true);
      check_string(d->note, true);
      for (std::size_t i = 0; i < jszb_routing_verdict_count(r); ++i) {
        check_string(jszb_routing_verdict(r, i)->rule, false);
        check_string(jszb_routing_verdict(r, i)->why, true);
      }
      jszb_routing_free(r);
    } else {
      FUZZ_CHECK(r == nullptr);
    }
    jszb_actor dispatcher = {JSZB_ROLE_DISPATCHER, 0, 0};
    check_rc(jszb_engine_dispatch_routed(e, id, kT0 + 60000, dispatcher));
    check_rc(jszb_engine_advance(e, kT0 + 40LL * 86400000));
    jszb_case* c = nullptr;
    FUZZ_CHECK(jszb_engine_get_case(e, id, &c) == JSZB_OK);
    FUZZ_CHECK(jszb_case_get_info(c)->event_count >= 1);
    jszb_case_free(c);
  }
  jszb_engine_close(e);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);  // NUL-terminated
  jszb_policy* p = jszb_fuzz::poison_ptr<jszb_policy>();
  int rc = check_rc(jszb_policy_load("fuzz.textproto", text.c_str(), nullptr, &p));
  if (rc != JSZB_OK) {
    FUZZ_CHECK(p == jszb_fuzz::poison_ptr<jszb_policy>());
    return 0;
  }
  FUZZ_CHECK(p != nullptr);
  check_string(jszb_policy_name(p), false);
  jszb_policy_version(p);
  check_units(p);
  check_calendar(p);
  run_engine(p);
  jszb_policy_free(p);
  return 0;
}
