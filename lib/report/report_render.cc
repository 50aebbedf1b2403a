// The report as CSV and as a self-contained HTML page.
#include "report/report_render.h"

#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/time/time.h"
#include "base/china_time.h"
#include "report/labels.h"
#include "report/themes_render.h"

namespace jszb::core {

namespace {

// ------------------------------------------------------------------- CSV

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  return absl::StrCat("\"", absl::StrReplaceAll(s, {{"\"", "\"\""}}), "\"");
}

void csv_counts(std::string& out, const char* section,
                const google::protobuf::RepeatedPtrField<v1::Count>& rows) {
  absl::StrAppend(&out, "\n# ", section, "\nkey,count,previous\n");
  for (const v1::Count& c : rows) {
    absl::StrAppend(&out, csv_field(c.key()), ",", c.count(), ",", c.previous(), "\n");
  }
}

std::string china_time(std::int64_t ms) {
  return absl::FormatTime("%Y-%m-%d %H:%M", absl::FromUnixMillis(ms), china_zone());
}

// ------------------------------------------------------------------- HTML

std::string esc(const std::string& s) {
  return absl::StrReplaceAll(
      s, {{"&", "&amp;"}, {"<", "&lt;"}, {">", "&gt;"}, {"\"", "&quot;"}, {"'", "&#39;"}});
}

std::string pct(double v) { return absl::StrFormat("%.1f%%", 100 * v); }

// An area as the page shows it: without the district a district's report is
// for, and in Chinese where the engine placed a request by its map point.
std::string area_shown(const std::string& area, const std::string& district) {
  std::string shown = area;
  if (!district.empty() && absl::StartsWith(shown, district + "/")) {
    shown = shown.substr(district.size() + 1);
  }
  return absl::StrReplaceAll(shown, {{"(by map point)", "（仅有地图定位）"}});
}

// What a chart of a part of the requests received leaves out, so that it adds
// up on the page: the rows shown, the rest (`rest_what`) and the total.
struct ChartSum {
  std::int64_t total = -1;  // -1: the rows are not parts of a total (growth)
  const char* rest_what = "其余";
};

std::string sum_line(const google::protobuf::RepeatedPtrField<v1::Count>& rows, int n,
                     const ChartSum& sum) {
  if (sum.total < 0) return "";
  std::int64_t shown = 0;
  for (int i = 0; i < n; ++i) shown += rows[i].count();
  std::string rest;
  if (shown != sum.total) {
    rest = absl::StrFormat("，%s <span data-rest>%d</span> 件", sum.rest_what, sum.total - shown);
  }
  return absl::StrFormat(
      "<p class=sum data-total=%d>以上 %d 项 <span data-shown>%d</span> 件%s，合计 %d 件（受理诉求"
      "总数）</p>",
      sum.total, n, shown, rest, sum.total);
}

// A horizontal bar chart of counts, this period against the previous one
// (when the previous period has data). `labelled`: the keys are identifiers
// (channels, kinds) shown by their Chinese names.
std::string bar_chart(const v1::Report& r, const std::string& title,
                      const google::protobuf::RepeatedPtrField<v1::Count>& rows, int limit,
                      bool labelled, ChartSum sum = {}) {
  int n = std::min(rows.size(), limit);
  if (n == 0) return absl::StrCat("<div><h3>", esc(title), "</h3><p class=none>无</p></div>");
  const bool previous = !r.previous_empty();
  std::int64_t max = 1;
  for (int i = 0; i < n; ++i) max = std::max({max, rows[i].count(), rows[i].previous()});
  const int label_w = 200, bar_w = 250, row_h = 22, width = label_w + bar_w + 60;
  std::string svg =
      absl::StrFormat("<svg role=img aria-label=\"%s\" width=%d height=%d viewBox=\"0 0 %d %d\">",
                      esc(title), width, n * row_h + 8, width, n * row_h + 8);
  for (int i = 0; i < n; ++i) {
    const v1::Count& c = rows[i];
    const std::string key =
        esc(labelled ? chinese_label(c.key()) : area_shown(c.key(), r.district()));
    int y = i * row_h + 4;
    double w = static_cast<double>(bar_w) * c.count() / max;
    double prev = static_cast<double>(bar_w) * c.previous() / max;
    absl::StrAppendFormat(&svg,
                          "<text x=%d y=%d text-anchor=end class=lbl>%s</text>"
                          "<rect x=%d y=%d width=%.1f height=%d class=bar><title>%s：%d%s</title>"
                          "</rect>",
                          label_w - 6, y + 15, key, label_w, y + 2, w, row_h - 6, key, c.count(),
                          previous ? absl::StrFormat("（上期 %d）", c.previous()) : "");
    if (previous) {
      absl::StrAppendFormat(&svg, "<line x1=%.1f x2=%.1f y1=%d y2=%d class=prev />", label_w + prev,
                            label_w + prev, y, y + row_h - 2);
    }
    // The number after the bar or the previous period's tick, whichever is longer.
    absl::StrAppendFormat(&svg, "<text x=%.1f y=%d class=num>%d</text>",
                          label_w + std::max(w, previous ? prev : 0.0) + 6, y + 15, c.count());
  }
  svg += "</svg>";
  return absl::StrCat("<div><h3>", esc(title), "</h3><p class=legend>",
                      previous ? "条形：本期；细线：上期" : "条形：本期（上期无数据）", "</p>", svg,
                      sum_line(rows, n, sum), "</div>");
}

std::string change(const v1::UnitRow& u) {
  if (u.rank() == 0) return "";
  if (u.previous_rank() == 0) return "<span class=apart title=上期未参与排名>新</span>";
  int d = u.previous_rank() - u.rank();
  if (d > 0) return absl::StrFormat("<span class=up>&#9650;%d</span>", d);
  if (d < 0) return absl::StrFormat("<span class=down>&#9660;%d</span>", -d);
  return "=";
}

constexpr char kStyle[] = R"css(
body{font-family:"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;margin:2em auto;max-width:1100px;color:#1d2733;line-height:1.45}
h1{font-size:1.6em;margin-bottom:.2em}h2{border-bottom:2px solid #c8102e;padding-bottom:.2em;margin-top:1.8em}
h3{margin:1.2em 0 .3em}.sub{color:#5a6570}.none{color:#8a939c}
.cards{display:flex;gap:1em;flex-wrap:wrap;margin-top:1em}.card{background:#f4f6f8;border-radius:6px;padding:.8em 1.2em;min-width:10em}
.card b{display:block;font-size:1.7em}table{border-collapse:collapse;width:100%;font-size:.92em;margin:.4em 0}
th,td{border-bottom:1px solid #dde2e6;padding:.3em .5em;text-align:right}th{background:#f4f6f8}
td.t,th.t{text-align:left}.up{color:#1a7f37}.down{color:#c8102e}
svg .bar{fill:#c8102e;opacity:.85}svg .prev{stroke:#1d2733;stroke-width:2}svg .lbl,svg .num{font-size:12px;fill:#1d2733}
.empty{background:#fff4e5;border-left:4px solid #c8102e;padding:.6em 1em}
.legend,.sum{font-size:.8em;color:#5a6570;margin:0}td.nm,th{white-space:nowrap}
.apart{color:#5a6570}table.callin td{background:#fff4e5}.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(510px,1fr));gap:0 2em;align-items:start}
.defs{background:#f4f6f8;border-left:4px solid #5a6570;padding:.5em 1em;font-size:.88em}.defs p{margin:.25em 0}
a.n{color:inherit;text-decoration:underline dotted #8a939c}a.n:hover{color:#c8102e}
.tag{font-size:.75em;color:#5a6570;border:1px solid #c3cad1;border-radius:3px;padding:0 .25em;margin-left:.3em}
table.compact{font-size:.8em}table.compact td{padding:.15em .5em}p.unit{font-size:.85em;margin:.2em 0;padding:.2em 0;border-bottom:1px solid #dde2e6}
.ids{font-family:"Noto Sans Mono CJK SC",monospace;font-size:.9em;color:#3b4650}.fig:target,p.unit:target{background:#fff4e5}b.fl{font-weight:600;color:#8a1020}
)css";

// The period before, of the same length.
std::string previous_period(const v1::Report& r) {
  return absl::StrCat(china_time(2 * r.from_ms() - r.until_ms()), " 至 ", china_time(r.from_ms()));
}

// What the page counts and leaves out, on the page (the JSON's and CSV's
// `definitions` say the same in English).
std::string html_definitions(const v1::Report& r) {
  std::string h = "<section id=definitions class=defs>";
  absl::StrAppend(&h, "<p><b>统计时段</b>：", china_time(r.from_ms()), " 至 ",
                  china_time(r.until_ms()), "（北京时间 UTC+8，含起点、不含终点）。上期：",
                  previous_period(r), "，",
                  r.previous_empty() ? "<b>上期无数据</b>，故不列上期数和排名变化。"
                                     : "各项“上期”和排名变化均与之相比。",
                  "</p>");
  h += "<p><b>诉求量</b>：本期受理的全部诉求，含直接答复和不予派单（《条例》第十一条）的；"
       "按政策解析出的区和街道乡镇计（未写街道的按地图定位）。</p>";
  absl::StrAppendFormat(
      &h,
      "<p><b>单位与三率</b>：单位各行计本期发生在其工单上的事，不论工单何时受理；"
      "不派单的诉求不进入任何单位，也不计入三率。三率按本期成立的有效回访计（以最后一次回访为准，"
      "主办单位和每个协办单位各计一次）；申诉成立、终止、合并和挂账的工单不计。"
      "有效回访少于 %d 件的单位单独列出、不参与排名。%s</p>",
      std::max(1, r.min_visits()),
      r.outside_units_size() > 0
          ? "标“全市”的单位不属于本区，但在本区办理过工单：其数字为全市口径（计数按单位保存，"
            "不按区分开），不列入本区约谈，也不计入上方提要的本区合计。"
          : "");
  if (r.unit_orders_size() > 0) {
    h += "<p><b>工单清单</b>：单位名称和单位行中带下划线的数字链接到附录，列出失分数字（未联系、"
         "未解决、不满意、未按时签收或反馈、超期、督办、挂账）背后的工单编号。</p>";
  }
  return h + "</section>";
}

// The page's head, title, what it counts and the empty-period notice.
std::string html_head(const v1::Report& r) {
  std::string scope = r.district().empty() ? "北京市" : r.district();
  std::string h = absl::StrCat(
      "<!DOCTYPE html>\n<html lang=zh-CN><head><meta charset=utf-8>"
      "<meta name=viewport content=\"width=device-width,initial-scale=1\"><title>接诉即办 ",
      esc(scope), " ", china_time(r.from_ms()), " – ", china_time(r.until_ms()), "</title><style>",
      kStyle, "</style></head><body>");
  absl::StrAppend(&h, "<h1>接诉即办报告：", esc(scope), "</h1><p class=sub>",
                  china_time(r.from_ms()), " 至 ", china_time(r.until_ms()), "（北京时间）</p>");
  if (r.empty()) {
    absl::StrAppend(
        &h, "<p class=empty><b>本期无数据。</b>", esc(scope), "在 ", china_time(r.from_ms()),
        " 至 ", china_time(r.until_ms()),
        "（北京时间）没有受理或办理任何诉求：以下各项均为 0，因为没有可统计的内容。</p>");
  }
  return h + html_definitions(r);
}

// The headline box: each number carries the name of the report field it shows
// (visits and breaches: summed over the unit rows of the scope's own units,
// not those of no district, whose rows are city-wide).
std::string html_headline(const v1::Report& r) {
  std::int64_t visits = 0, breached = 0;
  for (const v1::UnitRow& u : r.units()) {
    if (std::find(r.outside_units().begin(), r.outside_units().end(), u.unit()) !=
        r.outside_units().end()) {
      continue;
    }
    visits += u.visits();
    breached += u.breached();
  }
  return absl::StrFormat(
      "<section id=headline class=cards>"
      "<div class=card>受理诉求<b data-field=received>%d</b>%s</div>"
      "<div class=card>有效回访（%s单位合计）<b data-field=visits>%d</b></div>"
      "<div class=card>超期（%s单位合计）<b data-field=breached>%d</b></div>"
      "<div class=card>群体诉求<b data-field=groups>%d</b>组</div>"
      "<div class=card>上升问题<b data-field=rising>%d</b>项</div></section>",
      r.received(),
      r.previous_empty() ? "上期无数据"
                         : absl::StrFormat("上期 <span data-field=previous_received>%d</span>",
                                           r.previous_received()),
      r.district().empty() ? "各" : "本区", visits, r.district().empty() ? "各" : "本区", breached,
      r.groups_size(), r.rising_size());
}

// The orders behind a unit's figures, by figure name, when the report has them.
using OrdersOf = std::map<std::pair<std::uint32_t, std::string>, const v1::FigureOrders*>;

OrdersOf orders_of(const v1::Report& r) {
  OrdersOf out;
  for (const v1::FigureOrders& f : r.unit_orders()) out[{f.unit(), f.figure()}] = &f;
  return out;
}

std::string anchor(std::uint32_t unit, const std::string& figure) {
  return absl::StrCat("u", unit, figure.empty() ? "" : "-", figure);
}

// The figures whose orders the page lists: what cost a unit its rates and its
// rank. The lists of the rest (visits, satisfied, dispatched, closed: most of
// a unit's orders) are in the JSON and CSV.
constexpr const char* kListedFigures[] = {
    "not_contacted", "not_solved", "resolution_only", "not_satisfied", "basically_satisfied",
    "late_sign_for", "late_reply", "breached",        "supervised",    "long_term_held"};

bool listed_on_page(const std::string& figure) {
  return std::find(std::begin(kListedFigures), std::end(kListedFigures), figure) !=
         std::end(kListedFigures);
}

// `text` linked to the list of `figure` of the unit, when the list has orders.
std::string linked(const OrdersOf& orders, std::uint32_t unit, const std::string& figure,
                   const std::string& text) {
  auto it = orders.find({unit, figure});
  if (it == orders.end() || it->second->cases_size() == 0 || !listed_on_page(figure)) return text;
  return absl::StrFormat("<a class=n href=\"#%s\">%s</a>", anchor(unit, figure), text);
}

std::string unit_header(bool previous) {
  return absl::StrCat(
      "<tr><th>排名", previous ? "<th>变化" : "",
      "<th class=t>单位<th>有效回访<th>响应率<th>解决率<th>满意率<th>综合得分"
      "<th>按时签收率<th>按时反馈率<th>派单<th>办结<th>平均办理小时<th>超期<th>督办<th>挂账</"
      "tr>");
}

struct RowContext {
  const OrdersOf& orders;
  const std::vector<std::uint32_t>& outside;
  bool previous;
};

std::string unit_row(const v1::UnitRow& u, const RowContext& x) {
  auto link = [&](const char* figure, const std::string& text) {
    return linked(x.orders, u.unit(), figure, text);
  };
  bool outside = std::find(x.outside.begin(), x.outside.end(), u.unit()) != x.outside.end();
  std::string name = esc(u.name());
  if (x.orders.count({u.unit(), "visits"}) != 0) {
    name = absl::StrFormat("<a class=n href=\"#%s\">%s</a>", anchor(u.unit(), ""), name);
  }
  return absl::StrFormat(
      "<tr><td>%s%s<td class=\"t nm\">%s%s<td>%s<td>%s<td>%s<td>%s<td>%.3f<td>%s<td>%s<td>%s"
      "<td>%s<td>%.1f<td>%s<td>%s<td>%s</tr>",
      u.rank() ? std::to_string(u.rank()) : "–", x.previous ? "<td>" + change(u) : "", name,
      outside ? "<span class=tag>全市</span>" : "", link("visits", std::to_string(u.visits())),
      link("not_contacted", pct(u.response_rate())), link("not_solved", pct(u.resolution_rate())),
      link("not_satisfied", pct(u.satisfaction_rate())), u.composite(),
      u.sign_outcomes() ? link("late_sign_for", pct(u.sign_on_time_rate())) : "–",
      u.replies() ? link("late_reply", pct(u.completion_on_time_rate())) : "–",
      link("dispatched", std::to_string(u.dispatched())),
      link("closed", std::to_string(u.closed())), u.handling_hours(),
      link("breached", std::to_string(u.breached())),
      link("supervised", std::to_string(u.supervised())),
      link("long_term_held", std::to_string(u.long_term_held())));
}

// Units of one class: the ranked ones by rank, then those with too few visits.
struct ClassRows {
  v1::UnitClass unit_class;
  std::vector<const v1::UnitRow*> ranked, unranked;
};

std::vector<ClassRows> by_class(const v1::Report& r) {
  std::vector<ClassRows> out;
  for (const v1::UnitRow& u : r.units()) {
    if (out.empty() || out.back().unit_class != u.unit_class())
      out.push_back({u.unit_class(), {}, {}});
    (u.rank() ? out.back().ranked : out.back().unranked).push_back(&u);
  }
  for (ClassRows& c : out) {
    std::sort(c.ranked.begin(), c.ranked.end(),
              [](const v1::UnitRow* a, const v1::UnitRow* b) { return a->rank() < b->rank(); });
  }
  return out;
}

// The units to call in: the lowest three ranked of each class, of the
// district's own units (a unit of no district is the city's to call in).
std::string html_call_in(const std::vector<ClassRows>& classes,
                         const std::vector<std::uint32_t>& outside) {
  std::string h = "<h3>约谈单位（各类排名后三位；参与排名不足四个的类别不列）</h3>";
  bool any = false;
  for (const ClassRows& c : classes) {
    std::vector<const v1::UnitRow*> own;
    for (const v1::UnitRow* u : c.ranked) {
      if (std::find(outside.begin(), outside.end(), u->unit()) == outside.end()) own.push_back(u);
    }
    if (own.size() <= 3) continue;  // the lowest three would be all of them
    if (!any)
      h += "<table class=callin><tr><th class=t>类别<th>排名<th class=t>单位<th>综合得分"
           "<th>有效回访<th>解决率<th>满意率</tr>";
    any = true;
    for (std::size_t i = own.size(); i-- > own.size() - 3;) {
      const v1::UnitRow& u = *own[i];
      absl::StrAppendFormat(&h,
                            "<tr><td class=\"t nm\">%s<td>%d / %d<td class=\"t nm\">%s<td>%.3f"
                            "<td>%d<td>%s<td>%s</tr>",
                            chinese_class(c.unit_class), u.rank(), c.ranked.size(), esc(u.name()),
                            u.composite(), u.visits(), pct(u.resolution_rate()),
                            pct(u.satisfaction_rate()));
    }
  }
  h += any ? "</table>" : "<p class=none>本期无排名单位</p>";
  return h;
}

std::string html_rankings(const v1::Report& r) {
  const std::int64_t min_visits = std::max(1, r.min_visits());
  const OrdersOf orders = orders_of(r);
  const std::vector<std::uint32_t> outside(r.outside_units().begin(), r.outside_units().end());
  const RowContext x{orders, outside, !r.previous_empty()};
  std::vector<ClassRows> classes = by_class(r);
  std::string h = "<h2 id=rankings>三率排名</h2>";
  h += html_call_in(classes, outside);
  for (const ClassRows& c : classes) {
    absl::StrAppend(&h, "<h3>", chinese_class(c.unit_class), "</h3>");
    if (!c.ranked.empty()) {
      absl::StrAppend(&h, "<table>", unit_header(x.previous));
      for (const v1::UnitRow* u : c.ranked) h += unit_row(*u, x);
      h += "</table>";
    }
    if (!c.unranked.empty()) {
      absl::StrAppendFormat(
          &h, "<p class=apart>回访量过少、不参与排名（有效回访少于 %d 件）：%d 个单位</p>",
          min_visits, c.unranked.size());
      absl::StrAppend(&h, "<table class=apart>", unit_header(x.previous));
      for (const v1::UnitRow* u : c.unranked) h += unit_row(*u, x);
      h += "</table>";
    }
  }
  absl::StrAppendFormat(
      &h,
      "<p class=legend>三率按本期成立的有效回访计算：响应率 = 已联系，解决率 = 已解决，满意率 = "
      "满意 + 0.9 × 基本满意；综合得分默认按 0.1 / 0.5 / 0.4 加权。按《条例》第二十三条"
      "视为未解决的超期工单只计入解决率。有效回访少于 %d 件的单位单独列出、不参与排名"
      "（JSON 中 rank 为 0）。%s</p>",
      min_visits,
      x.previous ? "变化：与上期排名相比（▲ 上升，▼ 下降，新：上期未参与排名）。"
                 : "上期无数据，不列排名变化。");
  return h;
}

std::string html_volumes(const v1::Report& r) {
  const ChartSum all{r.received(), "其余"};
  std::string h = "<h2 id=volumes>诉求量</h2><div class=grid>";
  h += bar_chart(r, "按类别（一级）", r.by_category1(), 30, false, all);
  h += bar_chart(r, "按类别（一、二级）", r.by_category2(), 20, false,
                 {r.received(), "其余类别和未分到二级的"});
  if (r.district().empty()) h += bar_chart(r, "按区", r.by_district(), 16, false, all);
  h += bar_chart(r, "按渠道", r.by_channel(), 12, true, all);
  h += bar_chart(r, "按诉求类型", r.by_kind(), 6, true, all);
  h += "</div><h2 id=hotspots>热点</h2><div class=grid>";
  // A district's streets all (the report's rows), the city's largest.
  h += bar_chart(r, "街道乡镇（按诉求量）", r.by_street(), r.district().empty() ? 30 : 60, false,
                 {r.received(), "其余街道乡镇和未定位到街道的"});
  h += bar_chart(r, "社区、小区（按诉求量）", r.by_community(), 30, false,
                 {r.received(), "其余社区和未说明社区的"});
  if (r.previous_empty()) {
    h += "<div><h3>增长最快的社区</h3><p class=none>上期无数据，无从比较增长</p></div>";
  } else {
    h += bar_chart(r, "增长最快的社区（比上期增加最多）", r.rising_communities(), 10, false);
  }
  return h + "</div>";
}

constexpr int kGroupsShown = 20;  // the appendix, the CSV and the JSON have them all

// A group's streets or categories, most requests first: the first three and
// how many in all (every one is in the JSON and the CSV, and in the title).
std::string listed(const google::protobuf::RepeatedPtrField<std::string>& values) {
  std::vector<std::string> all, shown;
  for (const std::string& v : values) {
    all.push_back(esc(v));
    if (shown.size() < 3) shown.push_back(esc(v));
  }
  if (all.size() <= 3) return absl::StrJoin(shown, "、");
  return absl::StrFormat("<span title=\"%s\">%s 等 %d 个</span>", absl::StrJoin(all, "、"),
                         absl::StrJoin(shown, "、"), all.size());
}

std::string group_table(const v1::Report& r, int limit, const char* table = "<table>") {
  std::string h = absl::StrCat(table,
                               "<tr><th>次数<th class=t>地点（登记地址之一）<th class=t>街道乡镇"
                               "<th class=t>类别<th class=t>诉求内容（其一）</tr>");
  for (int i = 0; i < r.groups_size() && i < limit; ++i) {
    const v1::GroupRow& g = r.groups(i);
    std::string streets =
        g.streets_size() > 0 ? listed(g.streets()) : esc(area_shown(g.area(), r.district()));
    std::string categories = g.categories_size() > 0 ? listed(g.categories()) : esc(g.category());
    absl::StrAppendFormat(
        &h, "<tr><td>%d<td class=t>%s<td class=t>%s<td class=t>%s<td class=t>%s</tr>", g.size(),
        g.address().empty() ? "<span class=none>未登记</span>" : esc(g.address()), streets,
        categories, esc(g.text()));
  }
  return h + "</table>";
}

std::string html_groups(const v1::Report& r) {
  std::string h = absl::StrFormat(
      "<h2 id=groups>群体诉求（同一事项反映 10 "
      "次及以上；按地点和诉求内容归组，可跨街道、跨类别）</h2><p class=sub>本期共 %d 组%s</p>",
      r.groups_size(),
      r.groups_size() > kGroupsShown
          ? absl::StrFormat("，此处列出最大的 %d 组；<a href=\"#groups-all\">全部 %d 组见附录</a>",
                            kGroupsShown, r.groups_size())
          : "");
  if (r.groups_size() == 0) {
    return h + "<p class=none>本期无（群体诉求在一周以内的时段中查找）</p>";
  }
  return h + group_table(r, kGroupsShown);
}

std::string html_rising(const v1::Report& r) {
  std::string h = "<h2 id=rising>上升问题（每月一题候选）</h2>";
  if (r.rising_size() == 0) {
    h += "<p class=none>本期无</p>";
  } else {
    h += "<table><tr><th class=t>区<th class=t>类别<th>本期<th>基线<th>z</tr>";
    for (const v1::RisingRow& x : r.rising()) {
      absl::StrAppendFormat(&h,
                            "<tr><td class=\"t nm\">%s<td class=t>%s<td>%d<td>%.1f<td>%.1f</tr>",
                            esc(x.district()), esc(x.category()), x.count(), x.baseline(), x.z());
    }
    h += "</table>";
  }
  return absl::StrCat(h, "<p class=legend>", esc(r.rising_test()), "</p>");
}

// Appendix: every group, when the page shows only the largest.
std::string html_groups_all(const v1::Report& r) {
  if (r.groups_size() <= kGroupsShown) return "";
  return absl::StrCat("<h2 id=groups-all>附录：全部群体诉求（", r.groups_size(),
                      " 组，按次数）</h2>",
                      group_table(r, r.groups_size(), "<table class=compact>"));
}

// Appendix: for each unit, the orders behind the figures that cost it, one
// paragraph per unit that its row links to.
std::string html_orders(const v1::Report& r) {
  if (r.unit_orders_size() == 0) return "";
  std::string h =
      "<h2 id=orders>附录：各单位失分数字背后的工单</h2><p class=legend>单位行中带下划线的数字"
      "链接到这里：每个数字的工单编号，按编号排序（同一工单计了两次的列两次），编号个数即该数字。"
      "有效回访、满意、派单、办结的工单清单在 JSON 和 CSV 的 unit_orders 中。</p>";
  const OrdersOf orders = orders_of(r);
  for (const v1::UnitRow& u : r.units()) {
    if (orders.count({u.unit(), "visits"}) == 0) continue;
    absl::StrAppendFormat(&h, "<p class=unit id=%s><b>%s</b> <span class=apart>%s</span> ",
                          anchor(u.unit(), ""), esc(u.name()), chinese_class(u.unit_class()));
    bool any = false;
    for (const char* figure : kListedFigures) {
      auto it = orders.find({u.unit(), figure});
      if (it == orders.end() || it->second->cases_size() == 0) continue;
      const v1::FigureOrders& f = *it->second;
      absl::StrAppendFormat(
          &h,
          "%s<span class=fig id=%s><b class=fl>%s %d</b>：<span class=ids data-unit=%d "
          "data-figure=%s data-count=%d>%s</span></span>",
          any ? "；" : "", anchor(u.unit(), figure), chinese_label(figure), f.count(), u.unit(),
          figure, f.count(), absl::StrJoin(f.cases(), " "));
      any = true;
    }
    if (!any) h += "<span class=none>无失分</span>";
    h += "</p>";
  }
  return h;
}

}  // namespace

std::string report_csv(const v1::Report& r) {
  std::string out =
      "# report\nfrom,until,district,received,previous_received,empty,previous_empty,time_zone,"
      "min_visits\n";
  absl::StrAppend(&out, china_time(r.from_ms()), ",", china_time(r.until_ms()), ",",
                  csv_field(r.district()), ",", r.received(), ",", r.previous_received(), ",",
                  r.empty() ? "true" : "false", ",", r.previous_empty() ? "true" : "false",
                  ",UTC+8,", r.min_visits(), "\n");
  absl::StrAppend(&out, "\n# definitions\ntext\n", csv_field(r.definitions()), "\n");
  csv_counts(out, "by_channel", r.by_channel());
  csv_counts(out, "by_kind", r.by_kind());
  csv_counts(out, "by_category1", r.by_category1());
  csv_counts(out, "by_category2", r.by_category2());
  csv_counts(out, "by_category3", r.by_category3());
  csv_counts(out, "by_district", r.by_district());
  csv_counts(out, "by_street", r.by_street());
  csv_counts(out, "by_community", r.by_community());
  csv_counts(out, "rising_communities", r.rising_communities());
  out +=
      "\n# units\nunit,name,class,rank,previous_rank,visits,response_rate,resolution_rate,"
      "satisfaction_rate,composite,dispatched,closed,handling_hours,first_contacts,"
      "response_hours,breached,sign_outcomes,sign_on_time_rate,replies,"
      "completion_on_time_rate,supervised,resolution_only_visits,long_term_held,outside\n";
  for (const v1::UnitRow& u : r.units()) {
    bool outside = std::find(r.outside_units().begin(), r.outside_units().end(), u.unit()) !=
                   r.outside_units().end();
    absl::StrAppendFormat(
        &out,
        "%d,%s,%s,%d,%d,%d,%.4f,%.4f,%.4f,%.4f,%d,%d,%.2f,%d,%.2f,%d,%d,%.4f,%d,%.4f,%d,%d,%d,%s\n",
        u.unit(), csv_field(u.name()), class_identifier(u.unit_class()), u.rank(),
        u.previous_rank(), u.visits(), u.response_rate(), u.resolution_rate(),
        u.satisfaction_rate(), u.composite(), u.dispatched(), u.closed(), u.handling_hours(),
        u.first_contacts(), u.response_hours(), u.breached(), u.sign_outcomes(),
        u.sign_on_time_rate(), u.replies(), u.completion_on_time_rate(), u.supervised(),
        u.resolution_only_visits(), u.long_term_held(), outside ? "true" : "false");
  }
  if (r.unit_orders_size() > 0) {
    out += "\n# unit_orders\nunit,figure,count,cases\n";
    for (const v1::FigureOrders& f : r.unit_orders()) {
      absl::StrAppend(&out, f.unit(), ",", f.figure(), ",", f.count(), ",",
                      csv_field(absl::StrJoin(f.cases(), " ")), "\n");
    }
  }
  out += "\n# groups\narea,category,size,representative,text,cases,streets,categories,address\n";
  for (const v1::GroupRow& g : r.groups()) {
    absl::StrAppend(
        &out, csv_field(g.area()), ",", csv_field(g.category()), ",", g.size(), ",",
        g.representative(), ",", csv_field(g.text()), ",", csv_field(absl::StrJoin(g.cases(), " ")),
        ",", csv_field(absl::StrJoin(g.streets(), "|")), ",",
        csv_field(absl::StrJoin(g.categories(), "|")), ",", csv_field(g.address()), "\n");
  }
  out += "\n# rising\ndistrict,category,count,baseline,z\n";
  for (const v1::RisingRow& x : r.rising()) {
    absl::StrAppendFormat(&out, "%s,%s,%d,%.2f,%.2f\n", csv_field(x.district()),
                          csv_field(x.category()), x.count(), x.baseline(), x.z());
  }
  out += themes_csv(r);
  return out;
}

std::string report_html(const v1::Report& r) {
  std::string h = html_head(r);
  h += html_headline(r);
  h += html_rankings(r);
  h += html_volumes(r);
  h += html_groups(r);
  h += themes_html(r);
  h += html_rising(r);
  h += html_groups_all(r);
  h += html_orders(r);
  h += "</body></html>\n";
  return h;
}

}  // namespace jszb::core
