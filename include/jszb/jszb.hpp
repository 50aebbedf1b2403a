// jszb/jszb.hpp: a header-only C++ face of the C ABI. It adds ownership (RAII
// handles), exceptions (jszb::Error, thrown in the caller's code, never across
// the ABI), std types and the enumerations of types.hpp. Everything goes
// through jszb.h, so programs built with it depend only on the stable ABI.
#ifndef JSZB_JSZB_HPP
#define JSZB_JSZB_HPP

#include <array>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "jszb/error.hpp"
#include "jszb/jszb.h"
#include "jszb/names.hpp"
#include "jszb/types.hpp"

namespace jszb {

// Assessment periods in China time, [first, second): see jszb_assessment_month.
inline std::pair<TimeMs, TimeMs> assessment_month(int year, int month) {
  std::pair<TimeMs, TimeMs> p;
  detail::check(jszb_assessment_month(year, month, &p.first, &p.second));
  return p;
}
inline std::pair<TimeMs, TimeMs> bulletin_day(int year, int month, int day) {
  std::pair<TimeMs, TimeMs> p;
  detail::check(jszb_bulletin_day(year, month, day, &p.first, &p.second));
  return p;
}

// An event as a jszb.v1.Event: JSON, or protobuf bytes.
inline std::string to_json(const jszb_event& e) {
  char* json = nullptr;
  detail::check(jszb_event_to_json(&e, &json));
  std::unique_ptr<char, detail::Free> owned(json);
  return std::string(json);
}
inline std::string to_proto(const jszb_event& e) {
  void* bytes = nullptr;
  std::size_t n = 0;
  detail::check(jszb_event_to_proto(&e, &bytes, &n));
  std::unique_ptr<void, detail::Free> owned(bytes);
  return std::string(static_cast<const char*>(bytes), n);
}

// A request as recorded at intake. See jszb_intake.
struct Request {
  TimeMs time = 0;
  Actor actor{Role::kOperator, 0, 0};
  Channel channel = Channel::kPhone;
  std::string channel_ref;
  Kind kind = Kind::kUnspecified;
  std::array<std::string, 3> category;
  Urgency urgency = Urgency::kNormal;
  std::string district, street, community, address;
  std::optional<std::pair<double, double>> point;  // lat, lon
  std::string content;
  std::string contact_name, contact_phone;
};

// A command with its payload. Build one with the named constructors below.
struct Command {
  CommandKind kind = CommandKind::kUnspecified;
  CaseId case_id = 0;
  TimeMs time = 0;
  Actor actor;
  UnitId unit = 0;
  DispatchMode mode = DispatchMode::kUnspecified;
  std::vector<UnitId> copy_to;
  std::vector<UnitId> units;
  NotDispatchedReason reason = NotDispatchedReason::kUnspecified;
  SupervisionLevel level = SupervisionLevel::kNone;
  bool contacted = false;
  bool solved = false;
  bool valid_visit = false;
  Satisfaction satisfaction = Satisfaction::kUnspecified;
  VisitMethod visit_method = VisitMethod::kUnspecified;
  TimeMs until = 0;
  CaseId other_case = 0;
  std::string text;
  std::string request_id;  // the client's id: a committed retry is not applied again

  static Command make(CommandKind k, CaseId id, TimeMs t, Actor a, std::string text = {}) {
    Command c;
    c.kind = k;
    c.case_id = id;
    c.time = t;
    c.actor = a;
    c.text = std::move(text);
    return c;
  }
  static Command dispatch(CaseId id, TimeMs t, Actor a, UnitId lead,
                          std::vector<UnitId> copy_to = {}, std::vector<UnitId> co_handlers = {},
                          DispatchMode mode = DispatchMode::kDirect) {
    Command c = make(CommandKind::kDispatch, id, t, a);
    c.unit = lead;
    c.copy_to = std::move(copy_to);
    c.units = std::move(co_handlers);
    c.mode = mode;
    return c;
  }
  static Command reply(CaseId id, TimeMs t, Actor a, bool contacted, bool solved,
                       std::string text) {
    Command c = make(CommandKind::kReply, id, t, a, std::move(text));
    c.contacted = contacted;
    c.solved = solved;
    return c;
  }
  static Command visit(CaseId id, TimeMs t, Actor a, bool contacted, bool solved, Satisfaction s) {
    Command c = make(CommandKind::kVisit, id, t, a);
    c.valid_visit = true;
    c.contacted = contacted;
    c.solved = solved;
    c.satisfaction = s;
    return c;
  }
  static Command request_extension(CaseId id, TimeMs t, Actor a, TimeMs until, std::string reason) {
    Command c = make(CommandKind::kRequestExtension, id, t, a, std::move(reason));
    c.until = until;
    return c;
  }
};

inline Actor operator_actor(std::uint32_t staff = 0) { return {Role::kOperator, 0, staff}; }
inline Actor dispatcher_actor(std::uint32_t staff = 0) { return {Role::kDispatcher, 0, staff}; }
inline Actor unit_actor(UnitId unit, std::uint32_t staff = 0) { return {Role::kUnit, unit, staff}; }
inline Actor system_actor() { return {Role::kSystem, 0, 0}; }

// A case as it stood when it was fetched, with its history.
class CaseSnapshot {
 public:
  explicit CaseSnapshot(jszb_case* handle) : handle_(handle) {}

  const jszb_case_info& info() const { return *jszb_case_get_info(handle_.get()); }
  CaseId id() const { return info().id; }
  State state() const { return static_cast<State>(info().state); }
  UnitId lead_unit() const { return info().lead_unit; }
  std::size_t event_count() const { return info().event_count; }
  // Event i, oldest first; valid as long as this snapshot.
  const jszb_event& event(std::size_t i) const {
    const jszb_event* e = jszb_case_get_event(handle_.get(), i);
    if (e == nullptr) throw std::out_of_range("event index out of range");
    return *e;
  }
  std::string to_json() const {
    char* json = nullptr;
    detail::check(jszb_case_to_json(handle_.get(), &json));
    std::unique_ptr<char, detail::Free> owned(json);
    return std::string(json);
  }
  std::string to_proto() const {  // a jszb.v1.Case's bytes
    void* bytes = nullptr;
    std::size_t n = 0;
    detail::check(jszb_case_to_proto(handle_.get(), &bytes, &n));
    std::unique_ptr<void, detail::Free> owned(bytes);
    return std::string(static_cast<const char*>(bytes), n);
  }

 private:
  struct Close {
    void operator()(jszb_case* c) const { jszb_case_free(c); }
  };
  std::unique_ptr<jszb_case, Close> handle_;
};

// A policy: units, calendar, dispatch catalogue, deadlines, escalation. Shared
// by reference; immutable.
class Policy {
 public:
  // The built-in Beijing policy.
  static Policy beijing() {
    jszb_policy* p = nullptr;
    detail::check(jszb_policy_default(&p));
    return Policy(p);
  }
  // base_dir empty: the files the policy names are the library's built-in ones.
  static Policy load(const std::string& text, const std::string& name = "policy",
                     const std::string& base_dir = {}) {
    jszb_policy* p = nullptr;
    detail::check(jszb_policy_load(name.c_str(), text.c_str(), detail::c_str(base_dir), &p));
    return Policy(p);
  }
  static Policy load_file(const std::string& path) {
    jszb_policy* p = nullptr;
    detail::check(jszb_policy_load_file(path.c_str(), &p));
    return Policy(p);
  }

  const jszb_policy* handle() const { return handle_.get(); }
  std::string name() const { return jszb_policy_name(handle()); }
  std::uint32_t version() const { return jszb_policy_version(handle()); }

  // The work calendar (local time of the policy; see jszb.h).
  bool is_working_day(int year, int month, int day) const {
    int working = 0;
    detail::check(jszb_calendar_is_working_day(handle(), year, month, day, &working));
    return working != 0;
  }
  TimeMs add_working_days(TimeMs t, std::int64_t n) const {
    TimeMs out = 0;
    detail::check(jszb_calendar_add_working_days(handle(), t, n, &out));
    return out;
  }
  TimeMs add_working_time(TimeMs t, TimeMs duration) const {
    TimeMs out = 0;
    detail::check(jszb_calendar_add_working_time(handle(), t, duration, &out));
    return out;
  }
  TimeMs working_time_between(TimeMs a, TimeMs b) const {
    TimeMs out = 0;
    detail::check(jszb_calendar_working_time_between(handle(), a, b, &out));
    return out;
  }
  TimeMs next_working_instant(TimeMs t) const {
    TimeMs out = 0;
    detail::check(jszb_calendar_next_working_instant(handle(), t, &out));
    return out;
  }

  // The policy's units (owned by the policy), in its order; find: NULL if none.
  std::size_t unit_count() const { return jszb_policy_unit_count(handle()); }
  const jszb_unit& unit(std::size_t i) const {
    const jszb_unit* u = jszb_policy_unit(handle(), i);
    if (u == nullptr) throw std::out_of_range("unit index out of range");
    return *u;
  }
  const jszb_unit* find_unit(UnitId code) const { return jszb_policy_find_unit(handle(), code); }

 private:
  explicit Policy(jszb_policy* p) : handle_(p, &jszb_policy_free) {}
  std::shared_ptr<jszb_policy> handle_;
};

// A routing decision with the catalogue's verdicts (see jszb_route).
struct Route {
  int outcome = 0;  // jszb_route_outcome
  UnitId lead = 0;
  std::vector<UnitId> copy_to, co_handlers;
  NotDispatchedReason reason = NotDispatchedReason::kUnspecified;
  std::string note, rule;
  UnitId district = 0, street = 0;
  bool street_from_point = false;  // the street came from the request's point
  struct Verdict {
    std::string rule;
    int priority = 0;
    bool matched = false, chosen = false;
    std::string why;
  };
  std::vector<Verdict> verdicts;
};

// An engine. Not thread-safe (see jszb.h).
// A theme (每月一题, 未诉先办) and its tasks: see jszb_theme, jszb_theme_task
// and the rules of "themes" in jszb.h.
enum class TaskState { kOpen = JSZB_TASK_OPEN, kDone = JSZB_TASK_DONE };
enum class ThemePeriod {
  kMonth = JSZB_THEME_MONTH,
  kAssessmentMonth = JSZB_THEME_ASSESSMENT_MONTH,
  kWeek = JSZB_THEME_WEEK
};
struct ThemeTask {
  std::uint32_t id = 0;  // 0: a new task
  UnitId owner = 0;
  std::string title;
  TimeMs due = 0;
  TaskState state = TaskState::kOpen;
  TimeMs done = 0;  // given back: when it was marked done, 0: open
};
struct Theme {
  std::uint64_t id = 0;  // 0: a new theme
  std::string name;
  TimeMs start = 0;
  UnitId lead = 0;
  std::vector<std::string> categories;  // category path prefixes ("市场管理/预付式消费")
  std::vector<std::string> keywords;
  std::vector<std::string> areas;  // "district" or "district/street"; none: the city
  std::vector<ThemeTask> tasks;    // given back; ignored by define_theme
};
struct ThemeCandidate {
  std::string district, category;
  std::int64_t count = 0;
  double baseline = 0, z = 0;
};

struct WhatIf;
struct WhatIfOptions;

class Engine {
 public:
  using ListenerFn = std::function<void(const jszb_event&)>;

  explicit Engine(int max_extensions = 1) {
    jszb_engine_options options = JSZB_ENGINE_OPTIONS_INIT;
    options.max_extensions = max_extensions;
    jszb_engine* e = nullptr;
    detail::check(jszb_engine_open(&options, &e));
    handle_.reset(e);
  }

  // A durable engine on the store file at `path` (created if need be),
  // rebuilt from it; see jszb_engine_open_store.
  static Engine open_store(const std::string& path,
                           const jszb_store_options& store = JSZB_STORE_OPTIONS_INIT,
                           int max_extensions = 1) {
    jszb_engine_options options = JSZB_ENGINE_OPTIONS_INIT;
    options.max_extensions = max_extensions;
    jszb_engine* e = nullptr;
    detail::check(jszb_engine_open_store(path.c_str(), &options, &store, &e));
    return Engine(e);
  }

  jszb_engine* handle() const { return handle_.get(); }

  // Group commit: the calls between begin() and commit() share one commit.
  void begin() { detail::check(jszb_engine_begin(handle_.get())); }
  void commit() { detail::check(jszb_engine_commit(handle_.get())); }
  void rollback() { detail::check(jszb_engine_rollback(handle_.get())); }
  // Pipelined commit (jszb.h): ends the open batch, hands it to the engine's
  // writer thread and returns its ticket; nothing of it is acknowledged
  // before wait(ticket) returns (listeners are told then, on this thread).
  std::uint64_t commit_async() {
    std::uint64_t ticket = 0;
    detail::check(jszb_engine_commit_async(handle_.get(), &ticket));
    return ticket;
  }
  // Throws the batch's error if it failed (it and the batch on top are undone).
  void wait(std::uint64_t ticket) { detail::check(jszb_engine_wait(handle_.get(), ticket)); }
  // The highest ticket that is durable or failed, without waiting.
  std::uint64_t poll() {
    std::uint64_t done = 0;
    detail::check(jszb_engine_poll(handle_.get(), &done));
    return done;
  }
  void checkpoint() { detail::check(jszb_engine_checkpoint(handle_.get())); }

  // Operations (jszb.h): an online backup of the engine's store to `dest`
  // (which must not exist), what the store holds, and the engine's metrics,
  // as a struct or in the Prometheus text format.
  void backup(const std::string& dest,
              const jszb_backup_options& options = JSZB_BACKUP_OPTIONS_INIT) {
    detail::check(jszb_engine_backup(handle_.get(), dest.c_str(), &options));
  }
  jszb_store_stats store_stats() {
    jszb_store_stats stats = JSZB_STORE_STATS_INIT;
    detail::check(jszb_engine_store_stats(handle_.get(), &stats));
    return stats;
  }
  jszb_metrics metrics() {
    jszb_metrics m = JSZB_METRICS_INIT;
    detail::check(jszb_engine_metrics(handle_.get(), &m));
    return m;
  }
  std::string metrics_prometheus() {
    char* text = nullptr;
    detail::check(jszb_engine_metrics_prometheus(handle_.get(), &text));
    std::unique_ptr<char, detail::Free> owned(text);
    return std::string(text);
  }

  // The case id; `created` (optional) says whether the request was new.
  CaseId submit(const Request& r, bool* created = nullptr) {
    jszb_intake in = to_c(r);
    std::uint64_t id = 0;
    int was_created = 0;
    detail::check(jszb_engine_submit(handle_.get(), &in, &id, &was_created));
    if (created) *created = was_created != 0;
    return id;
  }

  void apply(const Command& c) { detail::check(try_apply(c)); }

  // As apply(), returning the jszb_code instead of throwing.
  int try_apply(const Command& c) {
    jszb_command cmd = to_c(c);
    return jszb_engine_apply(handle_.get(), &cmd);
  }

  // Applies each command on its own, in order (jszb_engine_apply_many):
  // element i is command i's jszb_code (JSZB_OK: accepted); a refusal does
  // not stop the others and does not throw (jszb_error_last() describes the
  // first). Between begin() and commit() the commands join the batch, and the
  // commit or rollback decides for all. Throws for the call itself only.
  std::vector<int> apply_many(const std::vector<Command>& commands) {
    std::vector<jszb_command> cmds;
    cmds.reserve(commands.size());
    for (const Command& c : commands) cmds.push_back(to_c(c));
    std::vector<int> results(commands.size(), JSZB_OK);
    int rc = jszb_engine_apply_many(handle_.get(), cmds.data(), cmds.size(), results.data());
    if (rc < 0) detail::check(rc);
    return results;
  }

  // Submits each request on its own (jszb_engine_submit_many): element i is
  // request i's case id (0: refused) and jszb_code; throws for the call only.
  struct SubmitResults {
    std::vector<CaseId> case_ids;
    std::vector<int> codes;
  };
  SubmitResults submit_many(const std::vector<Request>& requests) {
    std::vector<jszb_intake> in;
    in.reserve(requests.size());
    for (const Request& r : requests) in.push_back(to_c(r));
    SubmitResults out{std::vector<CaseId>(requests.size(), 0),
                      std::vector<int>(requests.size(), JSZB_OK)};
    int rc = jszb_engine_submit_many(handle_.get(), in.data(), in.size(), out.case_ids.data(),
                                     out.codes.data());
    if (rc < 0) detail::check(rc);
    return out;
  }

  // Applies a recorded event (a jszb.v1.Event) as it stands: see jszb.h.
  void replay_json(const std::string& json) {
    detail::check(jszb_engine_replay_json(handle_.get(), json.c_str()));
  }
  void replay_proto(const std::string& bytes) {
    detail::check(jszb_engine_replay_proto(handle_.get(), bytes.data(), bytes.size()));
  }

  // A view of r, valid as long as r.
  static jszb_intake to_c(const Request& r) {
    jszb_intake in = JSZB_INTAKE_INIT;
    in.time_ms = r.time;
    in.actor = {static_cast<int>(r.actor.role), r.actor.unit, r.actor.staff};
    in.channel = static_cast<int>(r.channel);
    in.channel_ref = r.channel_ref.c_str();
    in.kind = static_cast<int>(r.kind);
    for (int i = 0; i < 3; ++i) in.category[i] = detail::c_str(r.category[i]);
    in.urgency = static_cast<int>(r.urgency);
    in.district = detail::c_str(r.district);
    in.street = detail::c_str(r.street);
    in.community = detail::c_str(r.community);
    in.address = detail::c_str(r.address);
    if (r.point) {
      in.has_point = 1;
      in.lat = r.point->first;
      in.lon = r.point->second;
    }
    in.content = r.content.c_str();
    in.contact_name = detail::c_str(r.contact_name);
    in.contact_phone = detail::c_str(r.contact_phone);
    return in;
  }

  // The C view of a command; it points into c, which must outlive it.
  static jszb_command to_c(const Command& c) {
    jszb_command cmd = JSZB_COMMAND_INIT;
    cmd.kind = static_cast<int>(c.kind);
    cmd.case_id = c.case_id;
    cmd.time_ms = c.time;
    cmd.actor = {static_cast<int>(c.actor.role), c.actor.unit, c.actor.staff};
    jszb_payload& p = cmd.payload;
    p.unit = c.unit;
    p.mode = static_cast<int>(c.mode);
    p.copy_to = c.copy_to.data();
    p.copy_to_count = c.copy_to.size();
    p.units = c.units.data();
    p.units_count = c.units.size();
    p.reason = static_cast<int>(c.reason);
    p.level = static_cast<int>(c.level);
    p.contacted = c.contacted;
    p.solved = c.solved;
    p.valid_visit = c.valid_visit;
    p.satisfaction = static_cast<int>(c.satisfaction);
    p.visit_method = static_cast<int>(c.visit_method);
    p.until_ms = c.until;
    p.other_case = c.other_case;
    p.text = detail::c_str(c.text);
    p.request_id = detail::c_str(c.request_id);
    return cmd;
  }

  CaseSnapshot get(CaseId id) const {
    jszb_case* c = nullptr;
    detail::check(jszb_engine_get_case(handle_.get(), id, &c));
    return CaseSnapshot(c);
  }

  std::vector<CaseId> list(State state = State::kUnspecified, UnitId unit = 0, CaseId after = 0,
                           std::size_t limit = 0) const {
    jszb_case_filter f = JSZB_CASE_FILTER_INIT;
    f.state = static_cast<int>(state);
    f.unit = unit;
    f.after_id = after;
    f.limit = limit;
    std::uint64_t* ids = nullptr;
    std::size_t n = 0;
    detail::check(jszb_engine_list_cases(handle_.get(), &f, &ids, &n));
    std::unique_ptr<std::uint64_t, detail::Free> owned(ids);
    return std::vector<CaseId>(ids, ids + n);
  }
  // The three rates per handling unit for [from, until): see jszb_engine_assess.
  std::vector<jszb_unit_score> assess(TimeMs from, TimeMs until) const {
    jszb_unit_score* scores = nullptr;
    std::size_t n = 0;
    detail::check(jszb_engine_assess(handle_.get(), from, until, nullptr, &scores, &n));
    std::unique_ptr<jszb_unit_score, detail::Free> owned(scores);
    return std::vector<jszb_unit_score>(scores, scores + n);
  }
  // A report as JSON, CSV or HTML (jszb_report_format): see jszb_engine_report.
  std::string report(const jszb_report_options& options, int format) {
    char* text = nullptr;
    detail::check(jszb_engine_report(handle_.get(), &options, format, &text));
    std::unique_ptr<char, detail::Free> owned(text);
    return std::string(text);
  }
  // Request groups among the requests received in [from, until): see
  // jszb_engine_request_groups (v1: streets and categories left empty) and
  // jszb_engine_request_groups_v2 (with a GroupQuery).
  struct RequestGroup {
    CaseId representative = 0;
    std::vector<CaseId> cases;
    std::vector<std::string> streets;     // most requests first
    std::vector<std::string> categories;  // "level1" or "level1/level2", most first
  };
  std::vector<RequestGroup> request_groups(TimeMs from, TimeMs until,
                                           const std::string& district = "") {
    jszb_request_group* groups = nullptr;
    std::size_t n = 0;
    detail::check(
        jszb_engine_request_groups(handle_.get(), from, until, district.c_str(), &groups, &n));
    std::unique_ptr<jszb_request_group, detail::Free> owned(groups);
    std::vector<RequestGroup> out;
    for (std::size_t i = 0; i < n; ++i) {
      out.push_back({groups[i].representative,
                     std::vector<CaseId>(groups[i].cases, groups[i].cases + groups[i].size),
                     {},
                     {}});
    }
    return out;
  }
  // Which requests to group (jszb_group_options): scope is a jszb_group_scope.
  struct GroupQuery {
    TimeMs from = 0;
    TimeMs until = 0;
    std::string district;  // empty: the city
    int scope = JSZB_GROUP_SCOPE_DISTRICT;
    std::size_t min_size = 10;
  };
  std::vector<RequestGroup> request_groups(const GroupQuery& q) {
    jszb_group_options o = JSZB_GROUP_OPTIONS_INIT;
    o.from_ms = q.from;
    o.until_ms = q.until;
    o.district = q.district.c_str();
    o.scope = q.scope;
    o.min_size = q.min_size;
    jszb_request_group_v2* groups = nullptr;
    std::size_t n = 0;
    detail::check(jszb_engine_request_groups_v2(handle_.get(), &o, &groups, &n));
    std::unique_ptr<jszb_request_group_v2, detail::Free> owned(groups);
    std::vector<RequestGroup> out;
    for (std::size_t i = 0; i < n; ++i) {
      const jszb_request_group_v2& g = groups[i];
      out.push_back({g.representative, std::vector<CaseId>(g.cases, g.cases + g.size),
                     std::vector<std::string>(g.streets, g.streets + g.street_count),
                     std::vector<std::string>(g.categories, g.categories + g.category_count)});
    }
    return out;
  }
  // The orders behind one figure (jszb_figure) of a unit's row for [from,
  // until), by case id then time: see jszb_engine_unit_orders. The list's
  // length is the figure assess() and the report give.
  std::vector<jszb_unit_order> unit_orders(UnitId unit, TimeMs from, TimeMs until,
                                           int figure) const {
    jszb_unit_orders_options o = JSZB_UNIT_ORDERS_OPTIONS_INIT;
    o.unit = unit;
    o.from_ms = from;
    o.until_ms = until;
    o.figure = figure;
    jszb_unit_order* orders = nullptr;
    std::size_t n = 0;
    detail::check(jszb_engine_unit_orders(handle_.get(), &o, &orders, &n));
    std::unique_ptr<jszb_unit_order, detail::Free> owned(orders);
    return std::vector<jszb_unit_order>(orders, orders + n);
  }

  // Themes (每月一题): see "themes" in jszb.h. define_theme returns the id.
  std::uint64_t define_theme(const Theme& t, TimeMs time) {
    auto views = [](const std::vector<std::string>& items) {
      std::vector<const char*> out;
      for (const std::string& s : items) out.push_back(s.c_str());
      return out;
    };
    std::vector<const char*> categories = views(t.categories), keywords = views(t.keywords),
                             areas = views(t.areas);
    jszb_theme c = JSZB_THEME_INIT;
    c.id = t.id;
    c.name = t.name.c_str();
    c.start_ms = t.start;
    c.lead_unit = t.lead;
    c.categories = categories.data();
    c.categories_count = categories.size();
    c.keywords = keywords.data();
    c.keywords_count = keywords.size();
    c.areas = areas.data();
    c.areas_count = areas.size();
    std::uint64_t id = 0;
    detail::check(jszb_engine_theme_define(handle_.get(), &c, time, &id));
    return id;
  }
  void remove_theme(std::uint64_t id, TimeMs time) {
    detail::check(jszb_engine_theme_remove(handle_.get(), id, time));
  }
  // Adds (task.id 0) or changes a task; returns its id.
  std::uint32_t set_theme_task(std::uint64_t theme, const ThemeTask& task, TimeMs time) {
    jszb_theme_task c = JSZB_THEME_TASK_INIT;
    c.id = task.id;
    c.owner_unit = task.owner;
    c.title = task.title.c_str();
    c.due_ms = task.due;
    c.state = static_cast<int>(task.state);
    std::uint32_t id = 0;
    detail::check(jszb_engine_theme_task_set(handle_.get(), theme, &c, time, &id));
    return id;
  }
  // Every theme (id 0), or the one with `id`.
  std::vector<Theme> themes(std::uint64_t id = 0) const {
    jszb_themes* raw = nullptr;
    detail::check(jszb_engine_themes(handle_.get(), id, &raw));
    std::unique_ptr<jszb_themes, void (*)(jszb_themes*)> owned(raw, jszb_themes_free);
    auto strings = [](const char* const* items, std::size_t n) {
      return std::vector<std::string>(items, items + n);
    };
    std::vector<Theme> out;
    for (std::size_t i = 0; i < jszb_themes_count(raw); ++i) {
      const jszb_theme* c = jszb_themes_get(raw, i);
      Theme t{c->id,
              c->name,
              c->start_ms,
              c->lead_unit,
              strings(c->categories, c->categories_count),
              strings(c->keywords, c->keywords_count),
              strings(c->areas, c->areas_count),
              {}};
      for (std::size_t k = 0; k < jszb_themes_task_count(raw, i); ++k) {
        const jszb_theme_task* x = jszb_themes_task(raw, i, k);
        t.tasks.push_back({x->id, x->owner_unit, x->title, x->due_ms,
                           static_cast<TaskState>(x->state), x->done_ms});
      }
      out.push_back(std::move(t));
    }
    return out;
  }
  // The theme's requests per period around its start: see jszb_engine_theme_trend.
  std::vector<jszb_theme_count> theme_trend(std::uint64_t id,
                                            ThemePeriod period = ThemePeriod::kMonth,
                                            int before = 3, int after = 3,
                                            const std::string& district = "") const {
    jszb_theme_trend_options o = JSZB_THEME_TREND_OPTIONS_INIT;
    o.theme_id = id;
    o.period = static_cast<int>(period);
    o.before = before;
    o.after = after;
    o.district = detail::c_str(district);
    jszb_theme_count* counts = nullptr;
    std::size_t n = 0;
    detail::check(jszb_engine_theme_trend(handle_.get(), &o, &counts, &n));
    std::unique_ptr<jszb_theme_count, detail::Free> owned(counts);
    return std::vector<jszb_theme_count>(counts, counts + n);
  }
  // The theme's cases received in [from, until) (0, 0: any time), any state or unit.
  std::vector<CaseId> theme_cases(std::uint64_t id, TimeMs from = 0, TimeMs until = 0,
                                  const std::string& district = "") const {
    std::uint64_t* ids = nullptr;
    std::size_t n = 0;
    detail::check(
        jszb_engine_theme_cases(handle_.get(), id, from, until, detail::c_str(district), &ids, &n));
    std::unique_ptr<std::uint64_t, detail::Free> owned(ids);
    return std::vector<CaseId>(ids, ids + n);
  }
  // Rising problems no theme covers (the report's options and test).
  std::vector<ThemeCandidate> theme_candidates(const jszb_report_options& options) const {
    jszb_theme_candidate* rows = nullptr;
    std::size_t n = 0;
    detail::check(jszb_engine_theme_candidates(handle_.get(), &options, &rows, &n));
    std::unique_ptr<jszb_theme_candidate, detail::Free> owned(rows);
    std::vector<ThemeCandidate> out;
    for (std::size_t i = 0; i < n; ++i) {
      out.push_back(
          {rows[i].district, rows[i].category, rows[i].count, rows[i].baseline, rows[i].z});
    }
    return out;
  }
  // Any filter (areas, categories, time ranges): see jszb_case_filter.
  std::vector<CaseId> list(const jszb_case_filter& f) const {
    std::uint64_t* ids = nullptr;
    std::size_t n = 0;
    detail::check(jszb_engine_list_cases(handle_.get(), &f, &ids, &n));
    std::unique_ptr<std::uint64_t, detail::Free> owned(ids);
    return std::vector<CaseId>(ids, ids + n);
  }

  // Policies, routing, deadlines, time.
  void set_policy(const Policy& p) {
    detail::check(jszb_engine_set_policy(handle_.get(), p.handle()));
  }
  // Moves open cases whose deadlines were estimated to policy `version`
  // (loaded with set_policy), which carries the official schedule of their
  // year: jszb_engine_adopt_schedule. Returns how many cases moved.
  std::size_t adopt_schedule(std::uint32_t version, TimeMs now) {
    size_t moved = 0;
    detail::check(jszb_engine_adopt_schedule(handle_.get(), version, now, &moved));
    return moved;
  }
  Route route(CaseId id) const {
    jszb_routing* r = nullptr;
    detail::check(jszb_engine_route(handle_.get(), id, &r));
    return to_route(r);
  }
  // The catalogue's verdicts only: outcome 0 when no rule applies.
  Route explain(CaseId id) const {
    jszb_routing* r = nullptr;
    detail::check(jszb_engine_explain(handle_.get(), id, &r));
    return to_route(r);
  }
  // A router of the caller's (nullptr: back to the policy's catalogue). It
  // fills the route and returns JSZB_OK, or a jszb_code to refuse; an
  // exception it throws is a refusal (JSZB_E_INTERNAL).
  using RouterFn = std::function<int(const jszb_case_info&, jszb_route&)>;
  void set_router(RouterFn fn) {
    auto owned = fn ? std::make_unique<RouterFn>(std::move(fn)) : nullptr;
    detail::check(jszb_engine_set_router(handle_.get(), owned ? &Engine::route_trampoline : nullptr,
                                         owned.get()));
    router_ = std::move(owned);
  }
  void dispatch_routed(CaseId id, TimeMs t, Actor a) {
    detail::check(try_dispatch_routed(id, t, a));
  }
  int try_dispatch_routed(CaseId id, TimeMs t, Actor a) {
    jszb_actor actor{static_cast<int>(a.role), a.unit, a.staff};
    return jszb_engine_dispatch_routed(handle_.get(), id, t, actor);
  }
  // Fires every escalation due at or before t.
  void advance(TimeMs t) { detail::check(jszb_engine_advance(handle_.get(), t)); }
  std::uint64_t timers_pending() const {
    std::uint64_t n = 0;
    detail::check(jszb_engine_timers_pending(handle_.get(), &n));
    return n;
  }
  std::vector<jszb_deadline_status> deadlines(CaseId id, TimeMs now) const {
    jszb_deadline_status* arr = nullptr;
    std::size_t n = 0;
    detail::check(jszb_engine_case_deadlines(handle_.get(), id, now, &arr, &n));
    std::unique_ptr<jszb_deadline_status, detail::Free> owned(arr);
    return std::vector<jszb_deadline_status>(arr, arr + n);
  }

  // Durable stores (see jszb.h): verify the file and the log against the
  // cases; purge finished cases; erase a citizen's personal data.
  struct VerifyReport {
    std::uint64_t events = 0, cases = 0, mismatches = 0;
    std::string problems;  // the first few, one per line
  };
  // progress(stage, done, total) returning false stops the call (JSZB_E_CANCELLED).
  using ProgressFn = std::function<bool(std::string_view, std::uint64_t, std::uint64_t)>;
  VerifyReport verify(const ProgressFn& progress = nullptr) {
    VerifyReport out;
    char* problems = nullptr;
    if (progress) {
      jszb_verify_options o = JSZB_VERIFY_OPTIONS_INIT;
      o.progress = &Engine::progress_trampoline;
      o.progress_payload = const_cast<ProgressFn*>(&progress);
      detail::check(jszb_engine_verify_v2(handle_.get(), &o, &out.events, &out.cases,
                                          &out.mismatches, &problems));
    } else {
      detail::check(
          jszb_engine_verify(handle_.get(), &out.events, &out.cases, &out.mismatches, &problems));
    }
    std::unique_ptr<char, detail::Free> owned(problems);
    if (problems != nullptr) out.problems = problems;
    return out;
  }
  std::uint64_t purge(TimeMs before) {
    std::uint64_t n = 0;
    detail::check(jszb_engine_purge(handle_.get(), before, &n));
    return n;
  }
  void erase_personal(CaseId id, TimeMs t) {
    detail::check(jszb_engine_erase_personal(handle_.get(), id, t));
  }
  // Every case the engine answers for, in memory or in its store.
  std::uint64_t stored_case_count() const {
    std::uint64_t n = 0;
    detail::check(jszb_engine_stored_case_count(handle_.get(), &n));
    return n;
  }
  // ==== Interchange (jszb.h): JSON Lines and CSV out and in.

  // Streams the selected cases to `write`, a piece at a time; an exception
  // from `write` stops the export and is rethrown.
  void export_to(const jszb_export_options& options,
                 const std::function<void(std::string_view)>& write) {
    struct Sink {
      const std::function<void(std::string_view)>* write;
      std::exception_ptr error;
    } sink{&write, nullptr};
    int rc = jszb_engine_export(
        handle_.get(), &options,
        [](void* p, const char* data, size_t n) -> int {
          auto* s = static_cast<Sink*>(p);
          try {
            (*s->write)(std::string_view(data, n));
            return 0;
          } catch (...) {
            s->error = std::current_exception();
            return 1;
          }
        },
        &sink);
    if (sink.error) std::rethrow_exception(sink.error);
    detail::check(rc);
  }
  struct ImportOutcome {
    bool refused = false;  // a bad row without skip_bad: nothing was imported
    std::uint64_t imported = 0, skipped = 0;
    std::vector<std::pair<std::uint64_t, std::string>> bad;  // line, message
  };
  // Imports `data`; bad rows come back in the outcome (refused, or skipped
  // with options.skip_bad); any other failure throws Error.
  ImportOutcome import_from(const jszb_import_options& options, std::string_view data) {
    jszb_import_result* r = nullptr;
    int rc = jszb_engine_import(handle_.get(), &options, data.data(), data.size(), &r);
    if (r == nullptr) detail::check(rc);
    std::unique_ptr<jszb_import_result, void (*)(jszb_import_result*)> owned(
        r, &jszb_import_result_free);
    ImportOutcome out;
    out.refused = rc != JSZB_OK;
    out.imported = jszb_import_result_imported(r);
    out.skipped = jszb_import_result_skipped(r);
    for (std::size_t i = 0; i < jszb_import_result_bad_count(r); ++i) {
      out.bad.emplace_back(jszb_import_result_bad_line(r, i), jszb_import_result_bad_message(r, i));
    }
    return out;
  }

  std::uint64_t case_count() const {
    std::uint64_t n = 0;
    detail::check(jszb_engine_case_count(handle_.get(), &n));
    return n;
  }

  // The listener lives as long as the engine or until removed.
  std::uint64_t add_listener(ListenerFn fn) {
    auto owned = std::make_unique<ListenerFn>(std::move(fn));
    std::uint64_t id = 0;
    detail::check(jszb_engine_add_listener(handle_.get(), &Engine::trampoline, owned.get(), &id));
    listeners_.emplace_back(id, std::move(owned));
    return id;
  }
  void remove_listener(std::uint64_t id) {
    detail::check(jszb_engine_remove_listener(handle_.get(), id));
    for (auto it = listeners_.begin(); it != listeners_.end(); ++it) {
      if (it->first == id) {
        listeners_.erase(it);
        break;
      }
    }
  }

  // Open311 GeoReport v2 (jszb_open311_format): the cases the query matches
  // as service requests, and a POST body (jszb_open311_content) submitted;
  // see jszb_engine_open311_requests and jszb_engine_open311_submit.
  std::string open311_requests(const jszb_open311_query& query, int format) {
    char* text = nullptr;
    detail::check(jszb_engine_open311_requests(handle_.get(), &query, format, &text));
    std::unique_ptr<char, detail::Free> owned(text);
    return std::string(text);
  }
  // A file of service requests imported (see jszb_engine_open311_import):
  // new cases, requests imported before, and the bad ones skipped as
  // (position, reason).
  struct Open311Import {
    std::uint64_t imported = 0;
    std::uint64_t known = 0;
    std::vector<std::pair<std::size_t, std::string>> bad;
  };
  Open311Import open311_import(const std::string& data, int format, bool skip_bad) {
    jszb_open311_import* raw = nullptr;
    detail::check(jszb_engine_open311_import(handle_.get(), data.data(), data.size(), format,
                                             skip_bad ? 1 : 0, &raw));
    std::unique_ptr<jszb_open311_import, decltype(&jszb_open311_import_free)> owned(
        raw, &jszb_open311_import_free);
    Open311Import out;
    out.imported = jszb_open311_import_imported(raw);
    out.known = jszb_open311_import_known(raw);
    for (std::size_t i = 0; i < jszb_open311_import_bad_count(raw); ++i) {
      std::size_t position = 0;
      const char* why = jszb_open311_import_bad(raw, i, &position);
      out.bad.emplace_back(position, why);
    }
    return out;
  }
  CaseId open311_submit(const std::string& body, int content, TimeMs time) {
    CaseId id = 0;
    detail::check(
        jszb_engine_open311_submit(handle_.get(), body.data(), body.size(), content, time, &id));
    return id;
  }

 private:
  friend WhatIf what_if(const std::string& path, const Policy& policy,
                        const WhatIfOptions& options);

  // A C callback must not throw: an escaping exception ends the program, as it
  // would anywhere a noexcept function throws.
  static void trampoline(void* payload, const jszb_event* e) noexcept {
    (*static_cast<ListenerFn*>(payload))(*e);
  }

  static int route_trampoline(void* payload, const jszb_case_info* c, jszb_route* out) noexcept {
    try {
      return (*static_cast<RouterFn*>(payload))(*c, *out);
    } catch (...) {
      return JSZB_E_INTERNAL;
    }
  }
  // A progress callback that throws stops the call, as returning false does.
  static int progress_trampoline(void* payload, const char* stage, std::uint64_t done,
                                 std::uint64_t total) noexcept {
    try {
      return (*static_cast<const ProgressFn*>(payload))(stage, done, total) ? 0 : 1;
    } catch (...) {
      return 1;
    }
  }
  static Route to_route(jszb_routing* r) {
    std::unique_ptr<jszb_routing, void (*)(jszb_routing*)> owned(r, &jszb_routing_free);
    Route out;
    if (const jszb_route* d = jszb_routing_decision(r)) {
      out.outcome = d->outcome;
      out.lead = d->lead;
      out.copy_to.assign(d->copy_to, d->copy_to + d->copy_to_count);
      out.co_handlers.assign(d->co_handlers, d->co_handlers + d->co_handlers_count);
      out.reason = static_cast<NotDispatchedReason>(d->reason);
      out.note = d->note ? d->note : "";
      out.rule = d->rule ? d->rule : "";
      out.district = d->district;
      out.street = d->street;
      out.street_from_point = d->street_from_point != 0;
    }
    for (std::size_t i = 0; i < jszb_routing_verdict_count(r); ++i) {
      const jszb_rule_verdict* v = jszb_routing_verdict(r, i);
      out.verdicts.push_back({v->rule, v->priority, v->matched != 0, v->chosen != 0, v->why});
    }
    return out;
  }

  struct Close {
    void operator()(jszb_engine* e) const { jszb_engine_close(e); }
  };
  explicit Engine(jszb_engine* e) { handle_.reset(e); }
  std::unique_ptr<jszb_engine, Close> handle_;
  std::vector<std::pair<std::uint64_t, std::unique_ptr<ListenerFn>>> listeners_;
  std::unique_ptr<RouterFn> router_;  // the caller's router, if any
};

// A report given as JSON (Engine::report with JSZB_REPORT_JSON) as CSV or HTML
// (jszb_report_format): see jszb_report_render. One report object, so a
// program's own figures from the JSON and the page cannot disagree.
inline std::string render_report(const std::string& json, int format) {
  char* text = nullptr;
  detail::check(jszb_report_render(json.data(), json.size(), format, &text));
  std::unique_ptr<char, detail::Free> owned(text);
  return std::string(text);
}

// An online backup of the store at `store` to `dest` (jszb_backup): safe
// while another process writes the store.
inline void backup(const std::string& store, const std::string& dest,
                   const jszb_backup_options& options = JSZB_BACKUP_OPTIONS_INIT) {
  detail::check(jszb_backup(store.c_str(), dest.c_str(), &options));
}

// The library's log (jszb_set_log): process-wide, off by default. fn runs on
// the thread that logs (possibly an engine's commit writer).
inline void set_log(jszb_log_fn fn, void* user_data, int level) {
  detail::check(jszb_set_log(fn, user_data, level));
}

// The policy's Open311 services (jszb_open311_format): see jszb_open311_services.
inline std::string open311_services(const Policy& policy, int format) {
  char* text = nullptr;
  detail::check(jszb_open311_services(policy.handle(), format, &text));
  std::unique_ptr<char, detail::Free> owned(text);
  return std::string(text);
}

}  // namespace jszb

#endif  // JSZB_JSZB_HPP
