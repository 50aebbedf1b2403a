/* What the C tests of store files share (C99 with POSIX): a scratch
   directory per test, and the request they submit, a night-time noise
   complaint in 和平街街道 at T0 with the citizen's name and phone. */
#ifndef JSZB_TESTS_C_STORE_FIXTURE_H
#define JSZB_TESTS_C_STORE_FIXTURE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "jszb/jszb.h"

#define STORE_T0 ((int64_t)1632009600000) /* 2021-09-19 08:00 +08:00 */

/* Makes /tmp/jszb-<name>-XXXXXX into dir (at least 64 bytes); exits 2 if it
   cannot, as a test that cannot start must not pass. */
static inline void scratch_dir_make(char* dir, size_t size, const char* name) {
  snprintf(dir, size, "/tmp/jszb-%s-XXXXXX", name);
  if (mkdtemp(dir) == NULL) {
    perror("mkdtemp");
    exit(2);
  }
  chmod(dir, 0755);
}

/* Removes dir and all in it, read-only files and folders included. */
static inline void scratch_dir_remove(const char* dir) {
  char cmd[200];
  chmod(dir, 0755);
  snprintf(cmd, sizeof cmd, "chmod -R u+w '%s'; rm -rf '%s'", dir, dir);
  if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
}

/* The complaint, received by phone at STORE_T0 from operator 1001. */
static inline jszb_intake noise_complaint(const char* ref) {
  jszb_intake in = JSZB_INTAKE_INIT;
  in.time_ms = STORE_T0;
  in.actor.role = JSZB_ROLE_OPERATOR;
  in.actor.staff = 1001;
  in.channel = JSZB_CHANNEL_PHONE;
  in.channel_ref = ref;
  in.kind = JSZB_KIND_COMPLAINT;
  in.category[0] = "城乡建设";
  in.content = "小区南侧工地夜间施工，噪音扰民";
  in.district = "朝阳区";
  in.street = "和平街街道";
  in.contact_name = "王女士";
  in.contact_phone = "13800000000";
  return in;
}

#endif /* JSZB_TESTS_C_STORE_FIXTURE_H */
