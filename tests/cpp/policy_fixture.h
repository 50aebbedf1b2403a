// Helpers shared by the policy, routing and deadline tests: Beijing time,
// the shipped data files, small hand-written policies, requests that own their
// strings, and short commands with explicit times.
#ifndef JSZB_TESTS_CPP_POLICY_FIXTURE_H
#define JSZB_TESTS_CPP_POLICY_FIXTURE_H

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "fixture.h"
#include "model/names.h"
#include "policy/escalation.h"
#include "policy/policy.h"
#include "policy/router.h"

namespace jszb::testing {

using core::Policy;
using core::StepId;
using PolicyPtr = std::shared_ptr<const Policy>;

// ------------------------------------------------------------------ files

inline std::string repo_path(const std::string& relative) {
  std::string here = __FILE__;
  return here.substr(0, here.rfind("tests/")) + relative;
}

inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// A street's cell in lib/data/beijing-streets.geojson: its bounds, in degrees.
struct Cell {
  UnitId code = 0;
  double w = 0, e = 0, s = 0, n = 0;
  double mid_lat() const { return (s + n) / 2; }
  double mid_lon() const { return (w + e) / 2; }
};

// The synthetic cells of lib/data/beijing-streets.geojson (one feature a line,
// rectangles of 5 positions).
inline const std::vector<Cell>& shipped_cells() {
  static const std::vector<Cell> cells = [] {
    std::vector<Cell> out;
    std::string text = slurp(repo_path("lib/data/beijing-streets.geojson"));
    for (absl::string_view line : absl::StrSplit(text, '\n')) {
      std::size_t c = line.find("\"code\":");
      std::size_t g = line.find("\"coordinates\":[[[");
      if (c == absl::string_view::npos || g == absl::string_view::npos) continue;
      Cell cell;
      absl::string_view code = line.substr(c + 7);
      code = code.substr(0, code.find_first_of(",}"));
      EXPECT_TRUE(absl::SimpleAtoi(code, &cell.code)) << code;
      absl::string_view coords = line.substr(g + 17);
      coords = coords.substr(0, coords.find("]]]"));
      std::vector<double> xs, ys;
      for (absl::string_view pos : absl::StrSplit(coords, "],[")) {
        std::vector<absl::string_view> xy = absl::StrSplit(pos, ',');
        double x = 0, y = 0;
        EXPECT_TRUE(xy.size() == 2 && absl::SimpleAtod(xy[0], &x) && absl::SimpleAtod(xy[1], &y))
            << pos;
        xs.push_back(x);
        ys.push_back(y);
      }
      cell.w = *std::min_element(xs.begin(), xs.end());
      cell.e = *std::max_element(xs.begin(), xs.end());
      cell.s = *std::min_element(ys.begin(), ys.end());
      cell.n = *std::max_element(ys.begin(), ys.end());
      out.push_back(cell);
    }
    return out;
  }();
  return cells;
}

inline const Cell& cell_of(UnitId code) {
  for (const Cell& c : shipped_cells()) {
    if (c.code == code) return c;
  }
  ADD_FAILURE() << "no cell for " << code;
  static const Cell none;
  return none;
}

// ------------------------------------------------------------------- time

inline const absl::TimeZone& beijing_zone() {
  static const absl::TimeZone zone = absl::FixedTimeZone(8 * 3600);
  return zone;
}

// An instant in Beijing time.
inline TimeMs bj(int y, int m, int d, int hh = 0, int mm = 0, int ss = 0) {
  return absl::ToUnixMillis(
      absl::FromCivil(absl::CivilSecond(y, m, d, hh, mm, ss), beijing_zone()));
}

// "YYYY-MM-DD HH:MM" in Beijing time (seconds and ms when not whole minutes).
inline std::string show(TimeMs t) {
  absl::Time at = absl::FromUnixMillis(t);
  if (t % kMinute != 0) return absl::FormatTime("%Y-%m-%d %H:%M:%E3S", at, beijing_zone());
  return absl::FormatTime("%Y-%m-%d %H:%M", at, beijing_zone());
}

// --------------------------------------------------------------- policies

// Files a test policy may name: the shipped ones by their names, and others
// given by the test.
inline Policy::FileReader test_files(std::map<std::string, std::string> extra = {}) {
  return [extra](const std::string& name) -> absl::StatusOr<std::string> {
    auto it = extra.find(name);
    if (it != extra.end()) return it->second;
    if (name == "china-calendar.textproto" || name == "beijing-streets.geojson") {
      return slurp(repo_path("lib/data/" + name));
    }
    return absl::NotFoundError(absl::StrCat("no file ", name));
  };
}

inline absl::StatusOr<PolicyPtr> load_policy_text(const std::string& text,
                                                  const std::string& file = "test.textproto",
                                                  std::map<std::string, std::string> extra = {}) {
  return Policy::load(file, text, test_files(std::move(extra)));
}

// Loads a policy that must load; fails the test (and returns nullptr) if not.
inline PolicyPtr must_load(const std::string& text, const std::string& file = "test.textproto") {
  absl::StatusOr<PolicyPtr> p = load_policy_text(text, file);
  EXPECT_TRUE(p.ok()) << p.status();
  return p.ok() ? *p : nullptr;
}

// The problems of a refused load, one per element (the status's first line,
// "policy refused, N problems:", left out).
inline std::vector<std::string> problems(const absl::Status& s) {
  std::vector<std::string> lines = absl::StrSplit(std::string(s.message()), '\n');
  if (!lines.empty()) lines.erase(lines.begin());
  return lines;
}

inline int line_count(const std::string& text) {
  return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

// The shipped policy's text, as the file says.
inline const std::string& beijing_text() {
  static const std::string text = slurp(repo_path("lib/data/beijing-policy.textproto"));
  return text;
}

// The built-in policy's version (scripts/gen-beijing-policy, DEFAULT_VERSION):
// 2 since every located request goes to its street, 3 with the communities.
inline constexpr std::uint32_t kBeijingVersion = 3;

// The alternative that routes categories to district departments, loaded from
// its folder (it names lib/data/'s calendar and areas relative to it); nullptr
// and a failure if it does not load.
inline PolicyPtr beijing_by_department() {
  static const PolicyPtr policy = [] {
    absl::StatusOr<PolicyPtr> p =
        Policy::load_file(repo_path("examples/policies/beijing-by-department.textproto"));
    EXPECT_TRUE(p.ok()) << p.status();
    return p.ok() ? *p : nullptr;
  }();
  return policy;
}

// Codes of the small policies below (the same as in the Beijing policy).
inline constexpr UnitId kCentre = 110000000;
inline constexpr UnitId kWater = 110000801;
inline constexpr UnitId kPower = 110000802;
inline constexpr UnitId kDongcheng = 110101;
inline constexpr UnitId kDonghuamen = 110101001;  // 东华门街道
inline constexpr UnitId kJingshan = 110101002;    // 景山街道
inline constexpr UnitId kHaidian = 110108;
inline constexpr UnitId kBalizhuangChaoyang = 110105015;  // 八里庄街道 (朝阳)
inline constexpr UnitId kBalizhuangHaidian = 110108005;   // 八里庄街道 (海淀)

// Around the clock, every day a working day, 2024 and 2025: working time is
// natural time, so limits can be checked with plain arithmetic.
inline const char kAroundTheClock[] =
    "calendar {\n"
    "  name: \"24x7\"\n"
    "  utc_offset_minutes: 480\n"
    "  working_hours { from: \"00:00\" to: \"24:00\" }\n"
    "  first_year: 2024\n"
    "  last_year: 2025\n"
    "  beyond: BEYOND_SCHEDULE_REFUSE\n"
    "}\n";
inline const char kChinaCalendar[] = "calendar_file: \"china-calendar.textproto\"\n";

inline const char kSmallUnits[] =
    "units { code: 110000000 name: \"中心\" unit_class: UNIT_CLASS_CENTRE }\n"
    "units { code: 110000801 name: \"自来水集团\" unit_class: UNIT_CLASS_ENTERPRISE }\n"
    "units { code: 110000802 name: \"电力公司\" unit_class: UNIT_CLASS_ENTERPRISE }\n"
    "units { code: 110105 name: \"朝阳区\" unit_class: UNIT_CLASS_DISTRICT aliases: \"朝阳\" }\n"
    "units { code: 110105007 name: \"和平街街道\" unit_class: UNIT_CLASS_STREET district: 110105 "
    "}\n"
    "units { code: 110105026 name: \"望京街道\" unit_class: UNIT_CLASS_STREET district: 110105 }\n"
    "units { code: 110105901 name: \"朝阳市场监管局\" unit_class: UNIT_CLASS_DEPARTMENT district: "
    "110105 }\n"
    "units { code: 110105902 name: \"朝阳住建委\" unit_class: UNIT_CLASS_DEPARTMENT district: "
    "110105 "
    "}\n"
    "units { code: 110105903 name: \"朝阳教委\" unit_class: UNIT_CLASS_DEPARTMENT district: 110105 "
    "}\n"
    "units { code: 110101 name: \"东城区\" unit_class: UNIT_CLASS_DISTRICT aliases: \"东城\" }\n"
    "units { code: 110101001 name: \"东华门街道\" unit_class: UNIT_CLASS_STREET district: 110101 "
    "}\n"
    "units { code: 110101002 name: \"景山街道\" unit_class: UNIT_CLASS_STREET district: 110101 }\n";

inline const char kStreetFirst[] =
    "dispatch_rules { id: \"street-first\" priority: 100 match { needs_street: true }\n"
    "  dispatch { street_of_request: true copy_to_district: true } }\n"
    "dispatch_rules { id: \"district-coordinates\" priority: 50 match { needs_district: true }\n"
    "  district_coordinates {} }\n";

inline const char kReplySevenDays[] =
    "deadline_rules { id: \"reply\" step: STEP_REPLY limit { amount: 7 unit: TIME_UNIT_DAYS } }\n";

// A small policy, put together from parts; each part is whole lines.
struct SmallPolicy {
  std::string head = "name: \"small\"\nversion: 1\n";
  std::string calendar = kAroundTheClock;
  std::string units = kSmallUnits;
  std::string dispatch = kStreetFirst;
  std::string deadlines = kReplySevenDays;
  std::string escalation;
  std::string extra;  // anything else, last

  std::string text() const {
    return absl::StrCat(head, calendar, units, dispatch, deadlines, escalation, extra);
  }
  // The line `extra`'s first line will have.
  int extra_line() const {
    return line_count(absl::StrCat(head, calendar, units, dispatch, deadlines, escalation)) + 1;
  }
};

// A directory of its own under the test's temporary directory, removed with
// what was written into it.
class TempDir {
 public:
  TempDir() {
    std::string pattern = ::testing::TempDir() + "jszb-policy-XXXXXX";
    std::vector<char> buf(pattern.begin(), pattern.end());
    buf.push_back('\0');
    char* made = mkdtemp(buf.data());
    EXPECT_NE(made, nullptr);
    path_ = made == nullptr ? "/tmp" : made;
  }
  ~TempDir() {
    for (const std::string& f : files_) std::remove(f.c_str());
    for (auto it = dirs_.rbegin(); it != dirs_.rend(); ++it) rmdir(it->c_str());
    rmdir(path_.c_str());
  }
  std::string write(const std::string& name, const std::string& text) {
    std::string full = path_ + "/" + name;
    std::string::size_type slash = name.find('/');
    if (slash != std::string::npos) {
      std::string dir = path_ + "/" + name.substr(0, slash);
      mkdir(dir.c_str(), 0700);
      dirs_.push_back(dir);
    }
    std::ofstream out(full, std::ios::binary);
    out << text;
    files_.push_back(full);
    return full;
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::vector<std::string> files_;
  std::vector<std::string> dirs_;
};

// --------------------------------------------------------------- requests

// A request that owns its strings; intake() views them (keep the Req alive
// while the intake is used).
struct Req {
  std::string ref = "req";
  TimeMs time = kT0;
  Channel channel = Channel::kPhone;
  Kind kind = Kind::kComplaint;
  std::string cat1 = "城乡建设";
  std::string cat2 = "施工管理";
  std::string cat3 = "夜间施工扰民";
  Urgency urgency = Urgency::kNormal;
  std::string district = "朝阳区";
  std::string street = "和平街街道";
  std::string community = "和平东街社区";
  std::string content = "小区南侧工地夜间施工，噪音扰民，希望尽快处理。";
  bool has_point = false;
  double lat = 0;
  double lon = 0;

  Req& at(TimeMs t) {
    time = t;
    return *this;
  }
  Req& named(std::string r) {
    ref = std::move(r);
    return *this;
  }
  Req& category(std::string a, std::string b = "", std::string c = "") {
    cat1 = std::move(a);
    cat2 = std::move(b);
    cat3 = std::move(c);
    return *this;
  }
  Req& where(std::string d, std::string s = "") {
    district = std::move(d);
    street = std::move(s);
    community.clear();
    return *this;
  }
  Req& point(double la, double lo) {
    has_point = true;
    lat = la;
    lon = lo;
    return *this;
  }
  Req& says(std::string text) {
    content = std::move(text);
    return *this;
  }
  Req& with(Urgency u) {
    urgency = u;
    return *this;
  }
  Req& of(Kind k) {
    kind = k;
    return *this;
  }

  Intake intake() const {
    Intake in;
    in.time = time;
    in.actor = op();
    in.channel = channel;
    in.channel_ref = ref;
    in.kind = kind;
    in.category = {cat1, cat2, cat3};
    in.urgency = urgency;
    in.location.district = district;
    in.location.street = street;
    in.location.community = community;
    in.location.address = "某地";
    in.location.has_point = has_point;
    in.location.lat = lat;
    in.location.lon = lon;
    in.content = content;
    in.contact.name = "李先生";
    in.contact.phone = "13900000000";
    return in;
  }
};

inline CaseId submit_req(Engine& e, const Req& r) {
  absl::StatusOr<core::SubmitResult> s = e.submit(r.intake());
  EXPECT_TRUE(s.ok()) << s.status();
  return s.ok() ? s->id : 0;
}

// A case that holds only its intake, for the router outside an engine.
struct LoneCase {
  Intake in;
  core::Case c;
  explicit LoneCase(const Req& r, CaseId id = 7) : in(r.intake()) {
    c.id = id;
    c.state = State::kReceived;
    c.intake = &in;
  }
};

// --------------------------------------------------------------- commands

inline Command cmd(CommandKind k, CaseId id, TimeMs t, Actor a) {
  Command c;
  c.kind = k;
  c.case_id = id;
  c.time = t;
  c.actor = a;
  return c;
}

inline absl::Status dispatch_to(Engine& e, CaseId id, TimeMs t, UnitId lead,
                                const std::vector<UnitId>& co_handlers = {}) {
  Command c = cmd(CommandKind::kDispatch, id, t, centre());
  c.payload.unit = lead;
  c.payload.units = co_handlers;
  return e.apply(c);
}
inline absl::Status sign(Engine& e, CaseId id, TimeMs t) {
  return e.apply(cmd(CommandKind::kSign, id, t, unit(e.find(id)->lead_unit)));
}
inline absl::Status contact(Engine& e, CaseId id, TimeMs t) {
  return e.apply(cmd(CommandKind::kContactCitizen, id, t, unit(e.find(id)->lead_unit)));
}

// The usual request, dispatched to the street at t, signed 10 and the citizen
// contacted 20 minutes later: a case in hand with its reply clock running.
inline absl::Status in_hand(Engine& e, TimeMs t, CaseId* id) {
  *id = submit_req(e, Req{}.at(t));
  if (absl::Status s = dispatch_to(e, *id, t, kStreet); !s.ok()) return s;
  if (absl::Status s = sign(e, *id, t + 10 * kMinute); !s.ok()) return s;
  return contact(e, *id, t + 20 * kMinute);
}
inline absl::Status reply(Engine& e, CaseId id, TimeMs t, bool contacted = true) {
  Command c = cmd(CommandKind::kReply, id, t, unit(e.find(id)->lead_unit));
  c.payload.contacted = contacted;
  c.payload.solved = true;
  c.payload.text = "已处理";
  return e.apply(c);
}
// A valid return visit with the outcome given.
inline absl::Status visit_with(Engine& e, CaseId id, TimeMs t, bool contacted, bool solved,
                               Satisfaction how) {
  Command c = cmd(CommandKind::kVisit, id, t, op());
  c.payload.valid_visit = true;
  c.payload.contacted = contacted;
  c.payload.solved = solved;
  c.payload.satisfaction = how;
  return e.apply(c);
}
inline absl::Status visit(Engine& e, CaseId id, TimeMs t, bool satisfied) {
  return visit_with(e, id, t, true, satisfied,
                    satisfied ? Satisfaction::kSatisfied : Satisfaction::kNotSatisfied);
}
inline absl::Status simple(Engine& e, CommandKind k, CaseId id, TimeMs t, Actor a,
                           std::string_view text = {}) {
  Command c = cmd(k, id, t, a);
  c.payload.text = text;
  return e.apply(c);
}

// ----------------------------------------------------------------- events

inline std::vector<core::Event> events_of_type(const Engine& e, CaseId id, EventType t) {
  std::vector<core::Event> out;
  for (const core::Event& ev : e.events(id)) {
    if (ev.type == t) out.push_back(ev);
  }
  return out;
}

inline std::vector<core::Event> timer_events(const Engine& e, CaseId id) {
  std::vector<core::Event> out;
  for (const core::Event& ev : e.events(id)) {
    if (is_timer_event(ev.type)) out.push_back(ev);
  }
  return out;
}

// "breached REPLY#1 @2024-03-11 10:00" style summaries, for readable failures.
inline std::string describe_timer(const core::Event& ev) {
  return absl::StrCat(std::string(core::name(ev.type)), " ",
                      v1::Step_Name(static_cast<v1::Step>(ev.payload.step)), " mark ",
                      static_cast<int>(ev.payload.mark), " @", show(ev.time));
}

inline const core::Deadline& deadline(const Engine& e, CaseId id, StepId s) {
  return e.find(id)->deadline(s);
}

// A listener that keeps every event it is told (copies, without views).
struct Recorder : core::Listener {
  struct Seen {
    CaseId case_id;
    std::uint32_t seq;
    EventType type;
    TimeMs time;
    std::uint8_t step, mark, action;
  };
  std::vector<Seen> seen;
  void on_event(const core::Event& ev) override {
    seen.push_back({ev.case_id, ev.seq, ev.type, ev.time, ev.payload.step, ev.payload.mark,
                    ev.payload.action});
  }
};

}  // namespace jszb::testing

#endif  // JSZB_TESTS_CPP_POLICY_FIXTURE_H
