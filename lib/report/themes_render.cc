#include "report/themes_render.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/time/time.h"
#include "base/china_time.h"
#include "report/labels.h"

namespace jszb::core {

namespace {

std::string field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  return absl::StrCat("\"", absl::StrReplaceAll(s, {{"\"", "\"\""}}), "\"");
}

std::string esc(const std::string& s) {
  return absl::StrReplaceAll(
      s, {{"&", "&amp;"}, {"<", "&lt;"}, {">", "&gt;"}, {"\"", "&quot;"}, {"'", "&#39;"}});
}

std::string china(std::int64_t ms, const char* format = "%Y-%m-%d %H:%M") {
  return absl::FormatTime(format, absl::FromUnixMillis(ms), china_zone());
}

template <class List>
std::string joined(const List& items) {
  return absl::StrJoin(items.begin(), items.end(), "; ");
}

// A column per month, the start's month marked, with its count.
std::string trend_svg(const v1::ThemeRow& t) {
  if (t.trend_size() == 0) return "";
  std::int64_t max = 1;
  for (const v1::ThemePeriod& p : t.trend()) max = std::max(max, p.count());
  const int col = 46, h = 90, top = 16, width = col * t.trend_size() + 8;
  std::string svg = absl::StrFormat(
      "<svg role=img aria-label=\"%s 各月诉求量\" width=%d height=%d viewBox=\"0 0 %d %d\">",
      esc(t.name()), width, h + top + 20, width, h + top + 20);
  for (int i = 0; i < t.trend_size(); ++i) {
    const v1::ThemePeriod& p = t.trend(i);
    double bar = static_cast<double>(h) * p.count() / max;
    int x = 4 + i * col;
    absl::StrAppendFormat(
        &svg,
        "<rect x=%d y=%.1f width=%d height=%.1f %s><title>%s：%d 件</title></rect>"
        "<text x=%d y=%.1f text-anchor=middle class=num>%d</text>"
        "<text x=%d y=%d text-anchor=middle class=lbl>%s</text>",
        x + 4, top + h - bar, col - 8, bar, p.offset() < 0 ? "style=\"fill:#9aa5b1\"" : "class=bar",
        china(p.from_ms(), "%Y-%m"), p.count(), x + col / 2, top + h - bar - 3, p.count(),
        x + col / 2, top + h + 14, china(p.from_ms(), p.offset() == 0 ? "立题%m月" : "%m月"));
  }
  return svg + "</svg>";
}

std::string task_state(const v1::ThemeTaskRow& k) {
  if (k.overdue()) return "<span class=down>已超期</span>";
  if (k.state() == "done") return k.late() ? "逾期完成" : chinese_label("done");
  return chinese_label(k.state());
}

std::string theme_html(const v1::ThemeRow& t) {
  std::string h = absl::StrCat("<h3>", esc(t.name()), "</h3><p class=sub>牵头单位：",
                               esc(t.lead_name()), "；立题：", china(t.start_ms(), "%Y年%m月"),
                               "；范围：", t.areas_size() ? esc(joined(t.areas())) : "全市");
  if (t.categories_size()) absl::StrAppend(&h, "；类别：", esc(joined(t.categories())));
  if (t.keywords_size()) absl::StrAppend(&h, "；关键词：", esc(joined(t.keywords())));
  absl::StrAppendFormat(&h, "</p><p>本期 <b>%d</b> 件（上期 %d 件）。立题前 3 个月月均 %.1f 件",
                        t.count(), t.previous(), t.before_mean());
  if (t.after_months() > 0) {
    absl::StrAppendFormat(&h, "，立题后 %d 个整月月均 %.1f 件", t.after_months(), t.after_mean());
    if (t.before_mean() > 0) {
      double change = (t.after_mean() - t.before_mean()) / t.before_mean();
      absl::StrAppendFormat(&h, "（<span class=%s>%+.0f%%</span>）", change <= 0 ? "up" : "down",
                            100 * change);
    }
  } else {
    h += "，立题后尚无整月";
  }
  absl::StrAppend(&h, "。</p>", trend_svg(t),
                  "<p class=legend>浅色：立题前；深色：立题当月及以后</p>");
  if (t.tasks_size() == 0) return h + "<p class=none>尚无任务</p>";
  absl::StrAppendFormat(&h, "<p>任务 %d 项，未完成 %d 项，其中已超期 %d 项</p>", t.tasks_size(),
                        t.open_tasks(), t.overdue_tasks());
  h += "<table><tr><th class=t>任务<th class=t>责任单位<th>期限<th>状态<th>完成时间</tr>";
  for (const v1::ThemeTaskRow& k : t.tasks()) {
    absl::StrAppendFormat(&h, "<tr><td class=t>%s<td class=\"t nm\">%s<td>%s<td>%s<td>%s</tr>",
                          esc(k.title()), esc(k.owner_name()), china(k.due_ms(), "%Y-%m-%d"),
                          task_state(k), k.done_ms() ? china(k.done_ms(), "%Y-%m-%d") : "–");
  }
  return h + "</table>";
}

}  // namespace

std::string themes_csv(const v1::Report& r) {
  std::string out =
      "\n# themes\nid,name,start,lead_unit,lead_name,categories,keywords,areas,count,previous,"
      "before_mean,after_mean,after_months,open_tasks,overdue_tasks\n";
  for (const v1::ThemeRow& t : r.themes()) {
    absl::StrAppendFormat(&out, "%d,%s,%s,%d,%s,%s,%s,%s,%d,%d,%.2f,%.2f,%d,%d,%d\n", t.id(),
                          field(t.name()), china(t.start_ms()), t.lead_unit(), field(t.lead_name()),
                          field(joined(t.categories())), field(joined(t.keywords())),
                          field(joined(t.areas())), t.count(), t.previous(), t.before_mean(),
                          t.after_mean(), t.after_months(), t.open_tasks(), t.overdue_tasks());
  }
  out += "\n# theme_trend\ntheme,offset,from,until,count\n";
  for (const v1::ThemeRow& t : r.themes()) {
    for (const v1::ThemePeriod& p : t.trend()) {
      absl::StrAppendFormat(&out, "%d,%d,%s,%s,%d\n", t.id(), p.offset(), china(p.from_ms()),
                            china(p.until_ms()), p.count());
    }
  }
  out += "\n# theme_tasks\ntheme,task,owner_unit,owner_name,title,due,state,done,overdue,late\n";
  for (const v1::ThemeRow& t : r.themes()) {
    for (const v1::ThemeTaskRow& k : t.tasks()) {
      absl::StrAppendFormat(&out, "%d,%d,%d,%s,%s,%s,%s,%s,%s,%s\n", t.id(), k.id(), k.owner_unit(),
                            field(k.owner_name()), field(k.title()), china(k.due_ms()), k.state(),
                            k.done_ms() ? china(k.done_ms()) : "", k.overdue() ? "true" : "false",
                            k.late() ? "true" : "false");
    }
  }
  out += "\n# theme_candidates\ndistrict,category,count,baseline,z\n";
  for (const v1::RisingRow& x : r.theme_candidates()) {
    absl::StrAppendFormat(&out, "%s,%s,%d,%.2f,%.2f\n", field(x.district()), field(x.category()),
                          x.count(), x.baseline(), x.z());
  }
  return out;
}

std::string themes_html(const v1::Report& r) {
  std::string h = absl::StrFormat(
      "<h2 id=themes>每月一题</h2><p class=sub>本期涉及主题 %d 个；各主题按月统计立题前后的诉求量"
      "（北京时间自然月）</p>",
      r.themes_size());
  if (r.themes_size() == 0) h += "<p class=none>尚未设立主题（或本区不在任何主题范围内）</p>";
  for (const v1::ThemeRow& t : r.themes()) h += theme_html(t);
  h += "<h3>尚未立题的上升问题（每月一题候选）</h3>";
  if (r.theme_candidates_size() == 0) return h + "<p class=none>本期无</p>";
  h += "<table><tr><th class=t>区<th class=t>类别<th>本期<th>基线<th>z</tr>";
  for (const v1::RisingRow& x : r.theme_candidates()) {
    absl::StrAppendFormat(&h, "<tr><td class=\"t nm\">%s<td class=t>%s<td>%d<td>%.1f<td>%.1f</tr>",
                          esc(x.district()), esc(x.category()), x.count(), x.baseline(), x.z());
  }
  return h + "</table>";
}

}  // namespace jszb::core
