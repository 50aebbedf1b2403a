// Fuzzes intake and command validation, and the lifecycle behind them, through
// the C ABI: the bytes are a sequence of operations (capi_ops.h) on one
// in-memory engine under the built-in Beijing policy: submissions, commands,
// routed dispatches, timers, batches, queries and erasures, with field values
// drawn from the bytes (extreme times, enumerators out of range, invalid or
// oversized UTF-8, NULL arrays with counts).
//
// Every call either succeeds with a usable result or fails with a valid error
// and its outputs untouched; a refused command names the command and the
// case's state; listeners see every event and may not change the engine. At
// the end every case is consistent and replays from its exported history.
#include <climits>
#include <cmath>
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "capi_ops.h"
#include "fuzz_common.h"
#include "fuzz_engine_checks.h"
#include "fuzz_replay.h"

namespace {

namespace ops = jszb_fuzz::ops;
using jszb_fuzz::check_rc;
using jszb_fuzz::check_string;
using jszb_fuzz::kPoison64;
using jszb_fuzz::kPoisonSize;
using jszb_fuzz::poison_ptr;

// Draws the operations' fields from the bytes and keeps what they point to.
class Fields {
 public:
  explicit Fields(jszb_fuzz::Reader& in) : in_(in) {}

  std::int64_t time() {
    std::uint8_t pick = in_.u8() & 0x0f;
    if (pick < ops::kMinutesLater) return clock_ = sat_add(clock_, in_.u16() * 1000LL);
    if (pick < ops::kSameTime) return clock_ = sat_add(clock_, in_.u16() * 60000LL);
    switch (pick) {
      case ops::kSameTime:
        return clock_;
      case ops::kNearMin:
        return INT64_MIN + in_.u8();
      case ops::kNearMax:
        return INT64_MAX - in_.u8();
      case ops::kRawTime:
        return in_.i64();
      default:
        return sat_add(clock_, -in_.u16() * 1000LL);
    }
  }

  int enum_of(int max) {
    std::uint8_t v = in_.u8();
    if (v < ops::kEnumHostile) return v % (max + 1);
    const int hostile[] = {-1, INT_MIN, INT_MAX, max + 1, 256};
    unsigned k = (v - ops::kEnumHostile) % 6u;
    return k < 5 ? hostile[k] : static_cast<int>(in_.u32());
  }

  std::uint32_t unit() {
    std::uint8_t v = in_.u8();
    if (v < ops::kUnitHostile) return ops::kUnits[v % ops::kUnitCount];
    switch (v % 3) {
      case 0:
        return 0;
      case 1:
        return UINT32_MAX;
      default:
        return in_.u32();
    }
  }

  jszb_actor actor() {
    jszb_actor a;
    a.role = enum_of(5);
    a.unit = unit();
    a.staff = in_.u8();
    return a;
  }

  const char* str() {
    std::uint8_t v = in_.u8();
    if (v < ops::kRawMax) return keep(in_.bytes(v % 64u));
    if (v < ops::kStrNull) return ops::kDict[v - ops::kDictFirst];
    switch (v) {
      case ops::kStrNull:
        return nullptr;
      case ops::kStrEmpty:
        return "";
      case ops::kTextAtLimit:
        return keep(std::string(65536, 'a'));
      case ops::kTextOverLimit:
        return keep(std::string(65537, 'a'));
      case ops::kNameAtLimit:
        return keep(std::string(256, 'b'));
      case ops::kNameOverLimit:
        return keep(std::string(257, 'b'));
      case ops::kLongChinese: {
        std::string s;
        for (int i = 0; i < 400; ++i) s += "朝";
        return keep(s);
      }
      default:
        break;
    }
    const char* bad[] = {"a\xC3\x28", "\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xE4\xB8"};
    if (v >= ops::kBadUtf8First && v < ops::kBadUtf8First + 5) return bad[v - ops::kBadUtf8First];
    return ops::kDict[v % ops::kDictCount];
  }

  // A unit list: pointer and count.
  const std::uint32_t* units(std::size_t* count) {
    std::uint8_t c = in_.u8();
    if (c == ops::kListNull) {
      *count = 3;
      return nullptr;
    }
    std::size_t n = c == ops::kListOver ? 65 : c % 5u;
    lists_.emplace_back();
    for (std::size_t i = 0; i < n; ++i) lists_.back().push_back(unit());
    *count = n;
    return lists_.back().empty() ? nullptr : lists_.back().data();
  }

  std::uint64_t case_id(const std::vector<std::uint64_t>& ids) {
    std::uint8_t v = in_.u8();
    if (v < ops::kCaseHostile) return ids.empty() ? 1 : ids[v % ids.size()];
    switch (v % 4) {
      case 0:
        return 0;
      case 1:
        return UINT64_MAX;
      case 2:
        return in_.u64();
      default:
        return ids.size() + 1;
    }
  }

  void point(jszb_intake* in) {
    std::uint8_t v = in_.u8();
    in->has_point = (v & 3) == 3 ? -1 : (v & 3);
    const double nan = std::nan(""), inf = INFINITY;
    const double fixed[][2] = {{39.97, 116.43}, {39.99, 116.47}, {nan, 116.4}, {inf, -inf},
                               {91.0, 181.0},   {-0.0, 0.0},     {39.9, 116.4}};
    unsigned k = (v >> 2) % 8u;
    if (k < 7) {
      in->lat = fixed[k][0];
      in->lon = fixed[k][1];
    } else {
      in->lat = in_.f64();
      in->lon = in_.f64();
    }
  }

  unsigned version(unsigned current) {
    std::uint8_t v = in_.u8();
    if (v < 0xF0) return current;
    const unsigned other[] = {0, 1, 2, current + 1, UINT_MAX};
    return other[v % 5];
  }

  jszb_fuzz::Reader& in() { return in_; }

 private:
  static std::int64_t sat_add(std::int64_t a, std::int64_t b) {
    std::int64_t r;
    return __builtin_add_overflow(a, b, &r) ? (b > 0 ? INT64_MAX : INT64_MIN) : r;
  }
  const char* keep(std::string s) {
    strings_.push_back(std::move(s));
    return strings_.back().c_str();
  }

  jszb_fuzz::Reader& in_;
  std::int64_t clock_ = ops::kClockStart;
  std::deque<std::string> strings_;
  std::deque<std::vector<std::uint32_t>> lists_;
};

struct Run {
  jszb_engine* engine = nullptr;
  std::vector<std::uint64_t> ids;  // the cases made, in order
  bool in_batch = false;
  std::size_t ids_at_begin = 0;
};

// Listeners see every event, and may read the engine but not change it.
void on_event(void* payload, const jszb_event* ev) {
  auto* run = static_cast<Run*>(payload);
  FUZZ_CHECK(ev != nullptr && ev->seq >= 1);
  FUZZ_CHECK(jszb_event_type_name(ev->type) != nullptr);
  FUZZ_CHECK(jszb_state_name(ev->state) != nullptr);
  FUZZ_CHECK(ev->payload != nullptr);
  check_string(ev->payload->text, true);
  std::uint64_t count = 0;
  FUZZ_CHECK(jszb_engine_case_count(run->engine, &count) == JSZB_OK);
  FUZZ_CHECK(jszb_engine_advance(run->engine, ev->time_ms) == JSZB_E_BUSY);
}

int case_state(Run& run, std::uint64_t id, std::size_t* events) {
  jszb_case* c = nullptr;
  if (jszb_engine_get_case(run.engine, id, &c) != JSZB_OK) return 0;
  int state = jszb_case_get_info(c)->state;
  if (events != nullptr) *events = jszb_case_get_info(c)->event_count;
  jszb_case_free(c);
  return state;
}

void do_submit(Fields& f, Run& run) {
  jszb_intake in = JSZB_INTAKE_INIT;
  in.version = f.version(JSZB_INTAKE_VERSION);
  in.time_ms = f.time();
  in.actor = f.actor();
  in.channel = f.enum_of(10);
  in.channel_ref = f.str();
  in.kind = f.enum_of(5);
  for (const char*& c : in.category) c = f.str();
  in.urgency = f.enum_of(3);
  in.district = f.str();
  in.street = f.str();
  in.community = f.str();
  in.address = f.str();
  f.point(&in);
  in.content = f.str();
  in.contact_name = f.str();
  in.contact_phone = f.str();
  std::uint64_t id = kPoison64;
  int created = -7;
  if (check_rc(jszb_engine_submit(run.engine, &in, &id, &created)) != JSZB_OK) {
    FUZZ_CHECK(id == kPoison64 && created == -7);
    return;
  }
  FUZZ_CHECK(id != 0 && id != kPoison64 && (created == 0 || created == 1));
  bool known = false;
  for (std::uint64_t k : run.ids) known = known || k == id;
  FUZZ_CHECK(known == (created == 0));
  if (created) run.ids.push_back(id);
  std::size_t events = 0;
  FUZZ_CHECK(case_state(run, id, &events) != 0 && events >= 1);
}

void fill_payload(Fields& f, const std::vector<std::uint64_t>& ids, jszb_payload* p) {
  std::uint16_t mask = f.in().u16();
  if (mask & ops::kUnit) p->unit = f.unit();
  if (mask & ops::kMode) p->mode = f.enum_of(2);
  if (mask & ops::kCopyTo) p->copy_to = f.units(&p->copy_to_count);
  if (mask & ops::kUnitsList) p->units = f.units(&p->units_count);
  if (mask & ops::kReason) p->reason = f.enum_of(6);
  if (mask & ops::kLevel) p->level = f.enum_of(2);
  if (mask & ops::kReplyFlags) {
    p->contacted = f.enum_of(1);
    p->solved = f.enum_of(1);
  }
  if (mask & ops::kVisit) {
    p->valid_visit = f.enum_of(1);
    p->satisfaction = f.enum_of(3);
    p->visit_method = f.enum_of(3);
  }
  if (mask & ops::kUntil) p->until_ms = f.time();
  if (mask & ops::kOtherCase) p->other_case = f.case_id(ids);
  if (mask & ops::kText) p->text = f.str();
  if (mask & ops::kEngineFields) {
    p->step = f.enum_of(10);
    p->mark = f.enum_of(3);
    p->action = f.enum_of(4);
  }
  if (mask & ops::kRule) p->rule = f.str();
  if (mask & ops::kRequestId) p->request_id = f.str();
}

void do_apply(Fields& f, Run& run) {
  jszb_command cmd = JSZB_COMMAND_INIT;
  cmd.version = f.version(JSZB_COMMAND_VERSION);
  std::uint8_t k = f.in().u8();
  const int hostile[] = {0, 1, -1, 41, INT_MAX, INT_MIN, 26, 32};
  cmd.kind = k < 0xE0 ? JSZB_CMD_FIRST + k % 39 : hostile[k % 8];
  cmd.case_id = f.case_id(run.ids);
  cmd.time_ms = f.time();
  cmd.actor = f.actor();
  fill_payload(f, run.ids, &cmd.payload);
  std::size_t before = 0;
  case_state(run, cmd.case_id, &before);
  int rc = check_rc(jszb_engine_apply(run.engine, &cmd));
  std::size_t after = 0;
  int state = case_state(run, cmd.case_id, &after);
  if (rc == JSZB_OK) {
    FUZZ_CHECK(state != 0);
    bool retry =
        cmd.version >= 3 && cmd.payload.request_id != nullptr && cmd.payload.request_id[0] != '\0';
    if (retry) return;  // may be a retry, answered without a new event
    FUZZ_CHECK(after > before);
    jszb_case* c = nullptr;
    FUZZ_CHECK(jszb_engine_get_case(run.engine, cmd.case_id, &c) == JSZB_OK);
    const jszb_event* last = jszb_case_get_event(c, after - 1);
    FUZZ_CHECK(last->type == cmd.kind && last->time_ms == cmd.time_ms);
    jszb_case_free(c);
  } else if (rc == JSZB_E_STATE || rc == JSZB_E_DENIED || rc == JSZB_E_REFUSED) {
    const jszb_error* e = jszb_error_last();
    if (e->refusal != 0) {  // a lifecycle refusal: it names the command and state
      FUZZ_CHECK(e->command == cmd.kind && e->state == state);
      FUZZ_CHECK(jszb_refusal_name(e->refusal) != nullptr);
    }
  }
}

void do_deadlines(Fields& f, Run& run) {
  std::uint64_t id = f.case_id(run.ids);
  std::int64_t now = f.time();
  jszb_deadline_status* out = poison_ptr<jszb_deadline_status>();
  std::size_t count = kPoisonSize;
  if (check_rc(jszb_engine_case_deadlines(run.engine, id, now, &out, &count)) != JSZB_OK) {
    FUZZ_CHECK(out == poison_ptr<jszb_deadline_status>() && count == kPoisonSize);
    return;
  }
  FUZZ_CHECK(count == 0 || out != nullptr);
  for (std::size_t i = 0; i < count; ++i) FUZZ_CHECK(jszb_step_name(out[i].step) != nullptr);
  jszb_free(out);
}

void do_list(Fields& f, Run& run) {
  jszb_case_filter filter = JSZB_CASE_FILTER_INIT;
  filter.version = f.version(JSZB_CASE_FILTER_VERSION);
  filter.state = f.enum_of(JSZB_STATE_COUNT);
  filter.unit = f.in().u8() < 0x80 ? 0 : f.unit();
  filter.after_id = f.in().u8();
  filter.limit = f.in().u8() % 8u;
  std::uint8_t mask = f.in().u8();
  if (mask & 1) filter.district = f.str();
  if (mask & 2) filter.street = f.str();
  if (mask & 4) filter.community = f.str();
  if (mask & 8) filter.category[0] = f.str();
  if (mask & 16) filter.category[1] = f.str();
  if (mask & 32) {
    filter.received_from_ms = f.time();
    filter.received_until_ms = f.time();
  }
  if (mask & 64) {
    filter.due_from_ms = f.time();
    filter.due_until_ms = f.time();
  }
  std::uint64_t* ids = poison_ptr<std::uint64_t>();
  std::size_t count = kPoisonSize;
  if (check_rc(jszb_engine_list_cases(run.engine, &filter, &ids, &count)) != JSZB_OK) {
    FUZZ_CHECK(ids == poison_ptr<std::uint64_t>() && count == kPoisonSize);
    return;
  }
  FUZZ_CHECK(count == 0 ? ids == nullptr : ids != nullptr);
  FUZZ_CHECK(filter.limit == 0 || count <= filter.limit);
  for (std::size_t i = 0; i < count; ++i) {
    FUZZ_CHECK(ids[i] > filter.after_id && (i == 0 || ids[i] > ids[i - 1]));
    FUZZ_CHECK(case_state(run, ids[i], nullptr) != 0);
  }
  jszb_free(ids);
}

void do_route(Fields& f, Run& run) {
  bool explain = f.in().u8() & 1;
  jszb_routing* r = poison_ptr<jszb_routing>();
  std::uint64_t id = f.case_id(run.ids);
  int rc = check_rc(explain ? jszb_engine_explain(run.engine, id, &r)
                            : jszb_engine_route(run.engine, id, &r));
  if (rc != JSZB_OK) {
    FUZZ_CHECK(r == poison_ptr<jszb_routing>());
    return;
  }
  const jszb_route* d = jszb_routing_decision(r);
  FUZZ_CHECK(explain || d != nullptr);
  if (d != nullptr) {
    check_string(d->rule, true);
    check_string(d->note, true);
    FUZZ_CHECK(d->copy_to_count == 0 || d->copy_to != nullptr);
  }
  for (std::size_t i = 0; i < jszb_routing_verdict_count(r); ++i) {
    const jszb_rule_verdict* v = jszb_routing_verdict(r, i);
    FUZZ_CHECK(v != nullptr);
    check_string(v->rule, false);
    check_string(v->why, true);
  }
  FUZZ_CHECK(jszb_routing_verdict(r, jszb_routing_verdict_count(r)) == nullptr);
  jszb_routing_free(r);
}

void do_snapshot(Fields& f, Run& run) {
  jszb_case* c = poison_ptr<jszb_case>();
  std::uint64_t id = f.case_id(run.ids);
  if (check_rc(jszb_engine_get_case(run.engine, id, &c)) != JSZB_OK) {
    FUZZ_CHECK(c == poison_ptr<jszb_case>());
    return;
  }
  jszb_fuzz::check_case_snapshot(c, id);
  jszb_case_free(c);
}

void do_batch(ops::Op op, Run& run) {
  int rc = JSZB_OK;
  if (op == ops::kBegin) {
    rc = check_rc(jszb_engine_begin(run.engine));
    FUZZ_CHECK((rc == JSZB_OK) == !run.in_batch);
    if (rc == JSZB_OK) {
      run.in_batch = true;
      run.ids_at_begin = run.ids.size();
    }
    return;
  }
  rc = check_rc(op == ops::kCommit ? jszb_engine_commit(run.engine)
                                   : jszb_engine_rollback(run.engine));
  FUZZ_CHECK((rc == JSZB_OK) == run.in_batch);
  if (rc == JSZB_OK && op == ops::kRollback) run.ids.resize(run.ids_at_begin);
  if (rc == JSZB_OK) run.in_batch = false;
}

void step(Fields& f, Run& run) {
  auto op = static_cast<ops::Op>(f.in().u8() % ops::kOpCount);
  switch (op) {
    case ops::kSubmit:
      return do_submit(f, run);
    case ops::kApply:
      return do_apply(f, run);
    case ops::kDispatchRouted: {
      std::uint64_t id = f.case_id(run.ids);
      std::int64_t t = f.time();
      check_rc(jszb_engine_dispatch_routed(run.engine, id, t, f.actor()));
      return;
    }
    case ops::kAdvance: {
      check_rc(jszb_engine_advance(run.engine, f.time()));
      std::uint64_t pending = kPoison64;
      FUZZ_CHECK(jszb_engine_timers_pending(run.engine, &pending) == JSZB_OK);
      FUZZ_CHECK(pending <= run.ids.size());
      return;
    }
    case ops::kBegin:
    case ops::kCommit:
    case ops::kRollback:
      return do_batch(op, run);
    case ops::kDeadlines:
      return do_deadlines(f, run);
    case ops::kList:
      return do_list(f, run);
    case ops::kRoute:
      return do_route(f, run);
    case ops::kErase: {
      std::uint64_t id = f.case_id(run.ids);
      check_rc(jszb_engine_erase_personal(run.engine, id, f.time()));
      return;
    }
    default:
      return do_snapshot(f, run);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  jszb_fuzz::Reader in(data, size);
  Fields f(in);
  Run run;
  run.engine = jszb_fuzz::open_engine(true);
  std::uint64_t listener = 0;
  FUZZ_CHECK(jszb_engine_add_listener(run.engine, on_event, &run, &listener) == JSZB_OK);
  for (int n = 0; n < 64 && !in.done(); ++n) step(f, run);
  if (run.in_batch) FUZZ_CHECK(jszb_engine_commit(run.engine) == JSZB_OK);
  FUZZ_CHECK(jszb_engine_remove_listener(run.engine, listener) == JSZB_OK);
  jszb_fuzz::check_all_cases(run.engine, 8, [] { return jszb_fuzz::open_engine(true); });
  jszb_engine_close(run.engine);
  return 0;
}
