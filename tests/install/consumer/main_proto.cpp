// A consumer that uses the public jszb.v1 schema itself (compiled here with
// the system's protobuf) and reads the case bytes libjszb produces.
#include <jszb/jszb.h>

#include <iostream>

#include "jszb/v1/case.pb.h"

int main() {
  jszb_engine* e = nullptr;
  jszb_policy* p = nullptr;
  if (jszb_engine_open(nullptr, &e) != JSZB_OK || jszb_policy_default(&p) != JSZB_OK ||
      jszb_engine_set_policy(e, p) != JSZB_OK) {
    std::cerr << jszb_error_last()->message << "\n";
    return 1;
  }
  jszb_intake in = JSZB_INTAKE_INIT;
  in.time_ms = 1632009600000;
  in.actor.role = JSZB_ROLE_OPERATOR;
  in.channel = JSZB_CHANNEL_PHONE;
  in.channel_ref = "consumer-proto";
  in.kind = JSZB_KIND_COMPLAINT;
  in.category[0] = "城乡建设";
  in.district = "朝阳区";
  in.street = "和平街街道";
  in.content = "工地夜间施工扰民";
  uint64_t id = 0;
  jszb_actor dispatcher = {JSZB_ROLE_DISPATCHER, 0, 0};
  if (jszb_engine_submit(e, &in, &id, nullptr) != JSZB_OK ||
      jszb_engine_dispatch_routed(e, id, in.time_ms + 60000, dispatcher) != JSZB_OK) {
    std::cerr << jszb_error_last()->message << "\n";
    return 1;
  }
  jszb_case* c = nullptr;
  void* bytes = nullptr;
  size_t size = 0;
  if (jszb_engine_get_case(e, id, &c) != JSZB_OK || jszb_case_to_proto(c, &bytes, &size) != JSZB_OK) {
    return 1;
  }
  jszb::v1::Case msg;
  bool parsed = msg.ParseFromArray(bytes, static_cast<int>(size));
  jszb_free(bytes);
  jszb_case_free(c);
  jszb_policy_free(p);
  jszb_engine_close(e);
  std::cout << "parsed " << parsed << ": case " << msg.id() << " " << jszb::v1::State_Name(msg.state())
            << " lead " << msg.lead_unit() << " rule " << msg.events(1).payload().rule() << "\n";
  return parsed && msg.state() == jszb::v1::STATE_DISPATCHED && msg.lead_unit() == 110105007 &&
                 msg.events(1).payload().rule() == "street-first"
             ? 0
             : 1;
}
