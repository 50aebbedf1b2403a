/* Tests of what keeps a durable store safe, through the C ABI (C99, POSIX,
   and Linux for the read-only mount): one writer per file whatever name it is
   opened by, readers and the writer never waiting for each other, read-only
   opens of read-only files, directories and mounts, lost WAL frames refused
   with the count of the missing events, damage found by verify, a missing
   table refused, file-system errors with their reason. Run one test by name:
   store_safety_test <name>; ctest registers each name.

   Tests that need another user (root bypasses file permissions: a child drops
   to nobody) or a mount namespace say so on stderr when they cannot run that
   part, and pass. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "jszb/jszb.h"
#include "store_fixture.h"

#define T0 ((int64_t)1632009600000)

static char dir[64];
static char path[128];

static void make_dir(void) {
  scratch_dir_make(dir, sizeof dir, "safety");
  snprintf(path, sizeof path, "%s/store.jszb", dir);
}

static void remove_dir(void) { scratch_dir_remove(dir); }

static int submit_rc(jszb_engine* e, const char* ref, uint64_t* id) {
  jszb_intake in = noise_complaint(ref);
  int created = 0;
  return jszb_engine_submit(e, &in, id, &created);
}

/* Submits n requests, each its own commit, refs prefix-0 .. prefix-(n-1). */
static void submit_n(jszb_engine* e, const char* prefix, int n) {
  int i;
  for (i = 0; i < n; i++) {
    char ref[48];
    uint64_t id = 0;
    snprintf(ref, sizeof ref, "%s-%d", prefix, i);
    OK(submit_rc(e, ref, &id));
  }
}

static uint64_t case_count(jszb_engine* e) {
  uint64_t n = 0;
  OK(jszb_engine_case_count(e, &n));
  return n;
}

static jszb_store_options read_only(void) {
  jszb_store_options ro = JSZB_STORE_OPTIONS_INIT;
  ro.read_only = 1;
  return ro;
}

/* Makes a store of n requests and closes it cleanly (no -wal left). */
static void make_store(int n) {
  jszb_engine* e = NULL;
  OK(jszb_engine_open_store(path, NULL, NULL, &e));
  submit_n(e, "made", n);
  jszb_engine_close(e);
  e = NULL;
}

/* Runs `body` in a child process; returns its exit status (0: passed). */
static int in_child(void (*body)(void)) {
  int status = 0;
  pid_t pid = fork();
  if (pid == 0) {
    failures = 0; /* the child's own */
    body();
    _exit(failures == 0 ? 0 : 1);
  }
  if (pid < 0 || waitpid(pid, &status, 0) != pid) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Drops a root child to nobody, so that file permissions apply to it. */
static int become_nobody(void) {
  if (geteuid() != 0) return 0;
  return setgid(65534) == 0 && setuid(65534) == 0 ? 0 : -1;
}

/* ------------------------------------------------- one writer per file */

static char other_name[160];

static void second_writer_refused(void) {
  jszb_engine* e = NULL;
  int rc = jszb_engine_open_store(other_name, NULL, NULL, &e);
  CHECK(rc == JSZB_E_LOCKED);
  CHECK(e == NULL);
  CHECK(strstr(jszb_error_last()->message, "another process has it open for writing") != NULL);
  CHECK(strstr(jszb_error_last()->message, other_name) != NULL);
  if (rc != JSZB_E_LOCKED) fprintf(stderr, "child: %d %s\n", rc, jszb_error_last()->message);
  jszb_engine_close(e);
  e = NULL;
}

static void test_one_writer_whatever_the_name(void) {
  jszb_engine *e = NULL, *again = NULL;
  char lock_file[160];
  make_dir();
  OK(jszb_engine_open_store(path, NULL, NULL, &e));
  submit_n(e, "w", 3);
  /* The same path, a hard link, a symbolic link, a path with "..": another
     process is refused each time. */
  snprintf(other_name, sizeof other_name, "%s", path);
  CHECK(in_child(second_writer_refused) == 0);
  snprintf(other_name, sizeof other_name, "%s/hard.jszb", dir);
  CHECK(link(path, other_name) == 0);
  CHECK(in_child(second_writer_refused) == 0);
  snprintf(other_name, sizeof other_name, "%s/soft.jszb", dir);
  CHECK(symlink(path, other_name) == 0);
  CHECK(in_child(second_writer_refused) == 0);
  snprintf(other_name, sizeof other_name, "%s/../%s/store.jszb", dir, strrchr(dir, '/') + 1);
  CHECK(in_child(second_writer_refused) == 0);
  /* A lock file beside the store (the one libraries before 0.2 used)
     deleted: nothing changes, the lock is on the store file. */
  snprintf(lock_file, sizeof lock_file, "%s-lock", path);
  unlink(lock_file);
  snprintf(other_name, sizeof other_name, "%s/hard.jszb", dir);
  CHECK(in_child(second_writer_refused) == 0);
  /* In this process too, by the hard link. */
  CHECK(jszb_engine_open_store(other_name, NULL, NULL, &again) == JSZB_E_LOCKED);
  CHECK(strstr(jszb_error_last()->message, "open for writing") != NULL);
  /* The writer was not disturbed by any of it. */
  submit_n(e, "w-after", 2);
  CHECK(case_count(e) == 5);
  jszb_engine_close(e);
  e = NULL;
  /* Once it has closed, a writer by another name gets in. */
  OK(jszb_engine_open_store(other_name, NULL, NULL, &again));
  CHECK(case_count(again) == 5);
  jszb_engine_close(again);
  remove_dir();
}

/* ------------------------------------------- readers and the writer */

static int to_parent[2], to_child[2];

/* Opens read-only, tells the parent, waits, then checks it still reads the
   snapshot it opened with, and that a new read-only open sees more. */
static void reader_child(void) {
  jszb_engine* e = NULL;
  jszb_store_options ro = read_only();
  char c = 'r';
  uint64_t id = 0;
  OK(jszb_engine_open_store(path, NULL, &ro, &e));
  if (e == NULL) return;
  CHECK(case_count(e) == 4);
  CHECK(write(to_parent[1], &c, 1) == 1);
  CHECK(read(to_child[0], &c, 1) == 1); /* the writer has added two more */
  CHECK(case_count(e) == 4);
  CHECK(submit_rc(e, "reader", &id) == JSZB_E_STORAGE);
  jszb_engine_close(e);
  e = NULL;
  OK(jszb_engine_open_store(path, NULL, &ro, &e));
  CHECK(case_count(e) == 6);
  jszb_engine_close(e);
  e = NULL;
}

static void test_readers_and_writer_together(void) {
  jszb_engine *w = NULL, *r = NULL;
  jszb_store_options ro = read_only();
  pid_t pid;
  char c = 0;
  int status = 0;
  make_dir();
  make_store(2);
  /* A reader opens while the writer holds the store, in another process. */
  OK(jszb_engine_open_store(path, NULL, NULL, &w));
  submit_n(w, "live", 2);
  CHECK(pipe(to_parent) == 0 && pipe(to_child) == 0);
  pid = fork();
  if (pid == 0) {
    failures = 0;
    reader_child();
    _exit(failures == 0 ? 0 : 1);
  }
  CHECK(read(to_parent[0], &c, 1) == 1 && c == 'r');
  submit_n(w, "while-read", 2); /* the reader does not hold the writer up */
  CHECK(write(to_child[1], &c, 1) == 1);
  CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
  /* In this process too: a reader beside the writer. */
  OK(jszb_engine_open_store(path, NULL, &ro, &r));
  CHECK(r != NULL && case_count(r) == 6);
  jszb_engine_close(r);
  jszb_engine_close(w);
  /* A writer opens while a reader has the store open. */
  OK(jszb_engine_open_store(path, NULL, &ro, &r));
  OK(jszb_engine_open_store(path, NULL, NULL, &w));
  submit_n(w, "after-reader", 1);
  CHECK(case_count(r) == 6);
  jszb_engine_close(w);
  jszb_engine_close(r);
  /* The sqlite3 library reads the file while the writer has it. */
  {
    sqlite3* db = NULL;
    sqlite3_stmt* st = NULL;
    OK(jszb_engine_open_store(path, NULL, NULL, &w));
    CHECK(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK);
    CHECK(sqlite3_prepare_v2(db, "SELECT count(*) FROM cases", -1, &st, NULL) == SQLITE_OK);
    CHECK(sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) >= 1);
    sqlite3_finalize(st);
    sqlite3_close(db);
    submit_n(w, "after-shell", 1);
    jszb_engine_close(w);
  }
  remove_dir();
}

/* ------------------------------------------------ read-only places */

static void read_only_as_nobody(void) {
  jszb_engine* e = NULL;
  jszb_store_options ro = read_only();
  if (become_nobody() != 0) {
    fprintf(stderr, "cannot become nobody: %s\n", strerror(errno));
    failures++;
    return;
  }
  OK(jszb_engine_open_store(path, NULL, &ro, &e));
  CHECK(e != NULL && case_count(e) == 3);
  jszb_engine_close(e);
  e = NULL;
  /* Writing is refused as a storage error with the system's reason. */
  CHECK(jszb_engine_open_store(path, NULL, NULL, &e) == JSZB_E_STORAGE);
  CHECK(strstr(jszb_error_last()->message, "ermission denied") != NULL ||
        strstr(jszb_error_last()->message, "read-only") != NULL);
  if (e != NULL) jszb_engine_close(e);
}

static char mount_point[64];

/* In a mount namespace of its own: the store's directory bound read-only. */
static void read_only_mount(void) {
  jszb_engine* e = NULL;
  jszb_store_options ro = read_only();
  char mounted[160];
  char c = 'm';
  if (unshare(CLONE_NEWNS) != 0 || mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
      mount(dir, mount_point, NULL, MS_BIND, NULL) != 0 ||
      mount(NULL, mount_point, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL) != 0) {
    fprintf(stderr, "read-only mount not tested (no mount namespace: %s)\n", strerror(errno));
    CHECK(write(to_parent[1], "s", 1) == 1);
    return;
  }
  snprintf(mounted, sizeof mounted, "%s/store.jszb", mount_point);
  OK(jszb_engine_open_store(mounted, NULL, &ro, &e));
  CHECK(e != NULL && case_count(e) == 3);
  /* Immutable: a writer of the same file elsewhere waits for this reader. */
  CHECK(write(to_parent[1], &c, 1) == 1);
  CHECK(read(to_child[0], &c, 1) == 1);
  jszb_engine_close(e);
  e = NULL;
}

static void test_read_only_places(void) {
  jszb_engine* e = NULL;
  jszb_store_options ro = read_only();
  char wal[160];
  pid_t pid;
  char c = 0;
  int status = 0;
  make_dir();
  make_store(3);
  snprintf(wal, sizeof wal, "%s-wal", path);
  CHECK(access(wal, F_OK) != 0); /* a clean close leaves no WAL */
  /* A read-only file in a read-only directory, as another user. */
  CHECK(chmod(path, 0444) == 0 && chmod(dir, 0555) == 0);
  CHECK(in_child(read_only_as_nobody) == 0);
  /* As root, the same file: root is not bound by permissions. */
  OK(jszb_engine_open_store(path, NULL, &ro, &e));
  CHECK(e != NULL && case_count(e) == 3);
  jszb_engine_close(e);
  e = NULL;
  CHECK(chmod(dir, 0755) == 0 && chmod(path, 0644) == 0);
  /* A reader leaves an empty -wal and the -shm behind (it cannot check the
     WAL back in); with them, a read-only mount is read the ordinary way.
     Without them, as a cleanly closed writer leaves it, the reader reads the
     file as immutable. */
  CHECK(unlink(wal) == 0 || errno == ENOENT); /* none when not root: it read immutable */
  snprintf(wal, sizeof wal, "%s-shm", path);
  CHECK(unlink(wal) == 0 || errno == ENOENT);
  /* A read-only mount. */
  strcpy(mount_point, "/tmp/jszb-mnt-XXXXXX");
  CHECK(mkdtemp(mount_point) != NULL);
  CHECK(pipe(to_parent) == 0 && pipe(to_child) == 0);
  pid = fork();
  if (pid == 0) {
    failures = 0;
    close(to_child[1]); /* the parent's end: its exit ends the child's wait */
    read_only_mount();
    _exit(failures == 0 ? 0 : 1);
  }
  close(to_child[0]);
  close(to_parent[1]);
  CHECK(read(to_parent[0], &c, 1) == 1);
  if (c == 'm') {
    e = NULL; /* a failed open leaves it as it was */
    CHECK(jszb_engine_open_store(path, NULL, NULL, &e) == JSZB_E_LOCKED);
    CHECK(strstr(jszb_error_last()->message, "immutable") != NULL);
    jszb_engine_close(e);
    e = NULL;
    CHECK(write(to_child[1], &c, 1) == 1);
  }
  close(to_child[1]);
  close(to_parent[0]);
  CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
  rmdir(mount_point);
  /* Once it has gone, the writer gets in. */
  OK(jszb_engine_open_store(path, NULL, NULL, &e));
  jszb_engine_close(e);
  e = NULL;
  remove_dir();
}

/* ------------------------------------------------ damage detected */

/* A writer that commits n requests and dies without closing: its commits
   stay in the WAL, not yet copied into the file. */
static void commit_and_die(void) {
  jszb_engine* e = NULL;
  if (jszb_engine_open_store(path, NULL, NULL, &e) != JSZB_OK) _exit(3);
  submit_n(e, "wal", 20);
  _exit(failures == 0 ? 0 : 1);
}

static long file_size(const char* name) {
  struct stat st;
  return stat(name, &st) == 0 ? (long)st.st_size : -1;
}

/* Flips a byte at `offset` of `name`. */
static int flip_byte(const char* name, long offset) {
  unsigned char b;
  int fd = open(name, O_RDWR);
  int ok = fd >= 0 && pread(fd, &b, 1, offset) == 1 && (b ^= 0x5a, pwrite(fd, &b, 1, offset) == 1);
  if (fd >= 0) close(fd);
  return ok ? 0 : -1;
}

static void test_lost_wal_frames(void) {
  jszb_engine* e = NULL;
  jszb_store_options accept = JSZB_STORE_OPTIONS_INIT;
  jszb_store_options ro = read_only();
  char wal[160];
  unsigned char header[32];
  long size, page, frames, offset;
  uint64_t id = 0, count = 0;
  int fd;
  make_dir();
  make_store(1);
  CHECK(in_child(commit_and_die) == 0);
  snprintf(wal, sizeof wal, "%s-wal", path);
  size = file_size(wal);
  fd = open(wal, O_RDONLY);
  CHECK(fd >= 0 && read(fd, header, sizeof header) == (ssize_t)sizeof header);
  if (fd >= 0) close(fd);
  page = ((long)header[8] << 24) | ((long)header[9] << 16) | ((long)header[10] << 8) | header[11];
  frames = (size - 32) / (24 + page);
  CHECK(page == 4096 && frames >= 20);
  /* Damage a frame halfway: SQLite replays the WAL up to it and drops the
     commits from there on, without a word. */
  offset = 32 + (frames / 2) * (24 + page) + 24 + page / 2;
  CHECK(flip_byte(wal, offset) == 0);
  CHECK(jszb_engine_open_store(path, NULL, NULL, &e) == JSZB_E_CORRUPT);
  CHECK(e == NULL);
  CHECK(strstr(jszb_error_last()->message, "acknowledged events") != NULL);
  CHECK(strstr(jszb_error_last()->message, "accept_lost_events") != NULL);
  fprintf(stderr, "refused as expected: %s\n", jszb_error_last()->message);
  CHECK(jszb_engine_open_store(path, NULL, &ro, &e) == JSZB_E_CORRUPT);
  /* With the option it opens with what it has; the lost ids stay used. */
  accept.accept_lost_events = 1;
  OK(jszb_engine_open_store(path, NULL, &accept, &e));
  if (e == NULL) return;
  count = case_count(e);
  CHECK(count >= 1 && count < 21);
  OK(submit_rc(e, "after-loss", &id));
  CHECK(id == 22);
  jszb_engine_close(e);
  e = NULL;
  /* Its record now agrees with its log: an ordinary open works. */
  OK(jszb_engine_open_store(path, NULL, NULL, &e));
  CHECK(case_count(e) == count + 1);
  jszb_engine_close(e);
  e = NULL;
  remove_dir();
}

static long page_of(const char* index) {
  sqlite3* db = NULL;
  sqlite3_stmt* st = NULL;
  long page = -1;
  if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
      sqlite3_prepare_v2(db, "SELECT rootpage FROM sqlite_schema WHERE name = ?1", -1, &st, NULL) ==
          SQLITE_OK) {
    sqlite3_bind_text(st, 1, index, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) page = sqlite3_column_int(st, 0);
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return page;
}

static void test_verify_finds_damage(void) {
  jszb_engine* e = NULL;
  uint64_t events = 0, cases = 0, mismatches = 0;
  char* problems = NULL;
  long page;
  make_dir();
  make_store(40);
  page = page_of("cases_by_received");
  CHECK(page > 1);
  /* The last byte of the index's page: the rowid of its first entry. */
  CHECK(flip_byte(path, page * 4096 - 1) == 0);
  OK(jszb_engine_open_store(path, NULL, NULL, &e));
  if (e == NULL) return;
  OK(jszb_engine_verify(e, &events, &cases, &mismatches, &problems));
  CHECK(mismatches > 0);
  CHECK(problems != NULL && strstr(problems, "cases_by_received") != NULL);
  if (problems != NULL) fprintf(stderr, "verify found: %s\n", problems);
  jszb_free(problems);
  jszb_engine_close(e);
  e = NULL;
  remove_dir();
}

static void test_missing_table_is_corrupt(void) {
  jszb_engine* e = NULL;
  jszb_store_options ro = read_only();
  sqlite3* db = NULL;
  make_dir();
  make_store(2);
  CHECK(sqlite3_open(path, &db) == SQLITE_OK);
  CHECK(sqlite3_exec(db, "DROP TABLE requests", NULL, NULL, NULL) == SQLITE_OK);
  sqlite3_close(db);
  CHECK(jszb_engine_open_store(path, NULL, NULL, &e) == JSZB_E_CORRUPT);
  CHECK(strstr(jszb_error_last()->message, "table requests") != NULL);
  CHECK(jszb_engine_open_store(path, NULL, &ro, &e) == JSZB_E_CORRUPT);
  CHECK(e == NULL);
  remove_dir();
}

static void test_storage_errors_say_why(void) {
  jszb_engine* e = NULL;
  jszb_store_options ro = read_only();
  char missing[160];
  make_dir();
  snprintf(missing, sizeof missing, "%s/no/such/dir/store.jszb", dir);
  CHECK(jszb_engine_open_store(missing, NULL, NULL, &e) == JSZB_E_STORAGE);
  CHECK(strstr(jszb_error_last()->message, "No such file or directory") != NULL);
  CHECK(jszb_engine_open_store(path, NULL, &ro, &e) == JSZB_E_STORAGE);
  CHECK(strstr(jszb_error_last()->message, "No such file or directory") != NULL);
  CHECK(e == NULL);
  remove_dir();
}

static const struct test tests[] = {
    {"one_writer_whatever_the_name", test_one_writer_whatever_the_name},
    {"readers_and_writer_together", test_readers_and_writer_together},
    {"read_only_places", test_read_only_places},
    {"lost_wal_frames", test_lost_wal_frames},
    {"verify_finds_damage", test_verify_finds_damage},
    {"missing_table_is_corrupt", test_missing_table_is_corrupt},
    {"storage_errors_say_why", test_storage_errors_say_why},
};

int main(int argc, char** argv) {
  return run_tests(tests, sizeof tests / sizeof tests[0], argc, argv);
}
