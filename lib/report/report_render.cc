// The report as CSV and as a self-contained HTML page.
#include "report/report_render.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/time/time.h"
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
  static const absl::TimeZone kChina = absl::FixedTimeZone(8 * 3600);
  return absl::FormatTime("%Y-%m-%d %H:%M", absl::FromUnixMillis(ms), kChina);
}

// ------------------------------------------------------------------- HTML

std::string esc(const std::string& s) {
  return absl::StrReplaceAll(
      s, {{"&", "&amp;"}, {"<", "&lt;"}, {">", "&gt;"}, {"\"", "&quot;"}, {"'", "&#39;"}});
}

std::string pct(double v) { return absl::StrFormat("%.1f%%", 100 * v); }

// A horizontal bar chart of counts, this period against the previous one.
// An area as the page shows it: without the district a district's report is
// for, and in Chinese where the engine placed a request by its map point.
std::string area_shown(const std::string& area, const std::string& district) {
  std::string shown = area;
  if (!district.empty() && absl::StartsWith(shown, district + "/")) {
    shown = shown.substr(district.size() + 1);
  }
  return absl::StrReplaceAll(shown, {{"(by map point)", "（仅有地图定位）"}});
}

// `labelled`: the keys are identifiers (channels, kinds) shown by their Chinese names.
std::string bar_chart(const std::string& title,
                      const google::protobuf::RepeatedPtrField<v1::Count>& rows, int limit,
                      bool labelled, const std::string& district = "") {
  int n = std::min(rows.size(), limit);
  if (n == 0) return absl::StrCat("<h3>", esc(title), "</h3><p class=none>无</p>");
  std::int64_t max = 1;
  for (int i = 0; i < n; ++i) max = std::max({max, rows[i].count(), rows[i].previous()});
  const int label_w = 230, bar_w = 360, row_h = 22, width = label_w + bar_w + 90;
  std::string svg =
      absl::StrFormat("<svg role=img aria-label=\"%s\" width=%d height=%d viewBox=\"0 0 %d %d\">",
                      esc(title), width, n * row_h + 8, width, n * row_h + 8);
  for (int i = 0; i < n; ++i) {
    const v1::Count& c = rows[i];
    const std::string key = esc(labelled ? chinese_label(c.key()) : area_shown(c.key(), district));
    int y = i * row_h + 4;
    double w = static_cast<double>(bar_w) * c.count() / max;
    double prev = static_cast<double>(bar_w) * c.previous() / max;
    absl::StrAppendFormat(
        &svg,
        "<text x=%d y=%d text-anchor=end class=lbl>%s</text>"
        "<rect x=%d y=%d width=%.1f height=%d class=bar><title>%s：%d（上期 %d）</title></rect>"
        "<line x1=%.1f x2=%.1f y1=%d y2=%d class=prev />"
        "<text x=%.1f y=%d class=num>%d</text>",
        label_w - 6, y + 15, key, label_w, y + 2, w, row_h - 6, key, c.count(), c.previous(),
        label_w + prev, label_w + prev, y, y + row_h - 2, label_w + w + 6, y + 15, c.count());
  }
  svg += "</svg>";
  return absl::StrCat("<h3>", esc(title), "</h3><p class=legend>条形：本期；细线：上期</p>", svg);
}

std::string change(const v1::UnitRow& u) {
  if (u.rank() == 0 || u.previous_rank() == 0) return "";
  int d = u.previous_rank() - u.rank();
  if (d > 0) return absl::StrFormat("<span class=up>&#9650;%d</span>", d);
  if (d < 0) return absl::StrFormat("<span class=down>&#9660;%d</span>", -d);
  return "=";
}

constexpr char kStyle[] = R"css(
body{font-family:"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;margin:2em auto;max-width:1100px;color:#1d2733;line-height:1.45}
h1{font-size:1.6em;margin-bottom:.2em}h2{border-bottom:2px solid #c8102e;padding-bottom:.2em;margin-top:1.8em}
h3{margin:1.2em 0 .3em}.sub{color:#5a6570}.none{color:#8a939c}
.cards{display:flex;gap:1em;flex-wrap:wrap}.card{background:#f4f6f8;border-radius:6px;padding:.8em 1.2em;min-width:10em}
.card b{display:block;font-size:1.7em}table{border-collapse:collapse;width:100%;font-size:.92em;margin:.4em 0}
th,td{border-bottom:1px solid #dde2e6;padding:.3em .5em;text-align:right}th{background:#f4f6f8}
td.t,th.t{text-align:left}.up{color:#1a7f37}.down{color:#c8102e}
svg .bar{fill:#c8102e;opacity:.85}svg .prev{stroke:#1d2733;stroke-width:2}svg .lbl,svg .num{font-size:12px;fill:#1d2733}
.empty{background:#fff4e5;border-left:4px solid #c8102e;padding:.6em 1em}
.legend{font-size:.8em;color:#5a6570;margin:0}td.nm,th{white-space:nowrap}
.apart{color:#5a6570}table.callin td{background:#fff4e5}.grid{display:grid;grid-template-columns:1fr;gap:0 2em}
)css";

// The page's head, title and the empty-period notice.
std::string html_head(const v1::Report& r) {
  std::string scope = r.district().empty() ? "北京市" : r.district();
  std::string h = absl::StrCat(
      "<!DOCTYPE html>\n<html lang=zh-CN><head><meta charset=utf-8>"
      "<meta name=viewport content=\"width=device-width,initial-scale=1\"><title>接诉即办 ",
      esc(scope), " ", china_time(r.from_ms()), " – ", china_time(r.until_ms()), "</title><style>",
      kStyle, "</style></head><body>");
  absl::StrAppend(&h, "<h1>接诉即办报告：", esc(scope), "</h1><p class=sub>",
                  china_time(r.from_ms()), " 至 ", china_time(r.until_ms()),
                  "（北京时间）；与此前同样长度的上期相比</p>");
  if (r.empty()) {
    absl::StrAppend(
        &h, "<p class=empty><b>本期无数据。</b>", esc(scope), "在 ", china_time(r.from_ms()),
        " 至 ", china_time(r.until_ms()),
        "（北京时间）没有受理或办理任何诉求：以下各项均为 0，因为没有可统计的内容。</p>");
  }
  return h;
}

// The headline box: each number carries the name of the report field it shows.
std::string html_headline(const v1::Report& r) {
  std::int64_t visits = 0, breached = 0;
  for (const v1::UnitRow& u : r.units()) {
    visits += u.visits();
    breached += u.breached();
  }
  return absl::StrFormat(
      "<section id=headline class=cards>"
      "<div class=card>受理诉求<b data-field=received>%d</b>上期 "
      "<span data-field=previous_received>%d</span></div>"
      "<div class=card>有效回访<b data-field=visits>%d</b></div>"
      "<div class=card>超期<b data-field=breached>%d</b></div>"
      "<div class=card>群体诉求<b data-field=groups>%d</b>组</div>"
      "<div class=card>上升问题<b data-field=rising>%d</b>项</div></section>",
      r.received(), r.previous_received(), visits, breached, r.groups_size(), r.rising_size());
}

constexpr char kUnitHeader[] =
    "<tr><th>排名<th>变化<th class=t>单位<th>有效回访<th>响应率<th>解决率<th>满意率<th>综合得分"
    "<th>按时签收率<th>按时反馈率<th>派单<th>办结<th>平均办理时长(小时)<th>超期<th>督办<th>挂账</"
    "tr>";

std::string unit_row(const v1::UnitRow& u) {
  return absl::StrFormat(
      "<tr><td>%s<td>%s<td class=\"t nm\">%s<td>%d<td>%s<td>%s<td>%s<td>%.3f<td>%s<td>%s<td>%d"
      "<td>%d<td>%.1f<td>%d<td>%d<td>%d</tr>",
      u.rank() ? std::to_string(u.rank()) : "–", change(u), esc(u.name()), u.visits(),
      pct(u.response_rate()), pct(u.resolution_rate()), pct(u.satisfaction_rate()), u.composite(),
      u.sign_outcomes() ? pct(u.sign_on_time_rate()) : "–",
      u.replies() ? pct(u.completion_on_time_rate()) : "–", u.dispatched(), u.closed(),
      u.handling_hours(), u.breached(), u.supervised(), u.long_term_held());
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

// The units to call in: the lowest three ranked of each class.
std::string html_call_in(const std::vector<ClassRows>& classes) {
  std::string h = "<h3>约谈单位（各类排名后三位；参与排名不足四个的类别不列）</h3>";
  bool any = false;
  for (const ClassRows& c : classes) {
    if (c.ranked.size() <= 3) continue;  // the lowest three would be all of them
    if (!any)
      h += "<table class=callin><tr><th class=t>类别<th>排名<th class=t>单位<th>综合得分"
           "<th>有效回访<th>解决率<th>满意率</tr>";
    any = true;
    std::size_t first = c.ranked.size() > 3 ? c.ranked.size() - 3 : 0;
    for (std::size_t i = c.ranked.size(); i-- > first;) {
      const v1::UnitRow& u = *c.ranked[i];
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
  std::vector<ClassRows> classes = by_class(r);
  std::string h = "<h2 id=rankings>三率排名</h2>";
  h += html_call_in(classes);
  for (const ClassRows& c : classes) {
    absl::StrAppend(&h, "<h3>", chinese_class(c.unit_class), "</h3>");
    if (!c.ranked.empty()) {
      absl::StrAppend(&h, "<table>", kUnitHeader);
      for (const v1::UnitRow* u : c.ranked) h += unit_row(*u);
      h += "</table>";
    }
    if (!c.unranked.empty()) {
      absl::StrAppendFormat(
          &h, "<p class=apart>回访量过少、不参与排名（有效回访少于 %d 件）：%d 个单位</p>",
          min_visits, c.unranked.size());
      absl::StrAppend(&h, "<table class=apart>", kUnitHeader);
      for (const v1::UnitRow* u : c.unranked) h += unit_row(*u);
      h += "</table>";
    }
  }
  absl::StrAppendFormat(
      &h,
      "<p class=legend>三率按本期成立的有效回访计算：响应率 = 已联系，解决率 = 已解决，满意率 = "
      "满意 + 0.9 × 基本满意；综合得分默认按 0.1 / 0.5 / 0.4 加权。按《条例》第二十三条"
      "视为未解决的超期工单只计入解决率。有效回访少于 %d 件的单位单独列出、不参与排名"
      "（JSON 中 rank 为 0）。变化：与上期排名相比（▲ 上升，▼ 下降）。</p>",
      min_visits);
  return h;
}

std::string html_volumes(const v1::Report& r) {
  std::string h = "<h2 id=volumes>诉求量</h2><div class=grid>";
  h += bar_chart("按类别（一级）", r.by_category1(), 15, false);
  h += bar_chart("按类别（一、二级）", r.by_category2(), 15, false);
  if (r.district().empty()) h += bar_chart("按区", r.by_district(), 16, false);
  h += bar_chart("按渠道", r.by_channel(), 12, true);
  h += bar_chart("按诉求类型", r.by_kind(), 6, true);
  h += "</div><h2 id=hotspots>热点</h2>";
  h += bar_chart("街道乡镇（按诉求量）", r.by_street(), 15, false, r.district());
  h += bar_chart("社区、小区（按诉求量）", r.by_community(), 15, false, r.district());
  h += bar_chart("增长最快的社区", r.rising_communities(), 10, false, r.district());
  return h;
}

std::string html_groups(const v1::Report& r) {
  constexpr int kShown = 20;  // the CSV and JSON have them all
  std::string h = absl::StrFormat(
      "<h2 id=groups>群体诉求（同一事项反映 10 次及以上）</h2><p class=sub>本期共 %d 组%s</p>",
      r.groups_size(),
      r.groups_size() > kShown
          ? absl::StrFormat("，此处列出最大的 %d 组，全部见 CSV 和 JSON", kShown)
          : "");
  if (r.groups_size() == 0) {
    return h + "<p class=none>本期无（群体诉求在一周以内的时段中查找）</p>";
  }
  h += "<table><tr><th>次数<th class=t>地区<th class=t>类别<th class=t>诉求内容（其一）</tr>";
  for (int i = 0; i < r.groups_size() && i < kShown; ++i) {
    const v1::GroupRow& g = r.groups(i);
    absl::StrAppendFormat(&h, "<tr><td>%d<td class=\"t nm\">%s<td class=t>%s<td class=t>%s</tr>",
                          g.size(), esc(area_shown(g.area(), r.district())), esc(g.category()),
                          esc(g.text()));
  }
  return h + "</table>";
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

}  // namespace

std::string report_csv(const v1::Report& r) {
  std::string out = "# report\nfrom,until,district,received,previous_received,empty\n";
  absl::StrAppend(&out, china_time(r.from_ms()), ",", china_time(r.until_ms()), ",",
                  csv_field(r.district()), ",", r.received(), ",", r.previous_received(), ",",
                  r.empty() ? "true" : "false", "\n");
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
      "completion_on_time_rate,supervised,resolution_only_visits,long_term_held\n";
  for (const v1::UnitRow& u : r.units()) {
    absl::StrAppendFormat(
        &out,
        "%d,%s,%s,%d,%d,%d,%.4f,%.4f,%.4f,%.4f,%d,%d,%.2f,%d,%.2f,%d,%d,%.4f,%d,%.4f,%d,%d,%d\n",
        u.unit(), csv_field(u.name()), class_identifier(u.unit_class()), u.rank(),
        u.previous_rank(), u.visits(), u.response_rate(), u.resolution_rate(),
        u.satisfaction_rate(), u.composite(), u.dispatched(), u.closed(), u.handling_hours(),
        u.first_contacts(), u.response_hours(), u.breached(), u.sign_outcomes(),
        u.sign_on_time_rate(), u.replies(), u.completion_on_time_rate(), u.supervised(),
        u.resolution_only_visits(), u.long_term_held());
  }
  out += "\n# groups\narea,category,size,representative,text,cases\n";
  for (const v1::GroupRow& g : r.groups()) {
    absl::StrAppend(&out, csv_field(g.area()), ",", csv_field(g.category()), ",", g.size(), ",",
                    g.representative(), ",", csv_field(g.text()), ",",
                    csv_field(absl::StrJoin(g.cases(), " ")), "\n");
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
  h += "</body></html>\n";
  return h;
}

}  // namespace jszb::core
