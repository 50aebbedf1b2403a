/*
 * minimal.c: one request through the whole 接诉即办 lifecycle with the C ABI.
 *
 * received -> dispatched (dispatcher) -> handling (the street signs) -> replied
 * (the street replies) -> visited (the centre calls the citizen back: satisfied)
 * -> closed. Every return code is checked; the program exits 0 only if the case
 * ends closed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "jszb/jszb.h"

/* 2021-09-22 09:00 China time (UTC+8), in milliseconds since the Unix epoch. */
#define T0 INT64_C(1632272400000)
#define MINUTE INT64_C(60000)
#define HOUR (60 * MINUTE)

#define WANGJING_STREET UINT32_C(110105026) /* 望京街道 */
#define CHAOYANG_DISTRICT UINT32_C(110105)  /* 朝阳区 */
#define CENTRE UINT32_C(110105900)          /* 12345 朝阳分中心 (made-up code) */

static int check(int rc, const char* what) {
  if (rc != JSZB_OK) {
    const jszb_error* e = jszb_error_last();
    fprintf(stderr, "%s failed: %s (%s)\n", what, e->message, jszb_code_name(rc));
    return 0;
  }
  return 1;
}

/* A command of the given kind, every payload field 0: payload fields that a
   kind does not use must be left 0, so each command starts from the INIT macro. */
static jszb_command new_command(int kind, uint64_t id, int64_t time_ms, jszb_actor actor) {
  jszb_command cmd = JSZB_COMMAND_INIT;
  cmd.kind = kind;
  cmd.case_id = id;
  cmd.time_ms = time_ms;
  cmd.actor = actor;
  return cmd;
}

/* Prints the case's state by name; returns it, or 0 on failure. */
static int show_state(jszb_engine* engine, uint64_t id, const char* step) {
  jszb_case* c = NULL;
  int state;
  if (!check(jszb_engine_get_case(engine, id, &c), "jszb_engine_get_case")) return 0;
  state = jszb_case_get_info(c)->state;
  printf("%-22s -> %s\n", step, jszb_state_name(state));
  jszb_case_free(c);
  return state;
}

/* Applies one command and prints the state it leads to. */
static int run(jszb_engine* engine, const jszb_command* cmd, const char* step) {
  if (!check(jszb_engine_apply(engine, cmd), jszb_command_name(cmd->kind))) return 0;
  return show_state(engine, cmd->case_id, step) != 0;
}

int main(void) {
  jszb_engine* engine = NULL;
  jszb_intake in = JSZB_INTAKE_INIT;
  jszb_command cmd;
  const jszb_actor operator_ = {JSZB_ROLE_OPERATOR, CENTRE, 1001};
  const jszb_actor dispatcher = {JSZB_ROLE_DISPATCHER, CENTRE, 2001};
  const jszb_actor street = {JSZB_ROLE_UNIT, WANGJING_STREET, 0};
  const uint32_t copy_to[1] = {CHAOYANG_DISTRICT};
  uint64_t id = 0;
  int created = 0;
  int ok = 0;
  int final_state = 0;

  printf("jszb %s\n", jszb_version());
  if (!check(jszb_engine_open(NULL, &engine), "jszb_engine_open")) return EXIT_FAILURE;

  /* 受理: an operator records a call. */
  in.time_ms = T0;
  in.actor = operator_;
  in.channel = JSZB_CHANNEL_PHONE;
  in.channel_ref = "CY-20210922-000001";
  in.kind = JSZB_KIND_COMPLAINT;
  in.category[0] = "环境保护";
  in.category[1] = "园林绿化";
  in.category[2] = "树木虫害";
  in.urgency = JSZB_URGENCY_NORMAL;
  in.district = "朝阳区";
  in.street = "望京街道";
  in.address = "望京某小区南门外人行道";
  in.content = "小区门口行道树上毛毛虫很多，经常掉到行人身上，希望尽快消杀。";
  in.contact_name = "李女士";
  if (!check(jszb_engine_submit(engine, &in, &id, &created), "jszb_engine_submit")) goto out;
  printf("case %llu created=%d\n", (unsigned long long)id, created);
  if (!show_state(engine, id, "submit")) goto out;

  /* 派单: the dispatcher sends it to the street, copied to the district. */
  cmd = new_command(JSZB_CMD_DISPATCH, id, T0 + 10 * MINUTE, dispatcher);
  cmd.payload.unit = WANGJING_STREET;
  cmd.payload.mode = JSZB_DISPATCH_DIRECT;
  cmd.payload.copy_to = copy_to;
  cmd.payload.copy_to_count = 1;
  if (!run(engine, &cmd, "dispatch")) goto out;

  /* 签收: the street signs for it. */
  {
    jszb_command sign = new_command(JSZB_CMD_SIGN, id, T0 + 30 * MINUTE, street);
    if (!run(engine, &sign, "sign")) goto out;
  }

  /* 反馈: the street replies. */
  {
    jszb_command reply = new_command(JSZB_CMD_REPLY, id, T0 + 26 * HOUR, street);
    reply.payload.contacted = 1;
    reply.payload.solved = 1;
    reply.payload.text = "已联系市民，街道协调园林部门于当日完成消杀。";
    if (!run(engine, &reply, "reply")) goto out;
  }

  /* 回访: the centre calls the citizen back. */
  {
    jszb_command visit = new_command(JSZB_CMD_VISIT, id, T0 + 30 * HOUR, operator_);
    visit.payload.valid_visit = 1;
    visit.payload.contacted = 1;
    visit.payload.solved = 1;
    visit.payload.satisfaction = JSZB_SATISFIED;
    visit.payload.visit_method = JSZB_VISIT_PHONE;
    if (!run(engine, &visit, "visit (satisfied)")) goto out;
  }

  /* 办结 */
  {
    jszb_command close = new_command(JSZB_CMD_CLOSE, id, T0 + 30 * HOUR + 5 * MINUTE, operator_);
    if (!run(engine, &close, "close")) goto out;
  }

  final_state = show_state(engine, id, "final");
  ok = final_state == JSZB_STATE_CLOSED;

out:
  jszb_engine_close(engine);
  if (!ok) fprintf(stderr, "the case did not end closed\n");
  return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
