/* The what-if replay through the C ABI (jszb_what_if_run): the same policy
   reproduces the live store's assessment and report; a command the new rules
   refuse is skipped, counted and listed; bad options are refused naming the
   field with nothing given back; the progress callback is called and can stop
   the replay. C99 against jszb.h (and POSIX for a temporary directory). Run one
   test by name: what_if_capi_test <name>. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "jszb/jszb.h"
#include "store_fixture.h"

#define T0 ((int64_t)1709254800000) /* 2024-03-01 09:00 China time */
#define MINUTE ((int64_t)60000)
#define DAY (24 * 60 * MINUTE)
#define CHAOWAI 110105001u /* 朝外街道 */
#define CASES 20

static char dir[64];
static char path[128];

static void make_dir(void) {
  scratch_dir_make(dir, sizeof dir, "whatif");
  snprintf(path, sizeof path, "%s/history.jszb", dir);
}

static void remove_dir(void) { scratch_dir_remove(dir); }

static int message_has(const char* words) {
  return strstr(jszb_error_last()->message, words) != NULL;
}

static void apply(jszb_engine* e, int kind, uint64_t id, int64_t t, int role, uint32_t unit) {
  jszb_command c = JSZB_COMMAND_INIT;
  c.kind = kind;
  c.case_id = id;
  c.time_ms = t;
  c.actor.role = role;
  c.actor.unit = role == JSZB_ROLE_UNIT ? unit : 0;
  c.actor.staff = role == JSZB_ROLE_UNIT ? 0 : 1001;
  switch (kind) {
    case JSZB_CMD_DISPATCH:
      c.payload.unit = unit;
      break;
    case JSZB_CMD_REQUEST_EXTENSION:
      c.payload.until_ms = t + 20 * DAY;
      c.payload.text = "需协调";
      break;
    case JSZB_CMD_REPLY:
      c.payload.contacted = c.payload.solved = 1;
      c.payload.text = "已处理";
      break;
    case JSZB_CMD_VISIT:
      c.payload.contacted = c.payload.solved = c.payload.valid_visit = 1;
      c.payload.satisfaction = JSZB_SATISFIED;
      break;
    default:
      break;
  }
  OK(jszb_engine_apply(e, &c));
}

/* CASES requests to 朝外街道, each dispatched, signed, replied three days
   later, visited and closed; every fifth extended twice first (the live
   engine allows two extensions). The store is closed, so checkpointed. */
static void build_history(void) {
  jszb_engine_options eo = JSZB_ENGINE_OPTIONS_INIT;
  jszb_engine* e = NULL;
  jszb_policy* p = NULL;
  int i, k;
  eo.max_extensions = 2;
  make_dir();
  OK(jszb_engine_open_store(path, &eo, NULL, &e));
  OK(jszb_policy_default(&p));
  OK(jszb_engine_set_policy(e, p));
  jszb_policy_free(p);
  for (i = 0; i < CASES; i++) {
    jszb_intake in = JSZB_INTAKE_INIT;
    char ref[32];
    uint64_t id = 0;
    int created = 0;
    int64_t t = T0 + i * 10 * MINUTE;
    snprintf(ref, sizeof ref, "wi-%d", i);
    in.time_ms = t;
    in.actor.role = JSZB_ROLE_OPERATOR;
    in.actor.staff = 1001;
    in.channel = JSZB_CHANNEL_PHONE;
    in.channel_ref = ref;
    in.kind = JSZB_KIND_COMPLAINT;
    in.category[0] = "城乡建设";
    in.category[1] = "施工管理";
    in.content = "工地夜间施工扰民";
    in.district = "朝阳区";
    in.street = "朝外街道";
    OK(jszb_engine_submit(e, &in, &id, &created));
    apply(e, JSZB_CMD_DISPATCH, id, t + MINUTE, JSZB_ROLE_DISPATCHER, CHAOWAI);
    apply(e, JSZB_CMD_SIGN, id, t + 2 * MINUTE, JSZB_ROLE_UNIT, CHAOWAI);
    for (k = 0; i % 5 == 0 && k < 2; k++) {
      apply(e, JSZB_CMD_REQUEST_EXTENSION, id, t + (3 + 2 * k) * MINUTE, JSZB_ROLE_UNIT, CHAOWAI);
      apply(e, JSZB_CMD_APPROVE_EXTENSION, id, t + (4 + 2 * k) * MINUTE, JSZB_ROLE_DISPATCHER, 0);
    }
    apply(e, JSZB_CMD_REPLY, id, t + 3 * DAY, JSZB_ROLE_UNIT, CHAOWAI);
    apply(e, JSZB_CMD_VISIT, id, t + 3 * DAY + MINUTE, JSZB_ROLE_OPERATOR, 0);
    apply(e, JSZB_CMD_CLOSE, id, t + 3 * DAY + 2 * MINUTE, JSZB_ROLE_OPERATOR, 0);
  }
  jszb_engine_close(e);
}

/* The scores of the assessment month ending 18 March 2024. */
static size_t scores_of(jszb_engine* e, jszb_unit_score** scores) {
  int64_t from = 0, until = 0;
  size_t n = 0;
  OK(jszb_assessment_month(2024, 3, &from, &until));
  OK(jszb_engine_assess(e, from, until, NULL, scores, &n));
  return n;
}

/* Field by field: the struct has padding. */
static int same_scores(const jszb_unit_score* a, const jszb_unit_score* b, size_t n) {
  size_t i;
  for (i = 0; i < n; i++) {
    if (a[i].unit != b[i].unit || a[i].visits != b[i].visits || a[i].contacted != b[i].contacted ||
        a[i].solved != b[i].solved || a[i].satisfied != b[i].satisfied ||
        a[i].basically_satisfied != b[i].basically_satisfied ||
        a[i].not_satisfied != b[i].not_satisfied || a[i].response != b[i].response ||
        a[i].resolution != b[i].resolution || a[i].satisfaction != b[i].satisfaction ||
        a[i].composite != b[i].composite || a[i].sign_outcomes != b[i].sign_outcomes ||
        a[i].signed_on_time != b[i].signed_on_time || a[i].replies != b[i].replies ||
        a[i].replied_on_time != b[i].replied_on_time) {
      return 0;
    }
  }
  return 1;
}

static char* month_report(jszb_engine* e) {
  jszb_report_options o = JSZB_REPORT_OPTIONS_INIT;
  char* json = NULL;
  OK(jszb_assessment_month(2024, 3, &o.from_ms, &o.until_ms));
  OK(jszb_engine_report(e, &o, JSZB_REPORT_JSON, &json));
  return json;
}

static int run(const jszb_what_if_options* o, jszb_engine** e, jszb_what_if_result** r) {
  jszb_policy* p = NULL;
  int rc;
  OK(jszb_policy_default(&p));
  rc = jszb_what_if_run(path, p, o, e, r);
  jszb_policy_free(p); /* the replay's engine keeps its own reference */
  return rc;
}

static void test_same_policy_gives_the_live_assessment(void) {
  jszb_engine_options eo = JSZB_ENGINE_OPTIONS_INIT;
  jszb_what_if_options o = JSZB_WHAT_IF_OPTIONS_INIT;
  jszb_store_options read = JSZB_STORE_OPTIONS_INIT;
  jszb_report_options day = JSZB_REPORT_OPTIONS_INIT;
  jszb_engine *live = NULL, *replay = NULL;
  jszb_what_if_result* r = NULL;
  jszb_unit_score *a = NULL, *b = NULL;
  const jszb_what_if_counts* counts;
  char *live_report, *replay_report;
  size_t na, nb, ids = 1;
  build_history();
  read.read_only = 1;
  OK(jszb_engine_open_store(path, NULL, &read, &live));
  na = scores_of(live, &a);
  live_report = month_report(live);
  jszb_engine_close(live);

  eo.max_extensions = 2;
  o.engine_options = &eo;
  OK(run(&o, &replay, &r));
  counts = jszb_what_if_result_counts(r);
  CHECK(counts->commands_skipped == 0 && jszb_what_if_result_skipped_count(r) == 0);
  CHECK(counts->submissions == CASES);
  CHECK(counts->commands_replayed == counts->events_read - counts->engine_events);
  CHECK(counts->memory_bounded == 1);
  CHECK(jszb_what_if_result_skipped(r, 0) == NULL);
  nb = scores_of(replay, &b);
  CHECK(na == 1 && nb == na);
  CHECK(na == nb && same_scores(a, b, na));
  CHECK(a != NULL && a[0].unit == CHAOWAI && a[0].visits == CASES && a[0].replied_on_time == CASES);
  replay_report = month_report(replay);
  CHECK(live_report != NULL && replay_report != NULL && strcmp(live_report, replay_report) == 0);
  jszb_free(replay_report);
  /* A daily bulletin, without request groups: the replay keeps no texts. */
  OK(jszb_bulletin_day(2024, 3, 1, &day.from_ms, &day.until_ms));
  OK(jszb_engine_report(replay, &day, JSZB_REPORT_JSON, &replay_report));
  CHECK(replay_report != NULL && strstr(replay_report, "\"groups\":[]") != NULL);
  /* Every case finished: none is left in memory. */
  OK(jszb_engine_case_count(replay, &ids));
  CHECK(ids == 0);
  /* What needs the log is not there. */
  CHECK(jszb_engine_assess(replay, T0, T0 + DAY, NULL, &b, &nb) == JSZB_E_STATE);
  CHECK(message_has("counters only"));
  jszb_free(a);
  jszb_free(b);
  jszb_free(live_report);
  jszb_free(replay_report);
  jszb_what_if_result_free(r);
  jszb_engine_close(replay);
  remove_dir();
}

static void test_refused_commands_are_listed(void) {
  jszb_what_if_options o = JSZB_WHAT_IF_OPTIONS_INIT;
  jszb_engine* e = NULL;
  jszb_what_if_result* r = NULL;
  const jszb_what_if_skipped* s;
  build_history();
  o.max_listed = 2; /* the engine's default options: one extension per cycle */
  OK(run(&o, &e, &r));
  /* Cases 1, 6, 11, 16: the second request is refused, and the approval
     after it has nothing to approve. */
  CHECK(jszb_what_if_result_counts(r)->commands_skipped == 8);
  CHECK(jszb_what_if_result_skipped_of(r, JSZB_CMD_REQUEST_EXTENSION) == 4);
  CHECK(jszb_what_if_result_skipped_of(r, JSZB_CMD_APPROVE_EXTENSION) == 4);
  CHECK(jszb_what_if_result_skipped_of(r, JSZB_CMD_CLOSE) == 0);
  CHECK(jszb_what_if_result_skipped_count(r) == 2);
  s = jszb_what_if_result_skipped(r, 0);
  CHECK(s != NULL && s->case_id == 1 && s->command == JSZB_CMD_REQUEST_EXTENSION);
  CHECK(s != NULL && s->time_ms == T0 + 5 * MINUTE && s->seq > 0);
  CHECK(s != NULL && s->code == JSZB_E_REFUSED && s->refusal == JSZB_REFUSAL_EXTENSION_LIMIT);
  CHECK(s != NULL && s->message != NULL && strlen(s->message) > 0);
  s = jszb_what_if_result_skipped(r, 1);
  CHECK(s != NULL && s->command == JSZB_CMD_APPROVE_EXTENSION && s->code == JSZB_E_STATE);
  CHECK(jszb_what_if_result_skipped(r, 2) == NULL);
  jszb_what_if_result_free(r);
  jszb_engine_close(e);
  jszb_what_if_result_free(NULL);
  CHECK(jszb_what_if_result_counts(NULL) == NULL);
  remove_dir();
}

/* `o` is refused with `code` naming `words`; the outputs are left alone. */
static void refused(const jszb_what_if_options* o, int code, const char* words, int line) {
  jszb_engine* e = (jszb_engine*)1;
  jszb_what_if_result* r = (jszb_what_if_result*)1;
  int rc = run(o, &e, &r);
  if (rc != code || e != (jszb_engine*)1 || r != (jszb_what_if_result*)1 || !message_has(words)) {
    fprintf(stderr, "line %d: expected %d naming \"%s\", got %d: %s\n", line, code, words, rc,
            jszb_error_last()->message);
    failures++;
  }
}
#define REFUSED(o, code, words) refused(o, code, words, __LINE__)

static void test_bad_options_are_refused(void) {
  jszb_what_if_options o = JSZB_WHAT_IF_OPTIONS_INIT;
  jszb_engine_options eo = JSZB_ENGINE_OPTIONS_INIT;
  jszb_engine* e = NULL;
  jszb_what_if_result* r = NULL;
  jszb_policy* p = NULL;
  build_history();
  o.version = 0;
  REFUSED(&o, JSZB_E_INVALID, "options.version is 0");
  o.version = JSZB_WHAT_IF_OPTIONS_VERSION + 1;
  REFUSED(&o, JSZB_E_INVALID, "this library knows versions 1..");
  OK(jszb_what_if_options_init(&o, JSZB_WHAT_IF_OPTIONS_VERSION));
  o.from_ms = 5;
  REFUSED(&o, JSZB_E_INVALID, "options.from_ms");
  o.from_ms = T0;
  o.until_ms = T0 - DAY;
  REFUSED(&o, JSZB_E_INVALID, "options.until_ms (1709168400000) is not after options.from_ms");
  o.until_ms = 0;
  o.progress_every = 0;
  REFUSED(&o, JSZB_E_INVALID, "options.progress_every is 0");
  o.progress_every = 1;
  eo.max_extensions = 500;
  o.engine_options = &eo;
  REFUSED(&o, JSZB_E_INVALID, "options.engine_options.max_extensions is 500");
  OK(jszb_policy_default(&p));
  CHECK(jszb_what_if_run(path, NULL, NULL, &e, &r) == JSZB_E_INVALID && message_has("policy"));
  CHECK(jszb_what_if_run(NULL, p, NULL, &e, &r) == JSZB_E_INVALID && message_has("store_path"));
  CHECK(jszb_what_if_run(path, p, NULL, NULL, &r) == JSZB_E_INVALID && message_has("out_engine"));
  CHECK(jszb_what_if_run(path, p, NULL, &e, NULL) == JSZB_E_INVALID && message_has("out_result"));
  CHECK(jszb_what_if_run("/nonexistent/dir/store.jszb", p, NULL, &e, &r) != JSZB_OK);
  CHECK(e == NULL && r == NULL);
  jszb_policy_free(p);
  remove_dir();
}

struct calls {
  uint64_t n, last_done, total;
  int bad_stage;
  uint64_t stop_at; /* 0: never */
};

static int on_progress(void* payload, const char* stage, uint64_t done, uint64_t total) {
  struct calls* c = (struct calls*)payload;
  c->n++;
  c->bad_stage |= strcmp(stage, "replay") != 0 || done > total || done < c->last_done;
  c->last_done = done;
  c->total = total;
  return c->stop_at != 0 && c->n >= c->stop_at;
}

static void test_progress_is_told_and_can_stop(void) {
  jszb_what_if_options o = JSZB_WHAT_IF_OPTIONS_INIT;
  jszb_engine* e = NULL;
  jszb_what_if_result* r = NULL;
  struct calls c = {0, 0, 0, 0, 0};
  uint64_t events;
  build_history();
  o.progress = on_progress;
  o.progress_payload = &c;
  o.progress_every = 10;
  OK(run(&o, &e, &r));
  events = jszb_what_if_result_counts(r)->events_read;
  CHECK(events > 100);
  CHECK(c.n == events / 10 + 1); /* every 10 events, and once at the end */
  CHECK(c.bad_stage == 0 && c.last_done == events && c.total == events);
  jszb_what_if_result_free(r);
  jszb_engine_close(e);

  /* Stopped at the second call: cancelled, nothing given back. */
  memset(&c, 0, sizeof c);
  c.stop_at = 2;
  e = (jszb_engine*)1;
  r = (jszb_what_if_result*)1;
  CHECK(run(&o, &e, &r) == JSZB_E_CANCELLED);
  CHECK(message_has("stopped by its progress callback after 20 events"));
  CHECK(c.n == 2 && e == (jszb_engine*)1 && r == (jszb_what_if_result*)1);
  remove_dir();
}

int main(int argc, char** argv) {
  static const struct test tests[] = {
      {"same_policy", test_same_policy_gives_the_live_assessment},
      {"refused_listed", test_refused_commands_are_listed},
      {"bad_options", test_bad_options_are_refused},
      {"progress", test_progress_is_told_and_can_stop},
  };
  return run_tests(tests, sizeof tests / sizeof tests[0], argc, argv);
}
