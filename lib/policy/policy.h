// Policy: a loaded, checked jszb.v1.Policy. Units, the work calendar, street
// areas, the dispatch catalogue, deadline rules and the escalation ladder, as
// the engine uses them. Immutable once loaded; the engine keeps every version
// it has run cases under (a case keeps the version it was decided under).
#ifndef JSZB_LIB_POLICY_POLICY_H
#define JSZB_LIB_POLICY_POLICY_H

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "jszb/types.hpp"
#include "model/deadline.h"
#include "model/intake.h"
#include "model/proto_schema.h"
#include "policy/areas.h"
#include "policy/calendar.h"
#include "policy/catalogue.h"

namespace jszb::core {

using UnitClass = v1::UnitClass;
using Step = v1::Step;
inline constexpr int kStepCount = 10;  // STEP_DISPATCH .. STEP_LONG_TERM_REVIEW

struct UnitInfo {
  UnitId code = 0;
  std::string name;
  UnitClass unit_class = v1::UNIT_CLASS_UNSPECIFIED;
  UnitId district = 0;              // streets, district departments and communities
  UnitId street = 0;                // communities: the street they are under
  std::uint64_t national_code = 0;  // communities: their 12-digit national code
};

// How long a step may take: an amount of a time unit.
struct Limit {
  std::int64_t amount = 0;
  v1::TimeUnit unit = v1::TIME_UNIT_UNSPECIFIED;
  bool working() const {
    return unit == v1::TIME_UNIT_WORKING_HOURS || unit == v1::TIME_UNIT_WORKING_DAYS;
  }
};

struct LadderStep {
  Limit after_breach;  // amount 0: at the breach
  v1::EscalationAction action = v1::ESCALATION_ACTION_UNSPECIFIED;
};

// Escalation marks: the instants at which something happens about a running
// deadline. Per step, in order: a warning at each warn_at fraction of the
// allowed time, the breach at the deadline (with the ladder's action at 0, if
// any), then each later level of the ladder. A deadline's `fired` counts the
// marks already fired, so the next one is always marks(step)[fired].
enum class MarkKind : std::uint8_t { kWarning = 1, kBreach = 2, kLadder = 3 };

struct Mark {
  MarkKind kind = MarkKind::kWarning;
  double fraction = 0;  // warnings: of the allowed time
  Limit after;          // ladder levels: after the breach
  v1::EscalationAction action = v1::ESCALATION_ACTION_NOTIFY;
};

class Policy {
 public:
  // Reads a file that the policy names (calendar_file, areas_file).
  using FileReader = std::function<absl::StatusOr<std::string>(const std::string& name)>;

  // Parses and checks a policy; every problem is reported (file:line), and any
  // problem refuses the whole policy.
  static absl::StatusOr<std::shared_ptr<const Policy>> load(std::string_view file,
                                                            std::string_view text,
                                                            const FileReader& read);
  // From a file; the files it names are read from the same directory.
  static absl::StatusOr<std::shared_ptr<const Policy>> load_file(const std::string& path);
  // The policy that ships with jszb: Beijing practice (lib/data/), built in.
  static std::shared_ptr<const Policy> beijing();

  const std::string& name() const { return msg_.name(); }
  std::uint32_t version() const { return msg_.version(); }
  const v1::Policy& message() const { return msg_; }
  // Art. 23: what an expired order without reply or visit counts as.
  v1::ExpiryResult expiry_result() const {
    return msg_.expiry_result() == v1::EXPIRY_RESULT_UNSPECIFIED ? v1::EXPIRY_COUNTED_AS_FAILED
                                                                 : msg_.expiry_result();
  }
  // 延期: whether a redo renews the extension allowance.
  v1::ExtensionAllowance extension_allowance() const {
    return msg_.extension_allowance() == v1::EXTENSION_ALLOWANCE_UNSPECIFIED
               ? v1::EXTENSION_ALLOWANCE_PER_HANDLING_CYCLE
               : msg_.extension_allowance();
  }
  // 挂账: whether a listed order's result stays in the rates (default: out).
  v1::LongTermPending long_term_pending() const {
    return msg_.long_term_pending() == v1::LONG_TERM_PENDING_UNSPECIFIED
               ? v1::LONG_TERM_OUT_OF_RATES
               : msg_.long_term_pending();
  }
  // Everything the policy was loaded from (its text and the files it names):
  // two policies are the same policy when these are equal.
  const std::string& sources() const { return sources_; }
  // The same, as parts: the policy file's name and text, and each file it
  // names (name, text), so that a store can load the policy again.
  const std::string& file() const { return file_; }
  const std::string& text() const { return text_; }
  const std::vector<std::pair<std::string, std::string>>& named_files() const {
    return named_files_;
  }

  const UnitInfo* unit(UnitId code) const;
  const std::vector<UnitInfo>& units() const { return units_; }
  // A district by name (or alias, e.g. "朝阳" for 朝阳区); 0 if none.
  UnitId district_named(std::string_view name) const;
  // A street by name within a district (0: anywhere, if unambiguous); 0 if none.
  UnitId street_named(std::string_view name, UnitId district) const;

  const Calendar& calendar() const { return *calendar_; }
  const Areas* areas() const { return areas_ ? &*areas_ : nullptr; }
  const Catalogue& catalogue() const { return *catalogue_; }

  // Where a request lies: its district and street units, from the names it
  // gives or, failing a street name, from its point and the street areas.
  Area resolve_area(const Intake& intake) const;

  // The limit for a step of an order, from the highest-priority matching rule;
  // nullopt when no rule times this step for it.
  std::optional<Limit> limit(Step step, const Intake& intake, UnitClass lead_class) const;

  const std::vector<double>& warn_at() const { return warn_at_; }
  // The ladder for a step, in order of when it acts.
  const std::vector<LadderStep>& ladder(Step step) const { return ladder_[step]; }
  // The escalation marks of a step, in order.
  const std::vector<Mark>& marks(StepId step) const { return marks_[static_cast<int>(step)]; }

 private:
  Policy() = default;

  struct DeadlineRule {
    std::string id;
    int priority = 0;
    Step step = v1::STEP_UNSPECIFIED;
    v1::DeadlineMatch match;
    Limit limit;
  };

  v1::Policy msg_;
  std::string sources_;
  std::string file_;
  std::string text_;
  std::vector<std::pair<std::string, std::string>> named_files_;
  std::vector<UnitInfo> units_;
  absl::flat_hash_map<UnitId, std::size_t> unit_index_;
  absl::flat_hash_map<std::string, UnitId> districts_by_name_;
  // street name -> (district, street) for every street of that name; the
  // city-wide answer is the only one, if there is only one.
  absl::flat_hash_map<std::string, std::vector<std::pair<UnitId, UnitId>>> streets_by_name_;
  std::optional<Calendar> calendar_;
  std::optional<Areas> areas_;
  std::optional<Catalogue> catalogue_;
  std::vector<DeadlineRule> deadline_rules_[kStepCount + 1];  // per step, by priority
  std::vector<double> warn_at_;
  std::vector<LadderStep> ladder_[kStepCount + 1];
  std::vector<Mark> marks_[kStepCount + 1];

  friend class PolicyLoader;
};

// Whether a category path starts with a prefix (levels compared whole).
bool category_has_prefix(const std::array<std::string_view, 3>& path,
                         const v1::CategoryPath& prefix);

}  // namespace jszb::core

#endif  // JSZB_LIB_POLICY_POLICY_H
