// The C ABI of policies and of their work calendars.
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "base/embedded_files.h"
#include "c_convert.h"
#include "c_error.h"
#include "c_handles.h"

using jszb::capi::check_time;
using jszb::capi::check_utf8;
using jszb::capi::fail;
using jszb::capi::guarded;
namespace core = jszb::core;

jszb_policy::jszb_policy(std::shared_ptr<const core::Policy> p) : policy(std::move(p)) {
  for (const core::UnitInfo& u : policy->units()) {
    units.push_back({u.code, u.name.c_str(), static_cast<int>(u.unit_class), u.district, u.street,
                     u.national_code});
  }
}

namespace {

int policy_out(absl::StatusOr<std::shared_ptr<const core::Policy>> p, jszb_policy** out) {
  if (!p.ok()) return fail(p.status());
  *out = new jszb_policy(std::move(*p));
  return JSZB_OK;
}

int check(const void* p, const char* name) {
  if (p == nullptr) return fail(JSZB_E_INVALID, absl::StrFormat("%s is NULL", name).c_str());
  return JSZB_OK;
}

int result(const absl::StatusOr<std::int64_t>& r, std::int64_t* out) {
  if (!r.ok()) return fail(r.status());
  *out = *r;
  return JSZB_OK;
}

}  // namespace

extern "C" {

int jszb_policy_default(jszb_policy** out) {
  return guarded([&]() -> int {
    if (int rc = check(out, "out")) return rc;
    *out = new jszb_policy(core::Policy::beijing());
    return JSZB_OK;
  });
}

int jszb_policy_load(const char* name, const char* text, const char* base_dir, jszb_policy** out) {
  return guarded([&]() -> int {
    if (int rc = check(text, "text")) return rc;
    if (int rc = check(out, "out")) return rc;
    if (name != nullptr) {
      if (int rc = check_utf8(name, "name")) return rc;
    }
    if (base_dir != nullptr) {
      if (int rc = check_utf8(base_dir, "base_dir")) return rc;
    }
    std::string dir = base_dir ? std::string(base_dir) : std::string();
    auto read = [&dir](const std::string& file) -> absl::StatusOr<std::string> {
      if (dir.empty()) {
        std::optional<std::string_view> data = core::embedded_file(file);
        if (!data) {
          return absl::NotFoundError(absl::StrFormat(
              "%s is not built into the library (give a base_dir to read files)", file));
        }
        return std::string(*data);
      }
      std::ifstream in(file.size() > 0 && file[0] == '/' ? file : dir + "/" + file,
                       std::ios::binary);
      if (!in) return absl::NotFoundError(absl::StrFormat("cannot open %s in %s", file, dir));
      std::ostringstream s;
      s << in.rdbuf();
      return s.str();
    };
    return policy_out(core::Policy::load(name ? name : "policy", text, read), out);
  });
}

int jszb_policy_load_file(const char* path, jszb_policy** out) {
  return guarded([&]() -> int {
    if (int rc = check(path, "path")) return rc;
    if (int rc = check(out, "out")) return rc;
    if (int rc = check_utf8(path, "path")) return rc;
    return policy_out(core::Policy::load_file(path), out);
  });
}

void jszb_policy_free(jszb_policy* policy) { delete policy; }

const char* jszb_policy_name(const jszb_policy* policy) {
  return policy == nullptr ? nullptr : policy->policy->name().c_str();
}

uint32_t jszb_policy_version(const jszb_policy* policy) {
  return policy == nullptr ? 0 : policy->policy->version();
}

size_t jszb_policy_unit_count(const jszb_policy* policy) {
  return policy == nullptr ? 0 : policy->units.size();
}

const jszb_unit* jszb_policy_unit(const jszb_policy* policy, size_t index) {
  if (policy == nullptr || index >= policy->units.size()) return nullptr;
  return &policy->units[index];
}

const jszb_unit* jszb_policy_find_unit(const jszb_policy* policy, uint32_t code) {
  if (policy == nullptr) return nullptr;
  const core::UnitInfo* u = policy->policy->unit(code);
  if (u == nullptr) return nullptr;
  return &policy->units[static_cast<std::size_t>(u - policy->policy->units().data())];
}

int jszb_engine_set_policy(jszb_engine* engine, const jszb_policy* policy) {
  return guarded([&]() -> int {
    JSZB_CHECK_ENGINE(engine);
    if (int rc = check(policy, "policy")) return rc;
    if (absl::Status s = engine->engine.load_policy(policy->policy); !s.ok()) return fail(s);
    return JSZB_OK;
  });
}

int jszb_engine_adopt_schedule(jszb_engine* engine, uint32_t policy_version, int64_t now_ms,
                               size_t* moved) {
  return guarded([&]() -> int {
    JSZB_CHECK_ENGINE(engine);
    if (int rc = check_time(now_ms, "now_ms")) return rc;
    absl::StatusOr<std::size_t> n = engine->engine.adopt_schedule(policy_version, now_ms);
    if (!n.ok()) return fail(n.status());
    if (moved != nullptr) *moved = *n;
    return JSZB_OK;
  });
}

int jszb_calendar_is_working_day(const jszb_policy* policy, int year, int month, int day,
                                 int* working) {
  return guarded([&]() -> int {
    if (int rc = check(policy, "policy")) return rc;
    if (int rc = check(working, "working")) return rc;
    absl::CivilDay d(year, month, day);
    if (d.year() != year || d.month() != month || d.day() != day) {
      return fail(JSZB_E_INVALID,
                  absl::StrFormat("%04d-%02d-%02d is not a date", year, month, day).c_str());
    }
    absl::StatusOr<bool> w = policy->policy->calendar().is_working_day(d);
    if (!w.ok()) return fail(w.status());
    *working = *w ? 1 : 0;
    return JSZB_OK;
  });
}

int jszb_calendar_next_working_instant(const jszb_policy* policy, int64_t t_ms, int64_t* out_ms) {
  return guarded([&]() -> int {
    if (int rc = check(policy, "policy")) return rc;
    if (int rc = check(out_ms, "out_ms")) return rc;
    if (int rc = check_time(t_ms, "t_ms")) return rc;
    return result(policy->policy->calendar().next_working_instant(t_ms), out_ms);
  });
}

int jszb_calendar_add_working_days(const jszb_policy* policy, int64_t t_ms, int64_t n,
                                   int64_t* out_ms) {
  return guarded([&]() -> int {
    if (int rc = check(policy, "policy")) return rc;
    if (int rc = check(out_ms, "out_ms")) return rc;
    if (int rc = check_time(t_ms, "t_ms")) return rc;
    return result(policy->policy->calendar().add_working_days(t_ms, n), out_ms);
  });
}

int jszb_calendar_add_working_time(const jszb_policy* policy, int64_t t_ms, int64_t duration_ms,
                                   int64_t* out_ms) {
  return guarded([&]() -> int {
    if (int rc = check(policy, "policy")) return rc;
    if (int rc = check(out_ms, "out_ms")) return rc;
    if (int rc = check_time(t_ms, "t_ms")) return rc;
    return result(policy->policy->calendar().add_working_time(t_ms, duration_ms), out_ms);
  });
}

int jszb_calendar_working_time_between(const jszb_policy* policy, int64_t a_ms, int64_t b_ms,
                                       int64_t* out_ms) {
  return guarded([&]() -> int {
    if (int rc = check(policy, "policy")) return rc;
    if (int rc = check(out_ms, "out_ms")) return rc;
    if (int rc = check_time(a_ms, "a_ms")) return rc;
    if (int rc = check_time(b_ms, "b_ms")) return rc;
    return result(policy->policy->calendar().working_time_between(a_ms, b_ms), out_ms);
  });
}

}  // extern "C"
