/* Tests of the policy, calendar, routing and timer parts of the C ABI, in C99.
   Run one test by name: policy_capi_test <name>. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "jszb/jszb.h"

#define HOUR ((int64_t)3600000)
#define DAY (24 * HOUR)
/* 2021-09-19 09:00 Beijing (UTC+8). */
#define T0 ((int64_t)1632013200000)
#define HEPINGJIE 110105007u
#define CHAOYANG 110105u
/* The built-in policy's version (scripts/gen-beijing-policy): 2, every located
   request to its street. */
#define BEIJING_VERSION 3u

static jszb_actor role(int r) {
  jszb_actor a = {0, 0, 0};
  a.role = r;
  return a;
}

static uint64_t submit(jszb_engine* e, const char* ref, const char* district, const char* street,
                       const char* content) {
  jszb_intake in = JSZB_INTAKE_INIT;
  uint64_t id = 0;
  in.time_ms = T0;
  in.actor = role(JSZB_ROLE_OPERATOR);
  in.channel = JSZB_CHANNEL_PHONE;
  in.channel_ref = ref;
  in.kind = JSZB_KIND_COMPLAINT;
  in.category[0] = "城乡建设";
  in.category[1] = "施工管理";
  in.category[2] = "夜间施工扰民";
  in.district = district;
  in.street = street;
  in.content = content;
  OK(jszb_engine_submit(e, &in, &id, NULL));
  return id;
}

static jszb_engine* engine_with_default_policy(void) {
  jszb_engine* e = NULL;
  jszb_policy* p = NULL;
  OK(jszb_engine_open(NULL, &e));
  OK(jszb_policy_default(&p));
  OK(jszb_engine_set_policy(e, p));
  jszb_policy_free(p); /* the engine keeps its own reference */
  return e;
}

/* The built-in policy routes a street's order to the street, copied to its
   district, and the event records the rule. */
static void test_route_and_dispatch(void) {
  jszb_engine* e = engine_with_default_policy();
  jszb_routing* r = NULL;
  jszb_case* c = NULL;
  const jszb_route* d;
  size_t i, chosen = 0;
  uint64_t id = submit(e, "r-1", "朝阳区", "和平街街道", "工地夜间施工扰民");
  OK(jszb_engine_route(e, id, &r));
  d = jszb_routing_decision(r);
  CHECK(d != NULL && d->outcome == JSZB_ROUTE_DISPATCH && d->lead == HEPINGJIE);
  CHECK(d != NULL && d->copy_to_count == 1 && d->copy_to[0] == CHAOYANG);
  CHECK(d != NULL && strcmp(d->rule, "street-first") == 0);
  CHECK(d != NULL && d->district == CHAOYANG && d->street == HEPINGJIE);
  CHECK(jszb_routing_verdict_count(r) > 3);
  for (i = 0; i < jszb_routing_verdict_count(r); i++) {
    const jszb_rule_verdict* v = jszb_routing_verdict(r, i);
    if (v->chosen) chosen++;
    if (strcmp(v->rule, "emergency") == 0) CHECK(!v->matched && strstr(v->why, "keywords") != NULL);
  }
  CHECK(chosen == 1);
  CHECK(jszb_routing_verdict(r, 100000) == NULL);
  jszb_routing_free(r);

  OK(jszb_engine_dispatch_routed(e, id, T0 + HOUR / 6, role(JSZB_ROLE_DISPATCHER)));
  OK(jszb_engine_get_case(e, id, &c));
  CHECK(jszb_case_get_info(c)->state == JSZB_STATE_DISPATCHED);
  CHECK(jszb_case_get_info(c)->lead_unit == HEPINGJIE);
  CHECK(jszb_case_get_info(c)->policy_version == BEIJING_VERSION);
  CHECK(strcmp(jszb_case_get_event(c, 1)->payload->rule, "street-first") == 0);
  CHECK(jszb_case_get_event(c, 1)->policy_version == BEIJING_VERSION);
  jszb_case_free(c);
  jszb_engine_close(e);
}

/* Art. 11: an emergency is not dispatched, by rule. */
static void test_route_not_dispatched(void) {
  jszb_engine* e = engine_with_default_policy();
  jszb_case* c = NULL;
  uint64_t id = submit(e, "r-2", "朝阳区", "和平街街道", "楼下饭店着火了");
  OK(jszb_engine_dispatch_routed(e, id, T0 + 60000, role(JSZB_ROLE_OPERATOR)));
  OK(jszb_engine_get_case(e, id, &c));
  CHECK(jszb_case_get_info(c)->state == JSZB_STATE_NOT_DISPATCHED);
  CHECK(jszb_case_get_info(c)->not_dispatched_reason == JSZB_NOT_DISPATCHED_EMERGENCY);
  jszb_case_free(c);
  jszb_engine_close(e);
}

/* Without a street or district nothing applies: a clear error, no change. */
static void test_route_without_area(void) {
  jszb_engine* e = engine_with_default_policy();
  jszb_routing* r = NULL;
  uint64_t id = submit(e, "r-3", NULL, NULL, "工地夜间施工扰民");
  CHECK(jszb_engine_route(e, id, &r) == JSZB_E_STATE && r == NULL);
  CHECK(strstr(jszb_error_last()->message, "no rule") != NULL);
  CHECK(jszb_engine_dispatch_routed(e, id, T0 + 60000, role(JSZB_ROLE_DISPATCHER)) == JSZB_E_STATE);
  OK(jszb_engine_explain(e, id, &r));
  CHECK(jszb_routing_decision(r) == NULL && jszb_routing_verdict_count(r) > 0);
  jszb_routing_free(r);
  jszb_engine_close(e);
}

static int route_to_district(void* payload, const jszb_case_info* c, jszb_route* out) {
  int* calls = (int*)payload;
  (*calls)++;
  if (strcmp(c->intake->content, "refuse me") == 0) return JSZB_E_STATE;
  out->outcome = JSZB_ROUTE_DISTRICT_COORDINATES;
  out->lead = CHAOYANG;
  out->rule = "my-router";
  return JSZB_OK;
}

/* A router of the caller's replaces the catalogue, and may refuse. */
static void test_custom_router(void) {
  jszb_engine* e = engine_with_default_policy();
  jszb_case* c = NULL;
  int calls = 0;
  uint64_t a = submit(e, "r-4", "朝阳区", "和平街街道", "工地夜间施工扰民");
  uint64_t b = submit(e, "r-5", "朝阳区", "和平街街道", "refuse me");
  OK(jszb_engine_set_router(e, route_to_district, &calls));
  OK(jszb_engine_dispatch_routed(e, a, T0 + 60000, role(JSZB_ROLE_DISPATCHER)));
  OK(jszb_engine_get_case(e, a, &c));
  CHECK(jszb_case_get_info(c)->lead_unit == CHAOYANG);
  CHECK(jszb_case_get_info(c)->dispatch_mode == JSZB_DISPATCH_DISTRICT_COORDINATES);
  CHECK(strcmp(jszb_case_get_event(c, 1)->payload->rule, "my-router") == 0);
  jszb_case_free(c);
  CHECK(jszb_engine_dispatch_routed(e, b, T0 + 60000, role(JSZB_ROLE_DISPATCHER)) != JSZB_OK);
  CHECK(strstr(jszb_error_last()->message, "router refused") != NULL);
  CHECK(calls == 2);
  OK(jszb_engine_set_router(e, NULL, NULL)); /* back to the catalogue */
  OK(jszb_engine_dispatch_routed(e, b, T0 + 60000, role(JSZB_ROLE_DISPATCHER)));
  CHECK(calls == 2);
  jszb_engine_close(e);
}

/* A bad policy is refused whole, every problem with its line. */
static void test_bad_policy(void) {
  jszb_policy* p = NULL;
  const char* text =
      "name: \"bad\"\n"
      "version: 2\n"
      "calendar_file: \"china-calendar.textproto\"\n"
      "units { code: 110105 name: \"朝阳区\" unit_class: UNIT_CLASS_DISTRICT }\n"
      "dispatch_rules { id: \"a\" priority: 1 dispatch { unit: 999 } }\n"
      "deadline_rules { id: \"r\" step: STEP_REPLY limit { amount: 7 } }\n";
  CHECK(jszb_policy_load("bad.textproto", text, NULL, &p) == JSZB_E_INVALID && p == NULL);
  CHECK(strstr(jszb_error_last()->message, "bad.textproto:5") != NULL);
  CHECK(strstr(jszb_error_last()->message, "unknown unit 999") != NULL);
  CHECK(strstr(jszb_error_last()->message, "bad.textproto:6") != NULL);
  CHECK(strstr(jszb_error_last()->message, "no unit of time") != NULL);
  CHECK(jszb_policy_load("x", "name: \"x\" version: 1 calendar_file: \"nowhere.textproto\"", NULL,
                         &p) == JSZB_E_INVALID);
  CHECK(strstr(jszb_error_last()->message, "nowhere.textproto") != NULL);
  CHECK(jszb_policy_load_file("/nonexistent/policy.textproto", &p) != JSZB_OK);
}

/* A small policy of the caller's, using the built-in calendar. */
static void test_own_policy_and_swap(void) {
  jszb_engine* e = engine_with_default_policy();
  jszb_policy* p = NULL;
  jszb_case* c = NULL;
  uint64_t before, after;
  const char* text =
      "name: \"tiny\"\n"
      "version: 7\n"
      "calendar_file: \"china-calendar.textproto\"\n"
      "units { code: 110105 name: \"朝阳区\" unit_class: UNIT_CLASS_DISTRICT }\n"
      "dispatch_rules { id: \"all\" priority: 1 match { needs_district: true } "
      "district_coordinates {} }\n"
      "deadline_rules { id: \"r\" step: STEP_REPLY limit { amount: 3 unit: TIME_UNIT_DAYS } }\n";
  before = submit(e, "s-1", "朝阳区", "和平街街道", "工地夜间施工扰民");
  OK(jszb_policy_load("tiny.textproto", text, NULL, &p));
  CHECK(strcmp(jszb_policy_name(p), "tiny") == 0 && jszb_policy_version(p) == 7);
  CHECK(jszb_policy_unit_count(p) == 1);
  CHECK(jszb_policy_unit(p, 0)->code == CHAOYANG);
  CHECK(jszb_policy_unit(p, 0)->unit_class == JSZB_UNIT_DISTRICT);
  CHECK(jszb_policy_unit(p, 1) == NULL);
  CHECK(jszb_policy_find_unit(p, HEPINGJIE) == NULL);
  OK(jszb_engine_set_policy(e, p));
  after = submit(e, "s-2", "朝阳区", "和平街街道", "工地夜间施工扰民");
  OK(jszb_engine_get_case(e, before, &c));
  CHECK(jszb_case_get_info(c)->policy_version == BEIJING_VERSION); /* keeps its version */
  jszb_case_free(c);
  OK(jszb_engine_get_case(e, after, &c));
  CHECK(jszb_case_get_info(c)->policy_version == 7);
  CHECK(jszb_case_get_info(c)->deadlines_count == 0); /* tiny times no dispatch step */
  jszb_case_free(c);
  OK(jszb_engine_dispatch_routed(e, after, T0 + 60000, role(JSZB_ROLE_DISPATCHER)));
  OK(jszb_engine_get_case(e, after, &c));
  CHECK(jszb_case_get_info(c)->dispatch_mode == JSZB_DISPATCH_DISTRICT_COORDINATES);
  CHECK(jszb_case_get_info(c)->deadlines_count == 1);
  CHECK(jszb_case_get_info(c)->deadlines[0].step == JSZB_STEP_REPLY);
  CHECK(jszb_case_get_info(c)->deadlines[0].due_ms == T0 + 60000 + 3 * DAY);
  jszb_case_free(c);
  jszb_policy_free(p);
  jszb_policy_free(NULL);
  jszb_engine_close(e);
}

/* China's calendar: holidays, make-up days, working-time arithmetic. */
static void test_calendar(void) {
  jszb_policy* p = NULL;
  int working = -1;
  int64_t out = 0;
  /* 2024-02-09 (Fri) 10:00 Beijing, the last working day before Spring Festival. */
  const int64_t feb9 = (int64_t)1707444000000;
  OK(jszb_policy_default(&p));
  CHECK(jszb_policy_unit_count(p) == 611 + 7535); /* and the communities */
  CHECK(jszb_policy_find_unit(p, HEPINGJIE) != NULL &&
        strcmp(jszb_policy_find_unit(p, HEPINGJIE)->name, "和平街街道") == 0 &&
        jszb_policy_find_unit(p, HEPINGJIE)->unit_class == JSZB_UNIT_STREET &&
        jszb_policy_find_unit(p, HEPINGJIE)->district == CHAOYANG);
  CHECK(strcmp(jszb_step_name(JSZB_STEP_CO_HANDLER_REPORT), "co_handler_report") == 0);
  CHECK(strcmp(jszb_escalation_action_name(JSZB_ESCALATE_SUPERVISE_CITY), "supervise_city") == 0);
  CHECK(strcmp(jszb_step_name(JSZB_STEP_APPEAL_REVIEW), "appeal_review") == 0);
  CHECK(strcmp(jszb_step_name(JSZB_STEP_EXPIRY_VISIT), "expiry_visit") == 0);
  CHECK(strcmp(jszb_step_name(JSZB_STEP_SUPERVISION), "supervision") == 0);
  CHECK(strcmp(jszb_step_name(JSZB_STEP_LONG_TERM_REVIEW), "long_term_review") == 0);
  CHECK(jszb_step_name(JSZB_STEP_LONG_TERM_REVIEW + 1) == NULL);
  CHECK(jszb_policy_find_unit(p, 2105007039u) != NULL &&
        jszb_policy_find_unit(p, 2105007039u)->unit_class == JSZB_UNIT_COMMUNITY &&
        jszb_policy_find_unit(p, 2105007039u)->street == HEPINGJIE &&
        jszb_policy_find_unit(p, 2105007039u)->national_code == 110105007039ull);
  OK(jszb_calendar_is_working_day(p, 2024, 2, 12, &working));
  CHECK(working == 0); /* Spring Festival */
  OK(jszb_calendar_is_working_day(p, 2024, 2, 18, &working));
  CHECK(working == 1); /* a make-up Sunday */
  OK(jszb_calendar_is_working_day(p, 2024, 2, 24, &working));
  CHECK(working == 0); /* an ordinary Saturday */
  CHECK(jszb_calendar_is_working_day(p, 2024, 2, 30, &working) == JSZB_E_INVALID);
  OK(jszb_calendar_add_working_days(p, feb9, 1, &out));
  CHECK(out == feb9 + 9 * DAY); /* 2024-02-18 10:00 */
  OK(jszb_calendar_working_time_between(p, feb9, feb9 + 9 * DAY, &out));
  CHECK(out == 7 * HOUR); /* the rest of Feb 9 (10:00-17:30 less lunch) and Feb 18 to 10:00 */
  OK(jszb_calendar_add_working_time(p, feb9, 2 * HOUR, &out));
  CHECK(out == feb9 + 2 * HOUR);
  OK(jszb_calendar_next_working_instant(p, feb9 + DAY, &out));
  CHECK(out == feb9 + 9 * DAY - HOUR); /* 2024-02-18 09:00 */
  /* Past 2026: the provisional schedule (weekends and statutory holidays) to 2030. */
  OK(jszb_calendar_is_working_day(p, 2027, 1, 1, &working));
  CHECK(working == 0); /* New Year's Day, provisionally */
  OK(jszb_calendar_is_working_day(p, 2027, 1, 4, &working));
  CHECK(working == 1);
  CHECK(jszb_calendar_is_working_day(p, 2031, 1, 2, &working) == JSZB_E_RANGE);
  CHECK(strstr(jszb_error_last()->message, "provisional schedule to 2030") != NULL);
  jszb_policy_free(p);
}

struct counts {
  int warnings, breaches, escalations, auto_returns;
};

static void count(void* payload, const jszb_event* ev) {
  struct counts* n = (struct counts*)payload;
  if (ev->type == JSZB_EVENT_DEADLINE_WARNING) n->warnings++;
  if (ev->type == JSZB_EVENT_DEADLINE_BREACHED) n->breaches++;
  if (ev->type == JSZB_EVENT_DEADLINE_ESCALATED) n->escalations++;
  if (ev->type == JSZB_EVENT_AUTO_RETURNED) n->auto_returns++;
}

/* Time passes: an unsigned order warns at 80%, breaches, and goes back to the
   centre; a signed one that is never replied to is supervised. */
static void test_advance_and_deadlines(void) {
  jszb_engine* e = engine_with_default_policy();
  struct counts n = {0, 0, 0, 0};
  uint64_t listener = 0, pending = 0;
  jszb_deadline_status* st = NULL;
  size_t k = 0;
  jszb_case* c = NULL;
  jszb_command cmd = JSZB_COMMAND_INIT;
  uint64_t unsigned_order = submit(e, "t-1", "朝阳区", "和平街街道", "工地夜间施工扰民");
  uint64_t overdue_order = submit(e, "t-2", "朝阳区", "和平街街道", "工地夜间施工扰民");
  OK(jszb_engine_add_listener(e, count, &n, &listener));
  OK(jszb_engine_dispatch_routed(e, unsigned_order, T0 + 60000, role(JSZB_ROLE_DISPATCHER)));
  OK(jszb_engine_dispatch_routed(e, overdue_order, T0 + 60000, role(JSZB_ROLE_DISPATCHER)));
  cmd.kind = JSZB_CMD_SIGN;
  cmd.case_id = overdue_order;
  cmd.time_ms = T0 + 120000;
  cmd.actor.role = JSZB_ROLE_UNIT;
  cmd.actor.unit = HEPINGJIE;
  OK(jszb_engine_apply(e, &cmd));
  OK(jszb_engine_timers_pending(e, &pending));
  CHECK(pending == 2);

  OK(jszb_engine_case_deadlines(e, overdue_order, T0 + DAY, &st, &k));
  CHECK(k == 2); /* first contact and reply */
  CHECK(k == 2 && st[1].step == JSZB_STEP_REPLY && st[1].due_ms == T0 + 60000 + 7 * DAY);
  CHECK(k == 2 && st[1].left_ms == 7 * DAY + 60000 - DAY && st[1].overdue == 0);
  jszb_free(st);

  OK(jszb_engine_advance(e, T0 + 60 * DAY));
  OK(jszb_engine_get_case(e, unsigned_order, &c));
  CHECK(jszb_case_get_info(c)->state == JSZB_STATE_RECEIVED);
  jszb_case_free(c);
  OK(jszb_engine_get_case(e, overdue_order, &c));
  CHECK(jszb_case_get_info(c)->supervision_level == JSZB_SUPERVISION_CITY);
  jszb_case_free(c);
  CHECK(n.auto_returns == 1);
  CHECK(n.breaches >= 3);    /* sign, first contact, reply, then dispatch again */
  CHECK(n.escalations == 2); /* the reply's district and city levels */
  CHECK(n.warnings >= 3);

  OK(jszb_engine_case_deadlines(e, overdue_order, T0 + 60 * DAY, &st, &k));
  CHECK(k >= 1);
  for (; k > 0; k--) CHECK(st[k - 1].overdue == 1 && st[k - 1].left_ms < 0);
  jszb_free(st);
  jszb_engine_close(e);
}

struct nosy {
  jszb_engine* engine;
  int apply_rc, route_rc;
};

static int nosy_router(void* payload, const jszb_case_info* c, jszb_route* out) {
  struct nosy* n = (struct nosy*)payload;
  jszb_command cmd = JSZB_COMMAND_INIT;
  jszb_routing* r = NULL;
  cmd.kind = JSZB_CMD_ANSWER_ON_SPOT;
  cmd.case_id = c->id;
  cmd.time_ms = T0 + 1;
  cmd.actor = role(JSZB_ROLE_OPERATOR);
  n->apply_rc = jszb_engine_apply(n->engine, &cmd);
  n->route_rc = jszb_engine_route(n->engine, c->id, &r);
  jszb_routing_free(r);
  out->outcome = JSZB_ROUTE_DISPATCH;
  out->lead = HEPINGJIE;
  return JSZB_OK;
}

/* A router may read its engine but not change it or route again. */
static void test_router_may_not_change_engine(void) {
  jszb_engine* e = engine_with_default_policy();
  struct nosy n = {NULL, 0, 0};
  jszb_case* c = NULL;
  uint64_t id = submit(e, "n-1", "朝阳区", "和平街街道", "工地夜间施工扰民");
  n.engine = e;
  OK(jszb_engine_set_router(e, nosy_router, &n));
  OK(jszb_engine_dispatch_routed(e, id, T0 + 60000, role(JSZB_ROLE_DISPATCHER)));
  CHECK(n.apply_rc == JSZB_E_BUSY);
  CHECK(n.route_rc == JSZB_E_BUSY);
  OK(jszb_engine_get_case(e, id, &c));
  CHECK(jszb_case_get_info(c)->state == JSZB_STATE_DISPATCHED);
  CHECK(jszb_case_get_info(c)->event_count == 2);
  jszb_case_free(c);
  jszb_engine_close(e);
}

/* A command built with version 1 of the header ends before payload.step: what
   lies after it is not read. Only the engine names routing rules. */
static void test_command_versions_and_rule(void) {
  jszb_engine* e = engine_with_default_policy();
  jszb_command cmd = JSZB_COMMAND_INIT;
  uint64_t id = submit(e, "v-1", "朝阳区", "和平街街道", "工地夜间施工扰民");
  cmd.version = 1;
  cmd.kind = JSZB_CMD_DISPATCH;
  cmd.case_id = id;
  cmd.time_ms = T0 + 60000;
  cmd.actor = role(JSZB_ROLE_DISPATCHER);
  cmd.payload.unit = HEPINGJIE;
  cmd.payload.step = 99; /* beyond a version-1 struct: ignored */
  cmd.payload.rule = "not read";
  OK(jszb_engine_apply(e, &cmd));
  id = submit(e, "v-2", "朝阳区", "和平街街道", "工地夜间施工扰民");
  cmd.version = JSZB_COMMAND_VERSION;
  cmd.case_id = id;
  cmd.payload.step = 0;
  cmd.payload.rule = "street-first";
  CHECK(jszb_engine_apply(e, &cmd) == JSZB_E_INVALID);
  CHECK(strstr(jszb_error_last()->message, "payload.rule") != NULL);
  cmd.version = JSZB_COMMAND_VERSION + 1;
  cmd.payload.rule = NULL;
  CHECK(jszb_engine_apply(e, &cmd) == JSZB_E_INVALID);
  jszb_engine_close(e);
}

/* Adopting a schedule: the version must be loaded; cases already under it,
   or with no estimated deadline, do not move (the C++ and Python tests load a
   2027 schedule and move an order timed on the provisional one). */
static void test_adopt_schedule(void) {
  jszb_engine* e = engine_with_default_policy();
  uint64_t id = submit(e, "adopt", "朝阳区", "和平街街道", "夜间施工扰民");
  size_t moved = 99;
  OK(jszb_engine_dispatch_routed(e, id, T0 + 60000, role(JSZB_ROLE_DISPATCHER)));
  CHECK(jszb_engine_adopt_schedule(e, 12345u, T0 + HOUR, &moved) == JSZB_E_NOT_FOUND);
  CHECK(moved == 99 && strstr(jszb_error_last()->message, "not loaded") != NULL);
  OK(jszb_engine_adopt_schedule(e, BEIJING_VERSION, T0 + HOUR, &moved));
  CHECK(moved == 0);
  OK(jszb_engine_adopt_schedule(e, BEIJING_VERSION, T0 + HOUR, NULL));
  CHECK(strcmp(jszb_event_type_name(JSZB_EVENT_REPLANNED), "replanned") == 0);
  jszb_engine_close(e);
}

static const struct test tests[] = {
    {"route_and_dispatch", test_route_and_dispatch},
    {"route_not_dispatched", test_route_not_dispatched},
    {"route_without_area", test_route_without_area},
    {"custom_router", test_custom_router},
    {"bad_policy", test_bad_policy},
    {"own_policy_and_swap", test_own_policy_and_swap},
    {"calendar", test_calendar},
    {"advance_and_deadlines", test_advance_and_deadlines},
    {"router_may_not_change_engine", test_router_may_not_change_engine},
    {"command_versions_and_rule", test_command_versions_and_rule},
    {"adopt_schedule", test_adopt_schedule},
};

int main(int argc, char** argv) {
  return run_tests(tests, sizeof tests / sizeof tests[0], argc, argv);
}
