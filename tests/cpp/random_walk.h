// A random walk over the lifecycle for tests that compare what is counted:
// legal commands at random over many cases, with every visit outcome, redos,
// reopens, terminations, merges, appeals and the clock moving on so that
// deadlines breach, escalate and expire (Art. 23).
#ifndef JSZB_TESTS_CPP_RANDOM_WALK_H
#define JSZB_TESTS_CPP_RANDOM_WALK_H

#include <algorithm>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "fixture.h"
#include "lifecycle/lifecycle.h"

namespace jszb::testing {

// Legal commands at random over many cases, with every visit outcome and the
// clock moving on so that deadlines breach and escalate.
class Walk {
 public:
  explicit Walk(std::uint64_t seed) : rng_(seed) {}

  void run(Engine& e, int cases, int steps, bool batches = false) {
    static const char* streets[] = {"和平街街道", "望京街道", "酒仙桥街道"};
    static const char* cats[] = {"城乡建设", "交通管理", "市场监管"};
    static const char* subcats[] = {"噪音扰民", "停车管理", "无照经营"};
    for (int i = 0; i < cases; ++i) {
      TimeMs t = clock_ + static_cast<TimeMs>(rng_() % kHour);
      Intake in = request("counted", t);
      refs_.push_back("c-" + std::to_string(rng_()));
      in.channel_ref = refs_.back();
      in.location.street = streets[rng_() % 3];
      in.category[0] = cats[rng_() % 3];
      in.category[1] = subcats[rng_() % 3];
      in.channel = rng_() % 2 ? Channel::kPhone : Channel::kApp;
      absl::StatusOr<core::SubmitResult> r = e.submit(in);
      ASSERT_TRUE(r.ok()) << r.status();
      ids_.push_back(r->id);
      clock_ = std::max(clock_, t);
    }
    for (int s = 0; s < steps; ++s) {
      if (batches && s % 25 == 0) {
        if (e.in_batch()) {
          if (rng_() % 5 == 0) {
            e.rollback();  // what the batch counted must go with it
          } else {
            ASSERT_TRUE(e.commit().ok());
          }
        }
        ASSERT_TRUE(e.begin().ok());
      }
      if (s % 40 == 0) {
        clock_ += static_cast<TimeMs>(rng_() % (12 * kHour));
        ASSERT_TRUE(e.advance(clock_).ok());
      }
      CaseId id = ids_[rng_() % ids_.size()];
      absl::StatusOr<const core::Case*> c = e.fetch(id);
      ASSERT_TRUE(c.ok() && *c != nullptr);
      std::vector<CommandKind> legal;
      for (const core::TransitionRow& r : core::Lifecycle::rows()) {
        if (r.from == (*c)->state) legal.push_back(r.command);
      }
      if (legal.empty()) continue;
      CommandKind k = legal[rng_() % legal.size()];
      // Orders end early now and then (not dispatched, merged, terminated),
      // not most of the time.
      static const CommandKind ending[] = {CommandKind::kNotDispatch, CommandKind::kAnswerOnSpot,
                                           CommandKind::kMerge, CommandKind::kTerminate};
      if (std::find(std::begin(ending), std::end(ending), k) != std::end(ending) &&
          rng_() % 10 != 0) {
        continue;
      }
      // Mostly forward, so that many orders reach a visit (and some a second).
      static const CommandKind forward[] = {
          CommandKind::kDispatch, CommandKind::kSign, CommandKind::kReply, CommandKind::kVisit,
          CommandKind::kClose,    CommandKind::kRedo, CommandKind::kReopen};
      if (rng_() % 10 < 7) {
        for (CommandKind f : forward) {
          if (std::find(legal.begin(), legal.end(), f) != legal.end() && rng_() % 3 != 0) {
            k = f;
            break;
          }
        }
      }
      TimeMs t = std::max(clock_, (*c)->last_event) + static_cast<TimeMs>(rng_() % (40 * kMinute));
      Command cmd = good_command(k, **c, t, ids_.front() == id ? ids_.back() : ids_.front());
      if (k == CommandKind::kVisit) {
        cmd.payload.valid_visit = rng_() % 6 != 0;
        cmd.payload.contacted = cmd.payload.valid_visit && rng_() % 4 != 0;
        cmd.payload.solved = cmd.payload.valid_visit && rng_() % 2 == 0;
        cmd.payload.satisfaction = cmd.payload.valid_visit
                                       ? static_cast<Satisfaction>(1 + rng_() % 3)
                                       : Satisfaction::kUnspecified;
      }
      if (k == CommandKind::kDispatch && rng_() % 3 == 0) {
        cmd.payload.unit = kStreet2;  // more than one unit is scored
      }
      (void)e.apply(cmd);  // some are refused by guards: fine
    }
    // A month on: the orders left unanswered expire (Art. 23) and escalate.
    clock_ += 30 * kDay;
    ASSERT_TRUE(e.advance(clock_).ok());
    if (e.in_batch()) {
      ASSERT_TRUE(e.commit().ok());
    }
  }
  TimeMs clock() const { return clock_; }

 private:
  std::mt19937_64 rng_;
  std::vector<CaseId> ids_;
  std::vector<std::string> refs_;  // the intakes view them
  TimeMs clock_ = kT0 + 8 * kHour;
};

}  // namespace jszb::testing

#endif  // JSZB_TESTS_CPP_RANDOM_WALK_H
