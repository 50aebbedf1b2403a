/* What the fuzz targets found (tests/fuzz/README.md, "Runs and findings"),
   each reproduced through the C ABI as the target met it. The inputs
   themselves are in tests/fuzz/corpus and run again as fuzz_corpus_* tests. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "jszb/jszb.h"

static const int64_t T0 = (int64_t)1717376400000; /* 2024-06-03 09:00 China time */

static jszb_engine* engine_with_default_policy(void) {
  jszb_engine* e = NULL;
  jszb_policy* p = NULL;
  OK(jszb_engine_open(NULL, &e));
  OK(jszb_policy_default(&p));
  OK(jszb_engine_set_policy(e, p));
  jszb_policy_free(p);
  return e;
}

static uint64_t submit(jszb_engine* e, const char* ref) {
  jszb_intake in = JSZB_INTAKE_INIT;
  uint64_t id = 0;
  in.time_ms = T0;
  in.actor.role = JSZB_ROLE_OPERATOR;
  in.channel = JSZB_CHANNEL_PHONE;
  in.channel_ref = ref;
  in.kind = JSZB_KIND_COMPLAINT;
  in.category[0] = "城乡建设";
  in.district = "朝阳区";
  in.street = "和平街街道";
  in.content = "工地夜间施工扰民";
  OK(jszb_engine_submit(e, &in, &id, NULL));
  return id;
}

/* Finding 1 (fuzz_capi_intake_command, its first seed): erasing personal data
   in an in-memory engine was JSZB_E_INTERNAL, "a bug in jszb", where it is a
   state the caller can see, as purge's is. */
static void test_erase_in_memory_is_a_state_error(void) {
  jszb_engine* e = engine_with_default_policy();
  uint64_t id = submit(e, "f-1");
  CHECK(jszb_engine_erase_personal(e, id, T0 + 1000) == JSZB_E_STATE);
  CHECK(strstr(jszb_error_last()->message, "no store file") != NULL);
  CHECK(jszb_engine_erase_personal(e, id + 1, T0 + 1000) == JSZB_E_NOT_FOUND);
  jszb_engine_close(e);
}

/* Finding 2 (fuzz_policy_text): a policy's strings were taken as written, and
   text format lets any bytes into them (raw, or escaped as "\377" or "\0"):
   a unit's name came back from jszb_policy_unit() as invalid UTF-8. Each such
   string is now a problem at its line. */
static void test_policy_strings_must_be_utf8(void) {
  const char* head =
      "name: \"x\"\nversion: 1\n"
      "calendar { name: \"c\" utc_offset_minutes: 480 working_hours { from: \"00:00\" to: "
      "\"24:00\" } first_year: 2024 last_year: 2025 beyond: BEYOND_SCHEDULE_REFUSE }\n";
  const char* bad[] = {
      "units { code: 110105 name: \"\xe6\x9c\" unit_class: UNIT_CLASS_DISTRICT }\n",
      "units { code: 110105 name: \"\\377\" unit_class: UNIT_CLASS_DISTRICT }\n",
      "units { code: 110105 name: \"a\\0b\" unit_class: UNIT_CLASS_DISTRICT }\n",
  };
  char text[512];
  size_t i;
  jszb_policy* p = NULL;
  for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    snprintf(text, sizeof text, "%s%s", head, bad[i]);
    p = (jszb_policy*)&text;
    CHECK(jszb_policy_load("bad.textproto", text, NULL, &p) == JSZB_E_INVALID);
    CHECK(p == (jszb_policy*)&text);
    CHECK(strstr(jszb_error_last()->message,
                 "bad.textproto:4: name is not a string of UTF-8 without NUL bytes") != NULL);
  }
  snprintf(text, sizeof text, "%s%s%s", head,
           "units { code: 110105 name: \"朝阳区\" unit_class: UNIT_CLASS_DISTRICT }\n",
           "deadline_rules { id: \"r\" step: STEP_REPLY limit { amount: 7 unit: TIME_UNIT_DAYS } "
           "}\n");
  p = NULL;
  OK(jszb_policy_load("good.textproto", text, NULL, &p));
  CHECK(p != NULL && strcmp(jszb_policy_unit(p, 0)->name, "朝阳区") == 0);
  jszb_policy_free(p);
}

/* The submitted event of a fresh case, as protobuf bytes and as JSON. */
static void submitted_event(void** bytes, size_t* size, char** json) {
  jszb_engine* e = engine_with_default_policy();
  jszb_case* c = NULL;
  OK(jszb_engine_get_case(e, submit(e, "f-3"), &c));
  OK(jszb_event_to_proto(jszb_case_get_event(c, 0), bytes, size));
  OK(jszb_event_to_json(jszb_case_get_event(c, 0), json));
  jszb_case_free(c);
  jszb_engine_close(e);
}

/* Finding 3 (fuzz_log_replay_proto): a replayed event's strings may hold a NUL
   byte, which protobuf allows and a C string cannot carry: the event was
   accepted, and came back out cut short (its export replayed to another
   case). Replay now refuses it, as protobuf and as JSON. */
static void test_replay_refuses_nul_in_strings(void) {
  void* bytes = NULL;
  size_t size = 0, i;
  char* json = NULL;
  char* at;
  jszb_engine* e = engine_with_default_policy();
  submitted_event(&bytes, &size, &json);
  /* The content's last character, 民 (e6 b0 91), becomes "a\0b". */
  for (i = 0; i + 3 <= size; i++) {
    unsigned char* b = (unsigned char*)bytes + i;
    if (b[0] == 0xe6 && b[1] == 0xb0 && b[2] == 0x91) {
      memcpy(b, "a\0b", 3);
      break;
    }
  }
  CHECK(i + 3 <= size);
  CHECK(jszb_engine_replay_proto(e, bytes, size) == JSZB_E_INVALID);
  CHECK(strstr(jszb_error_last()->message, "content is not a string of UTF-8 without NUL") != NULL);
  at = strstr(json, "扰民");
  CHECK(at != NULL);
  if (at != NULL) memcpy(at, "\\u0000", 6); /* 扰民 is 6 bytes, as is \u0000 */
  CHECK(jszb_engine_replay_json(e, json) == JSZB_E_INVALID);
  CHECK(strstr(jszb_error_last()->message, "not a string of UTF-8 without NUL") != NULL);
  {
    uint64_t n = 7;
    OK(jszb_engine_case_count(e, &n));
    CHECK(n == 0);
  }
  jszb_free(bytes);
  jszb_free(json);
  jszb_engine_close(e);
}

/* Finding 4 (fuzz_capi_intake_command): inside a batch (jszb_engine_begin), a
   case's snapshot counted the batch's events (event_count, state) but did not
   hold them: jszb_case_get_event() gave NULL below event_count. */
static void test_snapshot_in_a_batch_holds_its_events(void) {
  jszb_engine* e = engine_with_default_policy();
  jszb_case* c = NULL;
  jszb_actor dispatcher = {JSZB_ROLE_DISPATCHER, 110000000, 0};
  uint64_t id;
  OK(jszb_engine_begin(e));
  id = submit(e, "f-4");
  OK(jszb_engine_dispatch_routed(e, id, T0 + 60000, dispatcher));
  OK(jszb_engine_get_case(e, id, &c));
  CHECK(jszb_case_get_info(c)->event_count == 2);
  CHECK(jszb_case_get_info(c)->state == JSZB_STATE_DISPATCHED);
  CHECK(jszb_case_get_event(c, 0) != NULL && jszb_case_get_event(c, 0)->seq == 1);
  CHECK(jszb_case_get_event(c, 1) != NULL &&
        jszb_case_get_event(c, 1)->type == JSZB_EVENT_DISPATCHED);
  CHECK(jszb_case_get_event(c, 2) == NULL);
  jszb_case_free(c);
  OK(jszb_engine_rollback(e));
  CHECK(jszb_engine_get_case(e, id, &c) == JSZB_E_NOT_FOUND);
  jszb_engine_close(e);
}

/* Finding 5 (fuzz_store_open): opening a damaged file set *out to NULL, and a
   failing jszb_engine_verify set *problems to NULL, where the header says a
   failing call writes no output. */
static void test_store_failures_write_no_output(void) {
  char dir[] = "/tmp/jszb-fuzz-findings-XXXXXX";
  char path[128];
  FILE* f;
  jszb_engine* e = (jszb_engine*)dir;
  jszb_engine* good = NULL;
  uint64_t events = 7, cases = 7, mismatches = 7;
  char* problems = dir;
  CHECK(mkdtemp(dir) != NULL);
  snprintf(path, sizeof path, "%s/damaged.db", dir);
  f = fopen(path, "wb");
  CHECK(f != NULL);
  if (f != NULL) {
    fputs("SQLite format 3", f); /* a header, and nothing behind it */
    fputc(0, f);
    fputs("not a database", f);
    fclose(f);
  }
  CHECK(jszb_engine_open_store(path, NULL, NULL, &e) == JSZB_E_CORRUPT);
  CHECK(e == (jszb_engine*)dir);
  unlink(path);
  snprintf(path, sizeof path, "%s/good.db", dir);
  OK(jszb_engine_open_store(path, NULL, NULL, &good));
  OK(jszb_engine_begin(good));
  CHECK(jszb_engine_verify(good, &events, &cases, &mismatches, &problems) == JSZB_E_STATE);
  CHECK(problems == dir && events == 7 && cases == 7 && mismatches == 7);
  OK(jszb_engine_rollback(good));
  OK(jszb_engine_verify(good, &events, &cases, &mismatches, &problems));
  CHECK(problems == NULL && mismatches == 0);
  jszb_engine_close(good);
  {
    const char* suffix[] = {"", "-wal", "-shm", "-lock"};
    char file[160];
    for (events = 0; events < 4; events++) {
      snprintf(file, sizeof file, "%s%s", path, suffix[events]);
      unlink(file);
    }
  }
  rmdir(dir);
}

/* Findings 6 to 11 (fuzz_store_open): damaged store files that came back as
   JSZB_E_INVALID or JSZB_E_INTERNAL ("a bug in jszb"), or opened and gave a
   snapshot counting events it did not hold: a policy text in the file that
   no longer loads (6), a column renamed in the schema (7), a meta row missing
   (8), a length too big in the schema (9), personal data not UTF-8 (10), a
   case counting more events than its history has (11). Each file, as the
   fuzzer left it (tests/fuzz/corpus/store_open/finding-N-*.db), is now
   JSZB_E_CORRUPT, at the open or at the case's read, with nothing written. */
static int copy_file(const char* from, const char* to) {
  char buf[4096];
  size_t n;
  int ok = 1;
  FILE* in = fopen(from, "rb");
  FILE* out = fopen(to, "wb");
  if (in == NULL || out == NULL) ok = 0;
  while (ok && (n = fread(buf, 1, sizeof buf, in)) > 0) ok = fwrite(buf, 1, n, out) == n;
  if (in != NULL) fclose(in);
  if (out != NULL) fclose(out);
  return ok;
}

static void test_damaged_stores_are_corrupt(void) {
  const char* files[] = {
      "finding-6-policy-text-damaged.db", "finding-7-schema-column-renamed.db",
      "finding-8-meta-row-missing.db",    "finding-9-schema-too-big.db",
      "finding-10-personal-not-utf8.db",  "finding-11-event-count-vs-history.db"};
  char dir[] = "/tmp/jszb-fuzz-findings-XXXXXX";
  char from[512], path[128], file[160];
  size_t i, k;
  CHECK(mkdtemp(dir) != NULL);
  snprintf(path, sizeof path, "%s/store.db", dir);
  for (i = 0; i < sizeof files / sizeof files[0]; i++) {
    jszb_engine* e = (jszb_engine*)dir;
    int corrupt = 0, rc;
    snprintf(from, sizeof from, "%s/%s", JSZB_FUZZ_CORPUS "/store_open", files[i]);
    CHECK(copy_file(from, path));
    rc = jszb_engine_open_store(path, NULL, NULL, &e);
    if (rc != JSZB_OK) {
      CHECK(rc == JSZB_E_CORRUPT && e == (jszb_engine*)dir);
      corrupt = rc == JSZB_E_CORRUPT;
    } else {
      uint64_t* ids = NULL;
      size_t n = 0;
      OK(jszb_engine_list_cases(e, NULL, &ids, &n));
      for (k = 0; k < n; k++) {
        jszb_case* c = (jszb_case*)dir;
        rc = jszb_engine_get_case(e, ids[k], &c);
        if (rc == JSZB_OK) {
          CHECK(jszb_case_get_event(c, jszb_case_get_info(c)->event_count - 1) != NULL);
          jszb_case_free(c);
        } else {
          CHECK(rc == JSZB_E_CORRUPT && c == (jszb_case*)dir);
          corrupt = corrupt || rc == JSZB_E_CORRUPT;
        }
      }
      jszb_free(ids);
      jszb_engine_close(e);
    }
    if (!corrupt) fprintf(stderr, "%s: no JSZB_E_CORRUPT\n", files[i]);
    CHECK(corrupt);
    for (k = 0; k < 4; k++) {
      const char* suffix[] = {"", "-wal", "-shm", "-lock"};
      snprintf(file, sizeof file, "%s%s", path, suffix[k]);
      unlink(file);
    }
  }
  rmdir(dir);
}

static const struct test tests[] = {
    {"erase_in_memory_is_a_state_error", test_erase_in_memory_is_a_state_error},
    {"policy_strings_must_be_utf8", test_policy_strings_must_be_utf8},
    {"replay_refuses_nul_in_strings", test_replay_refuses_nul_in_strings},
    {"snapshot_in_a_batch_holds_its_events", test_snapshot_in_a_batch_holds_its_events},
    {"store_failures_write_no_output", test_store_failures_write_no_output},
    {"damaged_stores_are_corrupt", test_damaged_stores_are_corrupt},
};

int main(int argc, char** argv) {
  return run_tests(tests, sizeof tests / sizeof tests[0], argc, argv);
}
