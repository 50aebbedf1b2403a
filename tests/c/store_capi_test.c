/* Tests of the durable store through the C ABI, in C99 against jszb.h (and
   POSIX for temporary directories, fork and kill). Run one test by name:
   store_capi_test <name>; ctest registers each name.

   crash_kill9 is the crash test: a child process writes batches and reports
   each acknowledged one through a pipe; the parent kills it with SIGKILL at a
   random moment, reopens the store, and checks that every acknowledged command
   is there and that the projections match the log; crash_kill9_pipelined does
   the same through the pipelined commit. */
#define _POSIX_C_SOURCE 200809L
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "case_reads.h"
#include "check.h"
#include "jszb/jszb.h"
#include "store_fixture.h"

#define T0 ((int64_t)1632009600000)
#define STREET 110105007u
#define MINUTE ((int64_t)60000)

static char dir[64];
static char path[128];

static void make_dir(void) {
  scratch_dir_make(dir, sizeof dir, "capi");
  snprintf(path, sizeof path, "%s/store.jszb", dir);
}

static void remove_dir(void) { scratch_dir_remove(dir); }

static jszb_actor actor(int role, uint32_t unit) {
  jszb_actor a = {0, 0, 0};
  a.role = role;
  a.unit = unit;
  a.staff = role == JSZB_ROLE_UNIT ? 0 : 1001;
  return a;
}

static int submit_rc(jszb_engine* e, const char* ref, uint64_t* id) {
  jszb_intake in = noise_complaint(ref);
  int created = 0;
  return jszb_engine_submit(e, &in, id, &created);
}

static uint64_t submit(jszb_engine* e, const char* ref) {
  uint64_t id = 0;
  OK(submit_rc(e, ref, &id));
  return id;
}

static int dispatch_rc(jszb_engine* e, uint64_t id) {
  jszb_command c = JSZB_COMMAND_INIT;
  c.kind = JSZB_CMD_DISPATCH;
  c.case_id = id;
  c.time_ms = T0 + MINUTE;
  c.actor = actor(JSZB_ROLE_DISPATCHER, 0);
  c.payload.unit = STREET;
  return jszb_engine_apply(e, &c);
}

static void expect_verified(jszb_engine* e) {
  uint64_t events = 0, cases = 0, mismatches = 1;
  char* problems = NULL;
  OK(jszb_engine_verify(e, &events, &cases, &mismatches, &problems));
  CHECK(mismatches == 0);
  if (problems != NULL) fprintf(stderr, "verify: %s\n", problems);
  jszb_free(problems);
}

static void test_reopen_continues(void) {
  jszb_engine* e = NULL;
  uint64_t a, b, again = 0;
  int created = -1;
  jszb_intake in = JSZB_INTAKE_INIT;
  make_dir();
  OK(jszb_engine_open_store(path, NULL, NULL, &e));
  a = submit(e, "r-1");
  b = submit(e, "r-2");
  OK(dispatch_rc(e, a));
  jszb_engine_close(e);

  OK(jszb_engine_open_store(path, NULL, NULL, &e));
  CHECK(state_of(e, a) == JSZB_STATE_DISPATCHED);
  CHECK(state_of(e, b) == JSZB_STATE_RECEIVED);
  CHECK(events_of(e, a) == 2);
  /* Idempotent across reopening. */
  in.time_ms = T0;
  in.actor = actor(JSZB_ROLE_OPERATOR, 0);
  in.channel = JSZB_CHANNEL_PHONE;
  in.channel_ref = "r-1";
  in.kind = JSZB_KIND_COMPLAINT;
  in.category[0] = "城乡建设";
  in.content = "重复来电";
  OK(jszb_engine_submit(e, &in, &again, &created));
  CHECK(again == a && created == 0);
  CHECK(submit(e, "r-3") > b);
  expect_verified(e);
  jszb_engine_close(e);
  remove_dir();
}

static void test_batch_group_commit(void) {
  jszb_engine* e = NULL;
  uint64_t ids[3] = {0, 0, 0}, *listed = NULL;
  size_t count = 0;
  make_dir();
  OK(jszb_engine_open_store(path, NULL, NULL, &e));
  OK(jszb_engine_begin(e));
  CHECK(jszb_engine_begin(e) == JSZB_E_STATE); /* one batch at a time */
  ids[0] = submit(e, "b-1");
  ids[1] = submit(e, "b-2");
  OK(jszb_engine_commit(e));
  OK(jszb_engine_begin(e));
  ids[2] = submit(e, "b-3");
  OK(jszb_engine_rollback(e));
  CHECK(jszb_engine_rollback(e) == JSZB_E_STATE);
  CHECK(jszb_engine_commit(e) == JSZB_E_STATE);
  jszb_engine_close(e);
  OK(jszb_engine_open_store(path, NULL, NULL, &e));
  OK(jszb_engine_list_cases(e, NULL, &listed, &count));
  CHECK(count == 2);
  CHECK(count == 2 && listed[0] == ids[0] && listed[1] == ids[1]);
  jszb_free(listed);
  jszb_engine_close(e);
  remove_dir();
}

/* Writes a store's schema version into its header behind the library's back. */
static int set_schema_version(const char* file, uint32_t version) {
  unsigned char bytes[4];
  FILE* f = fopen(file, "r+b");
  int failed;
  if (f == NULL) return -1;
  bytes[0] = (unsigned char)(version >> 24);
  bytes[1] = (unsigned char)(version >> 16);
  bytes[2] = (unsigned char)(version >> 8);
  bytes[3] = (unsigned char)version;
  failed = fseek(f, 60, SEEK_SET) != 0 || fwrite(bytes, 1, 4, f) != 4;
  return fclose(f) != 0 || failed ? -1 : 0;
}

static void test_failures_have_their_codes(void) {
  jszb_engine *e = NULL, *second = NULL;
  jszb_store_options ro = JSZB_STORE_OPTIONS_INIT;
  jszb_store_options bad = JSZB_STORE_OPTIONS_INIT;
  uint64_t id = 0;
  FILE* f;
  char text_path[160];
  make_dir();
  OK(jszb_engine_open_store(path, NULL, NULL, &e));
  submit(e, "f-1");
  /* One writer at a time. */
  CHECK(jszb_engine_open_store(path, NULL, NULL, &second) == JSZB_E_LOCKED);
  CHECK(second == NULL);
  CHECK(strstr(jszb_error_last()->message, "open already") != NULL);
  CHECK(strstr(jszb_error_last()->message, "open for writing") != NULL);
  jszb_engine_close(e);
  /* Read-only: reads, refuses writes with a storage error. */
  ro.read_only = 1;
  OK(jszb_engine_open_store(path, NULL, &ro, &e));
  CHECK(state_of(e, 1) == JSZB_STATE_RECEIVED);
  CHECK(submit_rc(e, "f-2", &id) == JSZB_E_STORAGE);
  CHECK(strstr(jszb_error_last()->message, "read-only") != NULL);
  jszb_engine_close(e);
  e = NULL;
  /* Not a store. */
  snprintf(text_path, sizeof text_path, "%s/notes.txt", dir);
  f = fopen(text_path, "w");
  CHECK(f != NULL);
  if (f != NULL) {
    fputs(
        "this is a text file, not a jszb store, and it is long enough to be noticed by "
        "SQLite's header check as something else entirely.\n",
        f);
    fclose(f);
  }
  CHECK(jszb_engine_open_store(text_path, NULL, NULL, &e) == JSZB_E_CORRUPT);
  CHECK(strstr(jszb_error_last()->message, "not a jszb store") != NULL);
  /* Bad arguments. */
  CHECK(jszb_engine_open_store(NULL, NULL, NULL, &e) == JSZB_E_INVALID);
  bad.synchronous = 7;
  CHECK(jszb_engine_open_store(path, NULL, &bad, &e) == JSZB_E_INVALID);
  CHECK(strstr(jszb_error_last()->message, "synchronous") != NULL);
  CHECK(strcmp(jszb_code_name(JSZB_E_LOCKED), "locked") == 0);
  /* A newer schema, as a library older than the store sees it: the schema
     version (PRAGMA user_version, big-endian at byte 60 of the closed file)
     set ahead of any this library knows. */
  CHECK(set_schema_version(path, 9999) == 0);
  e = (jszb_engine*)1;
  CHECK(jszb_engine_open_store(path, NULL, NULL, &e) == JSZB_E_VERSION);
  CHECK(e == (jszb_engine*)1); /* no output on failure */
  CHECK(strstr(jszb_error_last()->message, "newer") != NULL);
  CHECK(jszb_engine_open_store(path, NULL, &ro, &e) == JSZB_E_VERSION);
  remove_dir();
}

static void test_disk_full(void) {
  jszb_engine* e = NULL;
  jszb_store_options small = JSZB_STORE_OPTIONS_INIT;
  char ref[32];
  uint64_t id = 0, last = 0, n = 0;
  int rc = JSZB_OK, i;
  make_dir();
  small.max_bytes = 256 * 1024;
  small.checkpoint_events = 20;
  OK(jszb_engine_open_store(path, NULL, &small, &e));
  for (i = 0; i < 100000 && rc == JSZB_OK; i++) {
    snprintf(ref, sizeof ref, "full-%d", i);
    rc = submit_rc(e, ref, &id);
    if (rc == JSZB_OK) {
      last = id;
      n++;
    }
  }
  CHECK(rc == JSZB_E_STORAGE);
  CHECK(strstr(jszb_error_last()->message, "disk full") != NULL);
  jszb_engine_close(e);
  /* Everything acknowledged is there; with room again, work goes on. */
  OK(jszb_engine_open_store(path, NULL, NULL, &e));
  CHECK(state_of(e, last) == JSZB_STATE_RECEIVED);
  CHECK(submit(e, "full-after") == last + 1);
  expect_verified(e);
  jszb_engine_close(e);
  CHECK(n > 10);
  remove_dir();
}

static void test_queries_erase_purge(void) {
  jszb_engine* e = NULL;
  jszb_case_filter f = JSZB_CASE_FILTER_INIT;
  jszb_case_filter old = JSZB_CASE_FILTER_INIT;
  jszb_case* c = NULL;
  uint64_t a, b, *ids = NULL, purged = 0;
  size_t count = 0;
  make_dir();
  OK(jszb_engine_open_store(path, NULL, NULL, &e));
  a = submit(e, "q-1");
  b = submit(e, "q-2");
  OK(dispatch_rc(e, a));
  f.street = "和平街街道";
  f.category[0] = "城乡建设";
  OK(jszb_engine_list_cases(e, &f, &ids, &count));
  CHECK(count == 2);
  jszb_free(ids);
  f.street = "望京街道";
  OK(jszb_engine_list_cases(e, &f, &ids, &count));
  CHECK(count == 0);
  jszb_free(ids);
  /* A caller built against version 1 of the filter still works. */
  old.version = 1;
  old.state = JSZB_STATE_DISPATCHED;
  OK(jszb_engine_list_cases(e, &old, &ids, &count));
  CHECK(count == 1 && ids[0] == a);
  jszb_free(ids);
  /* Erasure. */
  OK(jszb_engine_erase_personal(e, b, T0 + 60 * MINUTE));
  OK(jszb_engine_get_case(e, b, &c));
  CHECK(c != NULL && strcmp(jszb_case_get_info(c)->intake->contact_phone, "") == 0);
  jszb_case_free(c);
  CHECK(jszb_engine_erase_personal(e, 9999, T0) == JSZB_E_NOT_FOUND);
  /* Purge: nothing finished yet. */
  OK(jszb_engine_purge(e, T0 + 1000 * MINUTE, &purged));
  CHECK(purged == 0);
  expect_verified(e);
  jszb_engine_close(e);
  remove_dir();
}

/* The pipelined commit: tickets, listeners told only once a batch is
   durable, a failed batch undone with the batch on top of it. */
static void count_events(void* payload, const jszb_event* event) {
  (void)event;
  ++*(unsigned long*)payload;
}

static void test_pipeline_tickets(void) {
  jszb_engine* e = NULL;
  unsigned long told = 0;
  uint64_t listener = 0, t1 = 0, t2 = 0, t3 = 0, done = 99, a, b, c, d;
  make_dir();
  OK(jszb_engine_open_store(path, NULL, NULL, &e));
  OK(jszb_engine_add_listener(e, count_events, &told, &listener));
  OK(jszb_engine_poll(e, &done));
  CHECK(done == 0);
  CHECK(jszb_engine_commit_async(e, &t1) == JSZB_E_STATE); /* no batch open */
  OK(jszb_engine_begin(e));
  a = submit(e, "pipe-a");
  b = submit(e, "pipe-b");
  OK(dispatch_rc(e, a));
  OK(jszb_engine_commit_async(e, &t1));
  CHECK(t1 == 1);
  CHECK(told == 0); /* not acknowledged before wait or poll */
  /* The next batch is built while the first commits: its reads see both. */
  OK(jszb_engine_begin(e));
  c = submit(e, "pipe-c");
  CHECK(c == b + 1);
  CHECK(submit(e, "pipe-a") == a); /* a channel ref of the batch under way */
  CHECK(state_of(e, a) == JSZB_STATE_DISPATCHED);
  OK(jszb_engine_commit_async(e, &t2));
  CHECK(t2 == 2);
  CHECK(told == 3); /* handing batch 2 over acknowledged batch 1 */
  OK(jszb_engine_wait(e, t2));
  CHECK(told == 4);
  OK(jszb_engine_wait(e, t1)); /* done already: at once */
  OK(jszb_engine_poll(e, &done));
  CHECK(done == 2);
  CHECK(jszb_engine_wait(e, 3) == JSZB_E_INVALID);
  CHECK(jszb_engine_wait(e, 0) == JSZB_E_INVALID);
  /* A batch with nothing in it is durable at once. */
  OK(jszb_engine_begin(e));
  OK(jszb_engine_commit_async(e, &t3));
  OK(jszb_engine_poll(e, &done));
  CHECK(t3 == 3 && done == 3);
  /* The synchronous calls still work, after the writer. */
  OK(jszb_engine_begin(e));
  d = submit(e, "pipe-d");
  OK(jszb_engine_commit_async(e, &t3));
  OK(dispatch_rc(e, b)); /* waits for batch 4, then commits on its own */
  CHECK(told == 6);
  OK(jszb_engine_wait(e, t3));
  CHECK(told == 6);
  expect_verified(e);
  jszb_engine_close(e);
  OK(jszb_engine_open_store(path, NULL, NULL, &e));
  CHECK(state_of(e, a) == JSZB_STATE_DISPATCHED);
  CHECK(state_of(e, b) == JSZB_STATE_DISPATCHED);
  CHECK(state_of(e, c) == JSZB_STATE_RECEIVED);
  CHECK(state_of(e, d) == JSZB_STATE_RECEIVED);
  jszb_engine_close(e);
  remove_dir();
}

static void test_pipeline_failure(void) {
  jszb_engine* e = NULL;
  jszb_store_options small = JSZB_STORE_OPTIONS_INIT;
  unsigned long told = 0, acked_events = 0, batch_events = 0, n = 0;
  uint64_t listener = 0, ticket = 0, prev = 0, prev_first = 0, first = 0, id = 0;
  char ref[32];
  int rc = JSZB_OK, round;
  make_dir();
  small.max_bytes = 256 * 1024;
  OK(jszb_engine_open_store(path, NULL, &small, &e));
  OK(jszb_engine_add_listener(e, count_events, &told, &listener));
  for (round = 0; round < 10000 && rc == JSZB_OK; round++) {
    OK(jszb_engine_begin(e));
    for (first = 0; n % 50 != 49; n++) {
      snprintf(ref, sizeof ref, "fill-%lu", n);
      OK(submit_rc(e, ref, &id));
      if (first == 0) first = id;
    }
    n++;
    rc = jszb_engine_commit_async(e, &ticket);
    if (rc == JSZB_OK) {
      acked_events += batch_events; /* the batch before is durable */
      batch_events = 49;
      prev = ticket;
      prev_first = first;
    }
  }
  /* The disk filled in batch `prev`: it failed, and the batch on top of it
     (applied in memory) is undone too; neither was told to listeners. */
  CHECK(rc == JSZB_E_STORAGE);
  CHECK(strstr(jszb_error_last()->message, "under it") != NULL);
  CHECK(jszb_engine_wait(e, prev) == JSZB_E_STORAGE);
  CHECK(strstr(jszb_error_last()->message, "disk full") != NULL);
  CHECK(told == acked_events);
  CHECK(state_of(e, prev_first) == -1); /* not found: undone */
  CHECK(state_of(e, first) == -1);
  CHECK(state_of(e, prev_first - 1) == JSZB_STATE_RECEIVED);
  jszb_engine_close(e);
  OK(jszb_engine_open_store(path, NULL, NULL, &e));
  CHECK(state_of(e, prev_first) == -1);
  CHECK(state_of(e, prev_first - 1) == JSZB_STATE_RECEIVED);
  CHECK(submit(e, "after-the-failure") == prev_first);
  expect_verified(e);
  jszb_engine_close(e);
  CHECK(round > 2);
  remove_dir();
}

/* The batch on top of a failed one refuses every call until it ends. */
static void test_pipeline_failure_open_batch(void) {
  jszb_engine* e = NULL;
  jszb_store_options small = JSZB_STORE_OPTIONS_INIT;
  uint64_t ticket = 0, id = 0, kept = 0;
  char ref[32];
  int rc = JSZB_OK, i, n = 0;
  make_dir();
  small.max_bytes = 256 * 1024;
  OK(jszb_engine_open_store(path, NULL, &small, &e));
  kept = submit(e, "kept");
  for (;;) {
    OK(jszb_engine_begin(e));
    for (i = 0; i < 50; i++) {
      snprintf(ref, sizeof ref, "fill-%d", n++);
      OK(submit_rc(e, ref, &id));
    }
    OK(jszb_engine_commit_async(e, &ticket));
    OK(jszb_engine_begin(e));
    OK(submit_rc(e, "on-top", &id));
    rc = jszb_engine_wait(e, ticket);
    if (rc != JSZB_OK) break;
    OK(jszb_engine_rollback(e));
    if (n > 100000) break;
  }
  CHECK(rc == JSZB_E_STORAGE);
  /* The open batch was undone with it, and says why. */
  CHECK(state_of(e, id) == -1);
  CHECK(submit_rc(e, "more", &id) == JSZB_E_STORAGE);
  CHECK(strstr(jszb_error_last()->message, "under it") != NULL);
  CHECK(jszb_engine_commit(e) == JSZB_E_STORAGE);
  CHECK(jszb_engine_commit(e) == JSZB_E_STATE); /* the batch has ended */
  CHECK(state_of(e, kept) == JSZB_STATE_RECEIVED);
  jszb_engine_close(e);
  remove_dir();
}

/* The stored count covers the finished cases a reopened engine leaves in the
   store, which the in-memory count does not; an open batch's new cases count
   once committed, purged ones no longer. */
static void test_stored_case_count(void) {
  jszb_engine* e = NULL;
  jszb_store_options ro = JSZB_STORE_OPTIONS_INIT;
  jszb_store_options every = JSZB_STORE_OPTIONS_INIT;
  jszb_command done = JSZB_COMMAND_INIT;
  uint64_t a, b, n = 99, memory = 99, purged = 0, *ids = NULL;
  size_t count = 0;
  make_dir();
  /* Projections written at every commit: the count reads rows, not the tail. */
  every.checkpoint_events = 1;
  OK(jszb_engine_open_store(path, NULL, &every, &e));
  CHECK(jszb_engine_stored_case_count(e, NULL) == JSZB_E_INVALID);
  CHECK(jszb_engine_stored_case_count(NULL, &n) == JSZB_E_INVALID);
  OK(jszb_engine_stored_case_count(e, &n));
  CHECK(n == 0);
  a = submit(e, "s-1");
  b = submit(e, "s-2");
  done.kind = JSZB_CMD_ANSWER_ON_SPOT;
  done.case_id = a;
  done.time_ms = T0 + MINUTE;
  done.actor = actor(JSZB_ROLE_OPERATOR, 0);
  OK(jszb_engine_apply(e, &done));
  OK(jszb_engine_begin(e));
  (void)submit(e, "s-3");
  OK(jszb_engine_stored_case_count(e, &n));
  CHECK(n == 2); /* s-3 is not committed */
  OK(jszb_engine_rollback(e));
  jszb_engine_close(e);

  /* Reopened read-only: the finished case stays in the store. */
  ro.read_only = 1;
  OK(jszb_engine_open_store(path, NULL, &ro, &e));
  OK(jszb_engine_case_count(e, &memory));
  OK(jszb_engine_stored_case_count(e, &n));
  OK(jszb_engine_list_cases(e, NULL, &ids, &count));
  CHECK(memory == 1 && n == 2 && count == 2 && ids[0] == a && ids[1] == b);
  jszb_free(ids);
  jszb_engine_close(e);

  /* With the default checkpointing a new case has no row yet: still counted,
     also after a reopen that replays it from the log. */
  OK(jszb_engine_open_store(path, NULL, NULL, &e));
  (void)submit(e, "s-4");
  OK(jszb_engine_stored_case_count(e, &n));
  CHECK(n == 3);
  OK(jszb_engine_purge(e, T0 + 1000 * MINUTE, &purged));
  CHECK(purged == 1);
  OK(jszb_engine_stored_case_count(e, &n));
  CHECK(n == 2);
  jszb_engine_close(e);
  OK(jszb_engine_open_store(path, NULL, &ro, &e));
  OK(jszb_engine_stored_case_count(e, &n));
  CHECK(n == 2);
  jszb_engine_close(e);
  remove_dir();
}

/* jszb_engine_verify_v2 tells its progress per stage, and stops when the
   callback asks: JSZB_E_CANCELLED, nothing written to the outputs. */
struct heard {
  int calls, stop_at;
  uint64_t replayed, compared, replay_total;
};

static int on_progress(void* payload, const char* stage, uint64_t done, uint64_t total) {
  struct heard* h = (struct heard*)payload;
  h->calls++;
  if (strcmp(stage, "replay") == 0) {
    h->replayed = done;
    h->replay_total = total;
  } else if (strcmp(stage, "compare") == 0) {
    h->compared = done;
  }
  return h->calls == h->stop_at;
}

static void test_verify_progress(void) {
  jszb_engine* e = NULL;
  jszb_verify_options opts = JSZB_VERIFY_OPTIONS_INIT;
  struct heard h = {0, 0, 0, 0, 0};
  uint64_t events = 7, cases = 7, mismatches = 7;
  char* problems = NULL;
  make_dir();
  OK(jszb_engine_open_store(path, NULL, NULL, &e));
  OK(dispatch_rc(e, submit(e, "p-1")));
  (void)submit(e, "p-2");
  opts.progress = on_progress;
  opts.progress_payload = &h;
  OK(jszb_engine_verify_v2(e, &opts, &events, &cases, &mismatches, &problems));
  CHECK(events == 3 && cases == 2 && mismatches == 0 && problems == NULL);
  CHECK(h.replayed == 3 && h.replay_total == 3 && h.compared == 2 && h.calls == 2);
  /* Stopped at its first call. */
  h.calls = 0;
  h.stop_at = 1;
  events = cases = mismatches = 7;
  CHECK(jszb_engine_verify_v2(e, &opts, &events, &cases, &mismatches, &problems) ==
        JSZB_E_CANCELLED);
  CHECK(strstr(jszb_error_last()->message, "replay") != NULL);
  CHECK(events == 7 && cases == 7 && mismatches == 7 && problems == NULL);
  /* NULL options: jszb_engine_verify; an unknown version is refused. */
  OK(jszb_engine_verify_v2(e, NULL, &events, &cases, &mismatches, &problems));
  opts.version = 99;
  CHECK(jszb_engine_verify_v2(e, &opts, &events, &cases, &mismatches, &problems) == JSZB_E_INVALID);
  jszb_engine_close(e);
  remove_dir();
}

/* The crash test. pipelined: batches go through jszb_engine_commit_async,
   each acknowledged once jszb_engine_wait (or poll) says it is durable. */
struct pending {
  uint64_t ticket;
  int size;
  uint64_t ids[50];
};

static void report_acked(int fd, const struct pending* p) {
  char line[64];
  int i;
  for (i = 0; i < p->size; i++) {
    int len =
        snprintf(line, sizeof line, "%llu %d\n", (unsigned long long)p->ids[i], i % 2 == 0 ? 2 : 1);
    if (write(fd, line, (size_t)len) != len) _exit(8);
  }
}

static void crash_child(int fd, unsigned seed, int pipelined) {
  jszb_engine* e = NULL;
  jszb_store_options small = JSZB_STORE_OPTIONS_INIT;
  char ref[48];
  unsigned long n = 0;
  srand(seed);
  /* Projections written every few batches: the kill may land in their writing. */
  small.checkpoint_events = 97;
  if (jszb_engine_open_store(path, NULL, &small, &e) != JSZB_OK) _exit(3);
  struct pending batches[2] = {{0, 0, {0}}, {0, 0, {0}}};
  int cur = 0;
  for (;;) {
    struct pending* b = &batches[cur];
    struct pending* before = &batches[1 - cur];
    int i;
    b->size = 1 + rand() % 50;
    if (jszb_engine_begin(e) != JSZB_OK) _exit(4);
    for (i = 0; i < b->size; i++) {
      snprintf(ref, sizeof ref, "crash-%u-%lu", seed, n++);
      if (submit_rc(e, ref, &b->ids[i]) != JSZB_OK) _exit(5);
      if (i % 2 == 0 && dispatch_rc(e, b->ids[i]) != JSZB_OK) _exit(6);
    }
    if (!pipelined) {
      if (jszb_engine_commit(e) != JSZB_OK) _exit(7);
      report_acked(fd, b); /* acknowledged: tell the parent */
    } else {
      uint64_t done = 0;
      if (jszb_engine_commit_async(e, &b->ticket) != JSZB_OK) _exit(7);
      /* The batch before is durable now; this one maybe, if poll says so. */
      if (before->ticket != 0) {
        if (jszb_engine_wait(e, before->ticket) != JSZB_OK) _exit(10);
        report_acked(fd, before);
        before->ticket = 0;
      }
      if (rand() % 2 == 0 && jszb_engine_poll(e, &done) == JSZB_OK && done >= b->ticket) {
        if (jszb_engine_wait(e, b->ticket) != JSZB_OK) _exit(11);
        report_acked(fd, b);
        b->ticket = 0;
      }
      cur = 1 - cur;
    }
    /* Now and then all projections at once: the kill may land in a checkpoint
       (which waits for the writer first). */
    if (n % 7 == 0 && jszb_engine_checkpoint(e) != JSZB_OK) _exit(9);
    if (pipelined && n % 7 == 0) {
      for (i = 0; i < 2; i++) {
        if (batches[i].ticket == 0) continue;
        if (jszb_engine_wait(e, batches[i].ticket) != JSZB_OK) _exit(12);
        report_acked(fd, &batches[i]);
        batches[i].ticket = 0;
      }
    }
  }
}

/* Acknowledgements read from the writer: case id and its events then. */
struct acks {
  unsigned long count, cap;
  uint64_t* ids;
  int* events;
};

static void read_acks(FILE* in, unsigned long until, struct acks* a) {
  char line[64];
  while (a->count < until && fgets(line, sizeof line, in) != NULL) {
    unsigned long long id;
    int n;
    if (sscanf(line, "%llu %d", &id, &n) != 2) break;
    if (a->count == a->cap) {
      a->cap = a->cap ? a->cap * 2 : 256;
      a->ids = realloc(a->ids, a->cap * sizeof *a->ids);
      a->events = realloc(a->events, a->cap * sizeof *a->events);
      if (a->ids == NULL || a->events == NULL) exit(2);
    }
    a->ids[a->count] = id;
    a->events[a->count] = n;
    a->count++;
  }
}

static void crash_kill9(int pipelined) {
  int round;
  unsigned long total_acked = 0;
  make_dir();
  srand((unsigned)time(NULL));
  for (round = 0; round < 10; round++) {
    int fds[2];
    pid_t pid;
    FILE* in;
    unsigned long want = 20 + (unsigned long)(rand() % 2000), i;
    struct acks acks = {0, 0, NULL, NULL};
    jszb_engine* e = NULL;
    if (pipe(fds) != 0) {
      perror("pipe");
      failures++;
      return;
    }
    pid = fork();
    if (pid == 0) {
      close(fds[0]);
      crash_child(fds[1], (unsigned)(round + 1) * 7919u, pipelined);
    }
    close(fds[1]);
    in = fdopen(fds[0], "r");
    /* Read acknowledgements, then kill the writer mid-load. */
    read_acks(in, want, &acks);
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    /* Acknowledgements written before the kill and still in the pipe count too. */
    read_acks(in, (unsigned long)-1, &acks);
    fclose(in);
    OK(jszb_engine_open_store(path, NULL, NULL, &e));
    if (e == NULL) break;
    for (i = 0; i < acks.count; i++) {
      size_t have = events_of(e, acks.ids[i]);
      if (have < (size_t)acks.events[i]) {
        fprintf(stderr, "round %d: acknowledged case %llu has %zu events, expected %d\n", round,
                (unsigned long long)acks.ids[i], have, acks.events[i]);
        failures++;
        break;
      }
    }
    expect_verified(e);
    jszb_engine_close(e);
    total_acked += acks.count;
    free(acks.ids);
    free(acks.events);
  }
  CHECK(total_acked > 0);
  remove_dir();
}

static void test_crash_kill9(void) { crash_kill9(0); }
static void test_crash_kill9_pipelined(void) { crash_kill9(1); }

static const struct test tests[] = {
    {"reopen_continues", test_reopen_continues},
    {"batch_group_commit", test_batch_group_commit},
    {"failures_have_their_codes", test_failures_have_their_codes},
    {"disk_full", test_disk_full},
    {"queries_erase_purge", test_queries_erase_purge},
    {"stored_case_count", test_stored_case_count},
    {"verify_progress", test_verify_progress},
    {"crash_kill9", test_crash_kill9},
    {"crash_kill9_pipelined", test_crash_kill9_pipelined},
    {"pipeline_tickets", test_pipeline_tickets},
    {"pipeline_failure", test_pipeline_failure},
    {"pipeline_failure_open_batch", test_pipeline_failure_open_batch},
};

int main(int argc, char** argv) {
  return run_tests(tests, sizeof tests / sizeof tests[0], argc, argv);
}
