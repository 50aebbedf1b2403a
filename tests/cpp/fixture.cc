#include "fixture.h"

namespace jszb::testing {

Intake request(std::string_view ref, TimeMs t) {
  Intake in;
  in.time = t;
  in.actor = op();
  in.channel = Channel::kPhone;
  in.kind = Kind::kComplaint;
  in.category = {"城乡建设", "施工管理", "夜间施工扰民"};
  in.urgency = Urgency::kNormal;
  in.location.district = "朝阳区";
  in.location.street = "和平街街道";
  in.location.community = "和平东街社区";
  in.location.address = "和平东街公交站旁";
  in.content = "小区南侧工地夜间施工，噪音扰民，希望尽快处理。";
  in.contact.name = "王女士";
  in.contact.phone = "13800000000";
  in.channel_ref = ref;
  return in;
}

CaseId submit(Engine& e, const std::string& ref, TimeMs t) {
  absl::StatusOr<core::SubmitResult> r = e.submit(request(ref, t));
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? r->id : 0;
}

namespace {
// The owning unit, or the street a case would go to when it has no owner yet.
Actor owner(const core::Case& c) { return unit(c.lead_unit != 0 ? c.lead_unit : kStreet); }
}  // namespace

Command good_command(CommandKind k, const core::Case& c, TimeMs t, CaseId merge_target) {
  Command cmd;
  cmd.kind = k;
  cmd.case_id = c.id;
  cmd.time = t;
  cmd.actor = centre();
  core::Payload& p = cmd.payload;
  static const UnitId kCopyDistrict[] = {kDistrict};
  static const UnitId kCoHandlers[] = {kDept, kDept2};
  static const UnitId kMoreCoHandlers[] = {kDept3};
  switch (k) {
    case CommandKind::kAnswerOnSpot:
      cmd.actor = op();
      p.text = "已告知办理流程";
      break;
    case CommandKind::kNotDispatch:
      p.reason = NotDispatchedReason::kLegalChannel;
      p.text = "已进入诉讼程序";
      break;
    case CommandKind::kDispatch:
      p.unit = kStreet;
      p.copy_to = {kCopyDistrict, 1};
      break;
    case CommandKind::kApproveReturn:
      p.unit = c.lead_unit == kStreet2 ? kStreet : kStreet2;
      p.copy_to = {kCopyDistrict, 1};
      break;
    case CommandKind::kRequestReturn:
      cmd.actor = owner(c);
      p.text = "不属于本街道管辖";
      break;
    case CommandKind::kSign:
    case CommandKind::kContactCitizen:
      cmd.actor = owner(c);
      break;
    case CommandKind::kAddCoHandlers:
      cmd.actor = owner(c);
      p.units = c.co_handlers.contains(kDept) ? core::UnitList(kMoreCoHandlers, 1)
                                              : core::UnitList(kCoHandlers, 2);
      break;
    case CommandKind::kReportToLead: {
      UnitId pending = 0;
      for (std::uint32_t i = 0; i < c.co_handlers.size; ++i) {
        if (c.co_pending >> i & 1u) {
          pending = c.co_handlers[i];
          break;
        }
      }
      cmd.actor = unit(pending != 0 ? pending : kDept);
      p.text = "已到场处置";
      break;
    }
    case CommandKind::kRequestExtension:
      cmd.actor = owner(c);
      p.until = t + 7 * kDay;
      p.text = "需协调产权单位";
      break;
    case CommandKind::kSuspend:
      p.text = "等待司法鉴定";
      break;
    case CommandKind::kResume:
      break;
    case CommandKind::kSupervise:
      p.level = SupervisionLevel::kDistrict;
      p.unit = kDistrict;
      break;
    case CommandKind::kReply:
      cmd.actor = owner(c);
      p.contacted = true;
      p.solved = true;
      p.text = "已协调施工方停止夜间施工";
      break;
    case CommandKind::kVisit:
      cmd.actor = op();
      p.valid_visit = true;
      p.contacted = true;
      p.solved = false;
      p.satisfaction = Satisfaction::kNotSatisfied;
      break;
    case CommandKind::kTerminate:
      p.text = "诉求人拒不配合";
      break;
    case CommandKind::kMerge:
      p.other_case = merge_target;
      break;
    case CommandKind::kAutoReturn:
      cmd.actor = sys();
      break;
    case CommandKind::kAppeal:
      cmd.actor = unit(c.credit.lead != 0 ? c.credit.lead : kStreet);
      p.text = "回访时诉求人已表示满意，结果录入有误";
      break;
    case CommandKind::kUpholdAppeal:
      p.text = "核实录音，回访结果有误";
      break;
    case CommandKind::kRejectAppeal:
      p.text = "录音显示诉求人不满意";
      break;
    case CommandKind::kRequestSuspension:
      cmd.actor = owner(c);
      p.text = "需司法鉴定";
      break;
    case CommandKind::kHoldLongTerm:
      p.until = t + 90 * kDay;
      p.text = "需纳入明年改造计划";
      break;
    case CommandKind::kForwardToCommunity:
      cmd.actor = owner(c);
      p.unit = kCommunity;
      p.text = "请社区入户核实";
      break;
    case CommandKind::kCommunitySign:
      cmd.actor = unit(c.community_unit != 0 ? c.community_unit : kCommunity);
      break;
    case CommandKind::kCommunityReply:
      cmd.actor = unit(c.community_unit != 0 ? c.community_unit : kCommunity);
      p.text = "已入户核实";
      break;
    default:  // approve/refuse extension, refuse return, redo, close, reopen: no payload
      break;
  }
  return cmd;
}

void must(Engine& e, const Command& cmd) {
  absl::Status s = e.apply(cmd);
  ASSERT_TRUE(s.ok()) << s;
}

TimeMs next_time(const Engine& e, CaseId id) {
  const core::Case* c = e.find(id);
  return c == nullptr ? kT0 : c->last_event + kMinute;
}

namespace {
// The case, from the store if a durable engine let it go (it was finished).
const core::Case* fetched(Engine& e, CaseId id) {
  absl::StatusOr<const core::Case*> c = e.fetch(id);
  return c.ok() ? *c : nullptr;
}

void step(Engine& e, CaseId id, CommandKind k, CaseId merge_target = 0) {
  const core::Case* c = fetched(e, id);
  ASSERT_NE(c, nullptr);
  must(e, good_command(k, *c, next_time(e, id), merge_target));
}
}  // namespace

CaseId case_in_state(Engine& e, State target, const std::string& ref) {
  CaseId id = submit(e, ref);
  using K = CommandKind;
  switch (target) {
    case State::kReceived:
      break;
    case State::kAnsweredOnSpot:
      step(e, id, K::kAnswerOnSpot);
      break;
    case State::kNotDispatched:
      step(e, id, K::kNotDispatch);
      break;
    case State::kMerged: {
      CaseId other = submit(e, ref + "-original");
      step(e, id, K::kMerge, other);
      break;
    }
    case State::kTerminated:
      step(e, id, K::kDispatch);
      step(e, id, K::kTerminate);
      break;
    default: {
      step(e, id, K::kDispatch);
      if (target == State::kDispatched) break;
      if (target == State::kReturnRequested) {
        step(e, id, K::kRequestReturn);
        break;
      }
      step(e, id, K::kSign);
      if (target == State::kHandling) break;
      if (target == State::kCoHandling) {
        step(e, id, K::kAddCoHandlers);
        break;
      }
      if (target == State::kExtensionRequested) {
        step(e, id, K::kRequestExtension);
        break;
      }
      if (target == State::kSuspended) {
        step(e, id, K::kSuspend);
        break;
      }
      if (target == State::kSuspensionRequested) {
        step(e, id, K::kRequestSuspension);
        break;
      }
      step(e, id, K::kReply);
      if (target == State::kReplied) break;
      if (target == State::kLongTermPending) {
        step(e, id, K::kHoldLongTerm);
        break;
      }
      step(e, id, K::kVisit);
      if (target == State::kVisited) break;
      step(e, id, K::kClose);
      if (target == State::kAppealed) step(e, id, K::kAppeal);
      break;
    }
  }
  const core::Case* c = fetched(e, id);
  EXPECT_TRUE(c != nullptr && c->state == target);
  return id;
}

Refusal refusal(const absl::Status& s) {
  auto info = core::refusal_of(s);
  return info ? info->refusal : Refusal::kNone;
}

}  // namespace jszb::testing
