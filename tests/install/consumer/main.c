/* Uses the installed C ABI: opens an engine and records one request. */
#include <jszb/jszb.h>
#include <stdio.h>

int main(void) {
  jszb_engine* e = NULL;
  jszb_intake in = JSZB_INTAKE_INIT;
  uint64_t id = 0;
  if (jszb_engine_open(NULL, &e) != JSZB_OK) return 1;
  in.time_ms = 1632009600000;
  in.actor.role = JSZB_ROLE_OPERATOR;
  in.channel = JSZB_CHANNEL_PHONE;
  in.channel_ref = "consumer-1";
  in.kind = JSZB_KIND_CONSULTATION;
  in.category[0] = "公共服务";
  in.content = "社保卡怎么补办";
  if (jszb_engine_submit(e, &in, &id, NULL) != JSZB_OK) {
    fprintf(stderr, "%s\n", jszb_error_last()->message);
    return 1;
  }
  printf("jszb %s: case %llu recorded\n", jszb_version(), (unsigned long long)id);
  jszb_engine_close(e);
  return id == 1 ? 0 : 1;
}
