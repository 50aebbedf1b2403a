// The drill-down: the orders behind each figure of a unit's row. On a March
// with two streets and every kind of outcome, each list holds the right orders
// and is as long as the figure the counters and the report give; after random
// command sequences (in memory and in a durable store, across batches and
// reopening) every list of every unit is as long as its figure; bad input is
// refused with a message that names it.
#include "report/drill_down.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <ostream>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "engine/scoring_fixture.h"
#include "fixture.h"
#include "google/protobuf/text_format.h"
#include "random_walk.h"
#include "report/report.h"
#include "report/report_render.h"
#include "store_fixture.h"

namespace jszb::core {
// For gtest's messages: "case 12 @2024-03-14 10:00".
void PrintTo(const UnitOrder& o, std::ostream* out) {
  *out << "case " << o.case_id << " @" << testing::show(o.time);
}
}  // namespace jszb::core

namespace jszb::testing {
namespace {

using core::Figure;
using core::Period;
using core::UnitOrder;
using core::UnitTally;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr UnitId kA = kStreet;   // 和平街街道
constexpr UnitId kB = kStreet2;  // 望京街道

std::vector<Figure> all_figures() {
  std::vector<Figure> out;
  for (int f = core::kFigureFirst; f <= core::kFigureLast; ++f) out.push_back(Figure(f));
  return out;
}

std::map<Figure, std::vector<UnitOrder>> drilled(const Engine& e, UnitId unit, Period p) {
  absl::StatusOr<std::map<Figure, std::vector<UnitOrder>>> d = core::drill_down(log_of(e), unit, p);
  EXPECT_TRUE(d.ok()) << d.status();
  return d.ok() ? *d : std::map<Figure, std::vector<UnitOrder>>{};
}

// The case ids of a list, as a set.
std::set<CaseId> ids_of(const std::vector<UnitOrder>& orders) {
  std::set<CaseId> out;
  for (const UnitOrder& o : orders) out.insert(o.case_id);
  return out;
}

// Every list of every unit counted in `p` is as long as the figure `tallies`
// give it (the counters, or a recount), and sorted. Returns the lists'
// lengths summed over the units.
std::map<Figure, std::int64_t> expect_lengths_equal(const Engine& e,
                                                    const std::map<UnitId, UnitTally>& tallies,
                                                    Period p) {
  std::map<Figure, std::int64_t> total;
  for (const auto& [unit, tally] : tallies) {
    std::map<Figure, std::vector<UnitOrder>> lists = drilled(e, unit, p);
    for (Figure f : all_figures()) {
      const std::vector<UnitOrder>& list = lists[f];
      total[f] += static_cast<std::int64_t>(list.size());
      EXPECT_TRUE(std::is_sorted(list.begin(), list.end())) << core::name(f);
      if (std::optional<std::int64_t> n = core::figure_of(tally, f)) {
        EXPECT_EQ(static_cast<std::int64_t>(list.size()), *n)
            << "unit " << unit << ", " << core::name(f) << ", period from " << show(p.from);
      }
    }
  }
  return total;
}

// A request of its own (ref), dispatched to `lead` at t, signed 10 minutes and
// the citizen contacted 20 minutes later.
CaseId in_hand_by(Engine& e, UnitId lead, TimeMs t, const std::string& ref) {
  CaseId id = submit_req(e, Req{}.named(ref).at(t));
  EXPECT_TRUE(dispatch_to(e, id, t, lead).ok());
  EXPECT_TRUE(sign(e, id, t + 10 * kMinute).ok());
  EXPECT_TRUE(contact(e, id, t + 20 * kMinute).ok());
  return id;
}

void step(Engine& e, CommandKind k, CaseId id, TimeMs t) {
  must(e, good_command(k, *e.find(id), t));
}

// March 2024 for two streets, A and B: one order of each kind of outcome.
struct March {
  Beijing b;
  TimeMs t = bj(2024, 3, 4, 10, 0);  // a Monday
  CaseId satisfied = 0, returned = 0, late = 0, expired = 0, appealed = 0, co_handled = 0,
         supervised = 0, held = 0, redone = 0;

  March() {
    Engine& e = b.e;
    // Replied the next day, visited satisfied, closed.
    satisfied = in_hand_by(e, kA, t, "satisfied");
    EXPECT_TRUE(reply(e, satisfied, t + kDay).ok());
    EXPECT_TRUE(visit(e, satisfied, t + 2 * kDay, true).ok());
    step(e, CommandKind::kClose, satisfied, t + 2 * kDay + kHour);
    // Not signed by A within the hour: returned to the centre; B then handles
    // it, basically satisfied.
    returned = submit_req(e, Req{}.named("returned").at(t));
    EXPECT_TRUE(dispatch_to(e, returned, t + 5 * kMinute, kA).ok());
    EXPECT_TRUE(e.advance(t + 2 * kHour).ok());
    EXPECT_TRUE(dispatch_to(e, returned, t + 2 * kHour, kB).ok());
    EXPECT_TRUE(sign(e, returned, t + 2 * kHour + 10 * kMinute).ok());
    EXPECT_TRUE(reply(e, returned, t + kDay).ok());
    EXPECT_TRUE(
        visit_with(e, returned, t + 2 * kDay, true, true, Satisfaction::kBasicallySatisfied).ok());
    // Replied after the deadline (11 March 10:00), visited not satisfied.
    late = in_hand_by(e, kA, t, "late");
    // Never replied: the engine's result on expiry (Art. 23).
    expired = in_hand_by(e, kA, t, "expired");
    // Visited not satisfied, closed, appealed by A and upheld: out of the rates.
    appealed = in_hand_by(e, kA, t, "appealed");
    EXPECT_TRUE(reply(e, appealed, t + kDay).ok());
    EXPECT_TRUE(visit(e, appealed, t + 2 * kDay, false).ok());
    step(e, CommandKind::kClose, appealed, t + 2 * kDay + kHour);
    step(e, CommandKind::kAppeal, appealed, t + 3 * kDay);
    step(e, CommandKind::kUpholdAppeal, appealed, t + 4 * kDay);
    // Led by A with B co-handling: the result counts for both.
    co_handled = submit_req(e, Req{}.named("co-handled").at(t));
    EXPECT_TRUE(dispatch_to(e, co_handled, t, kA, {kB}).ok());
    EXPECT_TRUE(sign(e, co_handled, t + 10 * kMinute).ok());
    step(e, CommandKind::kReportToLead, co_handled, t + kHour);
    EXPECT_TRUE(reply(e, co_handled, t + kDay).ok());
    EXPECT_TRUE(visit(e, co_handled, t + 2 * kDay, true).ok());
    // Supervised by hand (督办), then done.
    supervised = in_hand_by(e, kA, t, "supervised");
    step(e, CommandKind::kSupervise, supervised, t + kHour);
    EXPECT_TRUE(reply(e, supervised, t + kDay).ok());
    EXPECT_TRUE(visit(e, supervised, t + 2 * kDay, true).ok());
    // Visited not satisfied, then on the long-term pending list (out of the rates).
    held = in_hand_by(e, kA, t, "held");
    EXPECT_TRUE(reply(e, held, t + kDay).ok());
    EXPECT_TRUE(visit(e, held, t + 2 * kDay, false).ok());
    Command hold = cmd(CommandKind::kHoldLongTerm, held, t + 3 * kDay, centre());
    hold.payload.until = t + 90 * kDay;
    hold.payload.text = "需纳入明年老旧小区改造计划";
    must(e, hold);
    // Not satisfied, sent back to redo and re-dispatched to B (改派): A keeps
    // its result, B gets its own.
    redone = in_hand_by(e, kA, t, "redone");
    EXPECT_TRUE(reply(e, redone, t + kDay).ok());
    EXPECT_TRUE(visit(e, redone, t + 2 * kDay, false).ok());
    step(e, CommandKind::kRedo, redone, t + 2 * kDay + kHour);
    EXPECT_TRUE(dispatch_to(e, redone, t + 2 * kDay + 2 * kHour, kB).ok());
    EXPECT_TRUE(sign(e, redone, t + 2 * kDay + 2 * kHour + 10 * kMinute).ok());
    EXPECT_TRUE(reply(e, redone, t + 3 * kDay).ok());
    EXPECT_TRUE(visit(e, redone, t + 4 * kDay, true).ok());

    EXPECT_TRUE(e.advance(bj(2024, 3, 11, 12, 0)).ok());
    EXPECT_TRUE(reply(e, late, bj(2024, 3, 11, 12, 0)).ok());
    EXPECT_TRUE(visit(e, late, bj(2024, 3, 12, 10, 0), false).ok());
    EXPECT_TRUE(e.advance(bj(2024, 4, 4)).ok());  // `expired` expires on 14 March
  }
};

TEST(DrillDown, EachListHoldsTheOrdersBehindItsFigure) {
  March m;
  std::map<Figure, std::vector<UnitOrder>> a = drilled(m.b.e, kA, kMarch2024);
  using S = std::set<CaseId>;
  EXPECT_EQ(ids_of(a[Figure::kVisits]),
            S({m.satisfied, m.late, m.expired, m.co_handled, m.supervised, m.redone}));
  EXPECT_EQ(ids_of(a[Figure::kNotContacted]), S({m.expired}));
  EXPECT_EQ(ids_of(a[Figure::kNotSolved]), S({m.late, m.expired, m.redone}));
  EXPECT_EQ(ids_of(a[Figure::kNotSatisfied]), S({m.late, m.expired, m.redone}));
  EXPECT_THAT(a[Figure::kBasicallySatisfied], IsEmpty());
  EXPECT_EQ(ids_of(a[Figure::kSatisfied]), S({m.satisfied, m.co_handled, m.supervised}));
  EXPECT_EQ(ids_of(a[Figure::kLateSignFor]), S({m.returned}));
  EXPECT_EQ(ids_of(a[Figure::kLateReply]), S({m.late, m.expired}));
  EXPECT_THAT(a[Figure::kAppealed], ElementsAre(UnitOrder{m.appealed, m.t + 3 * kDay}));
  EXPECT_THAT(a[Figure::kLongTermHeld], ElementsAre(UnitOrder{m.held, m.t + 3 * kDay}));
  EXPECT_THAT(a[Figure::kResolutionOnly], IsEmpty());
  // Breaches: the unsigned order's sign-for, the late and the expired orders'
  // replies (and what escalated after them).
  std::set<CaseId> breached = ids_of(a[Figure::kBreached]);
  EXPECT_EQ(breached, S({m.returned, m.late, m.expired}));
  EXPECT_GT(a[Figure::kBreached].size(), breached.size()) << "a case breached more than once";
  EXPECT_EQ(ids_of(a[Figure::kSupervised]).count(m.supervised), 1u);
  EXPECT_EQ(ids_of(a[Figure::kDispatched]),
            S({m.satisfied, m.returned, m.late, m.expired, m.appealed, m.co_handled, m.supervised,
               m.held, m.redone}));
  EXPECT_EQ(ids_of(a[Figure::kClosed]), S({m.satisfied, m.appealed}));
  // The times: a visit counts when it was made, the expired order when it expired.
  EXPECT_THAT(a[Figure::kNotContacted], ElementsAre(UnitOrder{m.expired, bj(2024, 3, 14, 10, 0)}));
  EXPECT_THAT(a[Figure::kLateReply], ElementsAre(UnitOrder{m.late, bj(2024, 3, 11, 12, 0)},
                                                 UnitOrder{m.expired, bj(2024, 3, 14, 10, 0)}));

  std::map<Figure, std::vector<UnitOrder>> b = drilled(m.b.e, kB, kMarch2024);
  EXPECT_EQ(ids_of(b[Figure::kVisits]), S({m.returned, m.co_handled, m.redone}));
  EXPECT_EQ(ids_of(b[Figure::kBasicallySatisfied]), S({m.returned}));
  EXPECT_EQ(ids_of(b[Figure::kSatisfied]), S({m.co_handled, m.redone}));
  EXPECT_EQ(ids_of(b[Figure::kDispatched]), S({m.returned, m.redone}));
  EXPECT_THAT(b[Figure::kNotSolved], IsEmpty());
  EXPECT_THAT(b[Figure::kAppealed], IsEmpty());
}

TEST(DrillDown, EachListIsAsLongAsTheFigureOfTheCountersAndTheReport) {
  March m;
  absl::StatusOr<core::CounterTotals> kept =
      m.b.e.counter_totals(kMarch2024.from, kMarch2024.until);
  ASSERT_TRUE(kept.ok()) << kept.status();
  ASSERT_TRUE(kept->units.count(kA) && kept->units.count(kB));
  expect_lengths_equal(m.b.e, kept->units, kMarch2024);

  // The report's unit rows, for the figures a row shows.
  core::ReportOptions o;
  o.from = kMarch2024.from;
  o.until = kMarch2024.until;
  absl::StatusOr<v1::Report> r = core::build_report(m.b.e, o);
  ASSERT_TRUE(r.ok()) << r.status();
  int rows = 0;
  for (const v1::UnitRow& row : r->units()) {
    if (row.unit() != kA && row.unit() != kB) continue;
    ++rows;
    std::map<Figure, std::vector<UnitOrder>> lists = drilled(m.b.e, row.unit(), kMarch2024);
    auto n = [&](Figure f) { return static_cast<std::int64_t>(lists[f].size()); };
    EXPECT_EQ(n(Figure::kVisits), row.visits());
    EXPECT_EQ(n(Figure::kBreached), row.breached());
    EXPECT_EQ(n(Figure::kSupervised), row.supervised());
    EXPECT_EQ(n(Figure::kDispatched), row.dispatched());
    EXPECT_EQ(n(Figure::kClosed), row.closed());
    EXPECT_EQ(n(Figure::kLongTermHeld), row.long_term_held());
    EXPECT_EQ(n(Figure::kResolutionOnly), row.resolution_only_visits());
    EXPECT_EQ(n(Figure::kLateSignFor),
              std::llround(row.sign_outcomes() * (1 - row.sign_on_time_rate())));
    EXPECT_EQ(n(Figure::kLateReply),
              std::llround(row.replies() * (1 - row.completion_on_time_rate())));
    EXPECT_EQ(n(Figure::kNotContacted), std::llround((row.visits() - row.resolution_only_visits()) *
                                                     (1 - row.response_rate())));
    EXPECT_EQ(n(Figure::kNotSolved), std::llround(row.visits() * (1 - row.resolution_rate())));
  }
  EXPECT_EQ(rows, 2);
}

// A report asked for with its orders carries every row's lists, each as long
// as its figure, and its page links each unit's row to them (issue 11 item 5).
TEST(DrillDown, AReportWithItsOrdersListsEachRowsFiguresAndThePageLinksThem) {
  March m;
  core::ReportOptions o;
  o.from = kMarch2024.from;
  o.until = kMarch2024.until;
  absl::StatusOr<v1::Report> plain = core::build_report(m.b.e, o);
  ASSERT_TRUE(plain.ok()) << plain.status();
  EXPECT_EQ(plain->unit_orders_size(), 0) << "orders only when asked for";
  o.with_orders = true;
  absl::StatusOr<v1::Report> r = core::build_report(m.b.e, o);
  ASSERT_TRUE(r.ok()) << r.status();
  std::map<std::pair<UnitId, std::string>, const v1::FigureOrders*> lists;
  for (const v1::FigureOrders& f : r->unit_orders()) {
    EXPECT_EQ(f.cases_size(), f.count()) << f.unit() << " " << f.figure();
    EXPECT_TRUE(std::is_sorted(f.cases().begin(), f.cases().end()));
    lists[{f.unit(), f.figure()}] = &f;
  }
  // Every row, every figure but the appeals (no row shows them).
  EXPECT_EQ(r->unit_orders_size(), r->units_size() * (core::kFigureLast - core::kFigureFirst));
  for (const v1::UnitRow& row : r->units()) {
    auto n = [&](const char* figure) {
      auto it = lists.find({row.unit(), figure});
      return it == lists.end() ? -1 : it->second->cases_size();
    };
    EXPECT_EQ(n("visits"), row.visits());
    EXPECT_EQ(n("breached"), row.breached());
    EXPECT_EQ(n("dispatched"), row.dispatched());
    EXPECT_EQ(n("closed"), row.closed());
    EXPECT_EQ(n("supervised"), row.supervised());
    EXPECT_EQ(n("long_term_held"), row.long_term_held());
    EXPECT_EQ(n("not_solved"), std::llround(row.visits() * (1 - row.resolution_rate())));
  }
  // The same orders as the drill-down of one unit.
  std::map<Figure, std::vector<UnitOrder>> a = drilled(m.b.e, kA, kMarch2024);
  const v1::FigureOrders* not_solved = lists.at({kA, "not_solved"});
  std::vector<CaseId> want;
  for (const UnitOrder& x : a[Figure::kNotSolved]) want.push_back(x.case_id);
  EXPECT_EQ(std::vector<CaseId>(not_solved->cases().begin(), not_solved->cases().end()), want);

  // The page: a unit's row links to its lists, and each list on the page is as
  // long as its figure.
  std::string html = core::report_html(*r);
  EXPECT_THAT(html, HasSubstr(absl::StrCat("href=\"#u", kA, "-not_solved\"")));
  EXPECT_THAT(html, HasSubstr(absl::StrCat("<p class=unit id=u", kA, ">")));
  std::regex cell(R"re(data-unit=(\d+) data-figure=(\w+) data-count=(\d+)>([\d ]*)<)re");
  int cells = 0;
  for (std::sregex_iterator it(html.begin(), html.end(), cell), stop; it != stop; ++it, ++cells) {
    std::string ids = (*it)[4];
    std::int64_t listed = ids.empty() ? 0 : std::count(ids.begin(), ids.end(), ' ') + 1;
    EXPECT_EQ(listed, std::stoll((*it)[3])) << (*it)[1] << " " << (*it)[2];
    EXPECT_EQ(listed, lists.at({static_cast<UnitId>(std::stoul((*it)[1])), (*it)[2]})->count());
  }
  EXPECT_GE(cells, 8);  // the figures that cost A and B: not solved, late reply, breached ...
}

TEST(DrillDown, APeriodOffTheHalfDayEdgesIsRecountedTheSameWay) {
  March m;
  // From the afternoon of 6 March to the morning of 12 March: some visits in,
  // the late order's visit (12 March 10:00) out by a minute.
  Period p{bj(2024, 3, 6, 9, 30), bj(2024, 3, 12, 9, 59)};
  expect_lengths_equal(m.b.e, recounted(m.b.e, p), p);
  std::map<Figure, std::vector<UnitOrder>> a = drilled(m.b.e, kA, p);
  EXPECT_EQ(ids_of(a[Figure::kVisits]),
            std::set<CaseId>({m.satisfied, m.supervised, m.co_handled, m.redone}));
  EXPECT_EQ(ids_of(a[Figure::kLateReply]), std::set<CaseId>({m.late}));
  EXPECT_THAT(a[Figure::kLateSignFor], IsEmpty()) << "returned on 4 March, before the period";
}

TEST(DrillDown, AnArt23ResultCountedAsNotSolvedOnlyIsListedAsSuch) {
  v1::Policy msg = Policy::beijing()->message();
  msg.set_version(msg.version() + 100);
  msg.set_expiry_result(v1::EXPIRY_COUNTED_AS_NOT_SOLVED);
  std::string text;
  ASSERT_TRUE(google::protobuf::TextFormat::PrintToString(msg, &text));
  Beijing b(must_load(text, "beijing.textproto"));
  TimeMs t = bj(2024, 3, 4, 10, 0);
  CaseId expired = in_hand_by(b.e, kA, t, "expired");
  CaseId answered = in_hand_by(b.e, kA, t, "answered");
  ASSERT_TRUE(reply(b.e, answered, t + kDay).ok());
  ASSERT_TRUE(visit_with(b.e, answered, t + 2 * kDay, false, true, Satisfaction::kSatisfied).ok());
  ASSERT_TRUE(b.e.advance(bj(2024, 4, 4)).ok());
  std::map<Figure, std::vector<UnitOrder>> a = drilled(b.e, kA, kMarch2024);
  const UnitOrder at_expiry{expired, bj(2024, 3, 14, 10, 0)};
  EXPECT_THAT(a[Figure::kResolutionOnly], ElementsAre(at_expiry));
  EXPECT_THAT(a[Figure::kNotSolved], ElementsAre(at_expiry));
  EXPECT_THAT(a[Figure::kNotContacted], ElementsAre(UnitOrder{answered, t + 2 * kDay}))
      << "the Art. 23 result is not in the response rate";
  EXPECT_THAT(a[Figure::kNotSatisfied], IsEmpty());
  EXPECT_THAT(a[Figure::kLateReply], ElementsAre(at_expiry));
  absl::StatusOr<core::CounterTotals> kept = b.e.counter_totals(kMarch2024.from, kMarch2024.until);
  ASSERT_TRUE(kept.ok()) << kept.status();
  expect_lengths_equal(b.e, kept->units, kMarch2024);
}

TEST(DrillDown, BadInputIsRefusedAndNamed) {
  March m;
  const Engine& e = m.b.e;
  auto message = [](const absl::Status& s) { return std::string(s.message()); };
  absl::StatusOr<std::vector<UnitOrder>> r =
      core::unit_orders(e, kA, kMarch2024, static_cast<Figure>(99));
  ASSERT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(message(r.status()), HasSubstr("figure is 99"));
  r = core::unit_orders(e, kA, kMarch2024, static_cast<Figure>(0));
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  r = core::unit_orders(e, 0, kMarch2024, Figure::kVisits);
  ASSERT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(message(r.status()), HasSubstr("unit is 0"));
  r = core::unit_orders(e, 999, kMarch2024, Figure::kVisits);
  ASSERT_EQ(r.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(message(r.status()), HasSubstr("unit 999 is not a unit of the current policy"));
  r = core::unit_orders(e, kA, {kMarch2024.until, kMarch2024.from}, Figure::kVisits);
  ASSERT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(message(r.status()), HasSubstr("the period ends before it starts"));
  r = core::unit_orders(e, kA, {kMarch2024.from, kMarch2024.from}, Figure::kVisits);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  // The good call gives what drill_down gives.
  r = core::unit_orders(e, kA, kMarch2024, Figure::kLateReply);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->size(), 2u);
}

// After random command sequences: for every unit, some days, the assessment
// months and the whole span, each list is as long as the counters' figure; over
// the whole span every appeal in the log is listed for the unit that made it.
void expect_every_list_fits(const Engine& e, TimeMs until) {
  Period october = core::assessment_month(2021, 10);
  Period all{october.from - 30 * kDay, core::bucket_start(core::bucket_of(until) + 240)};
  std::vector<Period> periods = {all, october, core::assessment_month(2021, 11)};
  for (TimeMs d = october.from; d < until && periods.size() < 14; d += 2 * kDay) {
    periods.push_back({d + 12 * kHour, d + 36 * kHour});  // bulletin days
  }
  for (const Period& p : periods) {
    absl::StatusOr<core::CounterTotals> kept = e.counter_totals(p.from, p.until);
    ASSERT_TRUE(kept.ok()) << kept.status();
    std::map<Figure, std::int64_t> total = expect_lengths_equal(e, kept->units, p);
    if (p.from != all.from) continue;
    std::int64_t appeals = 0;
    ASSERT_TRUE(e.for_each_logged([&](const core::Event& ev) {
                   appeals += ev.type == EventType::kAppealed;
                 }).ok());
    EXPECT_EQ(total[Figure::kAppealed], appeals);
    // The walk reaches the figures that matter.
    for (Figure f :
         {Figure::kVisits, Figure::kNotContacted, Figure::kNotSolved, Figure::kLateSignFor,
          Figure::kLateReply, Figure::kBreached, Figure::kSupervised, Figure::kAppealed}) {
      EXPECT_GT(total[f], 0) << core::name(f);
    }
  }
}

TEST(DrillDown, AfterRandomCommandsEveryListIsAsLongAsItsFigure) {
  for (std::uint64_t seed : {3, 20211018}) {
    Engine e;
    ASSERT_TRUE(e.load_policy(Policy::beijing()).ok());
    Walk walk(seed);
    walk.run(e, 80, 1500);
    expect_every_list_fits(e, walk.clock());
  }
}

TEST(DrillDown, ADurableEngineListsFromItsStoresLogAcrossBatchesAndReopen) {
  ScratchDir dir;
  std::string path = dir.file("drilled.jszb");
  core::SqliteStoreOptions small;
  small.checkpoint_events = 41;
  Walk walk(11);
  {
    core::DurableEngine d = open_ok(path, small);
    ASSERT_TRUE(d.engine->load_policy(Policy::beijing()).ok());
    walk.run(*d.engine, 60, 1200, /*batches=*/true);
    expect_every_list_fits(*d.engine, walk.clock());
  }
  core::DurableEngine d = open_ok(path, small);
  expect_every_list_fits(*d.engine, walk.clock());
  walk.run(*d.engine, 20, 400, /*batches=*/true);
  expect_every_list_fits(*d.engine, walk.clock());
}

}  // namespace
}  // namespace jszb::testing
