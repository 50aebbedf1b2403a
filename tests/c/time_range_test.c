/* Every function of jszb.h that takes a time, at the ends of JSZB_TIME_MIN_MS..
   JSZB_TIME_MAX_MS and beyond them. Outside the range each call is JSZB_E_INVALID
   naming the argument and changes nothing; at the ends it works or is refused
   for another stated reason. Run in the UBSan build, any overflow in the
   library's time arithmetic aborts the test. Run one test by name:
   time_range_test <name>; ctest registers each name. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case_reads.h"
#include "check.h"
#include "jszb/jszb.h"

#define STREET 110105007u
#define HOUR ((int64_t)3600000)
#define MINUTE ((int64_t)60000)

/* Beyond the range, including the int64 ends where arithmetic overflows. */
static const int64_t outside[] = {INT64_MIN, -1, JSZB_TIME_MIN_MS - 1, JSZB_TIME_MAX_MS + 1,
                                  INT64_MAX};
#define OUTSIDE_COUNT (sizeof outside / sizeof outside[0])

/* rc must be JSZB_E_INVALID with a message naming `name` and the range. */
static void refused_at(int rc, const char* name, int64_t t, int line) {
  const char* message = jszb_error_last()->message;
  if (rc != JSZB_E_INVALID || strstr(message, name) == NULL ||
      strstr(message, "outside the times jszb accepts") == NULL) {
    fprintf(stderr, "line %d: %s = %lld: expected JSZB_E_INVALID naming it, got %d: %s\n", line,
            name, (long long)t, rc, message);
    failures++;
  }
}
#define REFUSED(call, name, t) refused_at((call), (name), (t), __LINE__)

/* At the ends a call may be refused for a reason the header gives, never as a bug. */
static void handled_at(int rc, const char* what, int line) {
  if (rc == JSZB_E_INTERNAL || rc == JSZB_E_NOMEM) {
    fprintf(stderr, "line %d: %s: %d: %s\n", line, what, rc, jszb_error_last()->message);
    failures++;
  }
}
#define HANDLED(call) handled_at((call), #call, __LINE__)

static jszb_actor actor(int role, uint32_t unit) {
  jszb_actor a = {0, 0, 0};
  a.role = role;
  a.unit = unit;
  a.staff = role == JSZB_ROLE_UNIT ? 0 : 1001;
  return a;
}

static jszb_intake intake_at(int64_t t, const char* ref) {
  jszb_intake in = JSZB_INTAKE_INIT;
  in.time_ms = t;
  in.actor = actor(JSZB_ROLE_OPERATOR, 0);
  in.channel = JSZB_CHANNEL_PHONE;
  in.channel_ref = ref;
  in.kind = JSZB_KIND_HELP;
  in.category[0] = "城乡建设";
  in.category[1] = "排水设施";
  in.content = "和平东街公交站旁的排水井堵塞";
  in.district = "朝阳区";
  in.street = "和平街街道";
  return in;
}

static jszb_command command_at(int kind, uint64_t id, int64_t t, jszb_actor who) {
  jszb_command c = JSZB_COMMAND_INIT;
  c.kind = kind;
  c.case_id = id;
  c.time_ms = t;
  c.actor = who;
  return c;
}

/* An engine under the default policy (Beijing's units, China's calendar). */
static jszb_engine* engine_with_policy(void) {
  jszb_engine* e = NULL;
  jszb_policy* p = NULL;
  OK(jszb_engine_open(NULL, &e));
  OK(jszb_policy_default(&p));
  OK(jszb_engine_set_policy(e, p));
  jszb_policy_free(p);
  return e;
}

static uint64_t case_count(jszb_engine* e) {
  uint64_t n = 0;
  OK(jszb_engine_case_count(e, &n));
  return n;
}

/* A case received at t and dispatched to STREET at t. */
static uint64_t dispatched_case(jszb_engine* e, int64_t t, const char* ref) {
  jszb_intake in = intake_at(t, ref);
  jszb_command c;
  uint64_t id = 0;
  OK(jszb_engine_submit(e, &in, &id, NULL));
  c = command_at(JSZB_CMD_DISPATCH, id, t, actor(JSZB_ROLE_DISPATCHER, 0));
  c.payload.unit = STREET;
  OK(jszb_engine_apply(e, &c));
  return id;
}

/* Submit, apply, extensions, deadlines, timers and routing. */
static void test_lifecycle(void) {
  jszb_engine* e = NULL;
  uint64_t first, last, id = 777;
  size_t i, events, n = 0;
  jszb_deadline_status* ds = NULL;
  jszb_command c;
  OK(jszb_engine_open(NULL, &e));
  for (i = 0; i < OUTSIDE_COUNT; i++) {
    jszb_intake in = intake_at(outside[i], "outside");
    REFUSED(jszb_engine_submit(e, &in, &id, NULL), "intake.time_ms", outside[i]);
  }
  CHECK(id == 777 && case_count(e) == 0);

  first = dispatched_case(e, JSZB_TIME_MIN_MS, "first");
  last = dispatched_case(e, JSZB_TIME_MAX_MS, "last");
  events = events_of(e, first);
  for (i = 0; i < OUTSIDE_COUNT; i++) {
    c = command_at(JSZB_CMD_SIGN, first, outside[i], actor(JSZB_ROLE_UNIT, STREET));
    REFUSED(jszb_engine_apply(e, &c), "command.time_ms", outside[i]);
    c = command_at(JSZB_CMD_REQUEST_EXTENSION, first, JSZB_TIME_MIN_MS + MINUTE,
                   actor(JSZB_ROLE_UNIT, STREET));
    c.payload.until_ms = outside[i];
    c.payload.text = "需协调多个部门";
    REFUSED(jszb_engine_apply(e, &c), "payload.until_ms", outside[i]);
    REFUSED(jszb_engine_dispatch_routed(e, first, outside[i], actor(JSZB_ROLE_DISPATCHER, 0)),
            "time_ms", outside[i]);
    REFUSED(jszb_engine_case_deadlines(e, first, outside[i], &ds, &n), "now_ms", outside[i]);
    REFUSED(jszb_engine_advance(e, outside[i]), "now_ms", outside[i]);
    REFUSED(jszb_engine_adopt_schedule(e, 1, outside[i], NULL), "now_ms", outside[i]);
    REFUSED(jszb_engine_erase_personal(e, first, outside[i]), "time_ms", outside[i]);
  }
  CHECK(events_of(e, first) == events);
  CHECK(ds == NULL && n == 0);

  /* The case received at the last instant: every deadline lies past the range,
     an extension up to the last instant is refused as not after the command. */
  c = command_at(JSZB_CMD_SIGN, last, JSZB_TIME_MAX_MS, actor(JSZB_ROLE_UNIT, STREET));
  OK(jszb_engine_apply(e, &c));
  c = command_at(JSZB_CMD_REQUEST_EXTENSION, last, JSZB_TIME_MAX_MS, actor(JSZB_ROLE_UNIT, STREET));
  c.payload.until_ms = JSZB_TIME_MAX_MS;
  c.payload.text = "需协调多个部门";
  HANDLED(jszb_engine_apply(e, &c));
  OK(jszb_engine_case_deadlines(e, last, JSZB_TIME_MAX_MS, &ds, &n));
  jszb_free(ds);
  ds = NULL;
  /* The first case, looked at from the last instant: 200 years overdue. */
  OK(jszb_engine_case_deadlines(e, first, JSZB_TIME_MAX_MS, &ds, &n));
  for (i = 0; i < n; i++) CHECK(ds[i].left_ms < 0 && ds[i].overdue);
  jszb_free(ds);
  OK(jszb_engine_advance(e, JSZB_TIME_MAX_MS));
  CHECK(jszb_engine_adopt_schedule(e, 999, JSZB_TIME_MAX_MS, NULL) == JSZB_E_NOT_FOUND);
  HANDLED(jszb_engine_dispatch_routed(e, first, JSZB_TIME_MAX_MS, actor(JSZB_ROLE_DISPATCHER, 0)));
  /* In memory, a request cannot be erased: a state error, not a time error. */
  CHECK(jszb_engine_erase_personal(e, first, JSZB_TIME_MAX_MS) == JSZB_E_STATE);
  jszb_engine_close(e);
}

/* Under the default policy, deadlines are planned on China's calendar: the ends
   of the range lie outside it (JSZB_E_RANGE), and a case of 2021 looked at and
   advanced from the last instant is 180 years overdue. */
static void test_lifecycle_with_policy(void) {
  jszb_engine* e = engine_with_policy();
  jszb_intake in;
  jszb_deadline_status* ds = NULL;
  uint64_t id = 0;
  size_t n = 0;
  int rc;
  in = intake_at(JSZB_TIME_MIN_MS, "first");
  rc = jszb_engine_submit(e, &in, &id, NULL);
  CHECK(rc == JSZB_OK || rc == JSZB_E_RANGE);
  in = intake_at(JSZB_TIME_MAX_MS, "last");
  rc = jszb_engine_submit(e, &in, &id, NULL);
  CHECK(rc == JSZB_OK || rc == JSZB_E_RANGE);
  id = dispatched_case(e, (int64_t)1632009600000, "2021"); /* 2021-09-19 08:00 Beijing */
  HANDLED(jszb_engine_case_deadlines(e, id, JSZB_TIME_MAX_MS, &ds, &n));
  jszb_free(ds);
  HANDLED(jszb_engine_advance(e, JSZB_TIME_MAX_MS));
  HANDLED(jszb_engine_case_deadlines(e, id, JSZB_TIME_MAX_MS, &ds, &n));
  jszb_free(ds);
  jszb_engine_close(e);
}

/* Filters, assessment, reports, groups, drill-down and purge. */
static void test_queries(void) {
  jszb_engine* e = NULL;
  jszb_case_filter f = JSZB_CASE_FILTER_INIT;
  jszb_report_options ro = JSZB_REPORT_OPTIONS_INIT;
  jszb_group_options go = JSZB_GROUP_OPTIONS_INIT;
  jszb_unit_orders_options uo = JSZB_UNIT_ORDERS_OPTIONS_INIT;
  uint64_t* ids = NULL;
  uint64_t purged = 99;
  size_t i, n = 0;
  jszb_unit_score* scores = NULL;
  char* text = NULL;
  jszb_request_group* groups = NULL;
  jszb_request_group_v2* groups2 = NULL;
  jszb_unit_order* orders = NULL;
  int64_t* fields[4];
  const char* names[4] = {"filter.received_from_ms", "filter.received_until_ms",
                          "filter.due_from_ms", "filter.due_until_ms"};
  const int64_t first_edge = JSZB_TIME_MIN_MS + 4 * HOUR; /* 2000-01-01 12:00 China */
  const int64_t last_edge = JSZB_TIME_MAX_MS - 8 * HOUR;  /* 2200-01-01 00:00 China */
  OK(jszb_engine_open(NULL, &e));
  dispatched_case(e, JSZB_TIME_MIN_MS, "first");
  dispatched_case(e, JSZB_TIME_MAX_MS, "last");
  fields[0] = &f.received_from_ms;
  fields[1] = &f.received_until_ms;
  fields[2] = &f.due_from_ms;
  fields[3] = &f.due_until_ms;
  uo.unit = STREET;
  uo.figure = JSZB_FIGURE_VISITS;
  for (i = 0; i < OUTSIDE_COUNT; i++) {
    int64_t t = outside[i];
    size_t k;
    for (k = 0; k < 4; k++) {
      f = (jszb_case_filter)JSZB_CASE_FILTER_INIT;
      *fields[k] = t;
      REFUSED(jszb_engine_list_cases(e, &f, &ids, &n), names[k], t);
    }
    REFUSED(jszb_engine_assess(e, t, last_edge, NULL, &scores, &n), "from_ms", t);
    REFUSED(jszb_engine_assess(e, first_edge, t, NULL, &scores, &n), "until_ms", t);
    ro.from_ms = t;
    ro.until_ms = last_edge;
    REFUSED(jszb_engine_report(e, &ro, JSZB_REPORT_JSON, &text), "from_ms", t);
    ro.from_ms = first_edge;
    ro.until_ms = t;
    REFUSED(jszb_engine_report(e, &ro, JSZB_REPORT_JSON, &text), "until_ms", t);
    REFUSED(jszb_engine_request_groups(e, t, last_edge, NULL, &groups, &n), "from_ms", t);
    go.from_ms = first_edge;
    go.until_ms = t;
    REFUSED(jszb_engine_request_groups_v2(e, &go, &groups2, &n), "until_ms", t);
    uo.from_ms = t;
    uo.until_ms = last_edge;
    REFUSED(jszb_engine_unit_orders(e, &uo, &orders, &n), "from_ms", t);
    REFUSED(jszb_engine_purge(e, t, &purged), "before_ms", t);
  }
  CHECK(ids == NULL && scores == NULL && text == NULL && groups == NULL && groups2 == NULL);
  CHECK(orders == NULL && purged == 99);

  /* The whole range at once: both cases are found, counted and reported. */
  f = (jszb_case_filter)JSZB_CASE_FILTER_INIT;
  f.received_from_ms = JSZB_TIME_MIN_MS;
  f.received_until_ms = JSZB_TIME_MAX_MS;
  f.due_from_ms = JSZB_TIME_MIN_MS;
  f.due_until_ms = JSZB_TIME_MAX_MS;
  OK(jszb_engine_list_cases(e, &f, &ids, &n));
  jszb_free(ids);
  OK(jszb_engine_assess(e, JSZB_TIME_MIN_MS, JSZB_TIME_MAX_MS, NULL, &scores, &n));
  jszb_free(scores);
  ro.from_ms = first_edge;
  ro.until_ms = last_edge;
  OK(jszb_engine_report(e, &ro, JSZB_REPORT_CSV, &text));
  jszb_free(text);
  OK(jszb_engine_request_groups(e, JSZB_TIME_MIN_MS, JSZB_TIME_MAX_MS, NULL, &groups, &n));
  jszb_free(groups);
  go.from_ms = JSZB_TIME_MIN_MS;
  go.until_ms = JSZB_TIME_MAX_MS;
  OK(jszb_engine_request_groups_v2(e, &go, &groups2, &n));
  jszb_free(groups2);
  uo.from_ms = JSZB_TIME_MIN_MS;
  uo.until_ms = JSZB_TIME_MAX_MS;
  OK(jszb_engine_unit_orders(e, &uo, &orders, &n));
  jszb_free(orders);
  /* An in-memory engine has nothing to purge: a state error, not a time error. */
  CHECK(jszb_engine_purge(e, JSZB_TIME_MAX_MS, &purged) == JSZB_E_STATE);
  jszb_engine_close(e);
}

/* Themes: their start, their tasks' due dates, the times of changes, their cases. */
static void test_themes(void) {
  jszb_engine* e = NULL;
  jszb_theme theme = JSZB_THEME_INIT;
  jszb_theme_task task = JSZB_THEME_TASK_INIT;
  static const char* const keywords[] = {"排水井"};
  uint64_t theme_id = 0, out = 777;
  uint64_t* ids = NULL;
  size_t i, n = 0;
  e = engine_with_policy();
  theme.name = "排水井堵塞";
  theme.lead_unit = STREET;
  theme.keywords = keywords;
  theme.keywords_count = 1;
  task.owner_unit = STREET;
  task.title = "疏通排水井";
  for (i = 0; i < OUTSIDE_COUNT; i++) {
    int64_t t = outside[i];
    theme.start_ms = t;
    REFUSED(jszb_engine_theme_define(e, &theme, JSZB_TIME_MIN_MS, &out), "start_ms", t);
    theme.start_ms = JSZB_TIME_MIN_MS;
    REFUSED(jszb_engine_theme_define(e, &theme, t, &out), "time_ms", t);
  }
  CHECK(out == 777);
  OK(jszb_engine_theme_define(e, &theme, JSZB_TIME_MIN_MS, &theme_id));
  for (i = 0; i < OUTSIDE_COUNT; i++) {
    int64_t t = outside[i];
    task.due_ms = t;
    REFUSED(jszb_engine_theme_task_set(e, theme_id, &task, JSZB_TIME_MIN_MS, NULL), "due_ms", t);
    task.due_ms = JSZB_TIME_MAX_MS;
    REFUSED(jszb_engine_theme_task_set(e, theme_id, &task, t, NULL), "time_ms", t);
    REFUSED(jszb_engine_theme_cases(e, theme_id, t, JSZB_TIME_MAX_MS, NULL, &ids, &n), "from_ms",
            t);
    REFUSED(jszb_engine_theme_remove(e, theme_id, t), "time_ms", t);
  }
  CHECK(ids == NULL);
  OK(jszb_engine_theme_task_set(e, theme_id, &task, JSZB_TIME_MAX_MS, NULL));
  OK(jszb_engine_theme_cases(e, theme_id, JSZB_TIME_MIN_MS, JSZB_TIME_MAX_MS, NULL, &ids, &n));
  jszb_free(ids);
  OK(jszb_engine_theme_remove(e, theme_id, JSZB_TIME_MAX_MS));
  jszb_engine_close(e);
}

/* The work calendar: instants checked; counts and durations that run past the
   range are JSZB_E_RANGE, however large. */
static void test_calendar(void) {
  jszb_policy* p = NULL;
  int64_t out = 777;
  size_t i;
  static const int64_t amounts[] = {INT64_MIN, -1000000000, -1, 0, 1, 1000000000, INT64_MAX};
  OK(jszb_policy_default(&p));
  for (i = 0; i < OUTSIDE_COUNT; i++) {
    int64_t t = outside[i];
    REFUSED(jszb_calendar_next_working_instant(p, t, &out), "t_ms", t);
    REFUSED(jszb_calendar_add_working_days(p, t, 1, &out), "t_ms", t);
    REFUSED(jszb_calendar_add_working_time(p, t, HOUR, &out), "t_ms", t);
    REFUSED(jszb_calendar_working_time_between(p, t, JSZB_TIME_MAX_MS, &out), "a_ms", t);
    REFUSED(jszb_calendar_working_time_between(p, JSZB_TIME_MIN_MS, t, &out), "b_ms", t);
  }
  CHECK(out == 777);
  /* The default calendar knows 2019..2030: the ends of the range lie outside it. */
  CHECK(jszb_calendar_next_working_instant(p, JSZB_TIME_MIN_MS, &out) == JSZB_E_RANGE);
  CHECK(jszb_calendar_next_working_instant(p, JSZB_TIME_MAX_MS, &out) == JSZB_E_RANGE);
  CHECK(jszb_calendar_working_time_between(p, JSZB_TIME_MIN_MS, JSZB_TIME_MAX_MS, &out) ==
        JSZB_E_RANGE);
  CHECK(out == 777);
  for (i = 0; i < sizeof amounts / sizeof amounts[0]; i++) {
    int rc;
    rc = jszb_calendar_add_working_days(p, JSZB_TIME_MIN_MS, amounts[i], &out);
    CHECK(rc == JSZB_OK || rc == JSZB_E_RANGE || rc == JSZB_E_INVALID);
    rc = jszb_calendar_add_working_days(p, JSZB_TIME_MAX_MS, amounts[i], &out);
    CHECK(rc == JSZB_OK || rc == JSZB_E_RANGE || rc == JSZB_E_INVALID);
    rc = jszb_calendar_add_working_time(p, JSZB_TIME_MIN_MS, amounts[i], &out);
    CHECK(rc == JSZB_OK || rc == JSZB_E_RANGE || rc == JSZB_E_INVALID);
    rc = jszb_calendar_add_working_time(p, JSZB_TIME_MAX_MS, amounts[i], &out);
    CHECK(rc == JSZB_OK || rc == JSZB_E_RANGE || rc == JSZB_E_INVALID);
  }
  jszb_policy_free(p);
}

int main(int argc, char** argv) {
  static const struct test tests[] = {{"lifecycle", test_lifecycle},
                                      {"lifecycle_with_policy", test_lifecycle_with_policy},
                                      {"queries", test_queries},
                                      {"themes", test_themes},
                                      {"calendar", test_calendar}};
  return run_tests(tests, sizeof tests / sizeof tests[0], argc, argv);
}
