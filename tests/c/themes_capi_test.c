/* Themes (每月一题) through the C ABI, in C99 against jszb.h (and POSIX for a
   temporary directory): define a theme and its tasks, read them back, count
   its requests around its start, list its cases, find candidates; every bad
   input refused by name with nothing changed; themes kept in a store file
   across a reopen. Run one test by name: themes_capi_test <name>. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "jszb/jszb.h"

#define OCT1 ((int64_t)1633017600000) /* 2021-10-01 00:00 China time */
#define HOUR ((int64_t)3600000)
#define DAY (24 * HOUR)
#define MARKET 110105901u /* 朝阳市场监管局 */
#define EDUCATION 110105903u

static const char* const kCategories[] = {"市场管理/预付式消费"};
static const char* const kKeywords[] = {"退费"};
static const char* const kAreas[] = {"朝阳区"};

static jszb_theme prepaid(void) {
  jszb_theme t = JSZB_THEME_INIT;
  t.name = "预付式消费退费难";
  t.start_ms = OCT1;
  t.lead_unit = MARKET;
  t.categories = kCategories;
  t.categories_count = 1;
  t.keywords = kKeywords;
  t.keywords_count = 1;
  t.areas = kAreas;
  t.areas_count = 1;
  return t;
}

static void use_beijing(jszb_engine* e) {
  jszb_policy* p = NULL;
  OK(jszb_policy_default(&p));
  OK(jszb_engine_set_policy(e, p));
  jszb_policy_free(p);
}

static uint64_t submit(jszb_engine* e, const char* ref, int64_t t, const char* cat1,
                       const char* cat2, const char* content) {
  jszb_intake in = JSZB_INTAKE_INIT;
  uint64_t id = 0;
  in.time_ms = t;
  in.actor.role = JSZB_ROLE_OPERATOR;
  in.actor.staff = 1001;
  in.channel = JSZB_CHANNEL_PHONE;
  in.channel_ref = ref;
  in.kind = JSZB_KIND_COMPLAINT;
  in.category[0] = cat1;
  in.category[1] = cat2;
  in.content = content;
  in.district = "朝阳区";
  in.street = "望京街道";
  OK(jszb_engine_submit(e, &in, &id, NULL));
  return id;
}

static int message_has(const char* words) {
  return strstr(jszb_error_last()->message, words) != NULL;
}

static size_t theme_count(jszb_engine* e) {
  jszb_themes* all = NULL;
  size_t n;
  OK(jszb_engine_themes(e, 0, &all));
  n = jszb_themes_count(all);
  jszb_themes_free(all);
  return n;
}

static void test_define_and_read_back(void) {
  jszb_engine* e = NULL;
  jszb_theme t = prepaid();
  jszb_theme_task task = JSZB_THEME_TASK_INIT;
  jszb_themes* all = NULL;
  const jszb_theme* got;
  const jszb_theme_task* k;
  uint64_t id = 0;
  uint32_t task_id = 0;
  OK(jszb_engine_open(NULL, &e));
  use_beijing(e);
  OK(jszb_engine_theme_define(e, &t, OCT1, &id));
  CHECK(id == 1);
  task.owner_unit = EDUCATION;
  task.title = "约谈培训机构";
  task.due_ms = OCT1 + 10 * DAY;
  OK(jszb_engine_theme_task_set(e, id, &task, OCT1, &task_id));
  CHECK(task_id == 1);
  task.id = task_id;
  task.state = JSZB_TASK_DONE;
  OK(jszb_engine_theme_task_set(e, id, &task, OCT1 + 2 * DAY, NULL));
  OK(jszb_engine_themes(e, id, &all));
  CHECK(jszb_themes_count(all) == 1);
  got = jszb_themes_get(all, 0);
  CHECK(got != NULL && got->id == id && strcmp(got->name, "预付式消费退费难") == 0);
  CHECK(got->start_ms == OCT1 && got->lead_unit == MARKET);
  CHECK(got->categories_count == 1 && strcmp(got->categories[0], "市场管理/预付式消费") == 0);
  CHECK(got->keywords_count == 1 && strcmp(got->keywords[0], "退费") == 0);
  CHECK(got->areas_count == 1 && strcmp(got->areas[0], "朝阳区") == 0);
  CHECK(jszb_themes_task_count(all, 0) == 1);
  k = jszb_themes_task(all, 0, 0);
  CHECK(k != NULL && k->state == JSZB_TASK_DONE && k->done_ms == OCT1 + 2 * DAY);
  CHECK(jszb_themes_task(all, 0, 1) == NULL && jszb_themes_get(all, 1) == NULL);
  jszb_themes_free(all);
  jszb_themes_free(NULL);
  CHECK(jszb_themes_count(NULL) == 0);
  /* Removed, the id is not given out again. */
  OK(jszb_engine_theme_remove(e, id, OCT1));
  CHECK(jszb_engine_themes(e, id, &all) == JSZB_E_NOT_FOUND);
  OK(jszb_engine_theme_define(e, &t, OCT1, &id));
  CHECK(id == 2);
  jszb_engine_close(e);
}

static void test_bad_input(void) {
  jszb_engine* e = NULL;
  jszb_theme t = prepaid();
  jszb_theme_task task = JSZB_THEME_TASK_INIT;
  static const char* const null_item[] = {NULL};
  static const char* const bad_utf8[] = {"\xff"};
  uint64_t id = 0;
  OK(jszb_engine_open(NULL, &e));
  CHECK(jszb_engine_theme_define(e, &t, OCT1, &id) == JSZB_E_NOT_FOUND); /* no policy */
  CHECK(message_has("no policy"));
  use_beijing(e);
  OK(jszb_engine_theme_define(e, &t, OCT1, &id));
  t.name = "";
  CHECK(jszb_engine_theme_define(e, &t, OCT1, NULL) == JSZB_E_INVALID && message_has("name"));
  t.name = "预付式消费退费难";
  CHECK(jszb_engine_theme_define(e, &t, OCT1, NULL) == JSZB_E_INVALID && message_has("taken"));
  t.name = "房产证办理难";
  t.lead_unit = 7;
  CHECK(jszb_engine_theme_define(e, &t, OCT1, NULL) == JSZB_E_NOT_FOUND &&
        message_has("lead_unit 7"));
  t.lead_unit = MARKET;
  t.keywords = null_item;
  CHECK(jszb_engine_theme_define(e, &t, OCT1, NULL) == JSZB_E_INVALID &&
        message_has("keywords[0] is NULL"));
  t.keywords = bad_utf8;
  CHECK(jszb_engine_theme_define(e, &t, OCT1, NULL) == JSZB_E_INVALID && message_has("UTF-8"));
  t.keywords = NULL;
  CHECK(jszb_engine_theme_define(e, &t, OCT1, NULL) == JSZB_E_INVALID &&
        message_has("keywords is NULL"));
  t.keywords = kKeywords;
  t.version = 99;
  CHECK(jszb_engine_theme_define(e, &t, OCT1, NULL) == JSZB_E_INVALID &&
        message_has("JSZB_THEME_INIT"));
  t.version = JSZB_THEME_VERSION;
  t.id = 42;
  CHECK(jszb_engine_theme_define(e, &t, OCT1, NULL) == JSZB_E_NOT_FOUND && message_has("theme 42"));
  CHECK(jszb_engine_theme_define(e, NULL, OCT1, NULL) == JSZB_E_INVALID);
  CHECK(jszb_engine_theme_define(NULL, &t, OCT1, NULL) == JSZB_E_INVALID);
  /* Tasks. */
  task.owner_unit = EDUCATION;
  task.title = "约谈";
  task.due_ms = OCT1 - DAY;
  CHECK(jszb_engine_theme_task_set(e, id, &task, OCT1, NULL) == JSZB_E_INVALID &&
        message_has("before the start"));
  task.due_ms = OCT1 + DAY;
  task.state = 3;
  CHECK(jszb_engine_theme_task_set(e, id, &task, OCT1, NULL) == JSZB_E_INVALID &&
        message_has("task.state is 3"));
  task.state = JSZB_TASK_OPEN;
  CHECK(jszb_engine_theme_task_set(e, 99, &task, OCT1, NULL) == JSZB_E_NOT_FOUND);
  task.owner_unit = 0;
  CHECK(jszb_engine_theme_task_set(e, id, &task, OCT1, NULL) == JSZB_E_INVALID &&
        message_has("owner_unit is 0"));
  CHECK(jszb_engine_theme_remove(e, 99, OCT1) == JSZB_E_NOT_FOUND);
  /* Not in a batch. */
  t.id = 0;
  OK(jszb_engine_begin(e));
  CHECK(jszb_engine_theme_define(e, &t, OCT1, NULL) == JSZB_E_STATE && message_has("batch"));
  OK(jszb_engine_rollback(e));
  /* Nothing changed. */
  CHECK(theme_count(e) == 1);
  jszb_engine_close(e);
}

static void test_trend_cases_candidates(void) {
  jszb_engine* e = NULL;
  jszb_theme t = prepaid();
  jszb_theme_trend_options o = JSZB_THEME_TREND_OPTIONS_INIT;
  jszb_report_options r = JSZB_REPORT_OPTIONS_INIT;
  jszb_theme_count* counts = NULL;
  jszb_theme_candidate* candidates = NULL;
  uint64_t* ids = NULL;
  uint64_t id = 0, a, b, c;
  size_t n = 0;
  char ref[32];
  int i;
  OK(jszb_engine_open(NULL, &e));
  use_beijing(e);
  OK(jszb_engine_theme_define(e, &t, OCT1, &id));
  a = submit(e, "c-1", OCT1 - 10 * DAY, "市场管理", "预付式消费", "健身卡");
  b = submit(e, "c-2", OCT1 + HOUR, "教育", "校外培训", "培训机构不给退费");
  c = submit(e, "c-3", OCT1 + 2 * HOUR, "教育", "校外培训", "退费");
  submit(e, "c-4", OCT1 + 3 * HOUR, "城乡建设", "施工扰民", "噪音");
  o.theme_id = id;
  o.before = 1;
  o.after = 2;
  OK(jszb_engine_theme_trend(e, &o, &counts, &n));
  CHECK(n == 3);
  if (n == 3) {
    CHECK(counts[0].offset == -1 && counts[0].received == 1 && counts[0].until_ms == OCT1);
    CHECK(counts[1].offset == 0 && counts[1].received == 2 && counts[1].from_ms == OCT1);
    CHECK(counts[2].received == 0);
  }
  jszb_free(counts);
  o.period = 9;
  CHECK(jszb_engine_theme_trend(e, &o, &counts, &n) == JSZB_E_INVALID && message_has("period"));
  o.period = JSZB_THEME_WEEK;
  o.after = 0;
  CHECK(jszb_engine_theme_trend(e, &o, &counts, &n) == JSZB_E_INVALID && message_has("after"));
  OK(jszb_engine_theme_cases(e, id, 0, 0, NULL, &ids, &n));
  CHECK(n == 3 && ids[0] == a && ids[1] == b && ids[2] == c);
  jszb_free(ids);
  OK(jszb_engine_theme_cases(e, id, OCT1, OCT1 + DAY, "朝阳区", &ids, &n));
  CHECK(n == 2);
  jszb_free(ids);
  CHECK(jszb_engine_theme_cases(e, id, OCT1, OCT1, NULL, &ids, &n) == JSZB_E_INVALID);
  CHECK(jszb_engine_theme_cases(e, id, 0, 0, "朝阳", &ids, &n) == JSZB_E_NOT_FOUND);
  /* A rise of 教育/校外培训 (2 a day for 4 days, then 15): a candidate. */
  for (i = 0; i < 8; i++) {
    snprintf(ref, sizeof ref, "base-%d", i);
    submit(e, ref, OCT1 + (1 + i / 2) * DAY + i * HOUR, "教育", "校外培训", "补课");
  }
  for (i = 0; i < 15; i++) {
    snprintf(ref, sizeof ref, "rise-%d", i);
    submit(e, ref, OCT1 + 5 * DAY + i * HOUR, "教育", "校外培训", "补课");
  }
  r.from_ms = OCT1 + 5 * DAY;
  r.until_ms = OCT1 + 6 * DAY;
  OK(jszb_engine_theme_candidates(e, &r, &candidates, &n));
  CHECK(n == 1);
  if (n == 1) {
    CHECK(strcmp(candidates[0].district, "朝阳区") == 0);
    CHECK(strcmp(candidates[0].category, "教育/校外培训") == 0 && candidates[0].count == 15);
  }
  jszb_free(candidates);
  r.until_ms += 1;
  CHECK(jszb_engine_theme_candidates(e, &r, &candidates, &n) == JSZB_E_INVALID &&
        message_has("half-day"));
  jszb_engine_close(e);
}

static void test_survive_reopen(void) {
  char dir[64], path[128], cmd[160];
  jszb_engine* e = NULL;
  jszb_theme t = prepaid();
  jszb_theme_task task = JSZB_THEME_TASK_INIT;
  jszb_themes* all = NULL;
  uint64_t id = 0;
  strcpy(dir, "/tmp/jszb-themes-XXXXXX");
  if (mkdtemp(dir) == NULL) {
    perror("mkdtemp");
    exit(2);
  }
  snprintf(path, sizeof path, "%s/themes.jszb", dir);
  OK(jszb_engine_open_store(path, NULL, NULL, &e));
  use_beijing(e);
  OK(jszb_engine_theme_define(e, &t, OCT1, &id));
  task.owner_unit = EDUCATION;
  task.title = "约谈培训机构";
  task.due_ms = OCT1 + 10 * DAY;
  OK(jszb_engine_theme_task_set(e, id, &task, OCT1, NULL));
  jszb_engine_close(e);
  OK(jszb_engine_open_store(path, NULL, NULL, &e));
  OK(jszb_engine_themes(e, 0, &all));
  CHECK(jszb_themes_count(all) == 1);
  if (jszb_themes_count(all) == 1) {
    CHECK(strcmp(jszb_themes_get(all, 0)->name, "预付式消费退费难") == 0);
    CHECK(jszb_themes_task_count(all, 0) == 1);
    CHECK(strcmp(jszb_themes_task(all, 0, 0)->title, "约谈培训机构") == 0);
    CHECK(jszb_themes_task(all, 0, 0)->state == JSZB_TASK_OPEN);
  }
  jszb_themes_free(all);
  jszb_engine_close(e);
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
}

static const struct test tests[] = {
    {"define_and_read_back", test_define_and_read_back},
    {"bad_input", test_bad_input},
    {"trend_cases_candidates", test_trend_cases_candidates},
    {"survive_reopen", test_survive_reopen},
};

int main(int argc, char** argv) {
  return run_tests(tests, sizeof tests / sizeof tests[0], argc, argv);
}
