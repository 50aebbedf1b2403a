// The C ABI (jszb.h): handles wrap the library's C++ objects; every entry point
// runs inside guarded(), so no exception crosses, and reports failures through
// fail(), so jszb_error_last() always says what went wrong.
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_format.h"
#include "base/arena.h"
#include "base/enum_cast.h"
#include "base/time_range.h"
#include "base/utf8.h"
#include "c_convert.h"
#include "c_error.h"
#include "c_handles.h"
#include "engine/engine.h"
#include "google/protobuf/util/json_util.h"
#include "jszb/jszb.h"
#include "model/deep_copy.h"
#include "model/names.h"
#include "model/proto_codec.h"

using jszb::capi::check_out;
using jszb::capi::fail;
using jszb::capi::guarded;
using jszb::capi::malloc_copy;
using jszb::capi::notifying_call;
using jszb::capi::to_json;
namespace core = jszb::core;

namespace {

const char* c_name(std::string_view name) { return name.empty() ? nullptr : name.data(); }

int to_bytes(const google::protobuf::Message& msg, void** bytes, std::size_t* size) {
  if (int rc = check_out(bytes, "bytes")) return rc;
  if (int rc = check_out(size, "size")) return rc;
  std::string out;
  if (!msg.SerializeToString(&out)) return fail(JSZB_E_INTERNAL, "could not serialise");
  *bytes = malloc_copy(out);
  *size = out.size();
  return JSZB_OK;
}

}  // namespace

namespace jszb::capi {

int check_out(const void* out, const char* name) {
  if (out == nullptr) return fail(JSZB_E_INVALID, absl::StrFormat("%s is NULL", name).c_str());
  return JSZB_OK;
}

static_assert(core::kTimeMinMs == JSZB_TIME_MIN_MS && core::kTimeMaxMs == JSZB_TIME_MAX_MS,
              "the library's time range is the header's");

int check_time(std::int64_t t, const char* name) {
  absl::Status s = core::check_time(name, t);
  return s.ok() ? JSZB_OK : fail(s);
}

int check_version(unsigned version, unsigned known, const char* name) {
  if (version >= 1 && version <= known) return JSZB_OK;
  return fail(JSZB_E_INVALID, absl::StrFormat("%s.version is %u: this library knows versions "
                                              "1..%u (initialise it with its _INIT macro or "
                                              "_init function)",
                                              name, version, known)
                                  .c_str());
}

int check_utf8(const char* s, const char* name) {
  if (s == nullptr || core::is_valid_utf8(s)) return JSZB_OK;
  return fail(JSZB_E_INVALID, absl::StrFormat("%s is not valid UTF-8", name).c_str());
}

int check_time_or_zero(std::int64_t t, const char* name) {
  absl::Status s = core::check_time_or_zero(name, t);
  return s.ok() ? JSZB_OK : fail(s);
}

// Copies bytes, NUL-terminated, into memory the caller frees with jszb_free().
void* malloc_copy(const std::string& bytes) {
  void* p = std::malloc(bytes.size() + 1);
  if (p == nullptr) throw std::bad_alloc();
  std::memcpy(p, bytes.data(), bytes.size());
  static_cast<char*>(p)[bytes.size()] = '\0';
  return p;
}

int to_json(const google::protobuf::Message& msg, char** json) {
  if (int rc = check_out(json, "json")) return rc;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  std::string out;
  auto status = google::protobuf::util::MessageToJsonString(msg, &out, options);
  if (!status.ok()) return fail(JSZB_E_INTERNAL, std::string(status.message()).c_str());
  *json = static_cast<char*>(malloc_copy(out));
  return JSZB_OK;
}

int engine_options(const jszb_engine_options* opts, core::EngineOptions* out) {
  if (opts == nullptr) return JSZB_OK;
  if (opts->version < 1 || opts->version > JSZB_ENGINE_OPTIONS_VERSION) {
    return fail(JSZB_E_INVALID,
                absl::StrFormat("options.version is %d: this library knows versions 1..%d "
                                "(initialise it with JSZB_ENGINE_OPTIONS_INIT)",
                                opts->version, JSZB_ENGINE_OPTIONS_VERSION)
                    .c_str());
  }
  if (opts->max_extensions < 0 || opts->max_extensions > 100) {
    return fail(JSZB_E_INVALID, absl::StrFormat("options.max_extensions is %d: expected 0..100",
                                                opts->max_extensions)
                                    .c_str());
  }
  out->max_extensions = static_cast<std::uint32_t>(opts->max_extensions);
  return JSZB_OK;
}

}  // namespace jszb::capi

extern "C" {

const char* jszb_version(void) { return JSZB_VERSION_STRING; }
int jszb_version_number(void) { return JSZB_VERSION_NUMBER; }

void jszb_free(void* ptr) { std::free(ptr); }

const char* jszb_code_name(int code) {
  switch (code) {
    case JSZB_OK:
      return "ok";
    case JSZB_E_INVALID:
      return "invalid";
    case JSZB_E_NOT_FOUND:
      return "not_found";
    case JSZB_E_STATE:
      return "state";
    case JSZB_E_DENIED:
      return "denied";
    case JSZB_E_REFUSED:
      return "refused";
    case JSZB_E_BUSY:
      return "busy";
    case JSZB_E_NOMEM:
      return "nomem";
    case JSZB_E_INTERNAL:
      return "internal";
    case JSZB_E_RANGE:
      return "range";
    case JSZB_E_STORAGE:
      return "storage";
    case JSZB_E_LOCKED:
      return "locked";
    case JSZB_E_CORRUPT:
      return "corrupt";
    case JSZB_E_VERSION:
      return "version";
    case JSZB_E_CONFLICT:
      return "conflict";
    case JSZB_E_CANCELLED:
      return "cancelled";
    default:
      return nullptr;
  }
}
const char* jszb_refusal_name(int v) {
  return c_name(core::name(core::enum_cast<jszb::Refusal>(v)));
}
const char* jszb_kind_name(int v) { return c_name(core::name(core::enum_cast<jszb::Kind>(v))); }
const char* jszb_channel_name(int v) {
  return c_name(core::name(core::enum_cast<jszb::Channel>(v)));
}
const char* jszb_urgency_name(int v) {
  return c_name(core::name(core::enum_cast<jszb::Urgency>(v)));
}
const char* jszb_role_name(int v) { return c_name(core::name(core::enum_cast<jszb::Role>(v))); }
const char* jszb_state_name(int v) { return c_name(core::name(core::enum_cast<jszb::State>(v))); }
const char* jszb_command_name(int v) {
  return c_name(core::name(core::enum_cast<jszb::CommandKind>(v)));
}
const char* jszb_event_type_name(int v) {
  return c_name(core::name(core::enum_cast<jszb::EventType>(v)));
}
const char* jszb_not_dispatched_reason_name(int v) {
  return c_name(core::name(core::enum_cast<jszb::NotDispatchedReason>(v)));
}
const char* jszb_dispatch_mode_name(int v) {
  return c_name(core::name(core::enum_cast<jszb::DispatchMode>(v)));
}
const char* jszb_satisfaction_name(int v) {
  return c_name(core::name(core::enum_cast<jszb::Satisfaction>(v)));
}
const char* jszb_visit_method_name(int v) {
  return c_name(core::name(core::enum_cast<jszb::VisitMethod>(v)));
}
const char* jszb_step_name(int v) { return c_name(core::step_name(v)); }
const char* jszb_escalation_action_name(int v) { return c_name(core::escalation_action_name(v)); }
const char* jszb_supervision_level_name(int v) {
  // 0 is "none" for this one: a case that nobody supervised.
  return c_name(core::name(core::enum_cast<jszb::SupervisionLevel>(v)));
}

int jszb_engine_open(const jszb_engine_options* opts, jszb_engine** out) {
  return guarded([&]() -> int {
    if (int rc = check_out(out, "out")) return rc;
    core::EngineOptions options;
    if (int rc = jszb::capi::engine_options(opts, &options)) return rc;
    *out = new jszb_engine(options);
    return JSZB_OK;
  });
}

void jszb_engine_close(jszb_engine* engine) {
  if (engine == nullptr) return;
  if (engine->engine.busy()) {
    engine->close_requested = true;
    return;
  }
  delete engine;
}

int jszb_engine_submit(jszb_engine* engine, const jszb_intake* intake, uint64_t* case_id,
                       int* created) {
  return guarded([&]() -> int {
    JSZB_CHECK_ENGINE(engine);
    if (int rc = check_out(case_id, "case_id")) return rc;
    core::Intake in;
    if (absl::Status s = jszb::capi::from_c(intake, &in); !s.ok()) return fail(s);
    absl::StatusOr<core::SubmitResult> r;
    int rc = notifying_call(engine, [&] {
      r = engine->engine.submit(in);
      return r.ok() ? JSZB_OK : fail(r.status());
    });
    if (rc != JSZB_OK) return rc;
    *case_id = r->id;
    if (created != nullptr) *created = r->created ? 1 : 0;
    return JSZB_OK;
  });
}

int jszb_engine_apply(jszb_engine* engine, const jszb_command* command) {
  return guarded([&]() -> int {
    JSZB_CHECK_ENGINE(engine);
    core::Command cmd;
    if (absl::Status s = jszb::capi::from_c(command, &cmd); !s.ok()) return fail(s);
    return notifying_call(engine, [&] {
      absl::Status s = engine->engine.apply(cmd);
      return s.ok() ? JSZB_OK : fail(s);
    });
  });
}

int jszb_event_to_proto(const jszb_event* event, void** bytes, size_t* size) {
  return guarded([&]() -> int {
    core::Event e;
    core::Intake intake;
    std::vector<core::DeadlineChange> deadlines;
    if (absl::Status s = jszb::capi::from_c(event, &e, &intake, &deadlines); !s.ok())
      return fail(s);
    jszb::v1::Event msg;
    core::to_proto(e, &msg);
    return to_bytes(msg, bytes, size);
  });
}

int jszb_event_to_json(const jszb_event* event, char** json) {
  return guarded([&]() -> int {
    core::Event e;
    core::Intake intake;
    std::vector<core::DeadlineChange> deadlines;
    if (absl::Status s = jszb::capi::from_c(event, &e, &intake, &deadlines); !s.ok())
      return fail(s);
    jszb::v1::Event msg;
    core::to_proto(e, &msg);
    return to_json(msg, json);
  });
}

namespace {
int replay_message(jszb_engine* engine, const jszb::v1::Event& msg) {
  if (absl::Status s = core::check_strings(msg, "event"); !s.ok()) return fail(s);
  core::DecodedEvent decoded;
  if (absl::Status s = core::from_proto(msg, &decoded); !s.ok()) return fail(s);
  return notifying_call(engine, [&] {
    absl::Status s = engine->engine.replay(decoded.event);
    return s.ok() ? JSZB_OK : fail(s);
  });
}
}  // namespace

int jszb_engine_replay_proto(jszb_engine* engine, const void* bytes, size_t size) {
  return guarded([&]() -> int {
    JSZB_CHECK_ENGINE(engine);
    if (bytes == nullptr && size > 0) return fail(JSZB_E_INVALID, "bytes is NULL");
    jszb::v1::Event msg;
    if (size > static_cast<size_t>(INT32_MAX) ||
        !msg.ParseFromArray(bytes, static_cast<int>(size))) {
      return fail(JSZB_E_INVALID, "bytes are not a jszb.v1.Event");
    }
    return replay_message(engine, msg);
  });
}

int jszb_engine_replay_json(jszb_engine* engine, const char* json) {
  return guarded([&]() -> int {
    JSZB_CHECK_ENGINE(engine);
    if (json == nullptr) return fail(JSZB_E_INVALID, "json is NULL");
    jszb::v1::Event msg;
    auto status = google::protobuf::util::JsonStringToMessage(json, &msg);
    if (!status.ok()) {
      return fail(JSZB_E_INVALID,
                  absl::StrFormat("json is not a jszb.v1.Event: %s", std::string(status.message()))
                      .c_str());
    }
    return replay_message(engine, msg);
  });
}

int jszb_engine_add_listener(jszb_engine* engine, jszb_listener_fn fn, void* payload,
                             uint64_t* listener_id) {
  return guarded([&]() -> int {
    JSZB_CHECK_ENGINE(engine);
    if (fn == nullptr) return fail(JSZB_E_INVALID, "fn is NULL");
    if (int rc = check_out(listener_id, "listener_id")) return rc;
    auto listener = std::make_unique<jszb::capi::CListener>(fn, payload);
    absl::StatusOr<std::uint64_t> id = engine->engine.add_listener(listener.get());
    if (!id.ok()) return fail(id.status());
    engine->listeners.emplace_back(*id, std::move(listener));
    *listener_id = *id;
    return JSZB_OK;
  });
}

int jszb_engine_remove_listener(jszb_engine* engine, uint64_t listener_id) {
  return guarded([&]() -> int {
    JSZB_CHECK_ENGINE(engine);
    if (absl::Status s = engine->engine.remove_listener(listener_id); !s.ok()) return fail(s);
    auto& list = engine->listeners;
    for (auto it = list.begin(); it != list.end(); ++it) {
      if (it->first == listener_id) {
        list.erase(it);
        break;
      }
    }
    return JSZB_OK;
  });
}

int jszb_engine_get_case(jszb_engine* engine, uint64_t case_id, jszb_case** out) {
  return guarded([&]() -> int {
    JSZB_CHECK_ENGINE(engine);
    if (int rc = check_out(out, "out")) return rc;
    absl::StatusOr<const core::Case*> fetched = engine->engine.fetch(case_id);
    if (!fetched.ok()) return fail(fetched.status());
    const core::Case* found = *fetched;
    if (found == nullptr) {
      return fail(JSZB_E_NOT_FOUND, absl::StrFormat("case %d does not exist", case_id).c_str());
    }
    auto snap = std::make_unique<jszb_case>();
    snap->c = core::deep_copy(*found, snap->arena);
    absl::Status read = engine->engine.for_each_event(case_id, [&snap](const core::Event& e) {
      snap->events.push_back(core::deep_copy(e, snap->arena));
    });
    if (!read.ok()) return fail(read);
    std::size_t n = snap->events.size();
    // Only a damaged store file disagrees with itself so: a snapshot must hold
    // every event it counts (callers read events up to event_count).
    if (n != found->event_count) {
      return fail(JSZB_E_CORRUPT,
                  absl::StrFormat("case %d counts %d events, but its history in the store has %d: "
                                  "the file is damaged (jszb_engine_verify says more)",
                                  case_id, found->event_count, n)
                      .c_str());
    }
    snap->payloads.resize(n);
    snap->event_intakes.resize(n);
    snap->c_events.resize(n);
    snap->event_deadlines.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      snap->c_events[i] = jszb::capi::to_c(snap->events[i], &snap->event_intakes[i],
                                           &snap->payloads[i], &snap->event_deadlines[i]);
    }
    snap->intake = jszb::capi::to_c(*snap->c.intake);
    snap->pending = jszb::capi::pending_co_handlers(snap->c);
    snap->deadlines = jszb::capi::running_deadlines(snap->c);
    snap->info = jszb::capi::to_c(snap->c, &snap->intake, snap->pending, snap->deadlines);
    *out = snap.release();
    return JSZB_OK;
  });
}

void jszb_case_free(jszb_case* c) { delete c; }

const jszb_case_info* jszb_case_get_info(const jszb_case* c) {
  return c == nullptr ? nullptr : &c->info;
}

const jszb_event* jszb_case_get_event(const jszb_case* c, size_t index) {
  if (c == nullptr || index >= c->c_events.size()) return nullptr;
  return &c->c_events[index];
}

namespace {
void case_to_proto(const jszb_case* c, jszb::v1::Case* msg) {
  core::to_proto(c->c, msg);
  for (const core::Event& e : c->events) core::to_proto(e, msg->add_events());
}
}  // namespace

int jszb_case_to_proto(const jszb_case* c, void** bytes, size_t* size) {
  return guarded([&]() -> int {
    if (c == nullptr) return fail(JSZB_E_INVALID, "case is NULL");
    jszb::v1::Case msg;
    case_to_proto(c, &msg);
    return to_bytes(msg, bytes, size);
  });
}

int jszb_case_to_json(const jszb_case* c, char** json) {
  return guarded([&]() -> int {
    if (c == nullptr) return fail(JSZB_E_INVALID, "case is NULL");
    jszb::v1::Case msg;
    case_to_proto(c, &msg);
    return to_json(msg, json);
  });
}

int jszb_engine_list_cases(jszb_engine* engine, const jszb_case_filter* filter, uint64_t** ids,
                           size_t* count) {
  return guarded([&]() -> int {
    JSZB_CHECK_ENGINE(engine);
    if (int rc = check_out(ids, "ids")) return rc;
    if (int rc = check_out(count, "count")) return rc;
    core::CaseFilter f;
    if (filter != nullptr) {
      if (filter->version < 1 || filter->version > JSZB_CASE_FILTER_VERSION) {
        return fail(JSZB_E_INVALID,
                    absl::StrFormat("filter.version is %d: this library knows versions 1..%d "
                                    "(initialise it with JSZB_CASE_FILTER_INIT)",
                                    filter->version, JSZB_CASE_FILTER_VERSION)
                        .c_str());
      }
      if (filter->state < 0 || filter->state > JSZB_STATE_COUNT) {
        return fail(JSZB_E_INVALID,
                    absl::StrFormat("filter.state is %d: expected 0 (any) or a jszb_state (1..%d)",
                                    filter->state, JSZB_STATE_COUNT)
                        .c_str());
      }
      f.state = static_cast<jszb::State>(filter->state);
      f.unit = filter->unit;
      f.after = filter->after_id;
      f.limit = filter->limit;
      if (filter->version >= 2) {
        auto text = [](const char* p) {
          return p == nullptr ? std::string_view() : std::string_view(p);
        };
        f.district = text(filter->district);
        f.street = text(filter->street);
        f.community = text(filter->community);
        for (int i = 0; i < 3; ++i) f.category[i] = text(filter->category[i]);
        const std::pair<std::string_view, const char*> names[] = {
            {f.district, "district"},       {f.street, "street"},
            {f.community, "community"},     {f.category[0], "category[0]"},
            {f.category[1], "category[1]"}, {f.category[2], "category[2]"}};
        for (const auto& [value, name] : names) {
          if (!jszb::core::is_valid_utf8(value)) {
            return fail(JSZB_E_INVALID,
                        absl::StrFormat("filter.%s is not valid UTF-8", name).c_str());
          }
        }
        const std::pair<std::int64_t, const char*> times[] = {
            {filter->received_from_ms, "filter.received_from_ms"},
            {filter->received_until_ms, "filter.received_until_ms"},
            {filter->due_from_ms, "filter.due_from_ms"},
            {filter->due_until_ms, "filter.due_until_ms"}};
        for (const auto& [t, name] : times) {
          if (int rc = jszb::capi::check_time_or_zero(t, name)) return rc;
        }
        f.received_from = filter->received_from_ms;
        f.received_until = filter->received_until_ms;
        f.due_from = filter->due_from_ms;
        f.due_until = filter->due_until_ms;
      }
    }
    absl::StatusOr<std::vector<jszb::CaseId>> listed = engine->engine.list(f);
    if (!listed.ok()) return fail(listed.status());
    const std::vector<jszb::CaseId>& found = *listed;
    uint64_t* out = nullptr;
    if (!found.empty()) {
      out = static_cast<uint64_t*>(std::malloc(found.size() * sizeof(uint64_t)));
      if (out == nullptr) throw std::bad_alloc();
      std::memcpy(out, found.data(), found.size() * sizeof(uint64_t));
    }
    *ids = out;
    *count = found.size();
    return JSZB_OK;
  });
}

int jszb_engine_case_count(jszb_engine* engine, uint64_t* count) {
  return guarded([&]() -> int {
    JSZB_CHECK_ENGINE(engine);
    if (int rc = check_out(count, "count")) return rc;
    *count = engine->engine.case_count();
    return JSZB_OK;
  });
}

int jszb_engine_stored_case_count(jszb_engine* engine, uint64_t* count) {
  return guarded([&]() -> int {
    JSZB_CHECK_ENGINE(engine);
    if (int rc = check_out(count, "count")) return rc;
    absl::StatusOr<std::uint64_t> n = engine->engine.stored_case_count();
    if (!n.ok()) return fail(n.status());
    *count = *n;
    return JSZB_OK;
  });
}

}  // extern "C"
