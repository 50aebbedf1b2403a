#include "report.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>
#include <sstream>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "bulletin.h"
#include "text_table.h"

namespace demo {

namespace {

const char* state_zh(int s) {
  static const char* const kNames[] = {
      "",         "受理", "直接办结", "不予派单", "已派单", "退单审核", "办理中", "协办中",
      "延期审核", "挂起", "已反馈",   "已回访",   "终止",   "办结",     "已合并", "申诉中"};
  return s >= 0 && s <= JSZB_STATE_COUNT ? kNames[s] : "";
}
const char* kind_zh(int k) {
  static const char* const kNames[] = {"", "咨询", "求助", "投诉", "举报", "建议"};
  return k >= 0 && k <= 5 ? kNames[k] : "";
}
const char* channel_zh(int c) {
  static const char* const kNames[] = {
      "",           "12345热线",  "12345网站",        "微信小程序",
      "微信公众号", "北京通APP",  "人民网领导留言板", "国务院小程序",
      "政务微博",   "政务头条号", "并入热线(12315等)"};
  return c >= 0 && c <= 10 ? kNames[c] : "";
}
std::string name_or(const char* n, int v) { return n ? n : std::to_string(v); }
std::string num(long long n) { return std::to_string(n); }

bool is_final(int state) {
  return state == JSZB_STATE_ANSWERED_ON_SPOT || state == JSZB_STATE_NOT_DISPATCHED ||
         state == JSZB_STATE_TERMINATED || state == JSZB_STATE_CLOSED || state == JSZB_STATE_MERGED;
}
// The unit is still working on it (the reply is not given yet).
bool in_hand(int state) { return state >= JSZB_STATE_DISPATCHED && state <= JSZB_STATE_SUSPENDED; }
// Dispatching, the return visit and an appeal's review are the centre's; the
// other steps the lead unit's.
bool centre_step(int step) {
  return step == JSZB_STEP_DISPATCH || step == JSZB_STEP_RETURN_VISIT ||
         step == JSZB_STEP_APPEAL_REVIEW;
}

const char* step_name(int s) {
  static const char* const kNames[] = {
      "",      "dispatch",          "sign",         "first_contact",
      "reply", "co_handler_report", "return_visit", "appeal_review"};
  return s >= 1 && s <= JSZB_STEP_APPEAL_REVIEW ? kNames[s] : "?";
}
const char* step_zh(int s) {
  static const char* const kNames[] = {"",     "派单",     "签收", "首次联系",
                                       "反馈", "协办报到", "回访", "申诉审核"};
  return s >= 1 && s <= JSZB_STEP_APPEAL_REVIEW ? kNames[s] : "";
}

// What the engine holds about each case, read once for the week summary, with
// its running deadlines measured at the end of the period.
struct CaseFacts {
  jszb::CaseId id;
  std::string category;
  int channel;
  int kind;
  int state;
  jszb::UnitId lead;
  std::uint8_t running = 0;  // bit s: step s's deadline runs at the end
  std::uint8_t overdue = 0;  // bit s: ... and is overdue
};

std::vector<CaseFacts> read_cases(const jszb::Engine& engine, Ms end) {
  std::vector<CaseFacts> out;
  for (jszb::CaseId id : engine.list()) {
    jszb::CaseSnapshot snap = engine.get(id);
    const jszb_case_info& info = snap.info();
    const jszb_intake& in = *info.intake;
    CaseFacts f{
        id, in.category[0] ? in.category[0] : "", in.channel, in.kind, info.state, info.lead_unit};
    if (!is_final(info.state)) {
      for (const jszb_deadline_status& d : engine.deadlines(id, end)) {
        if (d.step < 1 || d.step > 6) continue;
        f.running |= static_cast<std::uint8_t>(1u << d.step);
        if (d.overdue) f.overdue |= static_cast<std::uint8_t>(1u << d.step);
      }
    }
    out.push_back(std::move(f));
  }
  return out;
}

constexpr std::uint8_t kUnitSteps = (1u << JSZB_STEP_SIGN) | (1u << JSZB_STEP_FIRST_CONTACT) |
                                    (1u << JSZB_STEP_REPLY) | (1u << JSZB_STEP_CO_HANDLER_REPORT);
constexpr std::uint8_t kCentreSteps =
    (1u << JSZB_STEP_DISPATCH) | (1u << JSZB_STEP_RETURN_VISIT) | (1u << JSZB_STEP_APPEAL_REVIEW);

std::string join(const std::vector<jszb::UnitId>& units, const Catalogue& cat) {
  std::string s;
  for (std::size_t k = 0; k < units.size(); ++k) s += (k ? "、" : "") + cat.unit_name(units[k]);
  return s;
}

bool given(const char* s) { return s != nullptr && *s != '\0'; }

std::string location(const jszb_intake& in) {
  std::string s;
  if (given(in.district)) s += in.district;
  if (given(in.street)) s += std::string(s.empty() ? "" : " ") + in.street;
  if (in.has_point) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "map pin %.5f, %.5f", in.lat, in.lon);
    s += std::string(s.empty() ? "" : " ") + buf;
  }
  if (!given(in.street) && !in.has_point) s += " (no street)";
  return s;
}

std::string route_outcome(const jszb::Route& r, const Catalogue& cat) {
  switch (r.outcome) {
    case JSZB_ROUTE_NOT_DISPATCHED: {
      const char* reason = jszb_not_dispatched_reason_name(static_cast<int>(r.reason));
      return std::string("not dispatched 不予派单 (") + (reason ? reason : "?") + "): " + r.note;
    }
    case JSZB_ROUTE_DISTRICT_COORDINATES:
      return "the district coordinates 区级统筹: " + cat.unit_name(r.lead) + " (" + num(r.lead) +
             ")";
    default: {
      std::string s = "dispatch to " + cat.unit_name(r.lead) + " (" + num(r.lead) + ")";
      if (!r.copy_to.empty()) s += ", copied to " + join(r.copy_to, cat);
      if (!r.co_handlers.empty()) s += ", co-handlers " + join(r.co_handlers, cat);
      return s;
    }
  }
}

// Routing explained: the engine's decision on one case, the rule behind it and
// why some others did not decide.
void explain(std::ostream& out, const jszb::Engine& engine, const Catalogue& cat, int n,
             const char* title, jszb::CaseId id) {
  jszb::CaseSnapshot snap = engine.get(id);
  const jszb_intake& in = *snap.info().intake;
  jszb::Route r = engine.route(id);
  // The wrapper's Route has no street_from_point: ask the C ABI for it.
  int from_point = 0;
  jszb_routing* raw = nullptr;
  if (jszb_engine_route(engine.handle(), id, &raw) == JSZB_OK) {
    from_point = jszb_routing_decision(raw)->street_from_point;
  }
  jszb_routing_free(raw);

  out << "  " << n << ". " << title << " — case " << id << ", " << format_date_time(in.time_ms)
      << ", " << in.channel_ref << '\n';
  std::string path = in.category[0];
  for (int k = 1; k < 3; ++k) {
    if (given(in.category[k])) path += std::string("/") + in.category[k];
  }
  out << "     Request 诉求: " << path << " · " << location(in) << " · \"" << in.content << "\"\n";
  if (r.street != 0) {
    out << "     Found 定位: street " << cat.unit_name(r.street) << " (" << r.street << ")"
        << (from_point ? ", from the map pin" : ", by name") << ", district "
        << cat.unit_name(r.district) << '\n';
  } else if (r.district != 0) {
    out << "     Found 定位: district " << cat.unit_name(r.district) << ", street unknown\n";
  }
  const jszb::Route::Verdict* chosen = nullptr;
  for (const auto& v : r.verdicts) {
    if (v.chosen) chosen = &v;
  }
  out << "     Decision 派单: " << route_outcome(r, cat) << '\n' << "       rule " << r.rule;
  if (chosen != nullptr) out << " (priority " << chosen->priority << "): " << chosen->why;
  out << '\n';

  // A rule that matched but lost, the nearest higher rule that did not match,
  // and the first rule of all, as far as they are different.
  std::vector<const jszb::Route::Verdict*> shown;
  auto show = [&shown](const jszb::Route::Verdict* v) {
    if (v != nullptr && shown.size() < 3 &&
        std::find(shown.begin(), shown.end(), v) == shown.end()) {
      shown.push_back(v);
    }
  };
  const jszb::Route::Verdict* lost = nullptr;
  const jszb::Route::Verdict* nearest = nullptr;
  int chosen_priority = chosen != nullptr ? chosen->priority : 0;
  for (const auto& v : r.verdicts) {
    if (v.matched && !v.chosen && lost == nullptr) lost = &v;
    if (!v.matched && v.priority > chosen_priority) nearest = &v;
  }
  show(lost);
  show(nearest);
  for (const auto& v : r.verdicts) {
    if (!v.chosen) show(&v);
  }
  std::sort(shown.begin(), shown.end(), [&r](const auto* a, const auto* b) {
    return a - r.verdicts.data() < b - r.verdicts.data();  // the engine's order: by priority
  });
  const char* lead = "     Not applied 未采用: ";
  for (const auto* v : shown) {
    out << lead << v->rule << " (priority " << v->priority << "): " << v->why << '\n';
    lead = "                        ";
  }
  out << "       (" << r.verdicts.size() << " rules considered)\n";
}

void heading(std::ostream& out, const std::string& title) { out << '\n' << title << '\n'; }

// The catalogue's decisions by what the lead is: streets, departments,
// utilities, the district coordinating, or not dispatched. One rule's leads
// are all of one class (a unit, the request's street, the request's district).
void print_dispatch_classes(std::ostream& out, const Catalogue& cat, const Tally& tally) {
  enum Row { kStreets, kDepartments, kUtilities, kDistricts, kCoordinates, kNotDispatched, kRows };
  static const char* const kTitles[kRows] = {
      "streets 街乡 (copied to the district 抄送区)",
      "departments 部门",
      "utilities 公用企业 (water, power, gas, heating, drainage)",
      "districts 区政府",
      "district coordinates 区级统筹",
      "not dispatched 不予派单 (Art. 11)"};
  std::array<long long, kRows> n{};
  long long decisions = 0;
  for (const auto& [id, r] : tally.rules()) {
    Row row = kDepartments;
    if (r.outcome == JSZB_ROUTE_NOT_DISPATCHED) {
      row = kNotDispatched;
    } else if (r.outcome == JSZB_ROUTE_DISTRICT_COORDINATES) {
      row = kCoordinates;
    } else if (!r.leads.empty()) {
      UnitClass c = cat.unit_class(*r.leads.begin());
      row = c == UnitClass::kStreet       ? kStreets
            : c == UnitClass::kEnterprise ? kUtilities
            : c == UnitClass::kDistrict   ? kDistricts
                                          : kDepartments;
    }
    n[row] += r.decisions;
    decisions += r.decisions;
  }
  out << "  Dispatches by unit class 按承办单位类别 (the lead each decision names):\n";
  TextTable t;
  t.column("Lead 承办").column("Decisions", Align::kRight).column("Share", Align::kRight);
  for (int row = 0; row < kRows; ++row) {
    if (row == kDistricts && n[row] == 0) continue;  // no Beijing rule makes a district lead
    t.row({kTitles[row], num(n[row]), percent(n[row], decisions)});
  }
  t.print(out, "    ");
  out << "  Departments join orders as co-handlers when the lead blows the whistle (吹哨报到): "
      << tally.events(jszb::EventType::kCoHandlersAdded) << " times\n";
}

}  // namespace

// Streets ranked by the composite of the three rates, as the report ranks
// them (its unit rows; streets with too few visits are not ranked).
static void print_street_ranking(std::ostream& out, const CsvReport& report) {
  std::vector<std::size_t> streets;
  int unranked = 0;
  for (std::size_t i = 0; i < report.size("units"); ++i) {
    if (report.at("units", i, "class") != "street") continue;
    if (report.number("units", i, "rank") == 0) {
      ++unranked;
    } else {
      streets.push_back(i);
    }
  }
  std::sort(streets.begin(), streets.end(), [&report](std::size_t a, std::size_t b) {
    return report.number("units", a, "rank") < report.number("units", b, "rank");
  });
  if (streets.empty()) return;
  // The CSV's rates have 4 decimals: shown with all of them (2 as a percentage),
  // never rounded again, so they read as the page's.
  auto pct = [&report](std::size_t i, const char* column) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.2f%%", 100.0 * report.real("units", i, column));
    return std::string(buf);
  };
  std::vector<RankingRow> rows;
  for (std::size_t i : streets) {
    rows.push_back({report.at("units", i, "rank"), report.at("units", i, "name"),
                    report.at("units", i, "visits"), pct(i, "response_rate"),
                    pct(i, "resolution_rate"), pct(i, "satisfaction_rate"), pct(i, "composite")});
  }
  out << "  Streets ranked 街道三率排名 (" << streets.size() << " streets"
      << (unranked ? ", " + num(unranked) + " with too few visits not ranked" : "")
      << "; the report's ranking: visits that stand, composite 0.1·response + 0.5·resolution + "
         "0.4·satisfaction):\n";
  print_ranking(out, rows, 5);
}

// The report's headline, as the HTML page's box shows it, and its sections
// added up: the same report object as the page, so they cannot disagree.
static void print_headline(std::ostream& out, const CsvReport& report) {
  long long visits = 0, breached = 0;  // the district's own units, as the page sums them
  for (std::size_t i = 0; i < report.size("units"); ++i) {
    if (report.at("units", i, "outside") == "true") continue;
    visits += report.number("units", i, "visits");
    breached += report.number("units", i, "breached");
  }
  const long long received = report.number("report", 0, "received");
  heading(out,
          "The report 报告 (jszb_engine_report: the figures below and the HTML page are "
          "rendered from one report object)");
  out << "  Requests received 受理诉求 " << received << " (previous period 上期 "
      << (report.at("report", 0, "previous_empty") == "true"
              ? std::string("no data")
              : num(report.number("report", 0, "previous_received")))
      << "); valid visits 有效回访 " << visits << " and breaches 超期 " << breached
      << " (sums of the district's own unit rows); groups 群体诉求 " << report.size("groups")
      << "; rising problems 上升问题 " << report.size("rising") << "\n";
  auto sum = [&report](const char* section) {
    long long n = 0;
    for (std::size_t i = 0; i < report.size(section); ++i) n += report.number(section, i, "count");
    return n;
  };
  out << "  Sections add up to the requests received: channels " << sum("by_channel") << ", kinds "
      << sum("by_kind") << ", level-1 categories " << sum("by_category1") << ", districts "
      << sum("by_district") << "\n";
  out << "  Units' rows: " << report.size("units") << " units";
  int outside = 0;
  for (std::size_t i = 0; i < report.size("units"); ++i) {
    outside += report.at("units", i, "outside") == "true";
  }
  if (outside != 0) {
    out << ", " << outside << " of them of no district (utilities, city departments) that "
        << "handled the district's orders, counted city-wide";
  }
  out << "\n";
  // What the report counts, in its own words, wrapped.
  std::istringstream words(report.at("definitions", 0, "text"));
  std::string line = "  What it counts:";
  for (std::string word; words >> word;) {
    if (line.size() + 1 + word.size() > 96) {
      out << line << '\n';
      line = "   ";
    }
    line += ' ' + word;
  }
  out << line << '\n';
}

void print_week(std::ostream& out, const Workload& workload, const jszb::Engine& engine,
                const Tally& tally, const SimulationStats& stats, const CsvReport& report) {
  const Catalogue& cat = workload.catalogue();
  std::vector<CaseFacts> cases = read_cases(engine, workload.end());
  const long long total = static_cast<long long>(cases.size());

  out << "==================================================================\n"
      << (workload.days() == 7 ? " 周汇总 Weekly summary: " : " 汇总 Summary: ")
      << cat.district_name() << ", " << format_date_time(workload.start()) << " to "
      << format_date_time(workload.end()) << " (UTC+8)\n"
      << " seed " << workload.seed() << ", " << workload.days()
      << " days, midnight to midnight (the daily bulletins run noon to noon)\n"
      << "==================================================================\n";

  print_headline(out, report);

  // ---- by level-1 category: the report's, with the orders dispatched from the engine's cases
  {
    std::map<std::string, int> dispatched;
    for (const CaseFacts& c : cases) {
      if (c.lead != 0) ++dispatched[c.category];
    }
    heading(out, "Requests by category 按一级分类 (the report; dispatched: the engine's cases)");
    TextTable t;
    t.column("Category 一级分类")
        .column("Requests", Align::kRight)
        .column("Share", Align::kRight)
        .column("Dispatched 派单", Align::kRight);
    long long all = 0, all_dispatched = 0;
    const long long received = report.number("report", 0, "received");
    for (std::size_t i = 0; i < report.size("by_category1"); ++i) {
      std::string name = report.at("by_category1", i, "key");
      long long count = report.number("by_category1", i, "count");
      t.row({name, num(count), percent(count, received), num(dispatched[name])});
      all += count;
      all_dispatched += dispatched[name];
    }
    t.rule().row({"Total 合计", num(all), percent(all, received), num(all_dispatched)});
    t.print(out);
    if (all != received || received != total) {
      out << "  The report received " << received << ", the engine holds " << total
          << " cases of the period\n";
    }
  }

  // ---- by final state (engine: list_cases per state)
  {
    auto states = states_now(engine);
    heading(out,
            "Cases by state at " + format_date_time(workload.end()) + " 状态 (from the engine)");
    TextTable t;
    t.column("State").column("状态").column("Cases", Align::kRight).column("Share", Align::kRight);
    long long sum = 0;
    for (int s = 1; s <= JSZB_STATE_COUNT; ++s) {
      long long n = states[static_cast<std::size_t>(s)];
      sum += n;
      if (n == 0) continue;
      t.row({name_or(jszb_state_name(s), s), state_zh(s), num(n), percent(n, total)});
    }
    t.rule().row({"Total", "合计", num(sum), percent(sum, total)});
    t.print(out);
  }

  // ---- by channel and by kind: the report's
  {
    const long long received = report.number("report", 0, "received");
    auto code_of = [](const char* (*name_of)(int), const std::string& key) {
      for (int c = 1; c <= 16; ++c) {
        const char* n = name_of(c);
        if (n != nullptr && key == n) return c;
      }
      return 0;
    };
    heading(out, "Requests by channel 按渠道 (the report)");
    TextTable t;
    t.column("Channel")
        .column("渠道")
        .column("Requests", Align::kRight)
        .column("Share", Align::kRight);
    for (std::size_t i = 0; i < report.size("by_channel"); ++i) {
      std::string key = report.at("by_channel", i, "key");
      long long n = report.number("by_channel", i, "count");
      t.row({key, channel_zh(code_of(jszb_channel_name, key)), num(n), percent(n, received)});
    }
    t.print(out);

    heading(out, "Requests by kind 按诉求类型 (the report)");
    TextTable k;
    k.column("Kind")
        .column("类型")
        .column("Requests", Align::kRight)
        .column("Share", Align::kRight);
    for (std::size_t i = 0; i < report.size("by_kind"); ++i) {
      std::string key = report.at("by_kind", i, "key");
      long long n = report.number("by_kind", i, "count");
      k.row({key, kind_zh(code_of(jszb_kind_name, key)), num(n), percent(n, received)});
    }
    k.print(out);
  }

  // ---- routing: the policy's dispatch catalogue (the Tally listener)
  {
    std::vector<std::pair<std::string, const RuleTally*>> rules;
    long long decisions = 0;
    long long redispatches = 0;
    for (const auto& [id, r] : tally.rules()) {
      rules.emplace_back(id, &r);
      decisions += r.decisions;
      redispatches += r.redispatches;
    }
    std::sort(rules.begin(), rules.end(), [](const auto& a, const auto& b) {
      return a.second->decisions != b.second->decisions ? a.second->decisions > b.second->decisions
                                                        : a.first < b.first;
    });
    int where[3] = {0, 0, 0};
    for (std::size_t i = 0; i < workload.size(); ++i) {
      ++where[static_cast<int>(workload.arrival(i).where)];
    }
    heading(out, "Routing by the dispatch catalogue 派单目录 (Engine::dispatch_routed) — " +
                     num(decisions) + " decisions, " + num(redispatches) +
                     " of them re-dispatches after an automatic return");
    out << "  Requests give district and street " << where[0] << ", only the district " << where[1]
        << ", only a map pin " << where[2] << " (位置: 区+街乡 / 仅区 / 仅定位)\n";
    print_dispatch_classes(out, cat, tally);
    out << "  By rule 按规则:\n";
    TextTable t;
    t.column("Rule 规则")
        .column("Outcome 结果")
        .column("Decisions", Align::kRight)
        .column("Share", Align::kRight)
        .column("Again 再派", Align::kRight);
    for (const auto& [id, r] : rules) {
      std::string outcome;
      if (r->outcome == JSZB_ROUTE_NOT_DISPATCHED) {
        const char* reason = jszb_not_dispatched_reason_name(r->reason);
        outcome = std::string("not dispatched 不予派单: ") + (reason ? reason : "?");
      } else if (r->outcome == JSZB_ROUTE_DISTRICT_COORDINATES) {
        outcome = "district coordinates 区级统筹: " + cat.unit_name(*r->leads.begin());
      } else if (r->leads.size() == 1) {
        outcome = "dispatch 派单: " + cat.unit_name(*r->leads.begin());
      } else {
        bool streets = std::all_of(r->leads.begin(), r->leads.end(), [&cat](jszb::UnitId u) {
          return cat.unit_class(u) == UnitClass::kStreet;
        });
        outcome = std::string("dispatch 派单: ") + (streets ? "the request's street, " : "") +
                  num(static_cast<long long>(r->leads.size())) + " units";
      }
      t.row(
          {id, outcome, num(r->decisions), percent(r->decisions, decisions), num(r->redispatches)});
    }
    t.print(out, "    ");
  }

  // ---- routing explained: Engine::route on a few cases
  {
    heading(out,
            "Routing explained 派单说明 (Engine::route: the decision, its rule, rules that "
            "did not decide)");
    using Fits = bool (*)(const std::string& rule, const jszb_intake& in);
    struct Wanted {
      const char* title;
      Fits fits;
      jszb::CaseId found;
    };
    std::vector<Wanted> wanted = {
        {"A department by category 按类别派部门",
         [](const std::string& rule, const jszb_intake&) {
           return !(rule == "street-first" || rule == "district-coordinates" ||
                    rule == "emergency" || rule == "legal-channel" ||
                    rule.rfind("utility-", 0) == 0);
         },
         0},
        {"A map pin only: the street from the point 仅有定位",
         [](const std::string& rule, const jszb_intake& in) {
           return rule == "street-first" && in.has_point && !given(in.street);
         },
         0},
        {"Only the district known 仅知所在区",
         [](const std::string& rule, const jszb_intake&) { return rule == "district-coordinates"; },
         0},
        {"An emergency 紧急情况",
         [](const std::string& rule, const jszb_intake&) { return rule == "emergency"; }, 0},
    };
    std::size_t left = wanted.size();
    for (const CaseFacts& c : cases) {
      if (left == 0) break;
      const std::string* rule = tally.first_rule(c.id);
      if (rule == nullptr) continue;
      jszb::CaseSnapshot snap = engine.get(c.id);
      for (Wanted& w : wanted) {
        if (w.found == 0 && w.fits(*rule, *snap.info().intake)) {
          w.found = c.id;
          --left;
          break;
        }
      }
    }
    int n = 0;
    for (const Wanted& w : wanted) {
      if (w.found != 0) explain(out, engine, cat, ++n, w.title, w.found);
    }
  }

  // ---- units: orders and the policy's clocks (Tally listener; overdue from Engine::deadlines)
  {
    std::map<jszb::UnitId, int> open;
    std::map<jszb::UnitId, int> overdue;
    for (const CaseFacts& c : cases) {
      if (c.lead != 0 && in_hand(c.state)) ++open[c.lead];
      if (c.overdue & kUnitSteps) ++overdue[c.lead != 0 ? c.lead : kCentre];
      if (c.overdue & kCentreSteps) ++overdue[kCentre];
    }
    std::vector<std::pair<jszb::UnitId, const UnitTally*>> units;
    UnitTally all;
    int all_open = 0;
    int all_overdue = 0;
    for (const auto& [code, u] : tally.units()) {
      if (code == kCentre) continue;
      units.emplace_back(code, &u);
      all.orders += u.orders;
      all.clocks.warnings += u.clocks.warnings;
      all.clocks.breaches += u.clocks.breaches;
      all.clocks.supervised_district += u.clocks.supervised_district;
      all.clocks.supervised_city += u.clocks.supervised_city;
      all.clocks.auto_returned += u.clocks.auto_returned;
      all_open += open[code];
      all_overdue += overdue[code];
    }
    std::sort(units.begin(), units.end(), [](const auto& a, const auto& b) {
      return a.second->orders != b.second->orders ? a.second->orders > b.second->orders
                                                  : a.first < b.first;
    });
    heading(out, "Units: orders and clocks 承办单位: 派单与时限 — top 15 of " +
                     num(static_cast<long long>(units.size())) + " units by orders, at " +
                     format_date_time(workload.end()));
    TextTable t;
    t.column("Rank", Align::kRight)
        .column("Code", Align::kRight)
        .column("Unit 单位")
        .column("Class")
        .column("Orders", Align::kRight)
        .column("Open", Align::kRight)
        .column("Overdue", Align::kRight)
        .column("Warnings", Align::kRight)
        .column("Breaches", Align::kRight)
        .column("Sup.dist", Align::kRight)
        .column("Sup.city", Align::kRight)
        .column("Returned", Align::kRight);
    auto cells = [](const UnitTally& u, int in_hand_now, int late) {
      return std::vector<std::string>{num(u.orders),
                                      num(in_hand_now),
                                      num(late),
                                      num(u.clocks.warnings),
                                      num(u.clocks.breaches),
                                      num(u.clocks.supervised_district),
                                      num(u.clocks.supervised_city),
                                      num(u.clocks.auto_returned)};
    };
    auto add = [&t](std::vector<std::string> head, std::vector<std::string> tail) {
      head.insert(head.end(), tail.begin(), tail.end());
      t.row(std::move(head));
    };
    for (std::size_t i = 0; i < units.size() && i < 15; ++i) {
      jszb::UnitId code = units[i].first;
      add({num(static_cast<long long>(i + 1)), num(code), cat.unit_name(code),
           unit_class_name(cat.unit_class(code))},
          cells(*units[i].second, open[code], overdue[code]));
    }
    t.rule();
    add({"", "", "All units 全部单位", ""}, cells(all, all_open, all_overdue));
    auto centre_it = tally.units().find(kCentre);
    std::vector<std::string> centre = cells(
        centre_it != tally.units().end() ? centre_it->second : UnitTally{}, 0, overdue[kCentre]);
    centre[0] = "";
    centre[1] = "";
    add({"", num(kCentre), cat.unit_name(kCentre), "centre"}, centre);
    t.print(out);
    std::vector<std::string> also;
    for (std::size_t i = 15; i < units.size(); ++i) {
      const ClockTally& k = units[i].second->clocks;
      int n = k.supervised_district + k.supervised_city;
      if (n != 0) also.push_back(cat.unit_name(units[i].first) + " " + num(n));
    }
    if (!also.empty()) print_wrapped(out, "  Also supervised by the ladder 另有升级督办: ", also);
    out << "  Orders: cases it was made the lead of. Open 在办: not replied yet. Overdue 逾期:\n"
           "  cases with a deadline of its own steps overdue at the end (Engine::deadlines).\n"
           "  Warnings 预警, Breaches 超时: deadline events of its steps (sign, first contact,\n"
           "  reply, co-handlers' reports). Sup.dist, Sup.city 区级/市级督办: the escalation\n"
           "  ladder. Returned 超时未签退回: orders the engine sent back to the centre.\n"
           "  The centre's row: dispatching and return visits.\n";
  }

  // ---- the clocks by step
  {
    std::array<int, kStepSlots> running{};
    std::array<int, kStepSlots> late{};
    for (const CaseFacts& c : cases) {
      for (int s = 1; s < kStepSlots; ++s) {
        if (c.running & (1u << s)) ++running[static_cast<std::size_t>(s)];
        if (c.overdue & (1u << s)) ++late[static_cast<std::size_t>(s)];
      }
    }
    heading(out,
            "Clocks by step 各环节时限 (the policy's deadlines; events from the engine's timers)");
    TextTable t;
    t.column("Step")
        .column("环节")
        .column("Owner")
        .column("Warnings", Align::kRight)
        .column("Breaches", Align::kRight)
        .column("Ladder", Align::kRight)
        .column("Running at end", Align::kRight)
        .column("Overdue at end", Align::kRight);
    StepTally sum;
    int sum_running = 0;
    int sum_late = 0;
    for (int s = 1; s < kStepSlots; ++s) {
      const StepTally& st = tally.step(s);
      auto k = static_cast<std::size_t>(s);
      t.row({step_name(s), step_zh(s), centre_step(s) ? "centre" : "lead unit", num(st.warnings),
             num(st.breaches), num(st.ladder), num(running[k]), num(late[k])});
      sum.warnings += st.warnings;
      sum.breaches += st.breaches;
      sum.ladder += st.ladder;
      sum_running += running[k];
      sum_late += late[k];
    }
    t.rule().row({"Total", "合计", "", num(sum.warnings), num(sum.breaches), num(sum.ladder),
                  num(sum_running), num(sum_late)});
    t.print(out);
  }

  // ---- process totals (the Tally listener)
  {
    auto ev = [&tally](jszb::EventType e) { return static_cast<long long>(tally.events(e)); };
    using E = jszb::EventType;
    const VisitTally& v = tally.visits();
    heading(out, "Process totals 流程统计");
    TextTable t;
    t.column("What").column("环节").column("Count", Align::kRight).column("Detail");
    t.row({"returns requested", "退单", num(ev(E::kReturnRequested)),
           "re-dispatched 改派 " + num(ev(E::kReturnApproved)) + ", refused 驳回 " +
               num(ev(E::kReturnRefused))});
    t.row({"extensions requested", "延期申请", num(ev(E::kExtensionRequested)),
           "approved 同意 " + num(ev(E::kExtensionApproved)) + ", refused 不同意 " +
               num(ev(E::kExtensionRefused))});
    t.row({"co-handlers added", "吹哨报到/加派", num(ev(E::kCoHandlersAdded)),
           "reports to lead 报到 " + num(ev(E::kReportedToLead))});
    t.row({"forwarded to communities", "转社区(居委会)", num(ev(E::kForwardedToCommunity)),
           "signed 签收 " + num(ev(E::kCommunitySigned)) + ", reported to the street 回复街道 " +
               num(ev(E::kCommunityReplied))});
    t.row({"supervised by the centre", "督办(留言板)", num(ev(E::kSupervised)),
           "leaders' message board 领导留言板 (district level)"});
    const ClockTally& k = tally.clocks();
    t.row({"deadline warnings", "时限预警", num(ev(E::kDeadlineWarning)), ""});
    t.row({"deadlines breached", "超时", num(ev(E::kDeadlineBreached)), ""});
    t.row(
        {"supervised by the ladder", "升级督办", num(k.supervised_district + k.supervised_city),
         "district 区级 " + num(k.supervised_district) + ", city 市级 " + num(k.supervised_city)});
    t.row({"returned unsigned", "超时未签退回", num(ev(E::kAutoReturned)),
           "dispatched again by the centre 重新派单 " + num(stats.redispatches)});
    t.row({"suspended", "挂起", num(ev(E::kSuspended)), "resumed 恢复 " + num(ev(E::kResumed))});
    t.row({"replies", "反馈", num(ev(E::kReplied)), ""});
    t.row({"return visits", "回访", num(ev(E::kVisited)),
           "valid 有效 " + num(v.valid) + ", no valid visit 无效 " + num(v.no_valid_visit)});
    t.row({"unsatisfied visits", "不满意", num(v.satisfaction[JSZB_NOT_SATISFIED]),
           "basically satisfied 基本满意 " + num(v.satisfaction[JSZB_BASICALLY_SATISFIED]) +
               ", satisfied 满意 " + num(v.satisfaction[JSZB_SATISFIED])});
    t.row({"unsolved visits", "未解决", num(v.valid - v.solved), ""});
    t.row({"redos", "重办", num(ev(E::kRedoOrdered)), ""});
    t.row({"terminated", "终止", num(ev(E::kTerminated)), ""});
    t.print(out);

    out << "  Return visits above are events: a later visit (after a redo) replaces an earlier\n"
           "  one in the rates, which count the visits that stand (the report's, below).\n";
    // The three rates over the units' valid visits that stand (the report's rows, pooled).
    double visits = 0, in_rate = 0, contacted = 0, solved = 0, satisfied = 0;
    for (std::size_t i = 0; i < report.size("units"); ++i) {
      double n = report.real("units", i, "visits");
      double answered = n - report.real("units", i, "resolution_only_visits");
      visits += n;
      in_rate += answered;
      contacted += answered * report.real("units", i, "response_rate");
      solved += n * report.real("units", i, "resolution_rate");
      satisfied += answered * report.real("units", i, "satisfaction_rate");
    }
    auto share = [](double part, double whole) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "%.1f%%", whole > 0 ? 100.0 * part / whole : 0.0);
      return std::string(buf);
    };
    out << "  Rates over the units' valid visits that stand 三率 (the report, "
        << static_cast<long long>(visits + 0.5) << " visits): response 响应率 "
        << share(contacted, in_rate) << ", resolution 解决率 " << share(solved, visits)
        << ", satisfaction 满意率 " << share(satisfied, in_rate) << '\n';
    print_street_ranking(out, report);
  }

  heading(out, "Engine 引擎");
  out << "  Requests submitted " << stats.submissions << ", commands applied " << stats.commands
      << " (routed dispatches " << stats.routed << "), events " << tally.event_count() << " ("
      << total << " cases)\n"
      << "  The engine's own moves: "
      << tally.events(jszb::EventType::kDeadlineWarning) +
             tally.events(jszb::EventType::kDeadlineBreached) +
             tally.events(jszb::EventType::kDeadlineEscalated)
      << " deadline events; " << stats.auto_returns << " orders returned unsigned, "
      << stats.redispatches << " dispatched again\n"
      << "  The scripts coped: went on after " << stats.scripts_moved
      << " re-dispatches, rewritten after " << stats.scripts_rewritten << " (another unit); "
      << stats.steps_waited << " steps waited for a re-dispatch; " << stats.refusals_moved_on
      << " commands refused because a case had moved on\n"
      << "  Cases still under way at the end " << stats.cases_unfinished << " ("
      << stats.steps_after_end << " scripted steps fall after " << format_date_time(workload.end())
      << "; " << stats.awaiting_redispatch << " orders wait to be dispatched again); "
      << engine.timers_pending() << " cases with an escalation pending\n";
  if (stats.carried_returns != 0) {
    out << "  Cases of earlier weeks (from the store, no script drives them): "
        << stats.carried_returns << " orders returned unsigned, waiting at the centre\n";
  }
  if (tally.first_auto_returned() != 0 || tally.first_supervised() != 0) {
    out << "  To follow one case: --case " << tally.first_auto_returned()
        << " (returned unsigned), --case " << tally.first_supervised()
        << " (supervised by the district)\n";
  }
}

void print_case(std::ostream& out, const Workload& workload, const jszb::Engine& engine,
                jszb::CaseId id) {
  const Catalogue& cat = workload.catalogue();
  heading(out, "Case " + num(static_cast<long long>(id)) + " 工单记录");
  jszb_case* raw = nullptr;
  if (jszb_engine_get_case(engine.handle(), id, &raw) != JSZB_OK) {
    out << "  no such case: " << jszb_error_last()->message << '\n';
    return;
  }
  jszb::CaseSnapshot snap(raw);
  const jszb_intake& in = *snap.info().intake;
  out << "  " << in.channel_ref << " · " << in.category[0];
  for (int k = 1; k < 3; ++k) {
    if (given(in.category[k])) out << '/' << in.category[k];
  }
  out << " · " << location(in) << "\n  \"" << in.content << "\"\n";
  TextTable t;
  t.column("#", Align::kRight)
      .column("Time")
      .column("Event")
      .column("Actor")
      .column("State")
      .column("Detail");
  for (std::size_t k = 0; k < snap.event_count(); ++k) {
    const jszb_event& e = snap.event(k);
    const jszb_payload& p = *e.payload;
    std::string actor = name_or(jszb_role_name(e.actor.role), e.actor.role);
    if (e.actor.role == JSZB_ROLE_UNIT) actor = cat.unit_name(e.actor.unit);
    std::string detail;
    auto more = [&detail](const std::string& s) { detail += (detail.empty() ? "" : ", ") + s; };
    if (e.type == JSZB_EVENT_DEADLINE_WARNING || e.type == JSZB_EVENT_DEADLINE_BREACHED ||
        e.type == JSZB_EVENT_DEADLINE_ESCALATED) {
      static const char* const kActions[] = {"", "notify", "district supervises 区级督办",
                                             "city supervises 市级督办",
                                             "back to the centre 退回中心"};
      more(std::string("step ") + step_name(p.step) + " " + step_zh(p.step));
      if (p.action >= 2 && p.action <= 4) more(kActions[p.action]);
    } else {
      if (p.unit != 0) more("unit " + cat.unit_name(p.unit));
      if (p.mode == JSZB_DISPATCH_DISTRICT_COORDINATES) more("district coordinates");
      if (p.copy_to_count != 0) {
        more("copy to " +
             join(std::vector<jszb::UnitId>(p.copy_to, p.copy_to + p.copy_to_count), cat));
      }
      if (p.units_count != 0) {
        more("units " + join(std::vector<jszb::UnitId>(p.units, p.units + p.units_count), cat));
      }
      if (p.reason != 0) more(name_or(jszb_not_dispatched_reason_name(p.reason), p.reason));
      if (given(p.rule)) more(std::string("rule ") + p.rule);
      if (e.type == JSZB_EVENT_VISITED && p.satisfaction != 0) {
        more(name_or(jszb_satisfaction_name(p.satisfaction), p.satisfaction));
      }
      if (given(p.text)) more(p.text);
    }
    t.row({num(e.seq), format_short(e.time_ms), name_or(jszb_event_type_name(e.type), e.type),
           actor, name_or(jszb_state_name(e.state), e.state), detail});
  }
  t.print(out);
  std::vector<std::string> running;
  for (const jszb_deadline_status& d : engine.deadlines(id, workload.end())) {
    running.push_back(std::string(step_name(d.step)) + " due " + format_short(d.due_ms) +
                      (d.overdue ? " (overdue)" : ""));
  }
  print_wrapped(out, "  Deadlines at " + format_date_time(workload.end()) + ": ",
                running.empty() ? std::vector<std::string>{"none running"} : running);
}

void print_groups(std::ostream& out, const Workload& workload, const CsvReport& report,
                  const Simulation& sim) {
  const auto& matters = workload.matters();
  // The generator's labels of its planted matters, to say which groups are them.
  std::unordered_map<jszb::CaseId, int> matter_of;
  std::vector<int> reports(matters.size(), 0);
  for (std::size_t i = 0; i < workload.size(); ++i) {
    int m = workload.arrival(i).matter;
    if (m < 0 || sim.case_of(i) == 0) continue;
    matter_of[sim.case_of(i)] = m;
    ++reports[static_cast<std::size_t>(m)];
  }
  const std::size_t groups = report.size("groups");
  heading(out,
          "Group requests reported 10+ times 反映10件以上的群体诉求 (the report's, found by the "
          "library; largest 20, as on the page)");
  TextTable t;
  t.column("Reports", Align::kRight)
      .column("Streets 街道")
      .column("Categories 分类")
      .column("One of them, in its own words 代表性诉求")
      .column("Planted matter (generator)");
  std::vector<int> best_share(matters.size(), 0);  // most of a matter's reports in one group
  for (std::size_t k = 0; k < groups; ++k) {
    std::map<int, int> by_matter;
    std::istringstream cases(report.at("groups", k, "cases"));
    long long size = 0;
    for (jszb::CaseId id; cases >> id; ++size) {
      auto it = matter_of.find(id);
      if (it != matter_of.end()) ++by_matter[it->second];
    }
    std::string planted;
    for (const auto& [m, n] : by_matter) {
      auto i = static_cast<std::size_t>(m);
      best_share[i] = std::max(best_share[i], n);
      if (2 * n >= size) planted = matters[i].label;
    }
    if (k >= 20) continue;
    // The streets and categories the group spans, as the report lists them
    // (most requests first): the first three, and how many in all.
    auto spans = [&](const char* column) {
      std::istringstream in(report.at("groups", k, column));
      std::string item, shown;
      int count = 0;
      while (std::getline(in, item, '|')) {
        if (++count <= 3) shown += (count > 1 ? "、" : "") + item;
      }
      return count > 3 ? shown + " 等" + std::to_string(count) + "个" : shown;
    };
    t.row({report.at("groups", k, "size"), spans("streets"), spans("categories"),
           report.at("groups", k, "text"), planted});
  }
  t.print(out);
  out << "  " << groups
      << " groups in all: requests at one place (the address recorded, the estate or\n"
         "  company named) told alike, across streets and categories. Planted matters of 10+\n"
         "  reports, and the most of their reports found in one group:\n";
  int found = 0, planted_matters = 0, reported = 0, grouped = 0;
  for (std::size_t m = 0; m < matters.size(); ++m) {
    if (reports[m] < 10) continue;
    out << "    " << matters[m].label << " (" << matters[m].street << "): " << reports[m]
        << " reports, " << best_share[m] << " in one group\n";
    ++planted_matters;
    found += 2 * best_share[m] > reports[m];
    reported += reports[m];
    grouped += best_share[m];
  }
  out << "  Found as one group each: " << found << " of " << planted_matters << " matters, "
      << grouped << " of their " << reported << " reports\n";
}

}  // namespace demo
