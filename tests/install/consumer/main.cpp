// Uses the installed header-only C++ wrapper.
#include <jszb/jszb.hpp>

#include <iostream>

int main() {
  jszb::Engine engine;
  jszb::Request r;
  r.time = 1632009600000;
  r.channel_ref = "consumer-2";
  r.kind = jszb::Kind::kConsultation;
  r.category[0] = "公共服务";
  r.content = "社保卡怎么补办";
  jszb::CaseId id = engine.submit(r);
  engine.apply(jszb::Command::make(jszb::CommandKind::kAnswerOnSpot, id, r.time + 60000,
                                   jszb::operator_actor(), "已告知补办流程"));
  std::cout << "case " << id << " is " << jszb::name(engine.get(id).state()) << "\n";
  return engine.get(id).state() == jszb::State::kAnsweredOnSpot ? 0 : 1;
}
