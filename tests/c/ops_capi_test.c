/* What an operator uses around a running store, through the C ABI in C99 (and
   POSIX for temporary directories, fork and pipes): the log hook, the online
   backup (refusals, cancelling, and a backup taken while another process
   commits), counts by state, and the metrics with their Prometheus text.
   Run one test by name: ops_capi_test <name>; ctest registers each name. */
#define _POSIX_C_SOURCE 200809L
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "jszb/jszb.h"
#include "store_fixture.h"

#define T0 ((int64_t)1632009600000)
#define STREET 110105007u
#define MINUTE ((int64_t)60000)
#define DAY ((int64_t)86400000)

static char dir[64];
static char path[128];
static char dest[160];

static void make_dir(void) {
  scratch_dir_make(dir, sizeof dir, "ops");
  snprintf(path, sizeof path, "%s/store.jszb", dir);
  snprintf(dest, sizeof dest, "%s/backup.jszb", dir);
}

static void remove_dir(void) { scratch_dir_remove(dir); }

static int exists(const char* p) {
  struct stat st;
  return stat(p, &st) == 0;
}

static uint64_t submit(jszb_engine* e, const char* ref) {
  jszb_intake in = noise_complaint(ref);
  uint64_t id = 0;
  int created = 0;
  OK(jszb_engine_submit(e, &in, &id, &created));
  return id;
}

static void dispatch(jszb_engine* e, uint64_t id) {
  jszb_command c = JSZB_COMMAND_INIT;
  c.kind = JSZB_CMD_DISPATCH;
  c.case_id = id;
  c.time_ms = T0 + MINUTE;
  c.actor.role = JSZB_ROLE_DISPATCHER;
  c.actor.staff = 1001;
  c.payload.unit = STREET;
  OK(jszb_engine_apply(e, &c));
}

static size_t listed(jszb_engine* e, int state) {
  jszb_case_filter f = JSZB_CASE_FILTER_INIT;
  uint64_t* ids = NULL;
  size_t n = 0;
  f.state = state;
  OK(jszb_engine_list_cases(e, &f, &ids, &n));
  jszb_free(ids);
  return n;
}

static uint64_t stored_cases(jszb_engine* e) {
  uint64_t n = 0;
  OK(jszb_engine_stored_case_count(e, &n));
  return n;
}

/* ---------------------------------------------------------------- the log */

static char logged[8192];
static int log_calls = 0;

static void collect(void* user_data, int level, const char* message) {
  size_t used = strlen(logged);
  CHECK(user_data == (void*)logged);
  CHECK(level >= JSZB_LOG_ERROR && level <= JSZB_LOG_DEBUG);
  log_calls++;
  snprintf(logged + used, sizeof logged - used, "%d %s\n", level, message);
}

static void test_log_hook(void) {
  jszb_engine* e = NULL;
  int before;
  make_dir();
  logged[0] = '\0';
  CHECK(jszb_set_log(collect, logged, 7) == JSZB_E_INVALID);
  CHECK(jszb_set_log(collect, logged, -1) == JSZB_E_INVALID);
  OK(jszb_set_log(collect, logged, JSZB_LOG_INFO));
  OK(jszb_engine_open_store(path, NULL, NULL, &e));
  dispatch(e, submit(e, "log-1"));
  submit(e, "log-2");
  OK(jszb_engine_checkpoint(e));
  CHECK(strstr(logged, "3 store ") != NULL && strstr(logged, "checkpoint") != NULL);
  jszb_engine_close(e);
  OK(jszb_engine_open_store(path, NULL, NULL, &e));
  CHECK(strstr(logged, "recovered: 2 open cases loaded") != NULL);
  OK(jszb_backup(path, dest, NULL));
  CHECK(strstr(logged, "backup of") != NULL && strstr(logged, "done") != NULL);
  /* Off: nothing more is told. */
  OK(jszb_set_log(NULL, NULL, JSZB_LOG_DEBUG));
  before = log_calls;
  submit(e, "log-3");
  OK(jszb_engine_checkpoint(e));
  CHECK(log_calls == before);
  /* A level filters: WARN hears no checkpoint. */
  OK(jszb_set_log(collect, logged, JSZB_LOG_WARN));
  submit(e, "log-4");
  OK(jszb_engine_checkpoint(e));
  CHECK(log_calls == before);
  OK(jszb_set_log(NULL, NULL, JSZB_LOG_OFF));
  jszb_engine_close(e);
  if (failures) fprintf(stderr, "logged:\n%s", logged);
  remove_dir();
}

/* ------------------------------------------------------------- the backup */

static int stop_after(void* payload, const char* stage, uint64_t done, uint64_t total) {
  int* calls = (int*)payload;
  CHECK(strcmp(stage, "backup") == 0);
  CHECK(done <= total);
  return ++*calls >= 2;
}

static int count_steps(void* payload, const char* stage, uint64_t done, uint64_t total) {
  (void)stage;
  (void)done;
  (void)total;
  ++*(int*)payload;
  return 0;
}

static void test_backup_refusals(void) {
  jszb_engine* e = NULL;
  jszb_engine* mem = NULL;
  jszb_backup_options opts = JSZB_BACKUP_OPTIONS_INIT;
  char junk[160], nowhere[200];
  FILE* f;
  int calls = 0;
  int i;
  make_dir();
  OK(jszb_engine_open_store(path, NULL, NULL, &e));
  for (i = 0; i < 40; i++) {
    char ref[32];
    snprintf(ref, sizeof ref, "b-%d", i);
    submit(e, ref);
  }
  /* Bad arguments. */
  CHECK(jszb_backup(NULL, dest, NULL) == JSZB_E_INVALID);
  CHECK(jszb_backup(path, "", NULL) == JSZB_E_INVALID);
  opts.version = 9;
  CHECK(jszb_backup(path, dest, &opts) == JSZB_E_INVALID);
  CHECK(strstr(jszb_error_last()->message, "version") != NULL);
  opts.version = JSZB_BACKUP_OPTIONS_VERSION;
  opts.pages_per_step = -1;
  CHECK(jszb_backup(path, dest, &opts) == JSZB_E_INVALID);
  CHECK(!exists(dest));
  /* A dest that exists is left as it is. */
  f = fopen(dest, "w");
  fputs("keep me", f);
  fclose(f);
  CHECK(jszb_backup(path, dest, NULL) == JSZB_E_INVALID);
  CHECK(strstr(jszb_error_last()->message, "exists") != NULL);
  f = fopen(dest, "r");
  CHECK(fgets(junk, sizeof junk, f) != NULL && strcmp(junk, "keep me") == 0);
  fclose(f);
  remove(dest);
  /* A directory that is not there. */
  snprintf(nowhere, sizeof nowhere, "%s/no/such/dir/b.jszb", dir);
  CHECK(jszb_backup(path, nowhere, NULL) == JSZB_E_STORAGE);
  /* Not a store; no store at all. */
  snprintf(junk, sizeof junk, "%s/junk", dir);
  f = fopen(junk, "w");
  for (i = 0; i < 200; i++) fputs("not an SQLite file at all ", f);
  fclose(f);
  CHECK(jszb_backup(junk, dest, NULL) == JSZB_E_CORRUPT);
  snprintf(junk, sizeof junk, "%s/missing.jszb", dir);
  CHECK(jszb_backup(junk, dest, NULL) == JSZB_E_NOT_FOUND);
  CHECK(!exists(dest) && !exists(junk));
  /* Stopped by its progress callback: nothing at dest, no temporary left. */
  opts.pages_per_step = 1;
  opts.progress = stop_after;
  opts.progress_payload = &calls;
  CHECK(jszb_engine_backup(e, dest, &opts) == JSZB_E_CANCELLED);
  CHECK(calls == 2);
  CHECK(!exists(dest));
  {
    char cmd[200];
    snprintf(cmd, sizeof cmd, "test $(ls '%s' | grep -c tmp) = 0", dir);
    CHECK(system(cmd) == 0);
  }
  /* In memory there is nothing to back up. */
  OK(jszb_engine_open(NULL, &mem));
  CHECK(jszb_engine_backup(mem, dest, NULL) == JSZB_E_STATE);
  jszb_engine_close(mem);
  /* The engine's own backup holds what it committed, and opens. */
  calls = 0;
  opts.progress = count_steps;
  OK(jszb_engine_backup(e, dest, &opts));
  CHECK(calls > 1);
  {
    jszb_engine* b = NULL;
    jszb_store_options ro = JSZB_STORE_OPTIONS_INIT;
    ro.read_only = 1;
    OK(jszb_engine_open_store(dest, NULL, &ro, &b));
    CHECK(stored_cases(b) == 40);
    jszb_engine_close(b);
  }
  jszb_engine_close(e);
  remove_dir();
}

/* A child process commits batches and reports each acknowledged count; the
   backup is taken while it goes on, and holds at least what it had
   acknowledged when the backup began. */
static void writer(int fd) {
  jszb_engine* e = NULL;
  uint64_t done = 0;
  int i;
  if (jszb_engine_open_store(path, NULL, NULL, &e) != JSZB_OK) _exit(3);
  for (;;) {
    if (jszb_engine_begin(e) != JSZB_OK) _exit(4);
    for (i = 0; i < 20; i++) {
      char ref[32];
      snprintf(ref, sizeof ref, "w-%llu", (unsigned long long)done + (unsigned long long)i);
      submit(e, ref);
    }
    if (jszb_engine_commit(e) != JSZB_OK) _exit(5);
    done += 20;
    if (write(fd, &done, sizeof done) != (ssize_t)sizeof done) _exit(6);
  }
}

static void test_backup_while_another_process_writes(void) {
  int fds[2];
  pid_t child;
  uint64_t acknowledged = 0, events = 0, cases = 0, mismatches = 1, after = 0;
  char* problems = NULL;
  jszb_backup_options opts = JSZB_BACKUP_OPTIONS_INIT;
  jszb_engine* b = NULL;
  jszb_store_options ro = JSZB_STORE_OPTIONS_INIT;
  int steps = 0;
  make_dir();
  if (pipe(fds) != 0) exit(2);
  child = fork();
  if (child == 0) {
    close(fds[0]);
    writer(fds[1]);
  }
  close(fds[1]);
  while (acknowledged < 400) {
    if (read(fds[0], &acknowledged, sizeof acknowledged) != (ssize_t)sizeof acknowledged) break;
  }
  CHECK(acknowledged >= 400);
  opts.pages_per_step = 4;
  opts.progress = count_steps;
  opts.progress_payload = &steps;
  OK(jszb_backup(path, dest, &opts));
  /* The writer went on meanwhile. */
  if (read(fds[0], &after, sizeof after) != (ssize_t)sizeof after) after = 0;
  kill(child, SIGKILL);
  waitpid(child, NULL, 0);
  close(fds[0]);
  CHECK(steps > 1);
  CHECK(after > acknowledged);
  ro.read_only = 1;
  OK(jszb_engine_open_store(dest, NULL, &ro, &b));
  CHECK(stored_cases(b) >= acknowledged);
  OK(jszb_engine_verify(b, &events, &cases, &mismatches, &problems));
  CHECK(mismatches == 0 && events >= acknowledged);
  if (problems != NULL) fprintf(stderr, "verify: %s\n", problems);
  jszb_free(problems);
  jszb_engine_close(b);
  remove_dir();
}

/* ----------------------------------------------------------- counts, metrics */

static void expect_stats_match_listing(jszb_engine* e, uint64_t cases) {
  jszb_store_stats s = JSZB_STORE_STATS_INIT;
  int state;
  uint64_t total = 0;
  OK(jszb_engine_store_stats(e, &s));
  for (state = 1; state <= JSZB_STATE_COUNT; state++) {
    CHECK(s.cases_by_state[state] == listed(e, state));
    total += s.cases_by_state[state];
  }
  CHECK(s.cases == cases && total == cases);
  CHECK(s.last_event_ms == T0 + MINUTE);
}

static void test_store_stats(void) {
  jszb_engine* e = NULL;
  jszb_store_stats s = JSZB_STORE_STATS_INIT;
  jszb_store_options ro = JSZB_STORE_OPTIONS_INIT;
  uint64_t a;
  make_dir();
  OK(jszb_engine_open_store(path, NULL, NULL, &e));
  a = submit(e, "s-1");
  submit(e, "s-2");
  submit(e, "s-3");
  dispatch(e, a);
  OK(jszb_engine_store_stats(e, &s));
  CHECK(s.cases_by_state[JSZB_STATE_RECEIVED] == 2);
  CHECK(s.cases_by_state[JSZB_STATE_DISPATCHED] == 1);
  CHECK(s.events == 4 && s.file_bytes > 0);
  expect_stats_match_listing(e, 3);
  /* Rows written, then one case moves on ahead of its row. */
  OK(jszb_engine_checkpoint(e));
  dispatch(e, submit(e, "s-4"));
  expect_stats_match_listing(e, 4);
  OK(jszb_engine_store_stats(e, &s));
  CHECK(s.cases_by_state[JSZB_STATE_DISPATCHED] == 2);
  jszb_engine_close(e);
  /* From outside, read-only. */
  ro.read_only = 1;
  OK(jszb_engine_open_store(path, NULL, &ro, &e));
  expect_stats_match_listing(e, 4);
  s.version = 0;
  CHECK(jszb_engine_store_stats(e, &s) == JSZB_E_INVALID);
  CHECK(jszb_engine_store_stats(e, NULL) == JSZB_E_INVALID);
  jszb_engine_close(e);
  /* In memory. */
  OK(jszb_engine_open(NULL, &e));
  dispatch(e, submit(e, "m-1"));
  submit(e, "m-2");
  expect_stats_match_listing(e, 2);
  jszb_engine_close(e);
  remove_dir();
}

static void test_metrics(void) {
  jszb_engine* e = NULL;
  jszb_policy* beijing = NULL;
  jszb_metrics m = JSZB_METRICS_INIT;
  uint64_t in_buckets = 0;
  char* text = NULL;
  int i;
  make_dir();
  OK(jszb_engine_open_store(path, NULL, NULL, &e));
  OK(jszb_policy_default(&beijing)); /* deadlines, so that marks are armed and fire */
  OK(jszb_engine_set_policy(e, beijing));
  jszb_policy_free(beijing);
  dispatch(e, submit(e, "x-1"));
  submit(e, "x-2");
  submit(e, "x-3");
  OK(jszb_engine_metrics(e, &m));
  CHECK(m.events_applied == 4 && m.events_committed == 4);
  CHECK(m.commits == 4); /* every call outside a batch is a batch of its own */
  for (i = 0; i < JSZB_METRICS_BUCKETS; i++) in_buckets += m.commit_buckets[i];
  CHECK(in_buckets == m.commits);
  CHECK(m.commit_bucket_ms[0] > 0 && m.commit_bucket_ms[JSZB_METRICS_BUCKETS - 1] > 1e300);
  CHECK(m.commit_seconds_sum > 0);
  CHECK(m.open_cases == 3);
  CHECK(m.timers_pending > 0 && m.timers_pending <= 3);
  CHECK(m.escalations_fired == 0);
  /* A month later every deadline has warned and breached. */
  OK(jszb_engine_advance(e, T0 + 30 * DAY));
  OK(jszb_engine_metrics(e, &m));
  CHECK(m.escalations_fired > 0);
  /* The marks' events, and what they made the engine do (an automatic return). */
  CHECK(m.events_applied == m.events_committed && m.events_applied >= 4 + m.escalations_fired);

  OK(jszb_engine_metrics_prometheus(e, &text));
  CHECK(text != NULL);
  if (text != NULL) {
    CHECK(strstr(text, "# TYPE jszb_commit_duration_seconds histogram\n") != NULL);
    CHECK(strstr(text, "jszb_commit_duration_seconds_bucket{le=\"+Inf\"} 5\n") != NULL);
    CHECK(strstr(text, "jszb_commit_duration_seconds_count 5\n") != NULL);
    CHECK(strstr(text, "# TYPE jszb_events_applied_total counter\n") != NULL);
    char line[64];
    snprintf(line, sizeof line, "jszb_cases{state=\"received\"} %zu\n",
             listed(e, JSZB_STATE_RECEIVED));
    CHECK(strstr(text, line) != NULL);
    snprintf(line, sizeof line, "jszb_cases{state=\"dispatched\"} %zu\n",
             listed(e, JSZB_STATE_DISPATCHED));
    CHECK(strstr(text, line) != NULL);
    CHECK(strstr(text, "jszb_open_cases 3\n") != NULL);
    if (failures) fprintf(stderr, "%s", text);
  }
  jszb_free(text);
  m.version = 2;
  CHECK(jszb_engine_metrics(e, &m) == JSZB_E_INVALID);
  CHECK(jszb_engine_metrics_prometheus(e, NULL) == JSZB_E_INVALID);
  jszb_engine_close(e);
  remove_dir();
}

int main(int argc, char** argv) {
  static const struct test tests[] = {
      {"log_hook", test_log_hook},
      {"backup_refusals", test_backup_refusals},
      {"backup_while_another_process_writes", test_backup_while_another_process_writes},
      {"store_stats", test_store_stats},
      {"metrics", test_metrics},
  };
  return run_tests(tests, sizeof tests / sizeof tests[0], argc, argv);
}
