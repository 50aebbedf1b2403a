# demo_check.cmake: ctest checks of jszb_demo, run with cmake -P.
#
#   cmake -DDEMO=<path to jszb_demo> -DMODE=runs -P demo_check.cmake
#     runs `jszb_demo --quiet` (default seed): it must exit 0 and its weekly
#     summary must show the week total of 17205 requests, run under the built-in
#     Beijing policy, route by its catalogue (every located request to its street,
#     no department made a lead, utilities to their enterprise, emergencies not
#     dispatched, explained), and show the engine's clocks at work (orders
#     returned unsigned, supervision by the escalation ladder), then the monthly
#     analysis of the assessment month 2021-09-19 to 10-19, saying it covers only
#     the 7 days simulated. Then runs it without --quiet: eight daily bulletins,
#     noon to noon, the first (09-19 00:00-12:00) and the last (09-25 12:00 to
#     09-26 00:00) marked partial, whose requests received add up to the week's.
#   cmake -DDEMO=<path> -DMODE=by_department -DPOLICY_FILE=<file> -DREPORT_FILE=<html>
#         -P demo_check.cmake
#     runs `jszb_demo --quiet --policy <file>` (the by-department alternative): it
#     must exit 0, say it runs under that file, and route whole categories to
#     district departments ahead of the street.
#   cmake -DDEMO=<path> -DMODE=deterministic -P demo_check.cmake
#     runs the demo twice with one seed and once with another: the first two
#     outputs must be byte-identical and the third must differ.
#   cmake -DDEMO=<path> -DMODE=store -DSTORE=<file> -P demo_check.cmake
#     runs the demo twice on one store file (one day each): the first run makes
#     the store, the second continues it with the next week, its cases from the
#     first run carried over.
cmake_minimum_required(VERSION 3.25)

if(NOT DEMO)
  message(FATAL_ERROR "pass -DDEMO=<path to jszb_demo>")
endif()

# Runs the demo with the given arguments; sets <out_var> to its stdout and fails
# the test unless it exits 0.
function(run_demo out_var)
  execute_process(
    COMMAND "${DEMO}" ${ARGN}
    OUTPUT_VARIABLE out
    ERROR_VARIABLE err
    RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "jszb_demo ${ARGN} exited with ${rc}\n${err}")
  endif()
  set(${out_var} "${out}" PARENT_SCOPE)
endfunction()

# Fails the test unless `text` matches every regular expression after it;
# `what` names the text in the message.
function(expect_all what text)
  foreach(expected ${ARGN})
    if(NOT text MATCHES "${expected}")
      message(FATAL_ERROR "${what} does not show \"${expected}\":\n${text}")
    endif()
  endforeach()
endfunction()

if(MODE STREQUAL "runs")
  run_demo(out --quiet)
  if(NOT out MATCHES "Total 合计 +17205 ")
    message(FATAL_ERROR "the weekly summary does not show the week total 17205:\n${out}")
  endif()
  expect_all("the weekly summary" "${out}"
      "policy beijing v3 \\(built in\\)"
      "street-first +dispatch"
      "streets 街乡[^\n]* [1-9][0-9]* +[1-9][0-9.]*%"
      "departments 部门 +0 +0\\.0%"
      "utilities 公用企业[^\n]* [1-9][0-9]* "
      "utility-water +dispatch"
      "emergency +not dispatched"
      "Routing explained"
      "returned unsigned +超时未签退回 +[1-9]"
      "supervised by the ladder +升级督办 +[1-9]"
      "forwarded to communities +转社区\\(居委会\\) +[1-9][0-9]* +signed 签收 [1-9]"
      "Streets ranked 街道三率排名 \\(43 streets"
      "[1-9][0-9]* groups in all"
      "Found as one group each: 5 of 5 matters, "
      "HTML report 报告")
  expect_all("the monthly analysis" "${out}"
      "月分析 Monthly analysis: 朝阳区, assessment month 考核月 2021-10\n"
      " 2021-09-19 00:00 to 2021-10-19 00:00 \\(UTC\\+8\\): the 19th to the 18th"
      "Covers only the days simulated: 2021-09-19 00:00 to 2021-09-26 00:00,\n 7 of the month's 30 days"
      "Requests received 受理 17205 \\(the assessment month before: 0, not simulated\\)"
      "Streets 街乡, month to date: the best three, then the lowest three")
  # Every request counts in its area, also those located only by a map pin.
  if(out MATCHES "volumes leave out")
    message(FATAL_ERROR "the report's volumes leave requests out:\n${out}")
  endif()
  if(out MATCHES "日报 Daily bulletin")
    message(FATAL_ERROR "--quiet printed daily bulletins:\n${out}")
  endif()

  # The daily bulletins: noon to noon, the half-days at the ends marked, and
  # their requests received add up to the week's.
  run_demo(full)
  expect_all("the daily bulletins" "${full}"
      "== 日报 Daily bulletin 2021-09-19 Sun 周日 · period 统计时段 09-19 00:00 – 09-19 12:00 · PARTIAL 半日 \\(12 h\\) ==\n"
      "  Half a bulletin day: the simulation starts at 2021-09-19 00:00;\n  the full period of this bulletin is 09-18 12:00 – 09-19 12:00."
      "== 日报 Daily bulletin 2021-09-20 Mon 周一 · period 统计时段 09-19 12:00 – 09-20 12:00 ==\n"
      "== 日报 Daily bulletin 2021-09-25 Sat 周六 · period 统计时段 09-24 12:00 – 09-25 12:00 ==\n"
      "== 日报 Daily bulletin 2021-09-26 Sun 周日 · period 统计时段 09-25 12:00 – 09-26 00:00 · PARTIAL 半日 \\(12 h\\) ==\n"
      "  Half a bulletin day: the simulation ends at 2021-09-26 00:00;\n  the full period of this bulletin is 09-25 12:00 – 09-26 12:00.")
  string(REGEX MATCHALL "== 日报 Daily bulletin [^\n]*" headers "${full}")
  list(LENGTH headers bulletins)
  string(REGEX MATCHALL "· PARTIAL 半日 \\(" partial "${full}")
  list(LENGTH partial partials)
  if(NOT bulletins EQUAL 8 OR NOT partials EQUAL 2)
    message(FATAL_ERROR "expected 8 bulletins, 2 of them partial; got ${bulletins} and ${partials}")
  endif()
  string(REGEX MATCHALL "Received 受理 [0-9]+ \\| in the period" received "${full}")
  set(sum 0)
  foreach(line IN LISTS received)
    string(REGEX MATCH "[0-9]+" n "${line}")
    math(EXPR sum "${sum} + ${n}")
  endforeach()
  if(NOT sum EQUAL 17205)
    message(FATAL_ERROR "the bulletins' requests received add up to ${sum}, not the week's 17205")
  endif()

  if(NOT EXISTS "${CMAKE_CURRENT_BINARY_DIR}/jszb-demo-report.html")
    message(FATAL_ERROR "the demo did not write jszb-demo-report.html")
  endif()
  file(READ "${CMAKE_CURRENT_BINARY_DIR}/jszb-demo-report.html" html)
  if(NOT html MATCHES "^<!DOCTYPE html>" OR NOT html MATCHES "<svg" OR html MATCHES "<script")
    message(FATAL_ERROR "jszb-demo-report.html is not a self-contained page with charts")
  endif()
  # The page and the weekly summary come from one report object: the headline
  # box's numbers are the summary's. The page says what it counts, ranks the
  # utilities that handled the district's orders, names estates and
  # communities among its hot spots, lists the groups, links from each unit's
  # row to the orders behind it.
  string(REGEX MATCH "Requests received 受理诉求 ([0-9]+) \\(previous period 上期 no data\\); valid visits 有效回访 ([0-9]+) and breaches 超期 ([0-9]+)" headline "${full}")
  if(NOT headline)
    message(FATAL_ERROR "the weekly summary does not show the report's headline:\n${full}")
  endif()
  set(summary_received ${CMAKE_MATCH_1})
  set(summary_visits ${CMAKE_MATCH_2})
  set(summary_breached ${CMAKE_MATCH_3})
  foreach(field received visits breached)
    if(NOT html MATCHES "data-field=${field}>([0-9]+)<")
      message(FATAL_ERROR "the page's headline box has no ${field}")
    endif()
    if(NOT CMAKE_MATCH_1 EQUAL summary_${field})
      message(FATAL_ERROR "the page's ${field} is ${CMAKE_MATCH_1}, the summary's ${summary_${field}}")
    endif()
  endforeach()
  if(NOT summary_received EQUAL 17205)
    message(FATAL_ERROR "the report received ${summary_received}, not the week's 17205")
  endif()
  expect_all("jszb-demo-report.html" "${html}"
      "<section id=definitions"
      "2021-09-19 00:00 至 2021-09-26 00:00（北京时间 UTC\\+8"
      "<b>上期无数据</b>"
      "<h3>公共服务企业</h3>"
      "北京市自来水集团</a><span class=tag>全市</span>"
      "社区、小区（按诉求量）</h3><p class=legend>"
      "<h2 id=groups>群体诉求"
      "href=\"#u110105026-not_solved\""
      "<p class=unit id=u110105026>")
  message(STATUS "jszb_demo --quiet: exit 0, week total 17205, routed and timed by the policy, "
                 "monthly analysis; 8 noon-to-noon bulletins adding up to 17205; the page's "
                 "headline equals the summary's")
elseif(MODE STREQUAL "by_department")
  if(NOT POLICY_FILE OR NOT REPORT_FILE)
    message(FATAL_ERROR "pass -DPOLICY_FILE=<policy file> -DREPORT_FILE=<html file>")
  endif()
  run_demo(out --quiet --policy "${POLICY_FILE}" --report "${REPORT_FILE}")
  if(NOT out MATCHES "Total 合计 +17205 ")
    message(FATAL_ERROR "the weekly summary does not show the week total 17205:\n${out}")
  endif()
  expect_all("the by-department run" "${out}"
      "policy beijing-by-department v1002 \\([^)]*beijing-by-department.textproto\\)"
      "departments 部门 +[1-9][0-9]* +[1-9][0-9.]*%"
      "streets 街乡[^\n]* [1-9][0-9]* "
      "market-prepaid-110105 +dispatch 派单: 朝阳市场监管局"
      "labour-110105 +dispatch 派单: 朝阳人力社保局"
      "street-first +dispatch"
      "emergency +not dispatched"
      "A department by category")
  if(NOT EXISTS "${REPORT_FILE}")
    message(FATAL_ERROR "the demo did not write ${REPORT_FILE}")
  endif()
  file(REMOVE "${REPORT_FILE}")
  message(STATUS "jszb_demo --policy ${POLICY_FILE}: exit 0, categories routed to departments")
elseif(MODE STREQUAL "deterministic")
  # A page of its own: demo_runs, run beside it, checks the default one's numbers.
  set(page "${CMAKE_CURRENT_BINARY_DIR}/demo_deterministic_report.html")
  run_demo(first --quiet --seed 20210919 --report "${page}")
  run_demo(second --quiet --seed 20210919 --report "${page}")
  run_demo(other --quiet --seed 7 --report "${page}")
  file(REMOVE "${page}")
  string(SHA256 h1 "${first}")
  string(SHA256 h2 "${second}")
  string(SHA256 h3 "${other}")
  if(NOT first STREQUAL second)
    message(FATAL_ERROR "two runs with seed 20210919 differ (${h1} vs ${h2})")
  endif()
  if(first STREQUAL other)
    message(FATAL_ERROR "seeds 20210919 and 7 give the same output (${h1})")
  endif()
  message(STATUS "seed 20210919 twice: identical (${h1}); seed 7: different (${h3})")
elseif(MODE STREQUAL "store")
  file(REMOVE "${STORE}" "${STORE}-wal" "${STORE}-shm" "${STORE}-lock")
  set(page "${CMAKE_CURRENT_BINARY_DIR}/demo_store_report.html")
  run_demo(first --quiet --days 1 --store "${STORE}" --report "${page}")
  if(NOT first MATCHES "store [^\n]*: new")
    message(FATAL_ERROR "the first run did not make a new store:\n${first}")
  endif()
  if(NOT first MATCHES "from 2021-09-19 00:00")
    message(FATAL_ERROR "the first run did not simulate the first week:\n${first}")
  endif()
  run_demo(second --quiet --days 1 --store "${STORE}" --report "${page}")
  file(REMOVE "${page}")
  if(NOT second MATCHES "continued, week 2, ([0-9]+) cases from earlier runs")
    message(FATAL_ERROR "the second run did not continue the store:\n${second}")
  endif()
  set(carried "${CMAKE_MATCH_1}")
  if(carried LESS 1000)
    message(FATAL_ERROR "the second run found only ${carried} cases from the first")
  endif()
  if(NOT second MATCHES "from 2021-09-26 00:00")
    message(FATAL_ERROR "the second run did not go on with the next week:\n${second}")
  endif()
  file(REMOVE "${STORE}" "${STORE}-wal" "${STORE}-shm" "${STORE}-lock")
  message(STATUS "jszb_demo --store twice: made the store, then continued it (${carried} cases carried)")
else()
  message(FATAL_ERROR "MODE must be runs, by_department, deterministic or store, not '${MODE}'")
endif()
