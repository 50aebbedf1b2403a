// Catalogue: the dispatch catalogue (派单目录) compiled from a policy's rules.
// For a request it finds the highest-priority rule that matches and says what
// that rule decides; it can also explain, rule by rule, why each one did or did
// not apply. Two rules of equal priority that could both match one request are
// refused when the catalogue is built, so a decision never depends on order.
#ifndef JSZB_LIB_POLICY_CATALOGUE_H
#define JSZB_LIB_POLICY_CATALOGUE_H

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "jszb/types.hpp"
#include "model/intake.h"
#include "model/proto_schema.h"
#include "policy/diagnostics.h"

namespace jszb::core {

class Policy;

// Where a request lies, as units.
struct Area {
  UnitId district = 0;
  UnitId street = 0;
  std::string_view community;
  bool street_from_point = false;  // found from the request's point, not its names
};

// One rule's verdict on one request.
struct RuleVerdict {
  std::string rule_id;
  int priority = 0;
  bool matched = false;  // every condition holds
  bool chosen = false;   // the rule that decides
  std::string why;       // the first condition that failed, or what it decides
};

class Catalogue {
 public:
  // Compiles and checks the rules of `policy` (whose units are already loaded);
  // problems go to diag at their lines. nullopt if any.
  static std::optional<Catalogue> build(const Policy& policy, const Where& where,
                                        Diagnostics& diag);

  // The index of the deciding rule, or nullopt when no rule matches.
  std::optional<std::size_t> decide(const Intake& intake, const Area& area) const;
  // The rules considered for this request (those for its street or district,
  // and those for any area), highest priority first, each with its verdict.
  std::vector<RuleVerdict> explain(const Intake& intake, const Area& area) const;

  const v1::DispatchRule& rule(std::size_t i) const { return rules_[i].msg; }
  std::size_t size() const { return rules_.size(); }

 private:
  struct Rule {
    v1::DispatchRule msg;
    std::vector<Kind> kinds;
    std::vector<Channel> channels;
    std::vector<Urgency> urgencies;
    std::vector<UnitId> districts;  // sorted
    std::vector<UnitId> streets;    // sorted
  };
  // Building: a rule as loaded, where it is in the file, its index there.
  struct Placed {
    Rule rule;
    std::string place;
    int index = 0;
  };
  // What the rule decides, checked; its match read (problems go to diag).
  static void check_outcome(const Policy& policy, const v1::DispatchRule& r, const Where& at,
                            Diagnostics& diag);
  static Rule read_match(const Policy& policy, const v1::DispatchRule& r, const Where& match,
                         Diagnostics& diag);
  // Equal priorities must not overlap: some request would match both.
  static void check_overlaps(const Policy& policy, const std::vector<Placed>& loaded,
                             const Where& root, Diagnostics& diag);
  // Positions of the rules that can apply to a request in `area`, ascending.
  std::vector<std::uint32_t> candidates(const Area& area) const;
  // Whether rule r matches; if not and `why` is given, says which condition failed.
  bool matches(const Rule& r, const Intake& intake, const Area& area, std::string* why) const;

  std::vector<Rule> rules_;  // highest priority first; ties keep file order
  // Positions in rules_, ascending: rules naming a street, rules naming a
  // district (and no street), and the rest. A request is checked only against
  // its street's, its district's and the general rules.
  absl::flat_hash_map<UnitId, std::vector<std::uint32_t>> by_street_;
  absl::flat_hash_map<UnitId, std::vector<std::uint32_t>> by_district_;
  std::vector<std::uint32_t> general_;
};

}  // namespace jszb::core

#endif  // JSZB_LIB_POLICY_CATALOGUE_H
