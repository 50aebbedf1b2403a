#include "policy/policy.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>
#include <utility>

#include "absl/strings/str_format.h"
#include "base/embedded_files.h"
#include "policy/diagnostics.h"

namespace jszb::core {

namespace {

std::string step_name(Step s) { return v1::Step_Name(s); }

// Whether two lists, each "any" when empty, have a value in common.
template <class List>
bool lists_meet(const List& a, const List& b) {
  if (a.empty() || b.empty()) return true;
  for (const auto& x : a) {
    for (const auto& y : b) {
      if (x == y) return true;
    }
  }
  return false;
}

// Whether one category prefix extends the other (both can match one request).
bool prefixes_meet(const v1::CategoryPath& a, const v1::CategoryPath& b) {
  int n = std::min(a.levels_size(), b.levels_size());
  for (int i = 0; i < n; ++i) {
    if (a.levels(i) != b.levels(i)) return false;
  }
  return true;
}

bool categories_meet(const google::protobuf::RepeatedPtrField<v1::CategoryPath>& a,
                     const google::protobuf::RepeatedPtrField<v1::CategoryPath>& b) {
  if (a.empty() || b.empty()) return true;
  for (const auto& x : a) {
    for (const auto& y : b) {
      if (prefixes_meet(x, y)) return true;
    }
  }
  return false;
}

}  // namespace

bool category_has_prefix(const std::array<std::string_view, 3>& path,
                         const v1::CategoryPath& prefix) {
  if (prefix.levels_size() > 3) return false;
  for (int i = 0; i < prefix.levels_size(); ++i) {
    if (path[static_cast<std::size_t>(i)] != prefix.levels(i)) return false;
  }
  return true;
}

// Builds a Policy from its text, checking every part and collecting every
// problem before deciding.
class PolicyLoader {
 public:
  PolicyLoader(std::string_view file, std::string_view text, const Policy::FileReader& read)
      : file_(file), text_(text), read_(read) {}

  absl::StatusOr<std::shared_ptr<const Policy>> run() {
    auto policy = std::shared_ptr<Policy>(new Policy());
    p_ = policy.get();
    google::protobuf::TextFormat::ParseInfoTree tree;
    if (!parse_text(file_, text_, &p_->msg_, &tree, diag_)) return diag_.status("policy");
    p_->sources_.assign(text_);
    p_->file_.assign(file_);
    p_->text_.assign(text_);
    Where root(file_, &tree, v1::Policy::descriptor(), 1);
    const v1::Policy& m = p_->msg_;
    if (m.name().empty()) diag_.error(root, "name is missing: a policy needs a name");
    if (m.version() == 0) {
      diag_.error(root.at("version"), "version is 0 or missing: expected a number > 0");
    }
    if (!v1::ExpiryResult_IsValid(m.expiry_result())) {
      diag_.error(root.at("expiry_result"),
                  absl::StrFormat("expiry_result %d: expected EXPIRY_COUNTED_AS_FAILED, "
                                  "EXPIRY_NOT_COUNTED or EXPIRY_COUNTED_AS_NOT_SOLVED",
                                  static_cast<int>(m.expiry_result())));
    }
    if (!v1::ExtensionAllowance_IsValid(m.extension_allowance())) {
      diag_.error(root.at("extension_allowance"),
                  absl::StrFormat("extension_allowance %d: expected "
                                  "EXTENSION_ALLOWANCE_PER_HANDLING_CYCLE or "
                                  "EXTENSION_ALLOWANCE_PER_DISPATCH",
                                  static_cast<int>(m.extension_allowance())));
    }
    check_rate_weights(m, root);
    if (!v1::LongTermPending_IsValid(m.long_term_pending())) {
      diag_.error(root.at("long_term_pending"),
                  absl::StrFormat("long_term_pending %d: expected LONG_TERM_OUT_OF_RATES or "
                                  "LONG_TERM_IN_RATES",
                                  static_cast<int>(m.long_term_pending())));
    }
    load_units(root);
    load_calendar(root);
    load_areas(root);
    load_deadlines(root);
    load_escalation(root);
    build_marks();
    // Dispatch rules refer to units: check them against the units loaded, even
    // when other parts have problems, so that every problem is reported at once.
    p_->catalogue_ = Catalogue::build(*p_, root, diag_);
    if (!diag_.ok()) return diag_.status("policy");
    return std::shared_ptr<const Policy>(std::move(policy));
  }

 private:
  void load_units(const Where& root) {
    const v1::Policy& m = p_->msg_;
    for (int i = 0; i < m.units_size(); ++i) {
      const v1::Unit& u = m.units(i);
      Where at = root.at("units", i);
      if (u.code() == 0)
        diag_.error(at.at("code"), "units.code is 0 or missing: expected a unit code > 0");
      if (u.name().empty()) diag_.error(at.at("name"), "units.name is missing");
      if (!v1::UnitClass_IsValid(u.unit_class()) || u.unit_class() == v1::UNIT_CLASS_UNSPECIFIED) {
        diag_.error(at.at("unit_class"),
                    "units.unit_class is missing: expected DISTRICT, STREET, DEPARTMENT, "
                    "ENTERPRISE, CENTRE or COMMUNITY");
      }
      if (u.code() != 0 && !p_->unit_index_.emplace(u.code(), p_->units_.size()).second) {
        diag_.error(at.at("code"), absl::StrFormat("unit %d is listed twice", u.code()));
        continue;
      }
      p_->units_.push_back(
          {u.code(), u.name(), u.unit_class(), u.district(), u.street(), u.national_code()});
    }
    // Districts first, so that streets can be checked against them.
    for (int i = 0; i < m.units_size(); ++i) {
      const v1::Unit& u = m.units(i);
      if (u.unit_class() != v1::UNIT_CLASS_DISTRICT) continue;
      add_district_name(u.name(), u.code(), root.at("units", i));
      for (const std::string& alias : u.aliases())
        add_district_name(alias, u.code(), root.at("units", i));
    }
    for (int i = 0; i < m.units_size(); ++i) {
      const v1::Unit& u = m.units(i);
      Where at = root.at("units", i);
      bool needs_district = u.unit_class() == v1::UNIT_CLASS_STREET;
      if (u.district() != 0) {
        const UnitInfo* d = p_->unit(u.district());
        if (d == nullptr || d->unit_class != v1::UNIT_CLASS_DISTRICT) {
          diag_.error(at.at("district"),
                      absl::StrFormat("units.district %d is not a district unit of this policy",
                                      u.district()));
        }
      } else if (needs_district) {
        diag_.error(at.at("district"),
                    absl::StrFormat("street %d (%s) has no district", u.code(), u.name()));
      }
      if (u.unit_class() == v1::UNIT_CLASS_COMMUNITY) check_community(i, at);
      if (u.unit_class() != v1::UNIT_CLASS_COMMUNITY &&
          (u.street() != 0 || u.national_code() != 0)) {
        diag_.error(at.at("street"), absl::StrFormat("unit %d (%s) is not a community: it has no "
                                                     "street nor national_code",
                                                     u.code(), u.name()));
      }
      if (u.unit_class() != v1::UNIT_CLASS_STREET) continue;
      std::vector<std::string> names = {u.name()};
      names.insert(names.end(), u.aliases().begin(), u.aliases().end());
      for (const std::string& name : names) {
        auto& same_name = p_->streets_by_name_[name];
        for (const auto& [district, street] : same_name) {
          if (district == u.district() && street != u.code()) {
            diag_.error(at.at("name"), absl::StrFormat("street name \"%s\" is used twice in "
                                                       "district %d",
                                                       name, u.district()));
          }
        }
        same_name.emplace_back(u.district(), u.code());
      }
    }
  }

  // A community hangs under a street of this policy, in that street's
  // district, with a name of its own within the street.
  void check_community(int index, const Where& at) {
    const v1::Unit& u = p_->msg_.units(index);
    const UnitInfo* street = p_->unit(u.street());
    if (street == nullptr || street->unit_class != v1::UNIT_CLASS_STREET) {
      diag_.error(at.at("street"),
                  absl::StrFormat("community %d (%s): units.street %d is not a street unit of "
                                  "this policy",
                                  u.code(), u.name(), u.street()));
      return;
    }
    if (u.district() != 0 && u.district() != street->district) {
      diag_.error(at.at("district"),
                  absl::StrFormat("community %d (%s) is in district %d, but its street %d is in %d",
                                  u.code(), u.name(), u.district(), u.street(), street->district));
    }
    // Its district is its street's, given or not.
    if (auto it = p_->unit_index_.find(u.code()); it != p_->unit_index_.end()) {
      p_->units_[it->second].district = street->district;
    }
    if (!community_names_.emplace(u.street(), u.name()).second) {
      diag_.error(at.at("name"), absl::StrFormat("community name \"%s\" is used twice under "
                                                 "street %d",
                                                 u.name(), u.street()));
    }
  }

  void add_district_name(const std::string& name, UnitId code, const Where& at) {
    auto [it, added] = p_->districts_by_name_.emplace(name, code);
    if (!added && it->second != code) {
      diag_.error(
          at, absl::StrFormat("district name \"%s\" is used by %d and %d", name, it->second, code));
    }
  }

  void load_calendar(const Where& root) {
    const v1::Policy& m = p_->msg_;
    if (m.has_calendar() == !m.calendar_file().empty()) {
      diag_.error(root,
                  "a policy needs its calendar: give calendar { ... } or calendar_file, not both");
      return;
    }
    if (m.has_calendar()) {
      p_->calendar_ = Calendar::load(m.calendar(), root.at("calendar"), diag_);
      return;
    }
    absl::StatusOr<std::string> text = read_(m.calendar_file());
    if (!text.ok()) {
      diag_.error(root.at("calendar_file"),
                  absl::StrFormat("calendar_file \"%s\" cannot be read: %s", m.calendar_file(),
                                  std::string(text.status().message())));
      return;
    }
    p_->sources_ += "\n--- " + m.calendar_file() + "\n" + *text;
    p_->named_files_.emplace_back(m.calendar_file(), *text);
    p_->calendar_ = Calendar::load_text(m.calendar_file(), *text, diag_);
  }

  void load_areas(const Where& root) {
    const v1::Policy& m = p_->msg_;
    if (m.areas_file().empty()) return;
    absl::StatusOr<std::string> text = read_(m.areas_file());
    if (!text.ok()) {
      diag_.error(root.at("areas_file"),
                  absl::StrFormat("areas_file \"%s\" cannot be read: %s", m.areas_file(),
                                  std::string(text.status().message())));
      return;
    }
    p_->sources_ += "\n--- " + m.areas_file() + "\n" + *text;
    p_->named_files_.emplace_back(m.areas_file(), *text);
    p_->areas_ = Areas::load(m.areas_file(), *text, diag_);
    if (!p_->areas_) return;
    for (UnitId code : p_->areas_->codes()) {
      const UnitInfo* u = p_->unit(code);
      if (u == nullptr || u->unit_class != v1::UNIT_CLASS_STREET) {
        diag_.error(
            root.at("areas_file"),
            absl::StrFormat("%s has an area for %d, which is not a street unit of this policy",
                            m.areas_file(), code));
      }
    }
  }

  // The weights that make a unit's composite score: finite and >= 0.
  void check_rate_weights(const v1::Policy& m, const Where& root) {
    if (!m.has_rate_weights()) return;
    const v1::RateWeights& w = m.rate_weights();
    for (auto [v, name] :
         {std::pair{w.response(), "response"}, std::pair{w.resolution(), "resolution"},
          std::pair{w.satisfaction(), "satisfaction"}}) {
      if (!std::isfinite(v) || v < 0) {
        diag_.error(
            root.at("rate_weights"),
            absl::StrFormat("rate_weights.%s is %g: expected a finite number >= 0", name, v));
      }
    }
  }

  bool check_limit(const v1::Limit& limit, const Where& at, bool zero_ok) {
    bool ok = true;
    if (!v1::TimeUnit_IsValid(limit.unit()) || limit.unit() == v1::TIME_UNIT_UNSPECIFIED) {
      diag_.error(at.at("unit"),
                  absl::StrFormat("limit %d has no unit of time: expected MINUTES, HOURS, DAYS, "
                                  "WORKING_HOURS or WORKING_DAYS",
                                  limit.amount()));
      ok = false;
    }
    if (limit.amount() < 0 || (limit.amount() == 0 && !zero_ok)) {
      diag_.error(at.at("amount"),
                  absl::StrFormat("amount %d: expected a number > 0", limit.amount()));
      ok = false;
    }
    // At most 100 years in any unit: keeps deadline arithmetic far from overflow.
    constexpr std::int64_t kDays = 36525;
    const std::int64_t most =
        limit.unit() == v1::TIME_UNIT_MINUTES ? kDays * 24 * 60
        : limit.unit() == v1::TIME_UNIT_HOURS || limit.unit() == v1::TIME_UNIT_WORKING_HOURS
            ? kDays * 24
            : kDays;
    if (limit.amount() > most) {
      diag_.error(at.at("amount"),
                  absl::StrFormat("amount %d: more than 100 years (at most %d in this unit)",
                                  limit.amount(), most));
      ok = false;
    }
    return ok;
  }

  void check_units_exist(const google::protobuf::RepeatedField<std::uint32_t>& codes,
                         UnitClass wanted, const Where& at, const char* field) {
    for (int i = 0; i < codes.size(); ++i) {
      const UnitInfo* u = p_->unit(codes[i]);
      if (u == nullptr) {
        diag_.error(at.at(field, i), absl::StrFormat("%s: unknown unit %d", field, codes[i]));
      } else if (wanted != v1::UNIT_CLASS_UNSPECIFIED && u->unit_class != wanted) {
        diag_.error(
            at.at(field, i),
            absl::StrFormat("%s: unit %d (%s) is a %s, expected a %s", field, codes[i], u->name,
                            v1::UnitClass_Name(u->unit_class), v1::UnitClass_Name(wanted)));
      }
    }
  }

  void check_categories(const google::protobuf::RepeatedPtrField<v1::CategoryPath>& cats,
                        const Where& at) {
    for (int i = 0; i < cats.size(); ++i) {
      const v1::CategoryPath& c = cats[i];
      if (c.levels_size() == 0 || c.levels_size() > 3) {
        diag_.error(at.at("categories", i),
                    absl::StrFormat("categories: %d levels, expected 1 to 3", c.levels_size()));
      }
      for (const std::string& level : c.levels()) {
        if (level.empty()) diag_.error(at.at("categories", i), "categories: an empty level");
      }
    }
  }

  void load_deadlines(const Where& root) {
    const v1::Policy& m = p_->msg_;
    std::set<std::string> ids;
    std::vector<std::pair<int, Where>> where_of;  // per loaded rule
    for (int i = 0; i < m.deadline_rules_size(); ++i) {
      const v1::DeadlineRule& r = m.deadline_rules(i);
      Where at = root.at("deadline_rules", i);
      bool ok = true;
      if (r.id().empty()) {
        diag_.error(at, "deadline_rules.id is missing");
        ok = false;
      } else if (!ids.insert(r.id()).second) {
        diag_.error(at.at("id"), absl::StrFormat("deadline rule id \"%s\" is used twice", r.id()));
      }
      if (!v1::Step_IsValid(r.step()) || r.step() == v1::STEP_UNSPECIFIED) {
        diag_.error(at.at("step"), absl::StrFormat("deadline rule \"%s\" has no step: expected "
                                                   "DISPATCH, SIGN, FIRST_CONTACT, REPLY, "
                                                   "CO_HANDLER_REPORT, RETURN_VISIT, "
                                                   "APPEAL_REVIEW or SUPERVISION",
                                                   r.id()));
        ok = false;
      }
      if (!r.has_limit()) {
        diag_.error(at, absl::StrFormat("deadline rule \"%s\" has no limit", r.id()));
        ok = false;
      } else if (!check_limit(r.limit(), at.at("limit"), false)) {
        ok = false;
      }
      check_categories(r.match().categories(), at.at("match"));
      if (!ok) continue;
      Policy::DeadlineRule rule{r.id(), r.priority(), r.step(), r.match(),
                                Limit{r.limit().amount(), r.limit().unit()}};
      auto& list = p_->deadline_rules_[r.step()];
      for (std::size_t j = 0; j < list.size(); ++j) {
        const Policy::DeadlineRule& other = list[j];
        if (other.priority != rule.priority) continue;
        const v1::DeadlineMatch& a = other.match;
        const v1::DeadlineMatch& b = rule.match;
        if (lists_meet(a.kinds(), b.kinds()) && categories_meet(a.categories(), b.categories()) &&
            lists_meet(a.urgencies(), b.urgencies()) &&
            lists_meet(a.lead_classes(), b.lead_classes())) {
          diag_.error(at, absl::StrFormat("deadline rule \"%s\" overlaps \"%s\" (%s): both time "
                                          "step %s at priority %d and can match the same order; "
                                          "give one a higher priority or make them disjoint",
                                          rule.id, other.id, where_of_rule(other.id),
                                          step_name(rule.step), rule.priority));
        }
      }
      list.push_back(std::move(rule));
      rule_lines_[r.id()] = at.str();
    }
    for (auto& list : p_->deadline_rules_) {
      std::stable_sort(list.begin(), list.end(),
                       [](const auto& a, const auto& b) { return a.priority > b.priority; });
    }
    // Art. 13: every dispatched order carries a deadline.
    bool reply_for_all = false;
    for (const auto& r : p_->deadline_rules_[v1::STEP_REPLY]) {
      const v1::DeadlineMatch& mt = r.match;
      if (mt.kinds().empty() && mt.categories().empty() && mt.urgencies().empty() &&
          mt.lead_classes().empty()) {
        reply_for_all = true;
      }
    }
    if (!reply_for_all) {
      diag_.error(root,
                  "no deadline rule for step REPLY matches every order (Art. 13: every order "
                  "carries a deadline): add one with an empty match");
    }
  }

  std::string where_of_rule(const std::string& id) const {
    auto it = rule_lines_.find(id);
    return it == rule_lines_.end() ? "" : it->second;
  }

  void load_escalation(const Where& root) {
    const v1::Escalation& e = p_->msg_.escalation();
    Where at = root.at("escalation");
    double last = 0;
    for (int i = 0; i < e.warn_at_size(); ++i) {
      double f = e.warn_at(i);
      if (!(f > 0 && f < 1)) {
        diag_.error(at.at("warn_at", i),
                    absl::StrFormat("warn_at %g: expected a fraction between 0 and 1", f));
      } else if (f <= last) {
        diag_.error(at.at("warn_at", i),
                    absl::StrFormat("warn_at %g: expected ascending fractions", f));
      }
      last = f;
      p_->warn_at_.push_back(f);
    }
    for (int i = 0; i < e.ladder_size(); ++i) {
      const v1::EscalationLevel& l = e.ladder(i);
      Where li = at.at("ladder", i);
      if (!v1::Step_IsValid(l.step()) || l.step() == v1::STEP_UNSPECIFIED) {
        diag_.error(li.at("step"), "ladder.step is missing");
        continue;
      }
      if (!v1::EscalationAction_IsValid(l.action()) ||
          l.action() == v1::ESCALATION_ACTION_UNSPECIFIED) {
        diag_.error(li.at("action"),
                    "ladder.action is missing: expected NOTIFY, SUPERVISE_DISTRICT, "
                    "SUPERVISE_CITY or RETURN_TO_DISPATCHER");
        continue;
      }
      if (l.action() == v1::ESCALATION_ACTION_RETURN_TO_DISPATCHER && l.step() != v1::STEP_SIGN) {
        diag_.error(li.at("action"),
                    absl::StrFormat("RETURN_TO_DISPATCHER is for step SIGN (an order "
                                    "not signed for in time), not %s",
                                    step_name(l.step())));
        continue;
      }
      Limit after;
      if (l.has_after_breach()) {
        if (!check_limit(l.after_breach(), li.at("after_breach"), true)) continue;
        after = {l.after_breach().amount(), l.after_breach().unit()};
      }
      auto& ladder = p_->ladder_[l.step()];
      if (!ladder.empty()) {
        const Limit& prev = ladder.back().after_breach;
        bool comparable = prev.amount == 0 || after.amount == 0 || prev.unit == after.unit;
        if (!comparable || after.amount <= prev.amount) {
          diag_.error(li.at("after_breach"),
                      absl::StrFormat("the ladder for %s must be listed in order, later than the "
                                      "level before, in the same unit of time",
                                      step_name(l.step())));
          continue;
        }
      }
      ladder.push_back({after, l.action()});
    }
  }

  void build_marks() {
    for (int step = 1; step <= kStepCount; ++step) {
      std::vector<Mark>& out = p_->marks_[step];
      for (double f : p_->warn_at_)
        out.push_back({MarkKind::kWarning, f, {}, v1::ESCALATION_ACTION_NOTIFY});
      Mark breach{MarkKind::kBreach, 1.0, {}, v1::ESCALATION_ACTION_NOTIFY};
      const std::vector<LadderStep>& ladder = p_->ladder_[step];
      std::size_t i = 0;
      if (!ladder.empty() && ladder[0].after_breach.amount == 0) breach.action = ladder[i++].action;
      out.push_back(breach);
      for (; i < ladder.size(); ++i) {
        out.push_back({MarkKind::kLadder, 0, ladder[i].after_breach, ladder[i].action});
      }
    }
  }

  std::string file_;
  std::string_view text_;
  const Policy::FileReader& read_;
  Diagnostics diag_;
  std::set<std::pair<UnitId, std::string>> community_names_;  // (street, name)
  Policy* p_ = nullptr;
  absl::flat_hash_map<std::string, std::string> rule_lines_;
};

absl::StatusOr<std::shared_ptr<const Policy>> Policy::load(std::string_view file,
                                                           std::string_view text,
                                                           const FileReader& read) {
  return PolicyLoader(file, text, read).run();
}

namespace {
absl::StatusOr<std::string> read_whole_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrFormat("cannot open %s", path));
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}
}  // namespace

absl::StatusOr<std::shared_ptr<const Policy>> Policy::load_file(const std::string& path) {
  absl::StatusOr<std::string> text = read_whole_file(path);
  if (!text.ok()) return text.status();
  std::string dir = path.substr(0, path.find_last_of('/') + 1);
  return load(path, *text, [&dir](const std::string& name) {
    return read_whole_file(name.size() > 0 && name[0] == '/' ? name : dir + name);
  });
}

std::shared_ptr<const Policy> Policy::beijing() {
  static const std::shared_ptr<const Policy> policy = [] {
    auto read = [](const std::string& name) -> absl::StatusOr<std::string> {
      std::optional<std::string_view> data = embedded_file(name);
      if (!data) return absl::NotFoundError(absl::StrFormat("%s is not built in", name));
      return std::string(*data);
    };
    absl::StatusOr<std::shared_ptr<const Policy>> p =
        load("beijing-policy.textproto", *embedded_file("beijing-policy.textproto"), read);
    // The built-in policy is checked by the tests; failing here is a build defect.
    if (!p.ok()) std::abort();
    return *p;
  }();
  return policy;
}

const UnitInfo* Policy::unit(UnitId code) const {
  auto it = unit_index_.find(code);
  return it == unit_index_.end() ? nullptr : &units_[it->second];
}

UnitId Policy::district_named(std::string_view name) const {
  auto it = districts_by_name_.find(absl::string_view(name.data(), name.size()));
  return it == districts_by_name_.end() ? 0 : it->second;
}

UnitId Policy::street_named(std::string_view name, UnitId district) const {
  auto it = streets_by_name_.find(absl::string_view(name.data(), name.size()));
  if (it == streets_by_name_.end()) return 0;
  if (district == 0) return it->second.size() == 1 ? it->second[0].second : 0;
  for (const auto& [d, street] : it->second) {
    if (d == district) return street;
  }
  return 0;
}

Area Policy::resolve_area(const Intake& in) const {
  Area a;
  a.community = in.location.community;
  if (!in.location.district.empty()) a.district = district_named(in.location.district);
  if (!in.location.street.empty()) a.street = street_named(in.location.street, a.district);
  if (a.street == 0 && in.location.has_point && areas_) {
    UnitId s = areas_->street_at(in.location.lat, in.location.lon);
    // A point outside the named district does not override the name.
    const UnitInfo* u = unit(s);
    if (u != nullptr && (a.district == 0 || u->district == a.district)) {
      a.street = s;
      a.street_from_point = true;
    }
  }
  if (a.street != 0 && a.district == 0) a.district = unit(a.street)->district;
  return a;
}

std::optional<Limit> Policy::limit(Step step, const Intake& in, UnitClass lead_class) const {
  for (const DeadlineRule& r : deadline_rules_[step]) {
    const v1::DeadlineMatch& m = r.match;
    if (!m.kinds().empty() && std::find(m.kinds().begin(), m.kinds().end(),
                                        static_cast<int>(in.kind)) == m.kinds().end()) {
      continue;
    }
    if (!m.urgencies().empty() && std::find(m.urgencies().begin(), m.urgencies().end(),
                                            static_cast<int>(in.urgency)) == m.urgencies().end()) {
      continue;
    }
    if (!m.lead_classes().empty() && std::find(m.lead_classes().begin(), m.lead_classes().end(),
                                               lead_class) == m.lead_classes().end()) {
      continue;
    }
    if (!m.categories().empty() && std::none_of(m.categories().begin(), m.categories().end(),
                                                [&in](const v1::CategoryPath& p) {
                                                  return category_has_prefix(in.category, p);
                                                })) {
      continue;
    }
    return r.limit;
  }
  return std::nullopt;
}

}  // namespace jszb::core
