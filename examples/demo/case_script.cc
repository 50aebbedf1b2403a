// The script of one case: the commands that take a request from intake to its
// end, each at a realistic time after the one before. Workload::triage() and
// Workload::after_dispatch().
//
// Who handles an order is the engine's decision: triage() ends with a routed
// dispatch (the policy's dispatch catalogue decides), and after_dispatch() is
// written for the unit the engine chose, as read from the case. The clocks are
// the engine's too: the times below make most units sign within the policy's
// hour and reply in time, and some late (the engine then warns, returns the
// order to the centre, or has the district supervise it).
//
// Every script follows the lifecycle of jszb.h; if the engine refuses one of
// these commands, the script is wrong (the simulation stops and says so).
#include <algorithm>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "rng.h"
#include "workload.h"

namespace demo {

namespace {

using jszb::Actor;
using jszb::Command;
using jszb::CommandKind;
using jszb::Satisfaction;
using jszb::Urgency;

// Random streams per request (Rng::for_item): one per part of the script.
constexpr std::uint64_t kTriageStream = 2;
constexpr std::uint64_t kAfterDispatchStream = 100;  // + the dispatch cycle
constexpr std::uint64_t kRedispatchStream = 200;     // + the dispatch cycle
constexpr std::uint64_t kResumeStream = 300;         // + the dispatch cycle

// Builds a script: steps are added in time order; a step asked for earlier
// than the last one happens right after it instead. Each step records the lead
// unit the script expects at that point.
class Builder {
 public:
  explicit Builder(Ms t) : t_(t) {}

  Command& add(Command cmd) {
    t_ = std::max(t_, cmd.time);
    cmd.time = t_;
    Step step;
    step.command = std::move(cmd);
    step.lead = lead_;
    steps_.push_back(std::move(step));
    return steps_.back().command;
  }
  Command& add(CommandKind kind, Ms at, Actor actor, std::string text = {}) {
    return add(Command::make(kind, 0, at, actor, std::move(text)));
  }
  Step& last() { return steps_.back(); }
  Ms now() const { return t_; }
  void set_lead(UnitId lead) { lead_ = lead; }
  std::vector<Step> take() { return std::move(steps_); }

 private:
  Ms t_;
  UnitId lead_ = 0;
  std::vector<Step> steps_;
};

// Office work happens in office hours: a time outside [open, close) moves to
// the next opening, plus a little.
Ms in_hours(Ms t, Ms open, Ms close, Rng& rng) {
  Ms u = within_hours(t, open, close);
  return u == t ? t : u + rng.between(0, 90 * kMinute);
}
Ms office(Ms t, Rng& rng) { return in_hours(t, 8 * kHour + 30 * kMinute, 21 * kHour, rng); }
Ms visiting(Ms t, Rng& rng) { return in_hours(t, 9 * kHour, 20 * kHour + 30 * kMinute, rng); }

const char* not_dispatched_text(jszb::NotDispatchedReason r) {
  switch (r) {
    case jszb::NotDispatchedReason::kDuplicate:
      return "重复诉求且无新情况，已告知市民原工单办理进度";
    case jszb::NotDispatchedReason::kSecret:
      return "涉及个人隐私，不予派单";
    case jszb::NotDispatchedReason::kOutsideDuty:
      return "不属于本市行政机关职责范围，已向市民解释说明";
    case jszb::NotDispatchedReason::kUnlawful:
      return "诉求违反法律法规，已向市民解释说明";
    default:
      break;  // emergencies and legal channels: the catalogue says so
  }
  return "";
}

std::string month_day(Ms t) { return format_date(t).substr(5); }

// A unit the centre re-dispatches a returned order to (改派), after review.
UnitId redispatch_target(const Catalogue& cat, const Category& c, UnitId from, UnitId street,
                         Rng& rng) {
  UnitClass cls = cat.unit_class(from);
  if (cls == UnitClass::kStreet) {
    // A department's enforcement matter, or the address is another street's.
    if ((!c.co_handlers.empty() && rng.chance(500)) || cat.streets().size() < 2) {
      return c.co_handlers.empty() ? kChaoyang : c.co_handlers.front();
    }
    for (;;) {
      UnitId other = cat.streets()[rng.below(cat.streets().size())].code;
      if (other != from) return other;
    }
  }
  if (street != from) return street;  // a matter for the street (属地)
  return kChaoyang;
}

}  // namespace

std::vector<Step> Workload::triage(std::size_t i) const {
  const Arrival& a = arrivals_[i];
  Rng rng = Rng::for_item(seed_, kTriageStream, i);
  const Category& c = catalogue_->categories()[a.category];
  const bool by_phone =
      a.channel == jszb::Channel::kPhone || a.channel == jszb::Channel::kMergedHotline;
  const Actor op = centre_operator(a.operator_staff);  // who took the call
  const Actor dispatcher = centre_dispatcher(2001 + static_cast<std::uint32_t>(rng.below(16)));
  Builder b(a.time);

  // ---- triage (Art. 11). The centre works round the clock: the policy gives
  // it an hour to dispatch (10 minutes when extra-urgent).
  if (a.duplicate_of >= 0) {
    Command& cmd = b.add(CommandKind::kNotDispatch, a.time + rng.between(3, 20) * kMinute, op,
                         not_dispatched_text(jszb::NotDispatchedReason::kDuplicate));
    cmd.reason = jszb::NotDispatchedReason::kDuplicate;
    b.last().other_request = a.duplicate_of;
    return b.take();
  }
  if (a.planted == Planted::kNone && a.kind == jszb::Kind::kConsultation &&
      rng.chance(by_phone ? 900 : 600)) {
    static constexpr Span kOnlineAnswer[] = {{92, 10 * kMinute, 45 * kMinute},
                                             {8, 45 * kMinute, 3 * kHour}};
    Ms at = by_phone ? a.time + rng.between(2, 12) * kMinute : a.time + draw(rng, kOnlineAnswer);
    b.add(CommandKind::kAnswerOnSpot, at, op, "已按政策口径答复市民");
    return b.take();
  }
  if (a.planted == Planted::kNone && a.matter < 0 && !c.utility && rng.chance(25)) {
    // duplicate, secret, outside every unit's duty, unlawful
    static constexpr int kReasonWeights[] = {15, 3, 22, 10};
    auto reason = static_cast<jszb::NotDispatchedReason>(3 + rng.weighted(kReasonWeights));
    Command& cmd = b.add(CommandKind::kNotDispatch, a.time + rng.between(5, 40) * kMinute,
                         dispatcher, not_dispatched_text(reason));
    cmd.reason = reason;
    return b.take();
  }

  // ---- 派单: the engine routes it by the policy's dispatch catalogue
  static constexpr Span kDispatchDelay[] = {{75, 3 * kMinute, 20 * kMinute},
                                            {23, 20 * kMinute, 55 * kMinute},
                                            {2, 62 * kMinute, 150 * kMinute}};
  Ms at = a.urgency == Urgency::kExtraUrgent ? a.time + rng.between(1, 6) * kMinute
          : a.urgency == Urgency::kUrgent    ? a.time + rng.between(1, 10) * kMinute
                                             : a.time + draw(rng, kDispatchDelay);
  b.add(CommandKind::kDispatch, at, dispatcher);
  b.last().op = Step::Op::kDispatchRouted;
  return b.take();
}

std::vector<Step> Workload::after_dispatch(std::size_t i, const Dispatch& d) const {
  const Arrival& a = arrivals_[i];
  Rng rng = Rng::for_item(seed_, kAfterDispatchStream + static_cast<std::uint64_t>(d.cycle), i);
  const Catalogue& cat = *catalogue_;
  const Category& c = cat.categories()[a.category];
  const Leaf& leaf = c.leaves[a.leaf];
  const UnitId street = cat.streets()[a.street].code;
  const bool urgent = a.urgency != Urgency::kNormal;
  const bool extra_urgent = a.urgency == Urgency::kExtraUrgent;
  const bool first = d.cycle == 0;

  const Actor op = centre_operator(a.operator_staff);
  const Actor dispatcher = centre_dispatcher(2001 + static_cast<std::uint32_t>(rng.below(16)));
  const Actor visitor = centre_operator(3001 + static_cast<std::uint32_t>(rng.below(40)));
  Builder b(d.time);
  UnitId lead = d.lead;
  UnitClass lead_class = cat.unit_class(lead);
  b.set_lead(lead);
  std::vector<UnitId> pending = d.co_handlers;  // co-handlers still to report

  if (first && a.channel == jszb::Channel::kLeadersBoard) {  // 领导留言板: the district supervises
    Command& cmd = b.add(CommandKind::kSupervise, b.now() + rng.between(1, 10) * kMinute,
                         dispatcher, "人民网领导留言板留言，区级督办");
    cmd.level = jszb::SupervisionLevel::kDistrict;
    cmd.unit = kChaoyang;
  }

  // ---- 退单: the unit disputes the dispatch; the centre re-dispatches or refuses
  int return_pm = !first                                 ? 0
                  : lead_class == UnitClass::kStreet     ? 50
                  : lead_class == UnitClass::kDepartment ? 40
                                                         : 0;
  if (rng.chance(return_pm)) {
    UnitId target = redispatch_target(cat, c, lead, street, rng);
    std::string why;
    if (lead_class != UnitClass::kStreet) {
      why = "该诉求属于属地管理事项，应由" + cat.unit_name(target) + "办理";
    } else if (cat.unit_class(target) == UnitClass::kStreet) {
      why = "经核实，该地址不属于本街道辖区，请改派";
    } else {
      why = "该诉求涉及行政执法事项，应由" + cat.unit_name(target) + "办理";
    }
    b.add(CommandKind::kRequestReturn, b.now() + rng.between(10, 50) * kMinute, unit_actor(lead),
          why);
    Ms reviewed = b.now() + rng.between(20, 240) * kMinute;
    if (rng.chance(650)) {  // 改派
      std::vector<UnitId> copy;
      if (cat.unit_class(target) == UnitClass::kStreet) copy = {kChaoyang};
      Command cmd = Command::dispatch(0, reviewed, dispatcher, target, copy);
      cmd.kind = CommandKind::kApproveReturn;
      cmd.text = "经审核同意退单，改派" + cat.unit_name(target);
      b.add(std::move(cmd));
      lead = target;
      lead_class = cat.unit_class(lead);
      b.set_lead(lead);
      pending.clear();  // a re-dispatch names its own co-handlers (none here)
    } else {
      b.add(CommandKind::kRefuseReturn, reviewed, dispatcher,
            "经审核，该诉求属于贵单位职责范围，请按首接负责制办理");
    }
  }
  const Actor owner = unit_actor(lead);
  const bool enterprise = lead_class == UnitClass::kEnterprise;

  // ---- 签收: the policy gives an hour (15 minutes when extra-urgent); a few
  // units are late, and the engine sends their orders back to the centre.
  static constexpr Span kSignDelay[] = {{80, 2 * kMinute, 30 * kMinute},
                                        {16, 30 * kMinute, 58 * kMinute},
                                        {4, 62 * kMinute, 5 * kHour}};
  Ms sign_delay = !first         ? rng.between(3, 40) * kMinute  // a re-dispatch is signed promptly
                  : extra_urgent ? rng.between(1, 12) * kMinute
                  : enterprise || urgent ? rng.between(1, 20) * kMinute
                                         : draw(rng, kSignDelay);
  Ms signed_at = b.now() + sign_delay;
  b.add(CommandKind::kSign, signed_at, owner);

  // ---- 办理: contact the citizen (Art. 15): the policy gives 24 hours (2 when
  // urgent, 30 minutes when extra-urgent); some are late, some only reply.
  if (urgent) {
    if (rng.chance(950)) {
      Ms within = extra_urgent ? rng.between(3, 25) : rng.between(5, 100);
      b.add(CommandKind::kContactCitizen, b.now() + within * kMinute, owner,
            "已电话联系市民了解诉求");
    }
  } else if (rng.chance(960)) {
    Ms at = rng.chance(970) ? office(b.now() + rng.between(10, 240) * kMinute, rng)
                            : b.now() + rng.between(22 * 60, 40 * 60) * kMinute;
    b.add(CommandKind::kContactCitizen, at, owner, "已电话联系市民了解诉求");
  }

  // The community level: a street sends a share of its orders on to the
  // community (居委会/村委会) where the matter lies, which signs within minutes
  // and reports back to the street within hours; the street stays the lead.
  const std::vector<Community>& communities = cat.streets()[a.street].communities;
  if (lead_class == UnitClass::kStreet && lead == street && !communities.empty() &&
      rng.chance(300)) {
    // The community the request names, where it names one (the draw is made
    // either way, so the rest of the script does not change).
    const Community* named = community_of(i);
    const Community& drawn = communities[rng.below(communities.size())];
    const Community& m = named != nullptr ? *named : drawn;
    Command& cmd = b.add(CommandKind::kForwardToCommunity, b.now() + rng.between(5, 40) * kMinute,
                         owner, "请社区入户核实并协调解决");
    cmd.unit = m.code;
    b.add(CommandKind::kCommunitySign, b.now() + rng.between(2, 20) * kMinute, unit_actor(m.code));
    b.add(CommandKind::kCommunityReply, b.now() + rng.between(60, 8 * 60) * kMinute,
          unit_actor(m.code), m.name + "已入户核实，结果已报街道");
  }

  // 吹哨报到 (Art. 16): a street (or the coordinating district) calls departments in.
  bool can_whistle = pending.empty() && !c.co_handlers.empty() &&
                     (lead_class == UnitClass::kStreet || lead_class == UnitClass::kDistrict);
  int whistle_pm = lead_class == UnitClass::kDistrict ? 500 : 60;
  if (can_whistle && rng.chance(whistle_pm)) {
    std::vector<UnitId> units;
    std::vector<UnitId> options = c.co_handlers;
    rng.shuffle(options);
    std::size_t n = options.size() > 1 && rng.chance(300) ? 2 : 1;
    for (std::size_t k = 0; k < n; ++k) units.push_back(options[k]);
    std::string text = lead_class == UnitClass::kStreet ? "街乡吹哨：请" : "区级协调：请";
    for (std::size_t k = 0; k < units.size(); ++k) {
      text += (k ? "、" : "") + cat.unit_name(units[k]);
    }
    text += "到场联合处置";
    Command& cmd = b.add(CommandKind::kAddCoHandlers,
                         office(b.now() + rng.between(60, 24 * 60) * kMinute, rng), owner, text);
    cmd.units = units;
    pending.insert(pending.end(), units.begin(), units.end());
  }

  // 延期: complex matters ask for more time; the centre mostly agrees.
  bool extended = false;
  bool complex = std::string(leaf.level3) == "退费难" || std::string(leaf.level3) == "拖欠工资" ||
                 std::string(leaf.level3) == "违法建设" || std::string(leaf.level3) == "房产证办理";
  if (!enterprise && !urgent && rng.chance(complex ? 150 : 40)) {
    Ms until = d.time + (std::string(leaf.level3) == "房产证办理" ? 30 : 15) * kDay;
    Ms asked = office(b.now() + rng.between(24 * 60, 4 * 24 * 60) * kMinute, rng);
    if (until > asked + kDay) {
      b.add(Command::request_extension(0, asked, owner, until,
                                       "问题复杂，需多部门协调，申请延期至" + month_day(until)));
      Ms decided = office(b.now() + rng.between(60, 8 * 60) * kMinute, rng);
      if (rng.chance(850)) {
        b.add(CommandKind::kApproveExtension, decided, dispatcher, "同意延期");
        extended = true;
      } else {
        b.add(CommandKind::kRefuseExtension, decided, dispatcher, "延期理由不充分，请按时办结");
      }
    }
  }

  // The co-handlers report back, one by one (the policy: 3 working days).
  for (UnitId u : pending) {
    b.add(CommandKind::kReportToLead,
          office(b.now() + rng.between(4 * 60, 3 * 24 * 60) * kMinute, rng), unit_actor(u),
          cat.unit_name(u) + "已到场处置，结果已报牵头单位");
  }

  // 挂起 (rare): waiting for something outside the unit's hands.
  if (!enterprise && rng.chance(5)) {
    b.add(CommandKind::kSuspend, office(b.now() + rng.between(24 * 60, 48 * 60) * kMinute, rng),
          dispatcher, "需等待产权单位提供材料，暂时挂起");
    b.add(CommandKind::kResume, office(b.now() + rng.between(24 * 60, 72 * 60) * kMinute, rng),
          owner, "材料已补齐，恢复办理");
  }
  // 终止 (rare): the citizen will not cooperate.
  if (!enterprise && rng.chance(3)) {
    b.add(CommandKind::kTerminate, office(b.now() + rng.between(24 * 60, 72 * 60) * kMinute, rng),
          dispatcher, "市民拒绝配合核实，经审核终止办理");
    return b.take();
  }

  // ---- 反馈: the reply. The policy gives 7 days (15 for complex categories,
  // 24 hours for the utilities, 2 hours when extra-urgent); some are late, and
  // the district supervises them a working day after the deadline.
  // Per thousand: a few replies are very late, long enough for the city level
  // of the ladder (6 working days after the deadline; see --days 30).
  static constexpr Span kReplyDelay[] = {{350, 2 * kHour, kDay},
                                         {350, kDay, 3 * kDay},
                                         {220, 3 * kDay, 6 * kDay},
                                         {72, 6 * kDay, 7 * kDay},
                                         {8, 16 * kDay, 24 * kDay}};
  static constexpr Span kUtilityReply[] = {{880, kHour, 20 * kHour},
                                           {70, 25 * kHour, 48 * kHour},
                                           {40, 3 * kDay, 6 * kDay},
                                           {10, 10 * kDay, 16 * kDay}};
  static constexpr Span kExtraUrgentReply[] = {{85, 40 * kMinute, 110 * kMinute},
                                               {15, 150 * kMinute, 6 * kHour}};
  Ms reply_at;
  if (extra_urgent) {
    reply_at = d.time + draw(rng, kExtraUrgentReply);
  } else if (enterprise) {
    reply_at = d.time + draw(rng, kUtilityReply);  // round the clock
  } else if (urgent) {
    reply_at = b.now() + rng.between(60, 6 * 60) * kMinute;
  } else if (extended) {
    reply_at = office(b.now() + rng.between(5 * 24 * 60, 12 * 24 * 60) * kMinute, rng);
  } else {
    reply_at = office(signed_at + draw(rng, kReplyDelay), rng);
  }
  if (reply_at < b.now() + 10 * kMinute) {  // after co-handling or an extension: a little later
    reply_at = enterprise || urgent ? b.now() + rng.between(10, 120) * kMinute
                                    : office(b.now() + rng.between(60, 24 * 60) * kMinute, rng);
  }
  std::string what = leaf.level3;
  bool solved = rng.chance(leaf.solved_pm);
  auto reply = [&](Ms at, bool is_solved) {
    bool contacted = rng.chance(970);
    std::string text = is_solved ? "已联系市民，" + what + "问题已解决"
                                 : "已向市民说明情况，" + what + "问题涉及多方，正在协调";
    if (!contacted) text = "未能联系到市民，已现场核实，" + what + "问题已处理";
    b.add(Command::reply(0, at, owner, contacted, is_solved, text));
  };
  reply(reply_at, solved);

  // ---- 回访 → 办结, or 重办 and round again (the policy: 3 working days to visit)
  static constexpr Span kVisitDelay[] = {{60, 2 * kHour, kDay}, {40, kDay, 3 * kDay}};
  for (int round = 0;; ++round) {
    Ms at = visiting(b.now() + draw(rng, kVisitDelay), rng);
    bool valid = rng.chance(940);
    bool visit_solved = false;
    Satisfaction s = Satisfaction::kUnspecified;
    if (valid) {
      visit_solved = solved ? rng.chance(970) : rng.chance(150);
      // satisfied, basically satisfied, not satisfied
      static constexpr int kIfSolved[] = {90, 8, 2};
      static constexpr int kIfNot[] = {20, 35, 45};
      s = static_cast<Satisfaction>(
          1 + (visit_solved ? rng.weighted(kIfSolved) : rng.weighted(kIfNot)));
      static constexpr int kMethods[] = {85, 10, 5};
      bool contacted = rng.chance(975);
      Command& cmd = b.add(Command::visit(0, at, visitor, contacted, visit_solved, s));
      cmd.visit_method = static_cast<jszb::VisitMethod>(1 + rng.weighted(kMethods));
    } else {
      Command& cmd = b.add(CommandKind::kVisit, at, visitor, "多次联系市民未接通，无有效回访");
      cmd.valid_visit = false;
    }
    bool content = s == Satisfaction::kSatisfied || s == Satisfaction::kBasicallySatisfied;
    bool calls_for_redo = !(valid && visit_solved && content);
    if (valid && calls_for_redo && round < 2 && rng.chance(round == 0 ? 650 : 300)) {
      b.add(CommandKind::kRedo, b.now() + rng.between(10, 180) * kMinute, dispatcher,
            visit_solved ? "回访市民不满意，退回重办" : "回访问题未解决，退回重办");
      static constexpr Span kRedoDelay[] = {{50, 4 * kHour, kDay}, {50, kDay, 4 * kDay}};
      solved = rng.chance(std::max(leaf.solved_pm, 700));
      Ms redo_reply = enterprise ? b.now() + rng.between(2 * 60, 20 * 60) * kMinute
                                 : office(b.now() + draw(rng, kRedoDelay), rng);
      reply(redo_reply, solved);
      continue;
    }
    b.add(CommandKind::kClose, b.now() + rng.between(5, 120) * kMinute, op,
          calls_for_redo ? "已向市民做好解释说明，予以办结" : "");
    break;
  }
  return b.take();
}

Ms Workload::centre_reaction(std::size_t i, int cycle) const {
  Rng rng = Rng::for_item(seed_, kRedispatchStream + static_cast<std::uint64_t>(cycle), i);
  return rng.between(3, 25) * kMinute;
}

Ms Workload::resume_delay(std::size_t i, int cycle, bool by_unit) const {
  Rng rng = Rng::for_item(seed_, kResumeStream + static_cast<std::uint64_t>(cycle), i);
  return (by_unit ? rng.between(3, 40) : rng.between(1, 10)) * kMinute;
}

}  // namespace demo
