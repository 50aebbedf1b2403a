// The report as CSV and as a self-contained HTML page.
#include "report/report_render.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/time/time.h"

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

std::string class_name(v1::UnitClass c) {
  switch (c) {
    case v1::UNIT_CLASS_DISTRICT:
      return "district";
    case v1::UNIT_CLASS_STREET:
      return "street";
    case v1::UNIT_CLASS_DEPARTMENT:
      return "department";
    case v1::UNIT_CLASS_ENTERPRISE:
      return "enterprise";
    case v1::UNIT_CLASS_CENTRE:
      return "centre";
    default:
      return "unit";
  }
}

// ------------------------------------------------------------------- HTML

std::string esc(const std::string& s) {
  return absl::StrReplaceAll(
      s, {{"&", "&amp;"}, {"<", "&lt;"}, {">", "&gt;"}, {"\"", "&quot;"}, {"'", "&#39;"}});
}

std::string pct(double v) { return absl::StrFormat("%.1f%%", 100 * v); }

// A horizontal bar chart of counts, this period against the previous one.
std::string bar_chart(const std::string& title,
                      const google::protobuf::RepeatedPtrField<v1::Count>& rows, int limit) {
  int n = std::min(rows.size(), limit);
  if (n == 0) return absl::StrCat("<h3>", esc(title), "</h3><p class=none>none</p>");
  std::int64_t max = 1;
  for (int i = 0; i < n; ++i) max = std::max({max, rows[i].count(), rows[i].previous()});
  const int label_w = 230, bar_w = 360, row_h = 22, width = label_w + bar_w + 90;
  std::string svg =
      absl::StrFormat("<svg role=img aria-label=\"%s\" width=%d height=%d viewBox=\"0 0 %d %d\">",
                      esc(title), width, n * row_h + 8, width, n * row_h + 8);
  for (int i = 0; i < n; ++i) {
    const v1::Count& c = rows[i];
    int y = i * row_h + 4;
    double w = static_cast<double>(bar_w) * c.count() / max;
    double prev = static_cast<double>(bar_w) * c.previous() / max;
    absl::StrAppendFormat(
        &svg,
        "<text x=%d y=%d text-anchor=end class=lbl>%s</text>"
        "<rect x=%d y=%d width=%.1f height=%d class=bar><title>%s: %d (previous %d)</title></rect>"
        "<line x1=%.1f x2=%.1f y1=%d y2=%d class=prev />"
        "<text x=%.1f y=%d class=num>%d</text>",
        label_w - 6, y + 15, esc(c.key()), label_w, y + 2, w, row_h - 6, esc(c.key()), c.count(),
        c.previous(), label_w + prev, label_w + prev, y, y + row_h - 2, label_w + w + 6, y + 15,
        c.count());
  }
  svg += "</svg>";
  return absl::StrCat("<h3>", esc(title),
                      "</h3><p class=legend>bars: this period; thin line: the previous "
                      "period</p>",
                      svg);
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
.legend{font-size:.8em;color:#5a6570;margin:0}.grid{display:grid;grid-template-columns:1fr;gap:0 2em}
)css";

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
        u.unit(), csv_field(u.name()), class_name(u.unit_class()), u.rank(), u.previous_rank(),
        u.visits(), u.response_rate(), u.resolution_rate(), u.satisfaction_rate(), u.composite(),
        u.dispatched(), u.closed(), u.handling_hours(), u.first_contacts(), u.response_hours(),
        u.breached(), u.sign_outcomes(), u.sign_on_time_rate(), u.replies(),
        u.completion_on_time_rate(), u.supervised(), u.resolution_only_visits(),
        u.long_term_held());
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
  return out;
}

std::string report_html(const v1::Report& r) {
  std::string scope = r.district().empty() ? "北京市 Beijing" : r.district();
  std::string h = absl::StrCat(
      "<!DOCTYPE html>\n<html lang=zh-CN><head><meta charset=utf-8>"
      "<meta name=viewport content=\"width=device-width,initial-scale=1\"><title>接诉即办 ",
      esc(scope), " ", china_time(r.from_ms()), " – ", china_time(r.until_ms()), "</title><style>",
      kStyle, "</style></head><body>");
  absl::StrAppend(&h, "<h1>接诉即办 report: ", esc(scope), "</h1><p class=sub>",
                  china_time(r.from_ms()), " to ", china_time(r.until_ms()),
                  " (China time); compared with the period of the same length before</p>");
  if (r.empty()) {
    absl::StrAppend(
        &h,
        "<p class=empty><b>本期无数据 No data for this period.</b> Nothing was received "
        "or handled in ",
        esc(scope), " from ", china_time(r.from_ms()), " to ", china_time(r.until_ms()),
        " (China time): every figure below is 0 because there was nothing to "
        "count.</p>");
  }
  std::int64_t visits = 0, breached = 0;
  for (const v1::UnitRow& u : r.units()) {
    visits += u.visits();
    breached += u.breached();
  }
  absl::StrAppendFormat(&h,
                        "<div class=cards><div class=card>requests<b>%d</b>previous %d</div>"
                        "<div class=card>valid return visits<b>%d</b></div>"
                        "<div class=card>deadlines breached<b>%d</b></div>"
                        "<div class=card>request groups<b>%d</b></div>"
                        "<div class=card>rising problems<b>%d</b></div></div>",
                        r.received(), r.previous_received(), visits, breached, r.groups_size(),
                        r.rising_size());

  h += "<h2>Volumes 诉求量</h2><div class=grid>";
  h += bar_chart("By category 按类别 (level 1)", r.by_category1(), 15);
  h += bar_chart("By category (levels 1-2)", r.by_category2(), 15);
  if (r.district().empty()) h += bar_chart("By district 按区", r.by_district(), 16);
  h += bar_chart("By channel 按渠道", r.by_channel(), 12);
  h += bar_chart("By kind 按诉求类型", r.by_kind(), 6);
  h += "</div>";

  h += "<h2>Hot spots 热点</h2>";
  h += bar_chart("Streets by volume 街乡", r.by_street(), 15);
  h += bar_chart("Communities and estates by volume 社区", r.by_community(), 15);
  h += bar_chart("Communities by growth 增长最快", r.rising_communities(), 10);

  h += "<h2>Rising problems 每月一题 candidates</h2>";
  if (r.rising_size() == 0) {
    h += "<p class=none>none this period</p>";
  } else {
    h += "<table><tr><th class=t>district<th class=t>category<th>count<th>baseline<th>z</tr>";
    for (const v1::RisingRow& x : r.rising()) {
      absl::StrAppendFormat(&h, "<tr><td class=t>%s<td class=t>%s<td>%d<td>%.1f<td>%.1f</tr>",
                            esc(x.district()), esc(x.category()), x.count(), x.baseline(), x.z());
    }
    h += "</table>";
  }
  absl::StrAppend(&h, "<p class=legend>", esc(r.rising_test()), "</p>");

  h += "<h2>Request groups 群体诉求 (reported 10 times or more)</h2>";
  if (r.groups_size() == 0) {
    h += "<p class=none>none in this period (groups are looked for in periods up to a week)</p>";
  } else {
    h += "<table><tr><th>times<th class=t>area<th class=t>category<th class=t>what people "
         "say (one of them)</tr>";
    constexpr int kShown = 50;  // the CSV and JSON have them all
    for (int i = 0; i < r.groups_size() && i < kShown; ++i) {
      const v1::GroupRow& g = r.groups(i);
      absl::StrAppendFormat(&h, "<tr><td>%d<td class=t>%s<td class=t>%s<td class=t>%s</tr>",
                            g.size(), esc(g.area()), esc(g.category()), esc(g.text()));
    }
    h += "</table>";
    if (r.groups_size() > kShown) {
      absl::StrAppendFormat(&h, "<p class=legend>and %d smaller groups (in the CSV and JSON)</p>",
                            r.groups_size() - kShown);
    }
  }

  h += "<h2>Three rates and rankings 三率排名</h2>";
  v1::UnitClass shown = v1::UNIT_CLASS_UNSPECIFIED;
  bool open = false;
  for (const v1::UnitRow& u : r.units()) {
    if (u.unit_class() != shown || !open) {
      if (open) h += "</table>";
      shown = u.unit_class();
      open = true;
      absl::StrAppend(&h, "<h3>", class_name(shown),
                      "s</h3><table><tr><th>rank<th>change<th class=t>unit<th>visits"
                      "<th>response<th>resolution<th>satisfaction<th>composite<th>signed on "
                      "time<th>replied on time<th>dispatched<th>closed<th>mean handling "
                      "h<th>breached<th>supervised<th>long-term pending</tr>");
    }
    absl::StrAppendFormat(
        &h,
        "<tr><td>%s<td>%s<td class=t>%s<td>%d<td>%s<td>%s<td>%s<td>%.3f<td>%s<td>%s<td>%d<td>%d"
        "<td>%.1f<td>%d<td>%d<td>%d</tr>",
        u.rank() ? std::to_string(u.rank()) : "–", change(u), esc(u.name()), u.visits(),
        pct(u.response_rate()), pct(u.resolution_rate()), pct(u.satisfaction_rate()), u.composite(),
        u.sign_outcomes() ? pct(u.sign_on_time_rate()) : "–",
        u.replies() ? pct(u.completion_on_time_rate()) : "–", u.dispatched(), u.closed(),
        u.handling_hours(), u.breached(), u.supervised(), u.long_term_held());
  }
  if (open) h += "</table>";
  h += "<p class=legend>Rates over orders with a valid return visit that stands in the "
       "period: response = contacted, resolution = solved, satisfaction = satisfied + 0.9 × "
       "basically satisfied; composite = 0.1 / 0.5 / 0.4 weighted unless configured. An "
       "expired order counted as not solved only (Art. 23) enters the resolution rate alone. "
       "Units without a visit are not ranked.</p>";
  h += "</body></html>\n";
  return h;
}

}  // namespace jszb::core
