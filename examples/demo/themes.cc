#include "themes.h"

#include <string>
#include <vector>

#include "catalogue.h"
#include "china_time.h"
#include "text_table.h"

namespace demo {

namespace {

constexpr Ms kChosen = china_time(2021, 9, 1);  // 每月一题 of September 2021

}  // namespace

void define_themes(const Workload& workload, jszb::Engine& engine) {
  if (!engine.themes().empty()) return;  // a continued store has them
  const std::string district = workload.catalogue().district_name();
  jszb::Theme refunds;
  refunds.name = "预付式消费退费难";
  refunds.start = kChosen;
  refunds.lead = kMarketRegulation;
  refunds.categories = {"市场管理/预付式消费", "教育/校外培训/退费难"};
  refunds.keywords = {"退费"};
  refunds.areas = {district};
  std::uint64_t id = engine.define_theme(refunds, workload.start());
  engine.set_theme_task(id,
                        {0, kEducation, "约谈停课的校外培训机构，督促退费", kChosen + 20 * kDay},
                        workload.start());
  engine.set_theme_task(id, {0, kMarketRegulation, "建立预付式消费资金监管", kChosen + 60 * kDay},
                        workload.start());
  jszb::Theme certificates;
  certificates.name = "房产证办理难";
  certificates.start = kChosen;
  certificates.lead = kHousing;
  certificates.categories = {"住房/房屋买卖/房产证办理"};
  certificates.keywords = {"房产证"};
  certificates.areas = {district};
  id = engine.define_theme(certificates, workload.start());
  engine.set_theme_task(id, {0, kHousing, "梳理办证难项目清单", kChosen + 15 * kDay},
                        workload.start());
}

void print_themes(std::ostream& out, const Workload& workload, jszb::Engine& engine) {
  out << "\nThemes 每月一题 chosen for September 2021 (the library finds each theme's requests,\n"
         "any unit, any state, by category, keyword and area)\n";
  TextTable t;
  t.column("Theme 主题").column("Requests this week", Align::kRight).column("Tasks 任务");
  for (const jszb::Theme& theme : engine.themes()) {
    std::vector<jszb::CaseId> cases =
        engine.theme_cases(theme.id, workload.start(), workload.end());
    std::string tasks;
    for (const jszb::ThemeTask& k : theme.tasks) {
      bool overdue = k.state == jszb::TaskState::kOpen && k.due < workload.end();
      tasks += (tasks.empty() ? "" : "; ") + k.title + " (due " + format_date(k.due) +
               (k.state == jszb::TaskState::kDone ? ", done"
                : overdue                         ? ", OVERDUE"
                                                  : ", open") +
               ")";
    }
    t.row({theme.name, std::to_string(cases.size()), tasks});
  }
  t.print(out);
}

}  // namespace demo
