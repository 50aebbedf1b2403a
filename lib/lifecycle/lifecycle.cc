// The lifecycle of a work order as one Boost.MSM transition table.
//
// A decision loads the case's state into the machine, fires the command as an
// MSM event and reads what the transition's action recorded. Guards say who may
// do what (role, ownership) and which lifecycle rules hold; a failing guard
// records why, so that a refusal can name its reason.

// MSM's table is an mpl::vector: more than 20 rows need the larger limits, set
// before any Boost header. MPL ships vectors up to 50; mpl_limits/ adds 60, 70 and 80,
// built the way MPL builds its own when preprocessed headers are off.
#define BOOST_MPL_CFG_NO_PREPROCESSED_HEADERS
#define BOOST_MPL_LIMIT_VECTOR_SIZE 80
#define BOOST_MPL_LIMIT_MAP_SIZE 50
#define BOOST_BIND_GLOBAL_PLACEHOLDERS

#include "lifecycle/lifecycle.h"

#include <array>
#include <boost/mpl/for_each.hpp>
#include <boost/mpl/vector.hpp>
#include <boost/msm/back/state_machine.hpp>
#include <boost/msm/front/functor_row.hpp>
#include <boost/msm/front/state_machine_def.hpp>
#include <cstddef>
#include <utility>

namespace jszb::core {

namespace {

namespace msmf = boost::msm::front;

// What guards read and where the action writes.
struct Context {
  const Case& c;
  const Command& cmd;
  const LifecycleRules& rules;
  const Facts& facts;
  Decision& decision;
};

// ---------------------------------------------------------------- states

template <State S>
struct Node : msmf::state<> {
  static constexpr State kState = S;
};
using Received = Node<State::kReceived>;
using AnsweredOnSpot = Node<State::kAnsweredOnSpot>;
using NotDispatched = Node<State::kNotDispatched>;
using Dispatched = Node<State::kDispatched>;
using ReturnRequested = Node<State::kReturnRequested>;
using Handling = Node<State::kHandling>;
using CoHandling = Node<State::kCoHandling>;
using ExtensionRequested = Node<State::kExtensionRequested>;
using Suspended = Node<State::kSuspended>;
using Replied = Node<State::kReplied>;
using Visited = Node<State::kVisited>;
using Terminated = Node<State::kTerminated>;
using Closed = Node<State::kClosed>;
using Merged = Node<State::kMerged>;
using Appealed = Node<State::kAppealed>;
using SuspensionRequested = Node<State::kSuspensionRequested>;
using LongTermPending = Node<State::kLongTermPending>;

// ------------------------------------------------------- events (commands)

template <CommandKind K>
struct On {
  static constexpr CommandKind kKind = K;
  Context* ctx;
};
using AnswerOnSpot = On<CommandKind::kAnswerOnSpot>;
using NotDispatch = On<CommandKind::kNotDispatch>;
using Dispatch = On<CommandKind::kDispatch>;
using RequestReturn = On<CommandKind::kRequestReturn>;
using ApproveReturn = On<CommandKind::kApproveReturn>;
using RefuseReturn = On<CommandKind::kRefuseReturn>;
using Sign = On<CommandKind::kSign>;
using ContactCitizen = On<CommandKind::kContactCitizen>;
using AddCoHandlers = On<CommandKind::kAddCoHandlers>;
using ReportToLead = On<CommandKind::kReportToLead>;
using RequestExtension = On<CommandKind::kRequestExtension>;
using ApproveExtension = On<CommandKind::kApproveExtension>;
using RefuseExtension = On<CommandKind::kRefuseExtension>;
using Suspend = On<CommandKind::kSuspend>;
using Resume = On<CommandKind::kResume>;
using Supervise = On<CommandKind::kSupervise>;
using Reply = On<CommandKind::kReply>;
using VisitCitizen = On<CommandKind::kVisit>;
using Redo = On<CommandKind::kRedo>;
using Terminate = On<CommandKind::kTerminate>;
using Close = On<CommandKind::kClose>;
using Reopen = On<CommandKind::kReopen>;
using Merge = On<CommandKind::kMerge>;
using AutoReturn = On<CommandKind::kAutoReturn>;
using Appeal = On<CommandKind::kAppeal>;
using UpholdAppeal = On<CommandKind::kUpholdAppeal>;
using RejectAppeal = On<CommandKind::kRejectAppeal>;
using RequestSuspension = On<CommandKind::kRequestSuspension>;
using ApproveSuspension = On<CommandKind::kApproveSuspension>;
using RefuseSuspension = On<CommandKind::kRefuseSuspension>;
using HoldLongTerm = On<CommandKind::kHoldLongTerm>;
using ForwardToCommunity = On<CommandKind::kForwardToCommunity>;
using CommunitySign = On<CommandKind::kCommunitySign>;
using CommunityReply = On<CommandKind::kCommunityReply>;

// ------------------------------------------------------------------ guards

// A guard is a named test; when it fails it records its refusal (branch guards,
// which only pick between two targets, record nothing).
template <class Derived>
struct Guard {
  template <class E, class F, class S, class T>
  bool operator()(const E& e, F&, S&, T&) const {
    if (Derived::test(*e.ctx)) return true;
    if (Derived::kWhy != Refusal::kNone) e.ctx->decision.refusal = Derived::kWhy;
    return false;
  }
};

bool is_centre(Role r) { return r == Role::kOperator || r == Role::kDispatcher; }
bool is_owner(const Context& x) {
  return x.cmd.actor.role == Role::kUnit && x.c.lead_unit != 0 && x.cmd.actor.unit == x.c.lead_unit;
}

struct ByCentre : Guard<ByCentre> {
  static constexpr const char* kName = "by_centre";
  static constexpr Refusal kWhy = Refusal::kNotCentre;
  static bool test(const Context& x) { return is_centre(x.cmd.actor.role); }
};
struct ByReviewer : Guard<ByReviewer> {
  static constexpr const char* kName = "by_reviewer";
  static constexpr Refusal kWhy = Refusal::kNotReviewer;
  static bool test(const Context& x) { return x.cmd.actor.role == Role::kDispatcher; }
};
// 督办: the centre, the system's escalation ladder, or the district government
// of the lead unit (a district supervises its own streets and departments).
struct BySupervisor : Guard<BySupervisor> {
  static constexpr const char* kName = "by_supervisor";
  static constexpr Refusal kWhy = Refusal::kNotSupervisor;
  static bool test(const Context& x) {
    const Actor& a = x.cmd.actor;
    return is_centre(a.role) || a.role == Role::kSystem ||
           (a.role == Role::kUnit && a.unit != 0 && a.unit == x.facts.lead_district);
  }
};
struct BySystem : Guard<BySystem> {
  static constexpr const char* kName = "by_system";
  static constexpr Refusal kWhy = Refusal::kNotSystem;
  static bool test(const Context& x) { return x.cmd.actor.role == Role::kSystem; }
};
struct ByOwner : Guard<ByOwner> {
  static constexpr const char* kName = "by_owner";
  static constexpr Refusal kWhy = Refusal::kNotOwner;
  static bool test(const Context& x) { return is_owner(x); }
};
struct ByOwnerOrCentre : Guard<ByOwnerOrCentre> {
  static constexpr const char* kName = "by_owner_or_centre";
  static constexpr Refusal kWhy = Refusal::kNotOwnerOrCentre;
  static bool test(const Context& x) { return is_owner(x) || is_centre(x.cmd.actor.role); }
};
struct ByPendingCoHandler : Guard<ByPendingCoHandler> {
  static constexpr const char* kName = "by_pending_co_handler";
  static constexpr Refusal kWhy = Refusal::kNotCoHandler;
  static bool test(const Context& x) {
    return x.cmd.actor.role == Role::kUnit && x.c.is_pending_co_handler(x.cmd.actor.unit);
  }
};
struct OwnerNotFixed : Guard<OwnerNotFixed> {
  static constexpr const char* kName = "owner_not_fixed";
  static constexpr Refusal kWhy = Refusal::kOwnerFixed;
  static bool test(const Context& x) { return !x.c.owner_fixed; }
};
struct ExtensionLeft : Guard<ExtensionLeft> {
  static constexpr const char* kName = "extension_left";
  static constexpr Refusal kWhy = Refusal::kExtensionLimit;
  static bool test(const Context& x) {
    std::uint32_t used =
        x.facts.extensions_per_dispatch ? x.c.dispatch_extension_count : x.c.extension_count;
    return used < x.rules.max_extensions;
  }
};
struct VisitCallsForRedo : Guard<VisitCallsForRedo> {
  static constexpr const char* kName = "visit_calls_for_redo";
  static constexpr Refusal kWhy = Refusal::kVisitSatisfied;
  static bool test(const Context& x) {
    const Visit& v = x.c.visit;
    bool content = v.satisfaction == Satisfaction::kSatisfied ||
                   v.satisfaction == Satisfaction::kBasicallySatisfied;
    return !(v.valid && v.solved && content);
  }
};
// 申诉: a unit the visit result is scored for (the lead then, or a co-handler).
struct ByCreditedUnit : Guard<ByCreditedUnit> {
  static constexpr const char* kName = "by_credited_unit";
  static constexpr Refusal kWhy = Refusal::kNotCredited;
  static bool test(const Context& x) {
    const Credit& k = x.c.credit;
    UnitId u = x.cmd.actor.unit;
    return x.cmd.actor.role == Role::kUnit && u != 0 && (u == k.lead || k.co_handlers.contains(u));
  }
};
// A valid visit result stands (in the rates) and has not been appealed yet.
struct VisitAppealable : Guard<VisitAppealable> {
  static constexpr const char* kName = "visit_appealable";
  static constexpr Refusal kWhy = Refusal::kNotAppealable;
  static bool test(const Context& x) {
    const Credit& k = x.c.credit;
    return k.time != 0 && k.visit.valid && !k.appealed && !k.overturned && !k.held_long_term;
  }
};
// Art. 23: the order's reply deadline (as extended) has passed, its clock
// running (a suspended order does not expire while it is paused).
bool reply_overdue(const Context& x) {
  const Deadline& reply = x.c.deadline(StepId::kReply);
  return reply.running() && x.c.suspended_since == 0 && x.cmd.time > reply.due;
}
struct ReplyOverdue : Guard<ReplyOverdue> {
  static constexpr const char* kName = "reply_overdue";
  static constexpr Refusal kWhy = Refusal::kNotOverdue;
  static bool test(const Context& x) { return reply_overdue(x); }
};
// 改派 after a redo: the order came back to its unit to be redone and has no
// new reply yet (the visit that sent it back is later than any reply).
struct InRedo : Guard<InRedo> {
  static constexpr const char* kName = "in_redo";
  static constexpr Refusal kWhy = Refusal::kNotInRedo;
  static bool test(const Context& x) {
    return x.c.redo_count > 0 && x.c.visited != 0 && x.c.replied <= x.c.visited;
  }
};
// The community level: the lead street forwards to a community under it (the
// policy says which street a community is under).
struct CommunityOfLead : Guard<CommunityOfLead> {
  static constexpr const char* kName = "community_of_lead";
  static constexpr Refusal kWhy = Refusal::kNotCommunityOfLead;
  static bool test(const Context& x) {
    return x.facts.community_street != 0 && x.facts.community_street == x.c.lead_unit;
  }
};
// The community the order was forwarded to, acting as itself.
struct ByCommunity : Guard<ByCommunity> {
  static constexpr const char* kName = "by_community";
  static constexpr Refusal kWhy = Refusal::kNotCommunity;
  static bool test(const Context& x) {
    return x.cmd.actor.role == Role::kUnit && x.c.community_unit != 0 &&
           x.cmd.actor.unit == x.c.community_unit;
  }
};
// Branch guards: which way a transition goes, not whether it may.
struct CoHandlersPending : Guard<CoHandlersPending> {
  static constexpr const char* kName = "co_handlers_pending";
  static constexpr Refusal kWhy = Refusal::kNone;
  static bool test(const Context& x) { return x.c.co_pending != 0; }
};
struct NoCoHandlersPending : Guard<NoCoHandlersPending> {
  static constexpr const char* kName = "no_co_handlers_pending";
  static constexpr Refusal kWhy = Refusal::kNone;
  static bool test(const Context& x) { return x.c.co_pending == 0; }
};
struct OthersStillPending : Guard<OthersStillPending> {
  static constexpr const char* kName = "others_still_pending";
  static constexpr Refusal kWhy = Refusal::kNone;
  static bool test(const Context& x) { return x.c.co_pending_count() > 1; }
};
struct LastToReport : Guard<LastToReport> {
  static constexpr const char* kName = "last_to_report";
  static constexpr Refusal kWhy = Refusal::kNone;
  static bool test(const Context& x) { return x.c.co_pending_count() == 1; }
};

// Both guards, the first checked first (so that "who" is refused before "what").
template <class A, class B>
struct And {
  template <class E, class F, class S, class T>
  bool operator()(const E& e, F& f, S& s, T& t) const {
    return A()(e, f, s, t) && B()(e, f, s, t);
  }
};

// ----------------------------------------------------------------- action

// The only action: record the accepted transition. What it does to the case is
// the event's business (projection.cc), so that replaying a log needs no machine.
struct Emit {
  template <class E, class F, class S, class T>
  void operator()(const E& e, F&, S&, T&) const {
    e.ctx->decision.accepted = true;
    e.ctx->decision.to = T::kState;
    e.ctx->decision.refusal = Refusal::kNone;
  }
};

// ------------------------------------------------------------------ table

template <class... Rows>
using Table = boost::mpl::vector<Rows...>;
template <class Source, class Command, class Target, class G>
using Row = msmf::Row<Source, Command, Target, Emit, G>;

struct LifecycleDef : msmf::state_machine_def<LifecycleDef> {
  // No event queue and no exception handling: a 32-byte machine, dispatch in ns.
  typedef int no_message_queue;
  typedef int no_exception_thrown;

  using initial_state = Received;

  // clang-format off
  struct transition_table : Table<
  //    Source              Command            Target              Guard
  Row < Received,           AnswerOnSpot,      AnsweredOnSpot,     ByCentre                                   >,
  Row < Received,           NotDispatch,       NotDispatched,      ByCentre                                   >,
  Row < Received,           Dispatch,          Dispatched,         ByCentre                                   >,
  Row < Received,           Merge,             Merged,             ByCentre                                   >,
  // 签收 or 退单
  Row < Dispatched,         Sign,              Handling,           And<ByOwner, NoCoHandlersPending>          >,
  Row < Dispatched,         Sign,              CoHandling,         And<ByOwner, CoHandlersPending>            >,
  Row < Dispatched,         RequestReturn,     ReturnRequested,    And<ByOwner, OwnerNotFixed>                >,
  Row < Dispatched,         Supervise,         Dispatched,         BySupervisor                               >,
  Row < Dispatched,         Merge,             Merged,             ByCentre                                   >,
  Row < Dispatched,         Terminate,         Terminated,         ByReviewer                                 >,
  Row < Dispatched,         AutoReturn,        Received,           BySystem                                   >,
  // the centre reviews a return: re-dispatch (改派) or send it back
  Row < ReturnRequested,    ApproveReturn,     Dispatched,         ByReviewer                                 >,
  Row < ReturnRequested,    RefuseReturn,      Dispatched,         ByReviewer                                 >,
  Row < ReturnRequested,    Supervise,         ReturnRequested,    BySupervisor                               >,
  // 办理
  Row < Handling,           ContactCitizen,    Handling,           ByOwner                                    >,
  Row < Handling,           AddCoHandlers,     CoHandling,         ByOwnerOrCentre                            >,
  Row < Handling,           RequestExtension,  ExtensionRequested, And<ByOwner, ExtensionLeft>                >,
  Row < Handling,           Suspend,           Suspended,          ByReviewer                                 >,
  Row < Handling,           Supervise,         Handling,           BySupervisor                               >,
  Row < Handling,           Reply,             Replied,            ByOwner                                    >,
  Row < Handling,           Terminate,         Terminated,         ByReviewer                                 >,
  Row < Handling,           VisitCitizen,      Visited,            And<ByCentre, ReplyOverdue>                >,
  Row < Handling,           Dispatch,          Dispatched,         And<ByCentre, InRedo>                      >,
  // 吹哨报到: co-handlers report back to the lead; the last report ends co-handling
  Row < CoHandling,         ReportToLead,      CoHandling,         And<ByPendingCoHandler, OthersStillPending>>,
  Row < CoHandling,         ReportToLead,      Handling,           And<ByPendingCoHandler, LastToReport>      >,
  Row < CoHandling,         ContactCitizen,    CoHandling,         ByOwner                                    >,
  // the lead need not wait: it replies, and a silent co-handler's clock runs on
  Row < CoHandling,         Reply,             Replied,            ByOwner                                    >,
  Row < CoHandling,         AddCoHandlers,     CoHandling,         ByOwnerOrCentre                            >,
  Row < CoHandling,         RequestExtension,  ExtensionRequested, And<ByOwner, ExtensionLeft>                >,
  Row < CoHandling,         Suspend,           Suspended,          ByReviewer                                 >,
  Row < CoHandling,         Supervise,         CoHandling,         BySupervisor                               >,
  Row < CoHandling,         Terminate,         Terminated,         ByReviewer                                 >,
  Row < CoHandling,         VisitCitizen,      Visited,            And<ByCentre, ReplyOverdue>                >,
  // 延期
  Row < ExtensionRequested, ApproveExtension,  Handling,           And<ByReviewer, NoCoHandlersPending>       >,
  Row < ExtensionRequested, ApproveExtension,  CoHandling,         And<ByReviewer, CoHandlersPending>         >,
  Row < ExtensionRequested, RefuseExtension,   Handling,           And<ByReviewer, NoCoHandlersPending>       >,
  Row < ExtensionRequested, RefuseExtension,   CoHandling,         And<ByReviewer, CoHandlersPending>         >,
  Row < ExtensionRequested, Supervise,         ExtensionRequested, BySupervisor                               >,
  Row < ExtensionRequested, VisitCitizen,      Visited,            And<ByCentre, ReplyOverdue>                >,
  // 挂起
  Row < Suspended,          Resume,            Handling,           And<ByOwnerOrCentre, NoCoHandlersPending>  >,
  Row < Suspended,          Resume,            CoHandling,         And<ByOwnerOrCentre, CoHandlersPending>    >,
  Row < Suspended,          Supervise,         Suspended,          BySupervisor                               >,
  Row < Suspended,          Terminate,         Terminated,         ByReviewer                                 >,
  // 挂起申请: the unit asks, the centre decides; the clock stops only from approval
  Row < Handling,           RequestSuspension, SuspensionRequested, ByOwner                                   >,
  Row < CoHandling,         RequestSuspension, SuspensionRequested, ByOwner                                   >,
  Row < SuspensionRequested, ApproveSuspension, Suspended,         ByReviewer                                 >,
  Row < SuspensionRequested, RefuseSuspension, Handling,           And<ByReviewer, NoCoHandlersPending>       >,
  Row < SuspensionRequested, RefuseSuspension, CoHandling,         And<ByReviewer, CoHandlersPending>         >,
  Row < SuspensionRequested, Supervise,        SuspensionRequested, BySupervisor                              >,
  Row < SuspensionRequested, Terminate,        Terminated,         ByReviewer                                 >,
  Row < SuspensionRequested, VisitCitizen,     Visited,            And<ByCentre, ReplyOverdue>                >,
  // 反馈 → 回访 → 办结 or 重办; Art. 23: the centre may also visit a signed order
  // once its reply deadline has passed without a reply (rows above, one per
  // handling state)
  Row < Replied,            VisitCitizen,      Visited,            ByCentre                                   >,
  Row < Replied,            Supervise,         Replied,            BySupervisor                               >,
  Row < Replied,            ReportToLead,      Replied,            ByPendingCoHandler                         >,
  Row < Visited,            Redo,              Handling,           And<ByCentre, VisitCallsForRedo>           >,
  Row < Visited,            Close,             Closed,             ByCentre                                   >,
  Row < Visited,            Supervise,         Visited,            BySupervisor                               >,
  Row < Visited,            Terminate,         Terminated,         ByReviewer                                 >,
  // a later call on the same matter
  Row < Closed,             Reopen,            Received,           ByCentre                                   >,
  Row < AnsweredOnSpot,     Reopen,            Received,           ByCentre                                   >,
  // 申诉: a scored unit disputes the visit result; the centre decides in time
  Row < Closed,             Appeal,            Appealed,           And<ByCreditedUnit, VisitAppealable>       >,
  Row < Appealed,           UpholdAppeal,      Closed,             ByReviewer                                 >,
  Row < Appealed,           RejectAppeal,      Closed,             ByReviewer                                 >,
  Row < Appealed,           Supervise,         Appealed,           BySupervisor                               >,
  // 挂账: explained to the citizen, not solvable now; reviewed by its date
  Row < Replied,            HoldLongTerm,      LongTermPending,    ByReviewer                                 >,
  Row < Visited,            HoldLongTerm,      LongTermPending,    ByReviewer                                 >,
  Row < LongTermPending,    Redo,              Handling,           ByCentre                                   >,
  Row < LongTermPending,    Close,             Closed,             ByCentre                                   >,
  Row < LongTermPending,    Supervise,         LongTermPending,    BySupervisor                               >,
  // the community level: the street forwards, the community signs and reports back
  Row < Handling,           ForwardToCommunity, Handling,          And<ByOwner, CommunityOfLead>              >,
  Row < CoHandling,         ForwardToCommunity, CoHandling,        And<ByOwner, CommunityOfLead>              >,
  Row < Handling,           CommunitySign,     Handling,           ByCommunity                                >,
  Row < CoHandling,         CommunitySign,     CoHandling,         ByCommunity                                >,
  Row < Handling,           CommunityReply,    Handling,           ByCommunity                                >,
  Row < CoHandling,         CommunityReply,    CoHandling,         ByCommunity                                >
  > {};
  // clang-format on

  // No row for this command in this state: the decision stays "refused" and the
  // caller reports Refusal::kState.
  template <class F, class E>
  void no_transition(const E&, F&, int) {}
};

using Msm = boost::msm::back::state_machine<LifecycleDef>;

// MSM numbers states by their order in the table; the case stores jszb's State.
// Both mappings are found once, by asking the machine where each state lives.
template <State S>
int msm_id_of(const Msm& m) {
  const auto* wanted = &m.get_state<const Node<S>&>();
  for (int id = 0; id < kStateCount; ++id) {
    if (m.get_state_by_id(id) == wanted) return id;
  }
  return -1;
}

template <std::size_t... I>
std::array<int, kStateCount + 1> make_id_table(const Msm& m, std::index_sequence<I...>) {
  return {-1, msm_id_of<static_cast<State>(I + 1)>(m)...};
}

template <CommandKind K>
void fire(Msm& m, Context* ctx) {
  m.process_event(On<K>{ctx});
}

using Fire = void (*)(Msm&, Context*);
template <std::size_t... I>
constexpr std::array<Fire, sizeof...(I)> make_fire_table(std::index_sequence<I...>) {
  return {&fire<static_cast<CommandKind>(kFirstCommand + I)>...};
}
constexpr auto kFire =
    make_fire_table(std::make_index_sequence<kLastCommand - kFirstCommand + 1>());

// ------------------------------------------------------------ introspection

template <class G>
std::string guard_name(const G*) {
  return G::kName;
}
template <class A, class B>
std::string guard_name(const And<A, B>*) {
  return guard_name(static_cast<const A*>(nullptr)) + " & " +
         guard_name(static_cast<const B*>(nullptr));
}

struct CollectRows {
  std::vector<TransitionRow>* out;
  template <class R>
  void operator()(const R&) const {
    out->push_back({R::Source::kState, R::Evt::kKind, R::Target::kState,
                    guard_name(static_cast<const typename R::Guard*>(nullptr))});
  }
};

}  // namespace

struct Lifecycle::Machine {
  Msm msm;
  std::array<int, kStateCount + 1> id_of_state{};

  Machine() {
    msm.start();
    id_of_state = make_id_table(msm, std::make_index_sequence<kStateCount>());
  }

  void enter(State s) {
    // MSM has no setter for the current state: the decision is about a case whose
    // state lives in the case, so write it into the (non-const) machine directly.
    const_cast<int*>(msm.current_state())[0] = id_of_state[static_cast<int>(s)];
  }
};

Lifecycle::Lifecycle(LifecycleRules rules) : rules_(rules), machine_(new Machine) {}
Lifecycle::~Lifecycle() = default;

Decision Lifecycle::decide(const Case& c, const Command& cmd, const Facts& facts) {
  Decision decision;
  int k = static_cast<int>(cmd.kind);
  int s = static_cast<int>(c.state);
  if (!is_command_number(k) || s < 1 || s > kStateCount) {
    decision.refusal = Refusal::kState;
    return decision;
  }
  Context ctx{c, cmd, rules_, facts, decision};
  machine_->enter(c.state);
  kFire[static_cast<std::size_t>(k - kFirstCommand)](machine_->msm, &ctx);
  if (!decision.accepted && decision.refusal == Refusal::kNone) decision.refusal = Refusal::kState;
  return decision;
}

std::vector<TransitionRow> Lifecycle::rows() {
  std::vector<TransitionRow> out;
  boost::mpl::for_each<LifecycleDef::transition_table>(CollectRows{&out});
  return out;
}

}  // namespace jszb::core
