/* Tests of the C ABI, written in C99 against jszb.h alone. Run one test by name:
   capi_test <name>; ctest registers each name. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case_reads.h"
#include "check.h"
#include "jszb/jszb.h"

#define T0 ((int64_t)1632009600000) /* 2021-09-19 08:00 Beijing */
#define STREET 110105007u
#define STREET2 110105026u
#define DISTRICT 110105u
#define MINUTE ((int64_t)60000)

static jszb_actor dispatcher(void) {
  jszb_actor a = {JSZB_ROLE_DISPATCHER, 0, 2001};
  return a;
}
static jszb_actor operator_(void) {
  jszb_actor a = {JSZB_ROLE_OPERATOR, 0, 1001};
  return a;
}
static jszb_actor unit(uint32_t u) {
  jszb_actor a = {JSZB_ROLE_UNIT, 0, 0};
  a.unit = u;
  return a;
}

static uint64_t submit(jszb_engine* e, const char* ref) {
  jszb_intake in = JSZB_INTAKE_INIT;
  uint64_t id = 0;
  int created = -1;
  in.time_ms = T0;
  in.actor = operator_();
  in.channel = JSZB_CHANNEL_PHONE;
  in.channel_ref = ref;
  in.kind = JSZB_KIND_HELP;
  in.category[0] = "城乡建设";
  in.category[1] = "排水设施";
  in.content = "学籍卡掉进和平东街公交站旁的排水井";
  in.district = "朝阳区";
  in.street = "和平街街道";
  in.contact_name = "李先生";
  in.contact_phone = "13900000000";
  OK(jszb_engine_submit(e, &in, &id, &created));
  CHECK(created == 1);
  return id;
}

static jszb_command command(int kind, uint64_t id, int64_t t, jszb_actor actor) {
  jszb_command c = JSZB_COMMAND_INIT;
  c.kind = kind;
  c.case_id = id;
  c.time_ms = t;
  c.actor = actor;
  return c;
}

static void dispatch(jszb_engine* e, uint64_t id, int64_t t) {
  static const uint32_t copy[] = {DISTRICT};
  jszb_command c = command(JSZB_CMD_DISPATCH, id, t, dispatcher());
  c.payload.unit = STREET;
  c.payload.copy_to = copy;
  c.payload.copy_to_count = 1;
  OK(jszb_engine_apply(e, &c));
}

/* Drives one case from intake to close and checks what the snapshot says. */
static void test_lifecycle_to_close(void) {
  jszb_engine* e = NULL;
  jszb_case* snap = NULL;
  jszb_command c;
  const jszb_case_info* info;
  const jszb_event* ev;
  uint64_t id;
  static const int expected_types[] = {JSZB_EVENT_SUBMITTED, JSZB_EVENT_DISPATCHED,
                                       JSZB_EVENT_SIGNED,    JSZB_EVENT_REPLIED,
                                       JSZB_EVENT_VISITED,   JSZB_EVENT_CLOSED};
  size_t i;

  OK(jszb_engine_open(NULL, &e));
  id = submit(e, "call-1");
  dispatch(e, id, T0 + 10 * MINUTE);
  c = command(JSZB_CMD_SIGN, id, T0 + 20 * MINUTE, unit(STREET));
  OK(jszb_engine_apply(e, &c));
  c = command(JSZB_CMD_REPLY, id, T0 + 24 * 60 * MINUTE, unit(STREET));
  c.payload.contacted = 1;
  c.payload.solved = 1;
  c.payload.text = "工作人员已将学籍卡捞出送还市民";
  OK(jszb_engine_apply(e, &c));
  c = command(JSZB_CMD_VISIT, id, T0 + 25 * 60 * MINUTE, operator_());
  c.payload.valid_visit = 1;
  c.payload.contacted = 1;
  c.payload.solved = 1;
  c.payload.satisfaction = JSZB_SATISFIED;
  c.payload.visit_method = JSZB_VISIT_PHONE;
  OK(jszb_engine_apply(e, &c));
  c = command(JSZB_CMD_CLOSE, id, T0 + 26 * 60 * MINUTE, operator_());
  OK(jszb_engine_apply(e, &c));

  OK(jszb_engine_get_case(e, id, &snap));
  info = jszb_case_get_info(snap);
  CHECK(info->id == id);
  CHECK(info->state == JSZB_STATE_CLOSED);
  CHECK(info->lead_unit == STREET);
  CHECK(info->copy_to_count == 1 && info->copy_to[0] == DISTRICT);
  CHECK(info->signed_ms == T0 + 20 * MINUTE);
  CHECK(info->closed_ms == T0 + 26 * 60 * MINUTE);
  CHECK(info->reply_solved == 1);
  CHECK(strcmp(info->reply_text, "工作人员已将学籍卡捞出送还市民") == 0);
  CHECK(info->visit_satisfaction == JSZB_SATISFIED);
  CHECK(strcmp(info->intake->content, "学籍卡掉进和平东街公交站旁的排水井") == 0);
  CHECK(strcmp(info->intake->category[1], "排水设施") == 0);
  CHECK(strcmp(info->intake->category[2], "") == 0);
  CHECK(info->intake->urgency == JSZB_URGENCY_NORMAL);
  CHECK(info->event_count == 6);
  for (i = 0; i < 6; i++) {
    ev = jszb_case_get_event(snap, i);
    CHECK(ev != NULL && ev->type == expected_types[i] && ev->seq == i + 1);
    CHECK(ev != NULL && ev->payload != NULL);
    CHECK(ev != NULL && (ev->intake != NULL) == (i == 0));
  }
  CHECK(jszb_case_get_event(snap, 6) == NULL);
  ev = jszb_case_get_event(snap, 3);
  CHECK(strcmp(ev->payload->text, "工作人员已将学籍卡捞出送还市民") == 0);
  CHECK(ev->actor.role == JSZB_ROLE_UNIT && ev->actor.unit == STREET);
  CHECK(ev->state == JSZB_STATE_REPLIED);
  jszb_case_free(snap);
  jszb_engine_close(e);
}

/* A refused command names state, command and reason, and changes nothing. */
static void test_refusal_is_typed_and_changes_nothing(void) {
  jszb_engine* e = NULL;
  jszb_command c;
  const jszb_error* err;
  uint64_t id;
  OK(jszb_engine_open(NULL, &e));
  id = submit(e, "call-1");
  dispatch(e, id, T0 + MINUTE);

  c = command(JSZB_CMD_SIGN, id, T0 + 2 * MINUTE, unit(STREET2));
  CHECK(jszb_engine_apply(e, &c) == JSZB_E_DENIED);
  err = jszb_error_last();
  CHECK(err->code == JSZB_E_DENIED);
  CHECK(err->state == JSZB_STATE_DISPATCHED);
  CHECK(err->command == JSZB_CMD_SIGN);
  CHECK(err->refusal == JSZB_REFUSAL_NOT_OWNER);
  CHECK(strstr(err->message, "sign") != NULL);
  CHECK(strstr(err->message, "dispatched") != NULL);

  c = command(JSZB_CMD_CLOSE, id, T0 + 2 * MINUTE, operator_());
  CHECK(jszb_engine_apply(e, &c) == JSZB_E_STATE);
  CHECK(jszb_error_last()->refusal == JSZB_REFUSAL_STATE);
  CHECK(jszb_error_last()->command == JSZB_CMD_CLOSE);

  /* Owner returns, centre refuses: the second return is refused by rule. */
  c = command(JSZB_CMD_REQUEST_RETURN, id, T0 + 3 * MINUTE, unit(STREET));
  c.payload.text = "不属于本街道";
  OK(jszb_engine_apply(e, &c));
  c = command(JSZB_CMD_REFUSE_RETURN, id, T0 + 4 * MINUTE, dispatcher());
  OK(jszb_engine_apply(e, &c));
  c = command(JSZB_CMD_REQUEST_RETURN, id, T0 + 5 * MINUTE, unit(STREET));
  c.payload.text = "仍不属于本街道";
  CHECK(jszb_engine_apply(e, &c) == JSZB_E_REFUSED);
  CHECK(jszb_error_last()->refusal == JSZB_REFUSAL_OWNER_FIXED);

  CHECK(state_of(e, id) == JSZB_STATE_DISPATCHED);
  CHECK(events_of(e, id) == 4);
  jszb_engine_close(e);
}

/* Malformed input gets JSZB_E_INVALID naming what was wrong; outputs untouched. */
static void test_invalid_input(void) {
  jszb_engine* e = NULL;
  jszb_intake in = JSZB_INTAKE_INIT;
  jszb_command c;
  uint64_t id, out = 777;
  OK(jszb_engine_open(NULL, &e));
  id = submit(e, "call-1");

  CHECK(jszb_engine_submit(NULL, &in, &out, NULL) == JSZB_E_INVALID);
  CHECK(strstr(jszb_error_last()->message, "engine is NULL") != NULL);
  CHECK(jszb_engine_submit(e, NULL, &out, NULL) == JSZB_E_INVALID);
  in.version = 0;
  CHECK(jszb_engine_submit(e, &in, &out, NULL) == JSZB_E_INVALID);
  CHECK(strstr(jszb_error_last()->message, "JSZB_INTAKE_INIT") != NULL);
  in.version = JSZB_INTAKE_VERSION;
  in.actor = operator_();
  in.channel = JSZB_CHANNEL_PHONE;
  in.channel_ref = "call-2";
  in.kind = JSZB_KIND_COMPLAINT;
  in.category[0] = "市场管理";
  in.time_ms = T0;
  in.content = "\xe9\x80"; /* truncated UTF-8 */
  CHECK(jszb_engine_submit(e, &in, &out, NULL) == JSZB_E_INVALID);
  CHECK(strstr(jszb_error_last()->message, "intake.content is not valid UTF-8") != NULL);
  /* Enumerations are named with the value passed, never one cut to 8 bits. */
  in.content = "排水井堵塞";
  in.channel = 1000;
  CHECK(jszb_engine_submit(e, &in, &out, NULL) == JSZB_E_INVALID);
  CHECK(strstr(jszb_error_last()->message, "intake.channel is 1000") != NULL);
  in.channel = 200;
  CHECK(jszb_engine_submit(e, &in, &out, NULL) == JSZB_E_INVALID);
  CHECK(strstr(jszb_error_last()->message, "intake.channel is 200") != NULL);
  in.channel = JSZB_CHANNEL_PHONE;
  in.actor.role = -3;
  CHECK(jszb_engine_submit(e, &in, &out, NULL) == JSZB_E_INVALID);
  CHECK(strstr(jszb_error_last()->message, "intake.actor.role is -3") != NULL);
  in.actor = operator_();
  CHECK(out == 777);

  c = command(JSZB_CMD_DISPATCH, id, T0 + MINUTE, dispatcher());
  c.payload.unit = STREET;
  c.payload.copy_to_count = 1; /* with copy_to NULL */
  CHECK(jszb_engine_apply(e, &c) == JSZB_E_INVALID);
  CHECK(strstr(jszb_error_last()->message, "payload.copy_to is NULL") != NULL);

  c = command(JSZB_CMD_REPLY, id, T0 + MINUTE, unit(STREET));
  c.payload.contacted = 2;
  c.payload.text = "x";
  CHECK(jszb_engine_apply(e, &c) == JSZB_E_INVALID);
  CHECK(strstr(jszb_error_last()->message, "payload.contacted is 2") != NULL);

  c = command(JSZB_CMD_DISPATCH, id, T0 + MINUTE, dispatcher());
  c.version = 99;
  CHECK(jszb_engine_apply(e, &c) == JSZB_E_INVALID);
  CHECK(jszb_engine_apply(e, NULL) == JSZB_E_INVALID);

  c = command(JSZB_CMD_DISPATCH, 4242, T0 + MINUTE, dispatcher());
  c.payload.unit = STREET;
  CHECK(jszb_engine_apply(e, &c) == JSZB_E_NOT_FOUND);

  CHECK(jszb_engine_open(NULL, NULL) == JSZB_E_INVALID);
  CHECK(state_of(e, id) == JSZB_STATE_RECEIVED);
  CHECK(events_of(e, id) == 1);
  jszb_engine_close(e);
}

/* Submission is idempotent on (channel, channel_ref). */
static void test_idempotent_submit(void) {
  jszb_engine* e = NULL;
  jszb_intake in = JSZB_INTAKE_INIT;
  uint64_t id, again = 0, count = 0;
  int created = -1;
  OK(jszb_engine_open(NULL, &e));
  id = submit(e, "wx-889");
  in.time_ms = T0 + MINUTE;
  in.actor = operator_();
  in.channel = JSZB_CHANNEL_PHONE;
  in.channel_ref = "wx-889";
  in.kind = JSZB_KIND_HELP;
  in.category[0] = "城乡建设";
  in.content = "重复提交";
  OK(jszb_engine_submit(e, &in, &again, &created));
  CHECK(again == id);
  CHECK(created == 0);
  OK(jszb_engine_case_count(e, &count));
  CHECK(count == 1);
  CHECK(events_of(e, id) == 1);
  {
    /* A command's request id: the exact retry is OK and not applied again;
       the id on another command is JSZB_E_CONFLICT. */
    jszb_command c = command(JSZB_CMD_DISPATCH, id, T0 + MINUTE, dispatcher());
    c.payload.unit = STREET;
    c.payload.request_id = "wx-889/dispatch";
    OK(jszb_engine_apply(e, &c));
    OK(jszb_engine_apply(e, &c));
    CHECK(events_of(e, id) == 2);
    c.payload.unit = STREET2;
    CHECK(jszb_engine_apply(e, &c) == JSZB_E_CONFLICT);
    CHECK(strstr(jszb_error_last()->message, "wx-889/dispatch") != NULL);
    CHECK(strcmp(jszb_code_name(JSZB_E_CONFLICT), "conflict") == 0);
    CHECK(events_of(e, id) == 2);
  }
  jszb_engine_close(e);
}

struct recording {
  int types[16];
  uint64_t ids[16];
  int n;
  jszb_engine* engine;
  int reentry_rc;
};

static void record(void* payload, const jszb_event* ev) {
  struct recording* r = (struct recording*)payload;
  if (r->n < 16) {
    r->types[r->n] = ev->type;
    r->ids[r->n] = ev->case_id;
    r->n++;
  }
  if (r->engine != NULL) {
    jszb_command c = command(JSZB_CMD_ANSWER_ON_SPOT, ev->case_id, ev->time_ms, operator_());
    r->reentry_rc = jszb_engine_apply(r->engine, &c);
  }
}

/* Listeners get every event in order, and may not call back into the engine. */
static void test_listeners(void) {
  jszb_engine* e = NULL;
  struct recording r;
  uint64_t listener = 0, a, b;
  memset(&r, 0, sizeof r);
  OK(jszb_engine_open(NULL, &e));
  OK(jszb_engine_add_listener(e, record, &r, &listener));
  a = submit(e, "a");
  b = submit(e, "b");
  dispatch(e, b, T0 + MINUTE);
  CHECK(r.n == 3);
  CHECK(r.types[0] == JSZB_EVENT_SUBMITTED && r.ids[0] == a);
  CHECK(r.types[1] == JSZB_EVENT_SUBMITTED && r.ids[1] == b);
  CHECK(r.types[2] == JSZB_EVENT_DISPATCHED && r.ids[2] == b);

  r.engine = e;
  submit(e, "c");
  CHECK(r.reentry_rc == JSZB_E_BUSY);
  OK(jszb_engine_remove_listener(e, listener));
  CHECK(jszb_engine_remove_listener(e, listener) == JSZB_E_NOT_FOUND);
  r.n = 0;
  submit(e, "d");
  CHECK(r.n == 0);
  CHECK(jszb_engine_add_listener(e, NULL, NULL, &listener) == JSZB_E_INVALID);
  jszb_engine_close(e);
}

/* Listing by state and unit, in pages. */
static void test_list_cases(void) {
  jszb_engine* e = NULL;
  jszb_case_filter f = JSZB_CASE_FILTER_INIT;
  uint64_t* ids = NULL;
  size_t n = 0;
  uint64_t first, second, third;
  OK(jszb_engine_open(NULL, &e));
  first = submit(e, "1");
  second = submit(e, "2");
  third = submit(e, "3");
  dispatch(e, second, T0 + MINUTE);
  dispatch(e, third, T0 + MINUTE);

  f.state = JSZB_STATE_DISPATCHED;
  OK(jszb_engine_list_cases(e, &f, &ids, &n));
  CHECK(n == 2 && ids[0] == second && ids[1] == third);
  jszb_free(ids);

  f.state = 0;
  f.unit = DISTRICT;
  f.limit = 1;
  OK(jszb_engine_list_cases(e, &f, &ids, &n));
  CHECK(n == 1 && ids[0] == second);
  jszb_free(ids);
  f.after_id = second;
  OK(jszb_engine_list_cases(e, &f, &ids, &n));
  CHECK(n == 1 && ids[0] == third);
  jszb_free(ids);

  OK(jszb_engine_list_cases(e, NULL, &ids, &n));
  CHECK(n == 3 && ids[0] == first);
  jszb_free(ids);

  f.state = 99;
  CHECK(jszb_engine_list_cases(e, &f, &ids, &n) == JSZB_E_INVALID);
  f.state = 0;
  f.district = "\xe6\x9c"; /* a character cut short */
  ids = (uint64_t*)&f;
  n = 7;
  CHECK(jszb_engine_list_cases(e, &f, &ids, &n) == JSZB_E_INVALID);
  CHECK(strstr(jszb_error_last()->message, "filter.district is not valid UTF-8") != NULL);
  CHECK(ids == (uint64_t*)&f && n == 7); /* nothing written */
  f.district = NULL;
  f.state = JSZB_STATE_CLOSED;
  f.after_id = 0;
  ids = (uint64_t*)&f; /* must be replaced by NULL: nothing found */
  OK(jszb_engine_list_cases(e, &f, &ids, &n));
  CHECK(n == 0 && ids == NULL);
  /* An in-memory engine has nothing to purge: a state error, not a bug. */
  {
    uint64_t purged = 7;
    CHECK(jszb_engine_purge(e, T0 + 86400000, &purged) == JSZB_E_STATE);
    CHECK(strstr(jszb_error_last()->message, "no store file") != NULL && purged == 7);
  }
  jszb_engine_close(e);
}

/* Events exported as protobuf and JSON replay into another engine exactly. */
static void test_export_and_replay(void) {
  jszb_engine *a = NULL, *b = NULL, *c = NULL;
  jszb_case *snap = NULL, *copy = NULL;
  char *json_a = NULL, *json_b = NULL, *json_c = NULL, *event_json = NULL;
  uint64_t id;
  size_t i;
  jszb_command cmd;
  OK(jszb_engine_open(NULL, &a));
  OK(jszb_engine_open(NULL, &b));
  OK(jszb_engine_open(NULL, &c));
  id = submit(a, "call-1");
  dispatch(a, id, T0 + MINUTE);
  cmd = command(JSZB_CMD_SIGN, id, T0 + 2 * MINUTE, unit(STREET));
  OK(jszb_engine_apply(a, &cmd));

  OK(jszb_engine_get_case(a, id, &snap));
  for (i = 0; i < jszb_case_get_info(snap)->event_count; i++) {
    void* bytes = NULL;
    size_t size = 0;
    OK(jszb_event_to_proto(jszb_case_get_event(snap, i), &bytes, &size));
    CHECK(size > 0);
    OK(jszb_engine_replay_proto(b, bytes, size));
    jszb_free(bytes);
    OK(jszb_event_to_json(jszb_case_get_event(snap, i), &event_json));
    OK(jszb_engine_replay_json(c, event_json));
    jszb_free(event_json);
  }
  OK(jszb_case_to_json(snap, &json_a));
  CHECK(strstr(json_a, "\"state\": \"STATE_HANDLING\"") != NULL ||
        strstr(json_a, "\"state\":\"STATE_HANDLING\"") != NULL);
  CHECK(strstr(json_a, "学籍卡") != NULL);
  OK(jszb_engine_get_case(b, id, &copy));
  OK(jszb_case_to_json(copy, &json_b));
  CHECK(strcmp(json_a, json_b) == 0);
  jszb_case_free(copy);
  OK(jszb_engine_get_case(c, id, &copy));
  OK(jszb_case_to_json(copy, &json_c));
  CHECK(strcmp(json_a, json_c) == 0);

  CHECK(jszb_engine_replay_json(c, "{\"case_id\": 1, \"seq\": 9") == JSZB_E_INVALID);
  CHECK(jszb_engine_replay_proto(c, "\xff\xff\xff", 3) == JSZB_E_INVALID);
  jszb_free(json_a);
  jszb_free(json_b);
  jszb_free(json_c);
  jszb_case_free(copy);
  jszb_case_free(snap);
  jszb_engine_close(a);
  jszb_engine_close(b);
  jszb_engine_close(c);
}

/* Names, NULL-tolerant release functions, error clearing. */
static void test_names_and_housekeeping(void) {
  CHECK(strcmp(jszb_state_name(JSZB_STATE_CO_HANDLING), "co_handling") == 0);
  CHECK(strcmp(jszb_command_name(JSZB_CMD_REQUEST_EXTENSION), "request_extension") == 0);
  CHECK(strcmp(jszb_event_type_name(JSZB_EVENT_REDO_ORDERED), "redo_ordered") == 0);
  CHECK(strcmp(jszb_refusal_name(JSZB_REFUSAL_OWNER_FIXED), "owner_fixed") == 0);
  CHECK(strcmp(jszb_kind_name(JSZB_KIND_SUGGESTION), "suggestion") == 0);
  CHECK(strcmp(jszb_channel_name(JSZB_CHANNEL_LEADERS_BOARD), "leaders_board") == 0);
  CHECK(strcmp(jszb_code_name(JSZB_E_BUSY), "busy") == 0);
  CHECK(strcmp(jszb_not_dispatched_reason_name(JSZB_NOT_DISPATCHED_SECRET), "secret") == 0);
  CHECK(strcmp(jszb_dispatch_mode_name(JSZB_DISPATCH_DISTRICT_COORDINATES),
               "district_coordinates") == 0);
  CHECK(strcmp(jszb_satisfaction_name(JSZB_BASICALLY_SATISFIED), "basically_satisfied") == 0);
  CHECK(strcmp(jszb_visit_method_name(JSZB_VISIT_SMS), "sms") == 0);
  CHECK(strcmp(jszb_supervision_level_name(JSZB_SUPERVISION_CITY), "city") == 0);
  CHECK(strcmp(jszb_supervision_level_name(0), "none") == 0);
  CHECK(jszb_satisfaction_name(0) == NULL);
  CHECK(jszb_state_name(0) == NULL);
  CHECK(jszb_state_name(99) == NULL);
  CHECK(jszb_state_name(-1) == NULL);
  CHECK(jszb_code_name(-99) == NULL);
  jszb_engine_close(NULL);
  jszb_case_free(NULL);
  jszb_free(NULL);
  CHECK(jszb_case_get_info(NULL) == NULL);
  CHECK(jszb_case_get_event(NULL, 0) == NULL);
  CHECK(jszb_engine_case_count(NULL, NULL) == JSZB_E_INVALID);
  CHECK(jszb_error_last()->code == JSZB_E_INVALID);
  jszb_error_clear();
  CHECK(jszb_error_last()->code == JSZB_OK);
  CHECK(strcmp(jszb_error_last()->message, "") == 0);
}

/* Engine options: limits on extensions, versions checked. */
static void test_engine_options(void) {
  jszb_engine_options o = JSZB_ENGINE_OPTIONS_INIT;
  jszb_engine* e = NULL;
  jszb_command c;
  uint64_t id;
  o.max_extensions = 0;
  OK(jszb_engine_open(&o, &e));
  id = submit(e, "x");
  dispatch(e, id, T0 + MINUTE);
  c = command(JSZB_CMD_SIGN, id, T0 + 2 * MINUTE, unit(STREET));
  OK(jszb_engine_apply(e, &c));
  c = command(JSZB_CMD_REQUEST_EXTENSION, id, T0 + 3 * MINUTE, unit(STREET));
  c.payload.until_ms = T0 + 10 * 24 * 60 * MINUTE;
  c.payload.text = "需要协调";
  CHECK(jszb_engine_apply(e, &c) == JSZB_E_REFUSED);
  CHECK(jszb_error_last()->refusal == JSZB_REFUSAL_EXTENSION_LIMIT);
  jszb_engine_close(e);

  o.max_extensions = -1;
  e = NULL;
  CHECK(jszb_engine_open(&o, &e) == JSZB_E_INVALID && e == NULL);
  o.max_extensions = 1;
  o.version = 7;
  CHECK(jszb_engine_open(&o, &e) == JSZB_E_INVALID && e == NULL);
}

static void close_from_listener(void* payload, const jszb_event* ev) {
  jszb_engine** engine = (jszb_engine**)payload;
  (void)ev;
  jszb_engine_close(*engine); /* deferred until the notifying call returns */
  *engine = NULL;
}

/* A listener may close its engine: the close waits for the call to finish. */
static void test_close_from_listener(void) {
  jszb_engine *e = NULL, *handle = NULL;
  uint64_t listener = 0, id = 0;
  jszb_intake in = JSZB_INTAKE_INIT;
  OK(jszb_engine_open(NULL, &e));
  handle = e;
  OK(jszb_engine_add_listener(e, close_from_listener, &handle, &listener));
  in.time_ms = T0;
  in.actor = operator_();
  in.channel = JSZB_CHANNEL_WEB;
  in.channel_ref = "web-1";
  in.kind = JSZB_KIND_SUGGESTION;
  in.category[0] = "交通管理";
  in.content = "建议增设信号灯";
  OK(jszb_engine_submit(e, &in, &id, NULL)); /* runs the listener, then closes */
  CHECK(id == 1);
  CHECK(handle == NULL);
  /* Under ASan, any later use of e would be reported; nothing is left to free. */
}

/* The co-handlers still to report are listed, not only counted. */
static void test_pending_co_handlers(void) {
  static const uint32_t co[] = {110105901u, 110105902u};
  jszb_engine* e = NULL;
  jszb_case* snap = NULL;
  jszb_command c;
  uint64_t id;
  const jszb_case_info* info;
  OK(jszb_engine_open(NULL, &e));
  id = submit(e, "whistle");
  c = command(JSZB_CMD_DISPATCH, id, T0 + MINUTE, dispatcher());
  c.payload.unit = STREET;
  c.payload.units = co;
  c.payload.units_count = 2;
  OK(jszb_engine_apply(e, &c));
  c = command(JSZB_CMD_SIGN, id, T0 + 2 * MINUTE, unit(STREET));
  OK(jszb_engine_apply(e, &c));
  c = command(JSZB_CMD_REPORT_TO_LEAD, id, T0 + 3 * MINUTE, unit(co[0]));
  c.payload.text = "已到场处置";
  OK(jszb_engine_apply(e, &c));
  OK(jszb_engine_get_case(e, id, &snap));
  info = jszb_case_get_info(snap);
  CHECK(info->state == JSZB_STATE_CO_HANDLING);
  CHECK(info->co_handlers_count == 2);
  CHECK(info->co_handlers_pending_count == 1 && info->co_handlers_pending[0] == co[1]);
  jszb_case_free(snap);
  jszb_engine_close(e);
}

/* A case of STREET, signed 20 minutes after T0, replied (contacted) after an
   hour and visited after two: satisfied and solved if `good`, else not
   satisfied and not solved, the citizen reached if `reached`. */
static uint64_t visited(jszb_engine* e, const char* ref, int good, int reached) {
  uint64_t id = submit(e, ref);
  jszb_command c;
  dispatch(e, id, T0 + 10 * MINUTE);
  c = command(JSZB_CMD_SIGN, id, T0 + 20 * MINUTE, unit(STREET));
  OK(jszb_engine_apply(e, &c));
  c = command(JSZB_CMD_REPLY, id, T0 + 60 * MINUTE, unit(STREET));
  c.payload.contacted = 1;
  c.payload.solved = good;
  c.payload.text = "已处理";
  OK(jszb_engine_apply(e, &c));
  c = command(JSZB_CMD_VISIT, id, T0 + 120 * MINUTE, operator_());
  c.payload.valid_visit = 1;
  c.payload.contacted = reached;
  c.payload.solved = good;
  c.payload.satisfaction = good ? JSZB_SATISFIED : JSZB_NOT_SATISFIED;
  OK(jszb_engine_apply(e, &c));
  return id;
}

/* Periods and the three rates: one order closed with a satisfied visit in
   October 2021, another with an unsatisfied one; hand-counted. */
static void test_assessment(void) {
  jszb_engine* e = NULL;
  jszb_unit_score* scores = NULL;
  jszb_rate_weights w = JSZB_RATE_WEIGHTS_INIT;
  int64_t from = 0, until = 0;
  size_t count = 0;
  int k;
  OK(jszb_assessment_month(2021, 10, &from, &until));
  CHECK(from == (int64_t)1631980800000); /* 2021-09-19 00:00 +08:00 */
  CHECK(until - from == (int64_t)30 * 24 * 60 * MINUTE);
  OK(jszb_bulletin_day(2021, 9, 20, &from, &until));
  CHECK(from == (int64_t)1631980800000 + 12 * 60 * MINUTE);
  CHECK(jszb_bulletin_day(2021, 2, 30, &from, &until) == JSZB_E_INVALID);
  CHECK(strstr(jszb_error_last()->message, "2021-02-30") != NULL);

  OK(jszb_engine_open(NULL, &e));
  for (k = 0; k < 2; k++) visited(e, k == 0 ? "assess-1" : "assess-2", k == 0, 1);
  OK(jszb_assessment_month(2021, 10, &from, &until));
  OK(jszb_engine_assess(e, from, until, NULL, &scores, &count));
  CHECK(count == 1);
  if (count == 1) {
    CHECK(scores[0].unit == STREET);
    CHECK(scores[0].visits == 2 && scores[0].contacted == 2 && scores[0].solved == 1);
    CHECK(scores[0].response == 1.0 && scores[0].resolution == 0.5 &&
          scores[0].satisfaction == 0.5);
    CHECK(scores[0].composite > 0.1 + 0.25 + 0.2 - 1e-9 && scores[0].composite < 0.55 + 1e-9);
    CHECK(scores[0].sign_outcomes == 2 && scores[0].replies == 2);
  }
  jszb_free(scores);
  w.response = 1;
  w.resolution = 0;
  w.satisfaction = 0;
  OK(jszb_engine_assess(e, from, until, &w, &scores, &count));
  CHECK(count == 1 && scores[0].composite == 1.0);
  jszb_free(scores);
  /* The month before: nothing. A reversed period: refused. */
  OK(jszb_assessment_month(2021, 9, &from, &until));
  OK(jszb_engine_assess(e, from, until, NULL, &scores, &count));
  CHECK(count == 0 && scores == NULL);
  CHECK(jszb_engine_assess(e, until, from, NULL, &scores, &count) == JSZB_E_INVALID);
  w.version = 99;
  CHECK(jszb_engine_assess(e, from, until, &w, &scores, &count) == JSZB_E_INVALID);
  jszb_engine_close(e);
}

static void test_report(void) {
  jszb_engine* e = NULL;
  jszb_report_options o = JSZB_REPORT_OPTIONS_INIT;
  char* text = NULL;
  OK(jszb_engine_open(NULL, &e));
  submit(e, "report-1");
  submit(e, "report-2");
  OK(jszb_assessment_month(2021, 10, &o.from_ms, &o.until_ms));
  OK(jszb_engine_report(e, &o, JSZB_REPORT_JSON, &text));
  CHECK(text != NULL && strstr(text, "\"received\":\"2\"") != NULL);
  jszb_free(text);
  OK(jszb_engine_report(e, &o, JSZB_REPORT_CSV, &text));
  CHECK(text != NULL && strncmp(text, "# report", 8) == 0);
  jszb_free(text);
  OK(jszb_engine_report(e, &o, JSZB_REPORT_HTML, &text));
  CHECK(text != NULL && strncmp(text, "<!DOCTYPE html>", 15) == 0);
  jszb_free(text);
  /* Bad input: named, and *out left as it was. */
  text = (char*)1;
  CHECK(jszb_engine_report(e, &o, 9, &text) == JSZB_E_INVALID && text == (char*)1);
  CHECK(strstr(jszb_error_last()->message, "format") != NULL);
  o.from_ms += 1;
  CHECK(jszb_engine_report(e, &o, JSZB_REPORT_JSON, &text) == JSZB_E_INVALID);
  CHECK(strstr(jszb_error_last()->message, "half-day") != NULL);
  o.version = 0;
  CHECK(jszb_engine_report(e, &o, JSZB_REPORT_JSON, &text) == JSZB_E_INVALID);
  CHECK(jszb_engine_report(e, NULL, JSZB_REPORT_JSON, &text) == JSZB_E_INVALID);
  jszb_engine_close(e);
}

/* The orders behind each figure: two orders of the street, one returned
   unsigned and one appealed; each list is as long as jszb_engine_assess's
   figure and names the right orders; bad input is refused, *orders untouched. */
static size_t unit_orders(jszb_engine* e, uint32_t u, int figure, jszb_unit_order** orders) {
  jszb_unit_orders_options o = JSZB_UNIT_ORDERS_OPTIONS_INIT;
  size_t n = 0;
  o.unit = u;
  OK(jszb_assessment_month(2021, 10, &o.from_ms, &o.until_ms));
  o.figure = figure;
  *orders = NULL;
  OK(jszb_engine_unit_orders(e, &o, orders, &n));
  return n;
}

static void test_unit_orders(void) {
  jszb_engine* e = NULL;
  jszb_unit_score* scores = NULL;
  jszb_unit_order* orders = NULL;
  jszb_unit_orders_options o = JSZB_UNIT_ORDERS_OPTIONS_INIT;
  jszb_command c;
  int64_t from = 0, until = 0;
  size_t count = 0, n = 0;
  jszb_policy* beijing = NULL;
  uint64_t ids[2], returned;
  int k;
  OK(jszb_engine_open(NULL, &e));
  OK(jszb_policy_default(&beijing)); /* its deadlines: signed within the hour */
  OK(jszb_engine_set_policy(e, beijing));
  jszb_policy_free(beijing);
  for (k = 0; k < 2; k++) { /* satisfied; not contacted, not solved, appealed */
    ids[k] = visited(e, k == 0 ? "drill-1" : "drill-2", k == 0, k == 0);
    c = command(JSZB_CMD_CLOSE, ids[k], T0 + 121 * MINUTE, operator_());
    OK(jszb_engine_apply(e, &c));
  }
  c = command(JSZB_CMD_APPEAL, ids[1], T0 + 180 * MINUTE, unit(STREET));
  c.payload.text = "回访录入有误";
  OK(jszb_engine_apply(e, &c));
  returned = submit(e, "drill-3"); /* not signed for: back to the centre */
  dispatch(e, returned, T0 + 10 * MINUTE);
  OK(jszb_engine_advance(e, T0 + 240 * MINUTE));

  OK(jszb_assessment_month(2021, 10, &from, &until));
  OK(jszb_engine_assess(e, from, until, NULL, &scores, &count));
  CHECK(count == 1 && scores[0].unit == STREET);
  if (count == 1) {
    const jszb_unit_score* s = &scores[0];
    CHECK(unit_orders(e, STREET, JSZB_FIGURE_VISITS, &orders) == s->visits && s->visits == 2);
    CHECK(orders != NULL && orders[0].case_id == ids[0] && orders[1].case_id == ids[1]);
    CHECK(orders != NULL && orders[0].time_ms == T0 + 120 * MINUTE);
    jszb_free(orders);
    CHECK(unit_orders(e, STREET, JSZB_FIGURE_NOT_CONTACTED, &orders) == s->visits - s->contacted);
    CHECK(orders != NULL && orders[0].case_id == ids[1]);
    jszb_free(orders);
    CHECK(unit_orders(e, STREET, JSZB_FIGURE_NOT_SOLVED, &orders) == s->visits - s->solved);
    jszb_free(orders);
    CHECK(unit_orders(e, STREET, JSZB_FIGURE_SATISFIED, &orders) == s->satisfied);
    jszb_free(orders);
    CHECK(unit_orders(e, STREET, JSZB_FIGURE_NOT_SATISFIED, &orders) == s->not_satisfied);
    jszb_free(orders);
    CHECK(unit_orders(e, STREET, JSZB_FIGURE_BASICALLY_SATISFIED, &orders) == 0 && !orders);
    n = unit_orders(e, STREET, JSZB_FIGURE_LATE_SIGN_FOR, &orders);
    CHECK(n == s->sign_outcomes - s->signed_on_time && n == 1);
    CHECK(orders != NULL && orders[0].case_id == returned);
    jszb_free(orders);
    CHECK(unit_orders(e, STREET, JSZB_FIGURE_LATE_REPLY, &orders) ==
          s->replies - s->replied_on_time);
    jszb_free(orders);
  }
  jszb_free(scores);
  CHECK(unit_orders(e, STREET, JSZB_FIGURE_APPEALED, &orders) == 1);
  CHECK(orders != NULL && orders[0].case_id == ids[1] && orders[0].time_ms == T0 + 180 * MINUTE);
  jszb_free(orders);
  CHECK(unit_orders(e, STREET, JSZB_FIGURE_DISPATCHED, &orders) == 3);
  jszb_free(orders);
  CHECK(unit_orders(e, STREET, JSZB_FIGURE_CLOSED, &orders) == 2);
  jszb_free(orders);
  n = unit_orders(e, STREET, JSZB_FIGURE_BREACHED, &orders); /* the sign-for */
  CHECK(n == 1 && orders != NULL && orders[0].case_id == returned);
  jszb_free(orders);

  /* Bad input: named, and nothing written. */
  orders = (jszb_unit_order*)1;
  count = 7;
  o.unit = STREET;
  o.from_ms = from;
  o.until_ms = until;
  o.figure = 16;
  CHECK(jszb_engine_unit_orders(e, &o, &orders, &count) == JSZB_E_INVALID);
  CHECK(strstr(jszb_error_last()->message, "figure is 16") != NULL);
  o.figure = 0;
  CHECK(jszb_engine_unit_orders(e, &o, &orders, &count) == JSZB_E_INVALID);
  o.figure = JSZB_FIGURE_VISITS;
  o.unit = 0;
  CHECK(jszb_engine_unit_orders(e, &o, &orders, &count) == JSZB_E_INVALID);
  CHECK(strstr(jszb_error_last()->message, "unit is 0") != NULL);
  o.unit = 999;
  CHECK(jszb_engine_unit_orders(e, &o, &orders, &count) == JSZB_E_NOT_FOUND);
  CHECK(strstr(jszb_error_last()->message, "not a unit of the current policy") != NULL);
  o.unit = STREET;
  o.until_ms = from;
  CHECK(jszb_engine_unit_orders(e, &o, &orders, &count) == JSZB_E_INVALID);
  CHECK(strstr(jszb_error_last()->message, "empty") != NULL);
  o.until_ms = until;
  o.version = 0;
  CHECK(jszb_engine_unit_orders(e, &o, &orders, &count) == JSZB_E_INVALID);
  CHECK(strstr(jszb_error_last()->message, "JSZB_UNIT_ORDERS_OPTIONS_INIT") != NULL);
  o.version = JSZB_UNIT_ORDERS_OPTIONS_VERSION;
  CHECK(jszb_engine_unit_orders(e, NULL, &orders, &count) == JSZB_E_INVALID);
  CHECK(jszb_engine_unit_orders(NULL, &o, &orders, &count) == JSZB_E_INVALID);
  CHECK(orders == (jszb_unit_order*)1 && count == 7);
  CHECK(jszb_engine_unit_orders(e, &o, NULL, &count) == JSZB_E_INVALID);
  CHECK(jszb_engine_unit_orders(e, &o, &orders, NULL) == JSZB_E_INVALID);
  jszb_engine_close(e);
}

static const struct test tests[] = {
    {"lifecycle_to_close", test_lifecycle_to_close},
    {"refusal_is_typed_and_changes_nothing", test_refusal_is_typed_and_changes_nothing},
    {"invalid_input", test_invalid_input},
    {"idempotent_submit", test_idempotent_submit},
    {"listeners", test_listeners},
    {"list_cases", test_list_cases},
    {"export_and_replay", test_export_and_replay},
    {"names_and_housekeeping", test_names_and_housekeeping},
    {"engine_options", test_engine_options},
    {"close_from_listener", test_close_from_listener},
    {"pending_co_handlers", test_pending_co_handlers},
    {"assessment", test_assessment},
    {"report", test_report},
    {"unit_orders", test_unit_orders},
};

int main(int argc, char** argv) {
  return run_tests(tests, sizeof tests / sizeof tests[0], argc, argv);
}
