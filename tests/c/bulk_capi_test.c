/* The bulk calls of jszb.h (jszb_engine_apply_many, _submit_many), in C99:
   a result per item, going on past refusals, nothing of a refused item
   applied, the first refusal described, and batches deciding for all. Run
   one test by name: bulk_capi_test <name>. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "case_reads.h"
#include "check.h"
#include "jszb/jszb.h"

#define T0 ((int64_t)1632009600000) /* 2021-09-19 08:00 Beijing */
#define STREET 110105007u
#define OTHER_STREET 110105026u
#define MINUTE ((int64_t)60000)

static jszb_intake intake(const char* ref) {
  jszb_intake in = JSZB_INTAKE_INIT;
  jszb_actor op = {JSZB_ROLE_OPERATOR, 0, 1001};
  in.time_ms = T0;
  in.actor = op;
  in.channel = JSZB_CHANNEL_PHONE;
  in.channel_ref = ref;
  in.kind = JSZB_KIND_COMPLAINT;
  in.category[0] = "城乡建设";
  in.category[1] = "施工管理";
  in.content = "小区南侧工地夜间施工，噪音扰民";
  return in;
}

static uint64_t submit(jszb_engine* e, const char* ref) {
  jszb_intake in = intake(ref);
  uint64_t id = 0;
  OK(jszb_engine_submit(e, &in, &id, NULL));
  return id;
}

static jszb_command command(int kind, uint64_t id, int64_t minutes, int role, uint32_t unit) {
  jszb_command c = JSZB_COMMAND_INIT;
  c.kind = kind;
  c.case_id = id;
  c.time_ms = T0 + minutes * MINUTE;
  c.actor.role = role;
  c.actor.unit = unit;
  c.actor.staff = role == JSZB_ROLE_UNIT ? 0 : 2001;
  if (kind == JSZB_CMD_DISPATCH) c.payload.unit = STREET;
  return c;
}

/* Good and bad commands mixed: each gets its own code, the refused ones
   change nothing, the good ones after them are applied all the same. */
static void test_mixed_results(void) {
  jszb_engine* e = NULL;
  jszb_command cmds[6];
  int results[6];
  uint64_t a, b;
  OK(jszb_engine_open(NULL, &e));
  a = submit(e, "m-1");
  b = submit(e, "m-2");
  cmds[0] = command(JSZB_CMD_DISPATCH, a, 10, JSZB_ROLE_DISPATCHER, 0);
  cmds[1] = command(JSZB_CMD_SIGN, a, 20, JSZB_ROLE_UNIT, OTHER_STREET); /* not the owner */
  cmds[2] = command(JSZB_CMD_SIGN, a, 30, JSZB_ROLE_UNIT, STREET);
  cmds[3] = command(JSZB_CMD_SIGN, b, 10, JSZB_ROLE_UNIT, STREET); /* not dispatched yet */
  cmds[4] = command(JSZB_CMD_DISPATCH, b, 20, JSZB_ROLE_DISPATCHER, 0);
  cmds[5] = command(JSZB_CMD_DISPATCH, b, 30, JSZB_ROLE_DISPATCHER, 0);
  cmds[5].version = 99; /* malformed */
  jszb_error_clear();
  CHECK(jszb_engine_apply_many(e, cmds, 6, results) == 3);
  CHECK(results[0] == JSZB_OK);
  CHECK(results[1] == JSZB_E_DENIED);
  CHECK(results[2] == JSZB_OK);
  CHECK(results[3] == JSZB_E_STATE);
  CHECK(results[4] == JSZB_OK);
  CHECK(results[5] == JSZB_E_INVALID);
  /* The first refusal is the one described, with its index and reason. */
  CHECK(jszb_error_last()->code == JSZB_E_DENIED);
  CHECK(strncmp(jszb_error_last()->message, "commands[1]: ", 13) == 0);
  CHECK(jszb_error_last()->refusal == JSZB_REFUSAL_NOT_OWNER);
  CHECK(jszb_error_last()->command == JSZB_CMD_SIGN);
  CHECK(jszb_error_last()->state == JSZB_STATE_DISPATCHED);
  /* submitted, dispatched, signed: nothing of the refused sign. */
  CHECK(events_of(e, a) == 3);
  CHECK(state_of(e, a) == JSZB_STATE_HANDLING);
  CHECK(events_of(e, b) == 2);
  CHECK(state_of(e, b) == JSZB_STATE_DISPATCHED);
  /* All accepted: 0, and the thread's error is left alone. */
  cmds[0] = command(JSZB_CMD_SIGN, b, 40, JSZB_ROLE_UNIT, STREET);
  CHECK(jszb_engine_apply_many(e, cmds, 1, results) == JSZB_OK);
  CHECK(results[0] == JSZB_OK);
  CHECK(state_of(e, b) == JSZB_STATE_HANDLING);
  jszb_engine_close(e);
}

/* Call-level errors: negative, nothing applied, results not written. */
static void test_bad_calls(void) {
  jszb_engine* e = NULL;
  jszb_command cmd;
  int results[1] = {42};
  uint64_t id;
  OK(jszb_engine_open(NULL, &e));
  id = submit(e, "bad-1");
  cmd = command(JSZB_CMD_DISPATCH, id, 10, JSZB_ROLE_DISPATCHER, 0);
  CHECK(jszb_engine_apply_many(NULL, &cmd, 1, results) == JSZB_E_INVALID);
  CHECK(strstr(jszb_error_last()->message, "engine is NULL") != NULL);
  CHECK(jszb_engine_apply_many(e, &cmd, 1, NULL) == JSZB_E_INVALID);
  CHECK(strstr(jszb_error_last()->message, "results is NULL") != NULL);
  CHECK(jszb_engine_apply_many(e, NULL, 1, results) == JSZB_E_INVALID);
  CHECK(strstr(jszb_error_last()->message, "commands is NULL") != NULL);
  CHECK(jszb_engine_apply_many(e, &cmd, (size_t)1 << 40, results) == JSZB_E_INVALID);
  CHECK(results[0] == 42);
  CHECK(events_of(e, id) == 1);
  /* n == 0 is fine, NULL arrays included. */
  CHECK(jszb_engine_apply_many(e, NULL, 0, NULL) == JSZB_OK);
  CHECK(jszb_engine_submit_many(e, NULL, 0, NULL, NULL) == JSZB_OK);
  CHECK(jszb_engine_submit_many(e, NULL, 1, NULL, results) == JSZB_E_INVALID);
  jszb_engine_close(e);
}

/* Inside begin/commit the caller decides for all: a rollback undoes the
   accepted commands too; a commit keeps them. */
static void test_batch_rollback_and_commit(void) {
  jszb_engine* e = NULL;
  jszb_command cmds[3];
  int results[3];
  uint64_t id;
  OK(jszb_engine_open(NULL, &e));
  id = submit(e, "batch-1");
  cmds[0] = command(JSZB_CMD_DISPATCH, id, 10, JSZB_ROLE_DISPATCHER, 0);
  cmds[1] = command(JSZB_CMD_CLOSE, id, 20, JSZB_ROLE_OPERATOR, 0); /* not yet */
  cmds[2] = command(JSZB_CMD_SIGN, id, 30, JSZB_ROLE_UNIT, STREET);
  OK(jszb_engine_begin(e));
  CHECK(jszb_engine_apply_many(e, cmds, 3, results) == 1);
  CHECK(results[0] == JSZB_OK && results[1] == JSZB_E_STATE && results[2] == JSZB_OK);
  CHECK(events_of(e, id) == 3); /* seen inside the batch */
  OK(jszb_engine_rollback(e));
  CHECK(events_of(e, id) == 1);
  CHECK(state_of(e, id) == JSZB_STATE_RECEIVED);
  OK(jszb_engine_begin(e));
  CHECK(jszb_engine_apply_many(e, cmds, 3, results) == 1);
  OK(jszb_engine_commit(e));
  CHECK(events_of(e, id) == 3);
  CHECK(state_of(e, id) == JSZB_STATE_HANDLING);
  jszb_engine_close(e);
}

static void test_submit_many(void) {
  jszb_engine* e = NULL;
  jszb_intake in[4];
  uint64_t ids[4] = {7, 7, 7, 7};
  int results[4];
  OK(jszb_engine_open(NULL, &e));
  in[0] = intake("s-1");
  in[1] = intake("s-2");
  in[1].content = NULL;  /* required */
  in[2] = intake("s-1"); /* known: the same case */
  in[3] = intake("s-3");
  CHECK(jszb_engine_submit_many(e, in, 4, ids, results) == 1);
  CHECK(results[0] == JSZB_OK && results[1] == JSZB_E_INVALID);
  CHECK(results[2] == JSZB_OK && results[3] == JSZB_OK);
  CHECK(ids[0] != 0 && ids[1] == 0 && ids[2] == ids[0] && ids[3] != 0 && ids[3] != ids[0]);
  CHECK(strncmp(jszb_error_last()->message, "intakes[1]: ", 12) == 0);
  CHECK(strstr(jszb_error_last()->message, "content") != NULL);
  {
    uint64_t count = 0;
    OK(jszb_engine_case_count(e, &count));
    CHECK(count == 2);
  }
  jszb_engine_close(e);
}

struct listener_state {
  jszb_engine* engine;
  int rc;
  int calls;
};

static void bulk_from_listener(void* payload, const jszb_event* event) {
  struct listener_state* s = (struct listener_state*)payload;
  jszb_command cmd = command(JSZB_CMD_SIGN, event->case_id, 60, JSZB_ROLE_UNIT, STREET);
  int results[1] = {42};
  s->rc = jszb_engine_apply_many(s->engine, &cmd, 1, results);
  if (results[0] != 42) s->rc = 1000; /* results must not be written */
}

static void close_from_listener(void* payload, const jszb_event* event) {
  struct listener_state* s = (struct listener_state*)payload;
  (void)event;
  if (s->calls++ == 0) jszb_engine_close(s->engine);
}

/* From a listener: JSZB_E_BUSY. A listener that closes the engine stops the
   call; what was not tried is JSZB_E_BUSY. */
static void test_listeners(void) {
  jszb_engine* e = NULL;
  struct listener_state s = {NULL, 0, 0};
  jszb_command cmds[3];
  int results[3];
  uint64_t listener, a, b;
  OK(jszb_engine_open(NULL, &e));
  s.engine = e;
  a = submit(e, "l-1");
  b = submit(e, "l-2");
  OK(jszb_engine_add_listener(e, bulk_from_listener, &s, &listener));
  cmds[0] = command(JSZB_CMD_DISPATCH, a, 10, JSZB_ROLE_DISPATCHER, 0);
  CHECK(jszb_engine_apply_many(e, cmds, 1, results) == JSZB_OK);
  CHECK(s.rc == JSZB_E_BUSY);
  CHECK(state_of(e, a) == JSZB_STATE_DISPATCHED);
  OK(jszb_engine_remove_listener(e, listener));
  OK(jszb_engine_add_listener(e, close_from_listener, &s, &listener));
  cmds[0] = command(JSZB_CMD_SIGN, a, 20, JSZB_ROLE_UNIT, STREET);
  cmds[1] = command(JSZB_CMD_DISPATCH, b, 20, JSZB_ROLE_DISPATCHER, 0);
  cmds[2] = command(JSZB_CMD_SIGN, b, 30, JSZB_ROLE_UNIT, STREET);
  CHECK(jszb_engine_apply_many(e, cmds, 3, results) == 2);
  CHECK(results[0] == JSZB_OK && results[1] == JSZB_E_BUSY && results[2] == JSZB_E_BUSY);
  CHECK(strstr(jszb_error_last()->message, "commands[1]: not tried") != NULL);
  CHECK(s.calls == 1);
  /* The engine is gone now (closed by the listener). */
}

static const struct test tests[] = {
    {"mixed_results", test_mixed_results},
    {"bad_calls", test_bad_calls},
    {"batch_rollback_and_commit", test_batch_rollback_and_commit},
    {"submit_many", test_submit_many},
    {"listeners", test_listeners},
};

int main(int argc, char** argv) {
  return run_tests(tests, sizeof tests / sizeof tests[0], argc, argv);
}
