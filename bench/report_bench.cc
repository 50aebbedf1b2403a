// Reports (issue 5): the monthly report read from the incremental counters of
// a store holding 30 million cases; the same month's unit scores recomputed
// from an engine's event log, for comparison; request-group clustering over a
// week's requests.
#include <benchmark/benchmark.h>
#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iterator>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_format.h"
#include "engine/engine.h"
#include "lifecycle/counters.h"
#include "policy/policy.h"
#include "report/assessment.h"
#include "report/group_corpus.h"
#include "report/request_groups.h"
#include "store/sqlite_store.h"

namespace jszb::bench {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using core::Counters;
using core::Period;
using core::UnitTally;
using core::VolumeDim;

constexpr TimeMs kMinuteMs = 60 * 1000;
constexpr TimeMs kHourMs = 60 * kMinuteMs;
constexpr TimeMs kDayMs = 24 * kHourMs;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// A small, fast generator: 30 million cases draw a few hundred million numbers.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : s_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (s_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  std::uint64_t below(std::uint64_t n) { return next() % n; }
  std::int64_t between(std::int64_t lo, std::int64_t hi) {  // [lo, hi]
    return lo + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(hi - lo + 1)));
  }
  double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  bool chance(double p) { return unit() < p; }
  // An index drawn with the weights whose running sums `cdf` holds.
  std::size_t pick(const std::vector<double>& cdf) {
    double x = unit() * cdf.back();
    auto i = static_cast<std::size_t>(std::upper_bound(cdf.begin(), cdf.end(), x) - cdf.begin());
    return std::min(i, cdf.size() - 1);  // x may round up to the total
  }

 private:
  std::uint64_t s_;
};

std::vector<double> running_sums(const std::vector<double>& weights) {
  std::vector<double> cdf;
  double total = 0;
  for (double w : weights) cdf.push_back(total += w);
  return cdf;
}

// ------------------------------------------------------------------ the city

// What synthetic cases are made of: the built-in policy's districts, streets
// and departments, synthetic communities and categories, and how often each
// occurs. The names live here and outlive every Counters that views them.
struct Street {
  UnitId code = 0;
  std::size_t district = 0;
  std::string name;
  std::vector<std::string> communities;
};

struct City {
  std::vector<UnitId> district_codes;
  std::vector<std::string> district_names;
  std::vector<std::vector<UnitId>> departments;      // per district
  std::vector<std::vector<std::size_t>> streets_of;  // per district: indexes into streets
  std::vector<UnitId> enterprises;
  std::vector<Street> streets;
  std::vector<double> street_cdf;  // streets differ in population
  std::vector<std::array<std::string, 3>> categories;
  std::vector<double> category_cdf;  // a few categories are most of the requests
  std::vector<Channel> channels;
  std::vector<double> channel_cdf;
  std::vector<Kind> kinds;
  std::vector<double> kind_cdf;
};

const char* const kLevel1[] = {"城乡建设",       "住房",     "物业管理", "市场管理", "交通管理",
                               "公共服务",       "环境保护", "城市管理", "卫生健康", "教育",
                               "劳动和社会保障", "社会秩序", "民政",     "农村管理", "文化体育",
                               "旅游",           "商贸服务", "水务",     "供暖",     "燃气"};
constexpr int kLevel2 = 5;
constexpr int kLevel3 = 4;
constexpr int kCommunitiesPerStreet = 20;

const City& city() {
  static const City c = [] {
    City c;
    std::shared_ptr<const core::Policy> policy = core::Policy::beijing();
    absl::flat_hash_map<UnitId, std::size_t> district_index;
    for (const core::UnitInfo& u : policy->units()) {
      if (u.unit_class == v1::UNIT_CLASS_DISTRICT) {
        district_index[u.code] = c.district_codes.size();
        c.district_codes.push_back(u.code);
        c.district_names.push_back(u.name);
      }
    }
    c.departments.resize(c.district_codes.size());
    c.streets_of.resize(c.district_codes.size());
    Rng rng(7);
    std::vector<double> street_weights;
    for (const core::UnitInfo& u : policy->units()) {
      if (u.unit_class == v1::UNIT_CLASS_ENTERPRISE) c.enterprises.push_back(u.code);
      if (u.unit_class == v1::UNIT_CLASS_DEPARTMENT && district_index.contains(u.district)) {
        c.departments[district_index[u.district]].push_back(u.code);
      }
      if (u.unit_class != v1::UNIT_CLASS_STREET || !district_index.contains(u.district)) continue;
      Street s;
      s.code = u.code;
      s.district = district_index[u.district];
      s.name = u.name;
      for (int i = 1; i <= kCommunitiesPerStreet; ++i) {
        s.communities.push_back(absl::StrFormat("%s第%d社区", u.name, i));
      }
      c.streets_of[s.district].push_back(c.streets.size());
      c.streets.push_back(std::move(s));
      street_weights.push_back(0.2 + 1.6 * rng.unit());
    }
    c.street_cdf = running_sums(street_weights);
    // 20 x 5 x 4 categories, Zipf-like (weight 1 / rank^0.8, ranks shuffled).
    std::vector<double> category_weights;
    for (const char* l1 : kLevel1) {
      for (int i = 1; i <= kLevel2; ++i) {
        for (int j = 1; j <= kLevel3; ++j) {
          std::string l2 = absl::StrFormat("%s二级类%d", l1, i);
          c.categories.push_back({l1, l2, absl::StrFormat("%s三级类%d", l2, j)});
          category_weights.push_back(1.0 / std::pow(static_cast<double>(c.categories.size()), 0.8));
        }
      }
    }
    for (std::size_t i = category_weights.size(); i > 1; --i) {
      std::swap(category_weights[i - 1], category_weights[rng.below(i)]);
    }
    c.category_cdf = running_sums(category_weights);
    c.channels = {Channel::kPhone,         Channel::kWeb,   Channel::kWechatMini,
                  Channel::kWechatAccount, Channel::kApp,   Channel::kLeadersBoard,
                  Channel::kNationalMini,  Channel::kWeibo, Channel::kToutiao,
                  Channel::kMergedHotline};
    c.channel_cdf = running_sums({60, 6, 12, 4, 8, 2, 3, 1.5, 1, 2.5});
    c.kinds = {Kind::kConsultation, Kind::kHelp, Kind::kComplaint, Kind::kReport,
               Kind::kSuggestion};
    c.kind_cdf = running_sums({25, 22, 42, 8, 3});
    return c;
  }();
  return c;
}

// ------------------------------------------- BM_MonthlyReport30M: the store

constexpr std::int64_t kStoreCases = 30'000'000;
constexpr int kMonths = 15;
const char* const kStorePath = "/tmp/jszb-bench-report-30M.jszb";

// The i-th of the 15 assessment months 2025-02 .. 2026-04 (a month is named by
// its last day's month: 2025-02 runs from 19 January to 19 February).
Period month(int i) {
  int index = 2025 * 12 + 1 + i;  // 2025-02 is month 1 of 2025
  return core::assessment_month(index / 12, index % 12 + 1);
}
constexpr int kReportMonth = 7;  // 2025-09, in the middle

// Adds to `out` what the engine would count for one case received at
// `received`: its three volumes (count_submission's keys) and, unless it was
// answered on the spot, its unit counts in the buckets its steps fall in.
void count_case(const City& c, Rng& rng, TimeMs received, Counters& out) {
  const Street& street = c.streets[rng.pick(c.street_cdf)];
  std::string_view district = c.district_names[street.district];
  const auto& category = c.categories[rng.pick(c.category_cdf)];
  Channel channel = c.channels[rng.pick(c.channel_cdf)];
  Kind kind = c.kinds[rng.pick(c.kind_cdf)];
  core::Bucket b = core::bucket_of(received);
  std::string_view community = street.communities[rng.below(street.communities.size())];
  ++out.volumes[{b, VolumeDim::kArea, district, {street.name, community, {}}}];
  ++out.volumes[{b, VolumeDim::kCategory, district, {category[0], category[1], category[2]}}];
  ++out.volumes[{b, VolumeDim::kChannel, district, {}, channel, kind}];

  // Most consultations are answered on the spot: no unit counts them.
  if (kind == Kind::kConsultation && rng.chance(0.7)) return;
  auto tally = [&out](TimeMs at, UnitId u) -> UnitTally& {
    return out.units[{core::bucket_of(at), u}];
  };
  const auto& departments = c.departments[street.district];
  double who = rng.unit();
  UnitId lead = who < 0.80   ? street.code
                : who < 0.95 ? departments[rng.below(departments.size())]
                             : c.enterprises[rng.below(c.enterprises.size())];
  TimeMs t = received + rng.between(5, 60) * kMinuteMs;
  TimeMs dispatched = t;
  ++tally(t, lead).dispatched;
  if (rng.chance(0.05)) {  // returned, re-dispatched to a neighbouring street
    const auto& streets = c.streets_of[street.district];
    lead = c.streets[streets[rng.below(streets.size())]].code;
    t = dispatched = t + rng.between(10, 120) * kMinuteMs;
    ++tally(t, lead).dispatched;
  }
  t += rng.between(5, 55) * kMinuteMs;
  UnitTally& sign = tally(t, lead);
  ++sign.sign_outcomes;
  if (rng.chance(0.03)) {
    ++sign.breached;
  } else {
    ++sign.signed_on_time;
  }
  t += rng.between(1, 24) * kHourMs;
  UnitTally& contact = tally(t, lead);
  ++contact.first_contacts;
  contact.response_ms += t - dispatched;
  t += rng.between(1, 6) * kDayMs + rng.between(0, 600) * kMinuteMs;
  UnitTally& reply = tally(t, lead);
  ++reply.replies;
  if (rng.chance(0.05)) {
    ++reply.breached;
  } else {
    ++reply.replied_on_time;
  }
  t += rng.between(4, 48) * kHourMs;
  if (rng.chance(0.95)) {  // a valid return visit: it counts for the lead and a co-handler
    bool contacted = rng.chance(0.97);
    bool solved = rng.chance(0.75);
    double s = rng.unit();
    UnitId co = rng.chance(0.03) ? departments[rng.below(departments.size())] : 0;
    if (co == lead) co = 0;  // a lead is not its own co-handler
    for (UnitId u : {lead, co}) {
      if (u == 0) continue;
      UnitTally& v = tally(t, u);
      ++v.visits;
      v.contacted += contacted;
      v.solved += solved;
      if (s < 0.80) {
        ++v.satisfied;
      } else if (s < 0.92) {
        ++v.basically_satisfied;
      } else {
        ++v.not_satisfied;
      }
    }
  }
  t += rng.between(0, 240) * kMinuteMs;
  UnitTally& closed = tally(t, lead);
  ++closed.closed;
  closed.handling_ms += t - received;
}

// Writes the 30 million cases' counters, month by month, into a new store.
absl::Status build_store(const std::string& path) {
  core::SqliteStoreOptions options;
  options.synchronous_full = false;  // a scratch file: no fsync per commit
  absl::StatusOr<std::unique_ptr<core::SqliteStore>> store = core::SqliteStore::open(path, options);
  if (!store.ok()) return store.status();
  // A store writes only once the tail of its log was replayed: this one has none.
  absl::Status recovered =
      (*store)->for_each_tail_event([](const core::Event&) { return absl::OkStatus(); });
  if (!recovered.ok()) return recovered;
  const City& c = city();
  Rng rng(2026);
  for (int m = 0; m < kMonths; ++m) {
    Clock::time_point t0 = Clock::now();
    Period p = month(m);
    Counters counters;
    for (std::int64_t i = 0; i < kStoreCases / kMonths; ++i) {
      count_case(
          c, rng,
          p.from + static_cast<TimeMs>(rng.below(static_cast<std::uint64_t>(p.until - p.from))),
          counters);
    }
    double counted = seconds_since(t0);
    core::CommitBatch batch;  // no events: the counters alone
    batch.counters = &counters;
    if (absl::Status s = (*store)->commit(batch); !s.ok()) return s;
    std::fprintf(stderr,
                 "month %d: %zu unit rows, %zu volume rows; counted in %.1f s, written in %.1f s\n",
                 m + 1, counters.units.size(), counters.volumes.size(), counted,
                 seconds_since(t0) - counted);
  }
  return absl::OkStatus();
}

std::int64_t query_int(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* st = nullptr;
  std::int64_t out = -1;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW) {
    out = sqlite3_column_int64(st, 0);
  }
  sqlite3_finalize(st);
  return out;
}

// Cases the store holds (each counted once in the area volumes), -1 if it
// cannot be read.
std::int64_t stored_cases(const std::string& path) {
  sqlite3* db = nullptr;
  std::int64_t n = -1;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    n = query_int(db, "SELECT coalesce(sum(received), 0) FROM volume_counters WHERE dim = 1");
  }
  sqlite3_close(db);
  return n;
}

// The store file, built once and kept under /tmp for later runs (building it
// takes about 4 minutes); rebuilt if it is missing or incomplete.
struct ReportStore {
  std::unique_ptr<core::SqliteStore> store;
  std::int64_t cases = 0;
  std::int64_t rows_in_month = 0;  // counter rows the month's sums read
  double setup_s = 0;              // building it in this process (0: reused)
  std::string error;
};

const ReportStore& report_store() {
  static const ReportStore rs = [] {
    ReportStore rs;
    Clock::time_point t0 = Clock::now();
    rs.cases = fs::exists(kStorePath) ? stored_cases(kStorePath) : -1;
    if (rs.cases != kStoreCases) {
      std::string part = std::string(kStorePath) + ".part";
      for (const char* suffix : {"", "-wal", "-shm", "-lock", "-lsn"}) {
        fs::remove(part + suffix);
        fs::remove(kStorePath + std::string(suffix));
      }
      if (absl::Status s = build_store(part); !s.ok()) {
        rs.error = std::string(s.message());
        return rs;
      }
      // Closed, the file holds everything (SQLite folds the WAL in on the last
      // close): only then does it take the name that says it is complete.
      fs::remove(part + "-lock");
      if (fs::exists(part + "-wal") && fs::file_size(part + "-wal") > 0) {
        rs.error = "the store's WAL was not folded in on close";
        return rs;
      }
      fs::rename(part, kStorePath);
      rs.setup_s = seconds_since(t0);
      rs.cases = stored_cases(kStorePath);
      std::fprintf(stderr, "built %s in %.0f s\n", kStorePath, rs.setup_s);
    }
    Period p = month(kReportMonth);
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(kStorePath, &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
      std::string range = absl::StrFormat("WHERE bucket >= %d AND bucket < %d",
                                          core::bucket_of(p.from), core::bucket_of(p.until));
      rs.rows_in_month = query_int(db, "SELECT count(*) FROM unit_counters " + range) +
                         query_int(db, "SELECT count(*) FROM volume_counters " + range);
    }
    sqlite3_close(db);
    core::SqliteStoreOptions options;
    options.read_only = true;  // a report only reads
    absl::StatusOr<std::unique_ptr<core::SqliteStore>> store =
        core::SqliteStore::open(kStorePath, options);
    if (!store.ok()) {
      rs.error = std::string(store.status().message());
      return rs;
    }
    rs.store = std::move(*store);
    return rs;
  }();
  return rs;
}

// The monthly report as a caller would make it from the counters: the unit
// scores ranked within each unit class, and the requests received by
// category (level 1) and by district.
struct MonthlyReport {
  std::vector<std::vector<core::Ranked>> rankings;
  std::map<std::string, std::int64_t> by_category;
  std::map<std::string, std::int64_t> by_district;
};

// The unit classes the policy has units of.
std::vector<core::UnitClass> unit_classes(const core::Policy& policy) {
  std::set<core::UnitClass> classes;
  for (const core::UnitInfo& u : policy.units()) classes.insert(u.unit_class);
  return {classes.begin(), classes.end()};
}

// The report from the month's totals. Ranked without last month's scores: the
// rank change would cost a second sum of the counters.
MonthlyReport make_report(const core::CounterTotals& totals, const core::Policy& policy,
                          const std::vector<core::UnitClass>& classes) {
  MonthlyReport r;
  std::vector<core::UnitScore> now = core::scores(totals.units);
  for (core::UnitClass k : classes) r.rankings.push_back(core::rank(now, {}, policy, k));
  for (const core::VolumeTotal& v : totals.volumes) {
    // Each request is counted once per dimension: categories by one, districts by area.
    if (v.dim == VolumeDim::kCategory) r.by_category[v.path[0]] += v.received;
    if (v.dim == VolumeDim::kArea) r.by_district[v.district] += v.received;
  }
  return r;
}

void BM_MonthlyReport30M(benchmark::State& state) {
  const ReportStore& rs = report_store();
  if (!rs.store) {
    state.SkipWithError(rs.error.c_str());
    return;
  }
  std::shared_ptr<const core::Policy> policy = core::Policy::beijing();
  std::vector<core::UnitClass> classes = unit_classes(*policy);
  Period p = month(kReportMonth);
  double sum_s = 0;
  std::size_t result_rows = 0;
  std::int64_t received = 0;
  for (auto _ : state) {
    Clock::time_point t0 = Clock::now();
    absl::StatusOr<core::CounterTotals> totals =
        rs.store->sum_counters(core::bucket_of(p.from), core::bucket_of(p.until));
    if (!totals.ok()) {
      state.SkipWithError(std::string(totals.status().message()).c_str());
      return;
    }
    sum_s += seconds_since(t0);
    MonthlyReport r = make_report(*totals, *policy, classes);
    benchmark::DoNotOptimize(r);
    result_rows = totals->units.size() + totals->volumes.size();
    received = 0;
    for (const auto& [district, n] : r.by_district) received += n;
  }
  const double n = static_cast<double>(state.iterations());
  state.counters["cases_in_store"] = static_cast<double>(rs.cases);
  state.counters["rows_read"] = static_cast<double>(rs.rows_in_month);
  state.counters["result_rows"] = static_cast<double>(result_rows);
  state.counters["received_in_month"] = static_cast<double>(received);
  state.counters["sum_counters_ms"] = 1000 * sum_s / n;
  state.counters["setup_s"] = rs.setup_s;
}
BENCHMARK(BM_MonthlyReport30M)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(3.0);

// ------------------------------- BM_MonthlyReportRecompute: the event log

const Actor kOperator{Role::kOperator, 0, 1001};
const Actor kDispatcher{Role::kDispatcher, 0, 2001};
Actor unit_actor(UnitId u) { return {Role::kUnit, u, 0}; }

// What happens to one case, planned before anything is applied.
enum class Op : std::uint8_t {
  kSubmit,
  kAnswerOnSpot,
  kDispatch,
  kRequestReturn,
  kApproveReturn,
  kSign,
  kContact,
  kAddCoHandler,
  kReportToLead,
  kRequestExtension,
  kApproveExtension,
  kReply,
  kVisitNotSatisfied,
  kRedo,
  kVisitBasicallySatisfied,
  kVisitSatisfied,
  kClose
};

struct Step {
  TimeMs time;
  std::uint32_t case_index;
  Op op;
};

struct PlannedCase {
  std::uint32_t street = 0;
  std::uint32_t category = 0;
  Channel channel = Channel::kUnspecified;
  Kind kind = Kind::kUnspecified;
  UnitId lead = 0;    // who handles it now
  UnitId second = 0;  // after a return
  UnitId co_handler = 0;
  bool solved = false;
  CaseId id = 0;
};

const char* const kContents[] = {
    "小区南侧工地夜间施工，噪音扰民，希望尽快处理。",
    "楼道里堆满杂物，存在消防隐患，物业不管，请有关部门处理。",
    "家里暖气不热，室温只有十五度，请供热单位尽快检修。",
    "路口红绿灯坏了好几天，早高峰很危险，希望尽快修复。",
    "咨询孩子入学需要准备哪些材料，在哪里办理。",
    "某培训机构停课后不退费，请市场监管部门督促退款。",
};

// An in-memory engine under the Beijing policy that has run `n` cases through
// their lifecycle, spread over the same 15 assessment months. Each case's
// commands are laid out in time first; then every command is applied in time
// order, as they reach a hotline, so the log interleaves cases as a real one
// does and escalations fire on time (advance() every simulated hour).
struct DrivenEngine {
  std::unique_ptr<core::Engine> engine;
  std::size_t cases = 0;
  std::uint64_t events = 0;
  std::size_t units_in_month = 0;  // units with something counted in the report's month
  double setup_s = 0;
  std::string error;
};

absl::Status drive(core::Engine& engine, std::size_t n) {
  const City& c = city();
  Rng rng(12345);
  std::vector<PlannedCase> cases(n);
  std::vector<Step> steps;
  steps.reserve(n * 10);
  const TimeMs first = month(0).from;
  const TimeMs span = month(kMonths - 1).until - first;
  for (std::size_t i = 0; i < n; ++i) {
    PlannedCase& pc = cases[i];
    const auto index = static_cast<std::uint32_t>(i);
    pc.street = static_cast<std::uint32_t>(rng.pick(c.street_cdf));
    pc.category = static_cast<std::uint32_t>(rng.pick(c.category_cdf));
    pc.channel = c.channels[rng.pick(c.channel_cdf)];
    pc.kind = c.kinds[rng.pick(c.kind_cdf)];
    const Street& street = c.streets[pc.street];
    const auto& departments = c.departments[street.district];
    TimeMs t =
        first + static_cast<TimeMs>(rng.below(static_cast<std::uint64_t>(span - 30 * kDayMs)));
    auto at = [&](TimeMs after, Op op) { steps.push_back({t += after, index, op}); };
    at(0, Op::kSubmit);
    if (pc.kind == Kind::kConsultation && rng.chance(0.7)) {
      at(rng.between(1, 10) * kMinuteMs, Op::kAnswerOnSpot);
      continue;
    }
    pc.lead = rng.chance(0.85) ? street.code : departments[rng.below(departments.size())];
    at(rng.between(5, 40) * kMinuteMs, Op::kDispatch);
    if (rng.chance(0.05)) {
      const auto& streets = c.streets_of[street.district];
      std::size_t k = rng.below(streets.size());
      pc.second = c.streets[streets[k]].code;
      if (pc.second == pc.lead) pc.second = c.streets[streets[(k + 1) % streets.size()]].code;
      at(rng.between(5, 20) * kMinuteMs, Op::kRequestReturn);
      at(rng.between(5, 20) * kMinuteMs, Op::kApproveReturn);
    }
    at(rng.between(5, 40) * kMinuteMs, Op::kSign);   // within the hour: signed on time
    at(rng.between(1, 20) * kHourMs, Op::kContact);  // within the 24 h of first contact
    if (rng.chance(0.03)) {
      pc.co_handler = departments[rng.below(departments.size())];
      if (pc.co_handler == pc.lead || pc.co_handler == pc.second) pc.co_handler = 0;
    }
    if (pc.co_handler != 0) {
      at(rng.between(1, 4) * kHourMs, Op::kAddCoHandler);
      at(rng.between(1, 2) * kDayMs, Op::kReportToLead);
    }
    bool extended = rng.chance(0.1);
    if (extended) {
      at(rng.between(1, 2) * kDayMs, Op::kRequestExtension);
      at(rng.between(1, 4) * kHourMs, Op::kApproveExtension);
    }
    // One in thirty replies after its deadline (7 working days): a breach,
    // then the district supervises.
    bool late = !extended && rng.chance(1.0 / 30);
    at(late ? rng.between(14, 16) * kDayMs : rng.between(1, 5) * kDayMs, Op::kReply);
    pc.solved = rng.chance(0.75);
    if (rng.chance(0.08)) {
      at(rng.between(4, 30) * kHourMs, Op::kVisitNotSatisfied);
      at(rng.between(1, 60) * kMinuteMs, Op::kRedo);
      at(rng.between(1, 3) * kDayMs, Op::kReply);
    }
    at(rng.between(4, 30) * kHourMs,
       rng.chance(0.13) ? Op::kVisitBasicallySatisfied : Op::kVisitSatisfied);
    at(rng.between(1, 240) * kMinuteMs, Op::kClose);
  }
  std::sort(steps.begin(), steps.end(), [](const Step& a, const Step& b) {
    return std::tie(a.time, a.case_index) < std::tie(b.time, b.case_index);
  });

  core::Intake intake;
  intake.actor = kOperator;
  intake.urgency = Urgency::kNormal;
  intake.location.address = "某小区3号楼";
  intake.contact.name = "王女士";
  intake.contact.phone = "13800000000";
  TimeMs advanced = 0;
  for (const Step& s : steps) {
    if (s.time - advanced >= kHourMs) {
      if (absl::Status st = engine.advance(s.time); !st.ok()) return st;
      advanced = s.time;
    }
    PlannedCase& pc = cases[s.case_index];
    const Street& street = c.streets[pc.street];
    if (s.op == Op::kSubmit) {
      char ref[24];
      auto end = std::to_chars(ref, ref + sizeof ref, s.case_index).ptr;
      intake.time = s.time;
      intake.channel = pc.channel;
      intake.channel_ref = std::string_view(ref, static_cast<std::size_t>(end - ref));
      intake.kind = pc.kind;
      const auto& category = c.categories[pc.category];
      intake.category = {category[0], category[1], category[2]};
      intake.location.district = c.district_names[street.district];
      intake.location.street = street.name;
      intake.location.community = street.communities[s.case_index % kCommunitiesPerStreet];
      intake.content = kContents[s.case_index % std::size(kContents)];
      absl::StatusOr<core::SubmitResult> r = engine.submit(intake);
      if (!r.ok()) return r.status();
      pc.id = r->id;
      continue;
    }
    core::Command cmd;
    cmd.case_id = pc.id;
    cmd.time = s.time;
    cmd.actor = unit_actor(pc.lead);
    const UnitId& district = c.district_codes[street.district];
    switch (s.op) {
      case Op::kSubmit:
        break;
      case Op::kAnswerOnSpot:
        cmd.kind = CommandKind::kAnswerOnSpot;
        cmd.actor = kOperator;
        cmd.payload.text = "已按政策解答";
        break;
      case Op::kDispatch:
        cmd.kind = CommandKind::kDispatch;
        cmd.actor = kDispatcher;
        cmd.payload.unit = pc.lead;
        cmd.payload.copy_to = {&district, 1};
        break;
      case Op::kRequestReturn:
        cmd.kind = CommandKind::kRequestReturn;
        cmd.payload.text = "不属于本单位管辖";
        break;
      case Op::kApproveReturn:
        cmd.kind = CommandKind::kApproveReturn;
        cmd.actor = kDispatcher;
        cmd.payload.unit = pc.second;
        cmd.payload.copy_to = {&district, 1};
        pc.lead = pc.second;
        break;
      case Op::kSign:
        cmd.kind = CommandKind::kSign;
        break;
      case Op::kContact:
        cmd.kind = CommandKind::kContactCitizen;
        cmd.payload.text = "已电话联系来电人";
        break;
      case Op::kAddCoHandler:
        cmd.kind = CommandKind::kAddCoHandlers;
        cmd.payload.units = {&pc.co_handler, 1};
        break;
      case Op::kReportToLead:
        cmd.kind = CommandKind::kReportToLead;
        cmd.actor = unit_actor(pc.co_handler);
        cmd.payload.text = "已配合现场核查";
        break;
      case Op::kRequestExtension:
        cmd.kind = CommandKind::kRequestExtension;
        cmd.payload.until = s.time + 30 * kDayMs;
        cmd.payload.text = "需协调产权单位";
        break;
      case Op::kApproveExtension:
        cmd.kind = CommandKind::kApproveExtension;
        cmd.actor = kDispatcher;
        break;
      case Op::kReply:
        cmd.kind = CommandKind::kReply;
        cmd.payload.contacted = true;
        cmd.payload.solved = pc.solved;
        cmd.payload.text = "已联系来电人并现场处理";
        break;
      case Op::kVisitNotSatisfied:
      case Op::kVisitBasicallySatisfied:
      case Op::kVisitSatisfied:
        cmd.kind = CommandKind::kVisit;
        cmd.actor = kOperator;
        cmd.payload.valid_visit = true;
        cmd.payload.contacted = true;
        cmd.payload.solved = pc.solved && s.op != Op::kVisitNotSatisfied;
        cmd.payload.satisfaction = s.op == Op::kVisitNotSatisfied ? Satisfaction::kNotSatisfied
                                   : s.op == Op::kVisitSatisfied
                                       ? Satisfaction::kSatisfied
                                       : Satisfaction::kBasicallySatisfied;
        break;
      case Op::kRedo:
        cmd.kind = CommandKind::kRedo;
        cmd.actor = kOperator;
        break;
      case Op::kClose:
        cmd.kind = CommandKind::kClose;
        cmd.actor = kOperator;
        break;
    }
    if (absl::Status status = engine.apply(cmd); !status.ok()) {
      return absl::InternalError(absl::StrFormat("case %d, command %d: %s", s.case_index,
                                                 static_cast<int>(s.op), status.message()));
    }
  }
  return absl::OkStatus();
}

core::LogReader log_of(const core::Engine& engine) {
  return [&engine](const std::function<void(const core::Event&)>& visit) {
    return engine.for_each_logged(visit);
  };
}

// Kept for the whole run: both benchmarks and every repetition read the same
// engines (driving 1M cases takes half a minute).
const DrivenEngine& driven_engine(std::size_t n) {
  static std::map<std::size_t, DrivenEngine> cached;
  if (auto it = cached.find(n); it != cached.end()) return it->second;
  DrivenEngine& d = cached[n];
  d.cases = n;
  Clock::time_point t0 = Clock::now();
  d.engine = std::make_unique<core::Engine>();
  absl::Status s = d.engine->load_policy(core::Policy::beijing());
  if (s.ok()) s = drive(*d.engine, n);
  if (!s.ok()) {
    d.error = std::string(s.message());
    d.engine.reset();
    return d;
  }
  d.events = d.engine->event_count();
  d.setup_s = seconds_since(t0);
  // The recount must agree with the counters (tests/cpp/counters_test.cc
  // checks it; here it shows the driver made what it meant to).
  Period p = month(kReportMonth);
  absl::StatusOr<core::CounterTotals> counted = d.engine->counter_totals(p.from, p.until);
  absl::StatusOr<std::map<UnitId, UnitTally>> recounted = core::recount(log_of(*d.engine), p);
  if (!counted.ok() || !recounted.ok() || counted->units != *recounted) {
    d.error = "the recount and the counters disagree";
    d.engine.reset();
    return d;
  }
  d.units_in_month = recounted->size();
  std::fprintf(stderr, "drove %zu cases (%llu events) in %.1f s\n", n,
               static_cast<unsigned long long>(d.events), d.setup_s);
  return d;
}

// Arg: cases in the log.
void BM_MonthlyReportRecompute(benchmark::State& state) {
  const DrivenEngine& d = driven_engine(static_cast<std::size_t>(state.range(0)));
  if (!d.engine) {
    state.SkipWithError(d.error.c_str());
    return;
  }
  std::shared_ptr<const core::Policy> policy = core::Policy::beijing();
  std::vector<core::UnitClass> classes = unit_classes(*policy);
  Period p = month(kReportMonth);
  Clock::time_point t0 = Clock::now();
  for (auto _ : state) {
    absl::StatusOr<std::map<UnitId, UnitTally>> tallies = core::recount(log_of(*d.engine), p);
    if (!tallies.ok()) {
      state.SkipWithError(std::string(tallies.status().message()).c_str());
      return;
    }
    std::vector<core::UnitScore> now = core::scores(*tallies);
    std::vector<std::vector<core::Ranked>> rankings;
    for (core::UnitClass k : classes) rankings.push_back(core::rank(now, {}, *policy, k));
    benchmark::DoNotOptimize(rankings);
  }
  const double per_report_s = seconds_since(t0) / static_cast<double>(state.iterations());
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(d.events));
  state.counters["cases"] = static_cast<double>(d.cases);
  state.counters["events"] = static_cast<double>(d.events);
  state.counters["units_in_month"] = static_cast<double>(d.units_in_month);
  // The recount reads every event of every case, so its time grows with the log.
  state.counters["extrapolated_30M_s"] =
      per_report_s * static_cast<double>(kStoreCases) / static_cast<double>(d.cases);
  state.counters["setup_s"] = d.setup_s;
}
BENCHMARK(BM_MonthlyReportRecompute)
    ->ArgName("cases")
    ->Arg(100'000)
    ->Arg(1'000'000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// The same month from the engine's own counters (in memory), for comparison.
void BM_MonthlyReportEngineCounters(benchmark::State& state) {
  const DrivenEngine& d = driven_engine(static_cast<std::size_t>(state.range(0)));
  if (!d.engine) {
    state.SkipWithError(d.error.c_str());
    return;
  }
  std::shared_ptr<const core::Policy> policy = core::Policy::beijing();
  std::vector<core::UnitClass> classes = unit_classes(*policy);
  Period p = month(kReportMonth);
  for (auto _ : state) {
    absl::StatusOr<core::CounterTotals> totals = d.engine->counter_totals(p.from, p.until);
    if (!totals.ok()) {
      state.SkipWithError(std::string(totals.status().message()).c_str());
      return;
    }
    MonthlyReport r = make_report(*totals, *policy, classes);
    benchmark::DoNotOptimize(r);
  }
  state.counters["cases"] = static_cast<double>(d.cases);
  state.counters["events"] = static_cast<double>(d.events);
}
BENCHMARK(BM_MonthlyReportEngineCounters)
    ->ArgName("cases")
    ->Arg(100'000)
    ->Arg(1'000'000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// ------------------------------------------- BM_ClusterWeek: request groups

// A week of one district's requests: the labelled set of
// tests/cpp/report/group_corpus.h at 17,000 requests (matters over several
// streets and categories, worded 5 ways, look-alikes, everyday requests).
// Besides the speed, the pairwise precision and recall against the labels.
void BM_ClusterWeek(benchmark::State& state) {
  const testing::GroupCorpus corpus = testing::make_group_corpus(17'000, 1);
  const std::vector<core::GroupInput> requests = testing::group_inputs(corpus);
  std::vector<core::RequestGroup> groups;
  for (auto _ : state) {
    groups = core::find_groups(requests);
    benchmark::DoNotOptimize(groups);
  }
  const testing::PairwiseScore score = testing::score_groups(corpus, groups, 10);
  std::size_t matters = 0;
  for (std::size_t size : corpus.matter_sizes) matters += size >= 10;
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(requests.size()));
  state.counters["requests"] = static_cast<double>(requests.size());
  state.counters["matters"] = static_cast<double>(matters);
  state.counters["groups"] = static_cast<double>(groups.size());
  state.counters["precision"] = score.precision;
  state.counters["recall"] = score.recall;
}
BENCHMARK(BM_ClusterWeek)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace jszb::bench

BENCHMARK_MAIN();
