#include "report.h"

#include <algorithm>
#include <array>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "text_table.h"

namespace demo {

namespace {

const char* state_zh(int s) {
  static const char* const kNames[] = {"",     "受理", "直接办结", "不予派单", "已派单",
                                       "退单审核", "办理中", "协办中", "延期审核", "挂起",
                                       "已反馈", "已回访", "终止",   "办结",     "已合并"};
  return s >= 0 && s <= JSZB_STATE_COUNT ? kNames[s] : "";
}
const char* kind_zh(int k) {
  static const char* const kNames[] = {"", "咨询", "求助", "投诉", "举报", "建议"};
  return k >= 0 && k <= 5 ? kNames[k] : "";
}
const char* channel_zh(int c) {
  static const char* const kNames[] = {"",           "12345热线",    "12345网站",
                                       "微信小程序", "微信公众号",   "北京通APP",
                                       "人民网领导留言板", "国务院小程序", "政务微博",
                                       "政务头条号", "并入热线(12315等)"};
  return c >= 0 && c <= 10 ? kNames[c] : "";
}
std::string name_or(const char* n, int v) { return n ? n : std::to_string(v); }
std::string num(long long n) { return std::to_string(n); }

// (name, count) pairs, largest first, ties by name.
std::vector<std::pair<std::string, int>> ranked(const std::map<std::string, int>& m) {
  std::vector<std::pair<std::string, int>> v(m.begin(), m.end());
  std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  return v;
}

// Case counts by state, from the engine.
std::array<long long, JSZB_STATE_COUNT + 1> states_now(const jszb::Engine& engine) {
  std::array<long long, JSZB_STATE_COUNT + 1> n{};
  for (int s = 1; s <= JSZB_STATE_COUNT; ++s) {
    n[static_cast<std::size_t>(s)] =
        static_cast<long long>(engine.list(static_cast<jszb::State>(s)).size());
  }
  return n;
}

// Items joined with two spaces, wrapped before `width` columns.
void print_wrapped(std::ostream& out, const std::string& lead, const std::vector<std::string>& items,
                   int width = 110) {
  std::string line = lead;
  int indent = display_width(lead);
  int w = indent;
  bool first = true;
  for (const std::string& item : items) {
    int iw = display_width(item);
    if (!first && w + 2 + iw > width) {
      out << line << '\n';
      line = std::string(static_cast<std::size_t>(indent), ' ');
      w = indent;
      first = true;
    }
    if (!first) {
      line += "  ";
      w += 2;
    }
    line += item;
    w += iw;
    first = false;
  }
  out << line << '\n';
}

const char* day_note(const std::string& date) {
  static const std::pair<const char*, const char*> kNotes[] = {
      {"2021-09-19", "中秋节假期 Mid-Autumn holiday"},
      {"2021-09-20", "中秋节假期 Mid-Autumn holiday"},
      {"2021-09-21", "中秋节 Mid-Autumn Festival"},
      {"2021-09-24", "《北京市接诉即办工作条例》施行 the Regulation takes effect"},
      {"2021-09-26", "调休上班 make-up working day"},
  };
  for (const auto& n : kNotes) {
    if (date == n.first) return n.second;
  }
  return "";
}

// What the engine holds about each case, read once for the week summary.
struct CaseFacts {
  std::string category;
  int channel;
  int kind;
  int state;
  jszb::UnitId lead;
};

std::vector<CaseFacts> read_cases(const jszb::Engine& engine) {
  std::vector<CaseFacts> out;
  for (jszb::CaseId id : engine.list()) {
    jszb::CaseSnapshot snap = engine.get(id);
    const jszb_case_info& info = snap.info();
    const jszb_intake& in = *info.intake;
    out.push_back({in.category[0] ? in.category[0] : "", in.channel, in.kind, info.state,
                   info.lead_unit});
  }
  return out;
}

void heading(std::ostream& out, const std::string& title) { out << '\n' << title << '\n'; }

}  // namespace

void print_day(std::ostream& out, const Workload& workload, const jszb::Engine& engine,
               const Tally& tally, int day) {
  const DayTally& t = tally.day(day);
  Ms begin = workload.start() + day * kDay;
  std::string date = format_date(begin);
  out << "== 日报 Daily bulletin " << date << ' ' << weekday_en(begin) << ' ' << weekday_zh(begin);
  if (*day_note(date)) out << "  " << day_note(date);
  out << " ==\n";

  auto ev = [&t](jszb_event_type e) { return t.events[static_cast<std::size_t>(e)]; };
  print_wrapped(out, "  Received 受理 " + num(t.received) + " | today 当日: ",
                {"on the spot 直接办结 " + num(ev(JSZB_EVENT_ANSWERED_ON_SPOT)),
                 "not dispatched 不予派单 " + num(ev(JSZB_EVENT_NOT_DISPATCHED)),
                 "dispatched 派单 " + num(ev(JSZB_EVENT_DISPATCHED)),
                 "replied 反馈 " + num(ev(JSZB_EVENT_REPLIED)),
                 "visited 回访 " + num(ev(JSZB_EVENT_VISITED)),
                 "closed 办结 " + num(ev(JSZB_EVENT_CLOSED))});

  std::vector<std::string> top;
  for (const auto& [name, count] : ranked(t.by_category)) {
    if (top.size() == 6) break;
    top.push_back(name + " " + num(count));
  }
  print_wrapped(out, "  Top categories 主要类别: ", top);

  auto states = states_now(engine);
  std::vector<std::string> items;
  for (int s = 1; s <= JSZB_STATE_COUNT; ++s) {
    long long n = states[static_cast<std::size_t>(s)];
    if (n != 0) items.push_back(name_or(jszb_state_name(s), s) + " " + num(n));
  }
  print_wrapped(out, "  State at 24:00 状态: ", items);
  out << '\n';
}

void print_week(std::ostream& out, const Workload& workload, const jszb::Engine& engine,
                const Tally& tally, const SimulationStats& stats) {
  const Catalogue& cat = workload.catalogue();
  std::vector<CaseFacts> cases = read_cases(engine);
  const long long total = static_cast<long long>(cases.size());

  out << "==================================================================\n"
      << (workload.days() == 7 ? " 周汇总 Weekly summary: " : " 汇总 Summary: ") << cat.district_name() << ", "
      << format_date_time(workload.start()) << " to " << format_date_time(workload.end())
      << " (UTC+8)\n"
      << " seed " << workload.seed() << ", " << workload.days() << " days\n"
      << "==================================================================\n";

  // ---- by level-1 category
  {
    std::map<std::string, int> requests;
    std::map<std::string, int> dispatched;
    for (const CaseFacts& c : cases) {
      ++requests[c.category];
      if (c.lead != 0) ++dispatched[c.category];
    }
    heading(out, "Requests by category 按一级分类");
    TextTable t;
    t.column("Category 一级分类").column("Requests", Align::kRight).column("Share", Align::kRight)
        .column("Dispatched 派单", Align::kRight);
    long long all_dispatched = 0;
    for (const auto& [name, count] : ranked(requests)) {
      t.row({name, num(count), percent(count, total), num(dispatched[name])});
      all_dispatched += dispatched[name];
    }
    t.rule().row({"Total 合计", num(total), percent(total, total), num(all_dispatched)});
    t.print(out);
  }

  // ---- by final state (engine: list_cases per state)
  {
    auto states = states_now(engine);
    heading(out, "Cases by state at " + format_date_time(workload.end()) + " 状态 (from the engine)");
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

  // ---- by channel and by kind
  {
    std::map<int, int> by_channel;
    std::map<int, int> by_kind;
    for (const CaseFacts& c : cases) {
      ++by_channel[c.channel];
      ++by_kind[c.kind];
    }
    heading(out, "Requests by channel 按渠道");
    TextTable t;
    t.column("Channel").column("渠道").column("Requests", Align::kRight).column("Share", Align::kRight);
    for (const auto& [ch, n] : by_channel) {
      t.row({name_or(jszb_channel_name(ch), ch), channel_zh(ch), num(n), percent(n, total)});
    }
    t.print(out);

    heading(out, "Requests by kind 按诉求类型");
    TextTable k;
    k.column("Kind").column("类型").column("Requests", Align::kRight).column("Share", Align::kRight);
    for (const auto& [kind, n] : by_kind) {
      k.row({name_or(jszb_kind_name(kind), kind), kind_zh(kind), num(n), percent(n, total)});
    }
    k.print(out);
  }

  // ---- top 15 units by orders (lead unit)
  {
    std::map<jszb::UnitId, int> by_unit;
    long long dispatched = 0;
    for (const CaseFacts& c : cases) {
      if (c.lead == 0) continue;
      ++by_unit[c.lead];
      ++dispatched;
    }
    std::vector<std::pair<jszb::UnitId, int>> units(by_unit.begin(), by_unit.end());
    std::sort(units.begin(), units.end(), [](const auto& a, const auto& b) {
      return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    heading(out, "Top 15 units by orders (lead) 承办单位派单量前15 — of " + num(dispatched) +
                     " orders, " + num(static_cast<long long>(units.size())) + " units");
    TextTable t;
    t.column("Rank", Align::kRight).column("Code", Align::kRight).column("Unit 单位")
        .column("Class").column("Orders", Align::kRight).column("Share", Align::kRight);
    for (std::size_t i = 0; i < units.size() && i < 15; ++i) {
      t.row({num(static_cast<long long>(i + 1)), num(units[i].first), cat.unit_name(units[i].first),
             unit_class_name(cat.unit_class(units[i].first)), num(units[i].second),
             percent(units[i].second, dispatched)});
    }
    t.print(out);
  }

  // ---- group requests (the generator's labels)
  {
    const auto& matters = workload.matters();
    std::vector<int> reports(matters.size(), 0);
    std::vector<int> in_main(matters.size(), 0);
    for (std::size_t i = 0; i < workload.size(); ++i) {
      const Arrival& a = workload.arrival(i);
      if (a.matter < 0) continue;
      auto m = static_cast<std::size_t>(a.matter);
      ++reports[m];
      if (cat.streets()[a.street].name == matters[m].street) ++in_main[m];
    }
    heading(out, "Group requests reported 10+ times 反映10件以上的群体诉求 (generator labels)");
    TextTable t;
    t.column("Matter 事项").column("Category 分类").column("Main street 主要街道")
        .column("Reports", Align::kRight).column("From it 该街道", Align::kRight);
    int shown = 0;
    int below = 0;
    for (std::size_t m = 0; m < matters.size(); ++m) {
      if (reports[m] < 10) {
        if (reports[m] > 0) ++below;
        continue;
      }
      ++shown;
      t.row({matters[m].label,
             std::string(matters[m].category) + "/" + matters[m].level2 + "/" + matters[m].level3,
             matters[m].street, num(reports[m]), num(in_main[m])});
    }
    t.print(out);
    out << "  " << shown << " matters reported 10+ times; " << below
        << " smaller repeated matters not listed.\n";
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
    t.row({"supervised", "督办", num(ev(E::kSupervised)), ""});
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

    // The three rates over this week's valid visits (all units together).
    long long sat = v.satisfaction[JSZB_SATISFIED] * 10LL + v.satisfaction[JSZB_BASICALLY_SATISFIED] * 9LL;
    out << "  Rates over valid visits 三率: response 响应率 " << percent(v.contacted, v.valid)
        << ", resolution 解决率 " << percent(v.solved, v.valid) << ", satisfaction 满意率 "
        << percent(sat, v.valid * 10LL) << '\n';
  }

  heading(out, "Engine 引擎");
  out << "  Requests submitted " << stats.submissions << ", commands applied " << stats.commands
      << ", events " << tally.event_count() << " (" << total << " cases)\n"
      << "  Cases still under way at the end " << stats.cases_unfinished << " ("
      << stats.steps_after_end << " scripted steps fall after "
      << format_date_time(workload.end()) << ")\n";
}

}  // namespace demo
