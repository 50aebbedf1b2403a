// The lifecycle mix's commands, prepared once and reused for every case, for
// the benchmarks that link the engine (in memory and durable).
#ifndef JSZB_BENCH_MIX_COMMANDS_H
#define JSZB_BENCH_MIX_COMMANDS_H

#include "model/command.h"
#include "model/intake.h"

namespace jszb::bench {

using core::Command;

inline constexpr TimeMs kT0 = 1632009600000;
inline constexpr TimeMs kMinute = 60000;
inline constexpr UnitId kStreet = 110105007;
inline constexpr UnitId kStreet2 = 110105026;
inline constexpr UnitId kDistrict = 110105;
inline const UnitId kCopyTo[] = {kDistrict};

inline Actor dispatcher() { return {Role::kDispatcher, 0, 2001}; }
inline Actor op() { return {Role::kOperator, 0, 1001}; }
inline Actor unit(UnitId u) { return {Role::kUnit, u, 0}; }

// Prepared commands, reused for every case: the loop allocates nothing itself.
struct MixCommands {
  core::Intake intake;
  Command dispatch, request_return, approve_return, sign, request_extension, approve_extension,
      reply, visit_unsatisfied, redo, visit_satisfied, close;

  MixCommands() {
    intake.actor = op();
    intake.channel = Channel::kPhone;
    intake.kind = Kind::kComplaint;
    intake.category = {"城乡建设", "施工管理", "夜间施工扰民"};
    intake.urgency = Urgency::kNormal;
    intake.location.district = "朝阳区";
    intake.location.street = "和平街街道";
    intake.location.address = "和平东街12号院";
    intake.content = "小区南侧工地夜间施工，噪音扰民，希望尽快处理。";
    intake.contact.name = "王女士";
    intake.contact.phone = "13800000000";

    dispatch = make(CommandKind::kDispatch, dispatcher());
    dispatch.payload.unit = kStreet;
    dispatch.payload.copy_to = {kCopyTo, 1};
    request_return = make(CommandKind::kRequestReturn, unit(kStreet));
    request_return.payload.text = "不属于本街道管辖";
    approve_return = make(CommandKind::kApproveReturn, dispatcher());
    approve_return.payload.unit = kStreet2;
    approve_return.payload.copy_to = {kCopyTo, 1};
    sign = make(CommandKind::kSign, unit(kStreet));
    request_extension = make(CommandKind::kRequestExtension, unit(kStreet));
    request_extension.payload.text = "需协调产权单位";
    approve_extension = make(CommandKind::kApproveExtension, dispatcher());
    reply = make(CommandKind::kReply, unit(kStreet));
    reply.payload.contacted = true;
    reply.payload.solved = true;
    reply.payload.text = "已协调施工方调整作业时间，夜间不再施工";
    visit_unsatisfied = make(CommandKind::kVisit, op());
    visit_unsatisfied.payload.valid_visit = true;
    visit_unsatisfied.payload.contacted = true;
    visit_unsatisfied.payload.satisfaction = Satisfaction::kNotSatisfied;
    redo = make(CommandKind::kRedo, op());
    visit_satisfied = visit_unsatisfied;
    visit_satisfied.payload.solved = true;
    visit_satisfied.payload.satisfaction = Satisfaction::kSatisfied;
    close = make(CommandKind::kClose, op());
  }

  static Command make(CommandKind k, Actor a) {
    Command c;
    c.kind = k;
    c.actor = a;
    return c;
  }
};

}  // namespace jszb::bench

#endif  // JSZB_BENCH_MIX_COMMANDS_H
