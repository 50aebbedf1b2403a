#include "policy/catalogue.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "model/names.h"
#include "policy/policy.h"

namespace jszb::core {

namespace {

template <class List>
bool lists_meet(const List& a, const List& b) {
  if (a.empty() || b.empty()) return true;
  for (const auto& x : a) {
    if (std::find(b.begin(), b.end(), x) != b.end()) return true;
  }
  return false;
}

bool categories_meet(const google::protobuf::RepeatedPtrField<v1::CategoryPath>& a,
                     const google::protobuf::RepeatedPtrField<v1::CategoryPath>& b) {
  if (a.empty() || b.empty()) return true;
  for (const auto& x : a) {
    for (const auto& y : b) {
      int n = std::min(x.levels_size(), y.levels_size());
      bool meet = true;
      for (int i = 0; i < n && meet; ++i) meet = x.levels(i) == y.levels(i);
      if (meet) return true;
    }
  }
  return false;
}

std::string path_text(const v1::CategoryPath& p) { return absl::StrJoin(p.levels(), "/"); }

std::string request_path(const Intake& in) {
  std::vector<std::string> levels;
  for (std::string_view l : in.category) {
    if (!l.empty()) levels.emplace_back(l);
  }
  return absl::StrJoin(levels, "/");
}

template <class E>
std::string names_of(const std::vector<E>& values) {
  std::vector<std::string> out;
  for (E v : values) out.emplace_back(name(v));
  return absl::StrJoin(out, ", ");
}

void merge_into(std::vector<std::uint32_t>& out, const std::vector<std::uint32_t>* list) {
  if (list != nullptr) out.insert(out.end(), list->begin(), list->end());
}

// Whether `code` names a unit of the policy, of class `wanted` if one is given.
bool check_unit(const Policy& policy, Diagnostics& diag, UnitId code, UnitClass wanted,
                const Where& at, const char* what) {
  const UnitInfo* u = policy.unit(code);
  if (u == nullptr) {
    diag.error(at, absl::StrFormat("%s: unknown unit %d", what, code));
    return false;
  }
  if (wanted != v1::UNIT_CLASS_UNSPECIFIED && u->unit_class != wanted) {
    diag.error(at, absl::StrFormat("%s: unit %d (%s) is a %s, expected a %s", what, code, u->name,
                                   v1::UnitClass_Name(u->unit_class), v1::UnitClass_Name(wanted)));
    return false;
  }
  return true;
}

}  // namespace

std::optional<Catalogue> Catalogue::build(const Policy& policy, const Where& root,
                                          Diagnostics& diag) {
  Catalogue cat;
  const v1::Policy& m = policy.message();
  std::size_t errors_before = diag.errors().size();
  std::set<std::string> ids;
  std::vector<Placed> loaded;
  for (int i = 0; i < m.dispatch_rules_size(); ++i) {
    const v1::DispatchRule& r = m.dispatch_rules(i);
    std::size_t errors_here = diag.errors().size();
    Where at = root.at("dispatch_rules", i);
    if (r.id().empty()) {
      diag.error(at, "dispatch_rules.id is missing");
    } else if (!ids.insert(r.id()).second) {
      diag.error(at.at("id"), absl::StrFormat("dispatch rule id \"%s\" is used twice", r.id()));
    }
    check_outcome(policy, r, at, diag);
    Rule rule = read_match(policy, r, at.at("match"), diag);
    // A rule with problems of its own is left out of the overlap check (its
    // units may not exist), so that the other rules' problems still show.
    if (diag.errors().size() != errors_here) continue;
    loaded.push_back(Placed{std::move(rule), at.str(), i});
  }
  check_overlaps(policy, loaded, root, diag);
  if (diag.errors().size() != errors_before) return std::nullopt;

  std::stable_sort(loaded.begin(), loaded.end(), [](const Placed& x, const Placed& y) {
    return x.rule.msg.priority() > y.rule.msg.priority();
  });
  for (Placed& placed : loaded) {
    Rule& rule = placed.rule;
    auto pos = static_cast<std::uint32_t>(cat.rules_.size());
    if (!rule.streets.empty()) {
      for (UnitId s : rule.streets) cat.by_street_[s].push_back(pos);
    } else if (!rule.districts.empty()) {
      for (UnitId d : rule.districts) cat.by_district_[d].push_back(pos);
    } else {
      cat.general_.push_back(pos);
    }
    cat.rules_.push_back(std::move(rule));
  }
  return cat;
}

void Catalogue::check_outcome(const Policy& policy, const v1::DispatchRule& r, const Where& at,
                              Diagnostics& diag) {
  auto unit_ok = [&](UnitId code, UnitClass wanted, const Where& where, const char* what) {
    return check_unit(policy, diag, code, wanted, where, what);
  };
  switch (r.outcome_case()) {
    case v1::DispatchRule::kDispatch: {
      const v1::DispatchTo& d = r.dispatch();
      Where dw = at.at("dispatch");
      if (d.lead_case() == v1::DispatchTo::LEAD_NOT_SET) {
        diag.error(dw, absl::StrFormat("rule \"%s\": dispatch needs a lead: unit, "
                                       "street_of_request or district_of_request",
                                       r.id()));
      } else if (d.lead_case() == v1::DispatchTo::kUnit) {
        unit_ok(d.unit(), v1::UNIT_CLASS_UNSPECIFIED, dw.at("unit"), "dispatch.unit");
      }
      for (int k = 0; k < d.copy_to_size(); ++k) {
        unit_ok(d.copy_to(k), v1::UNIT_CLASS_UNSPECIFIED, dw.at("copy_to", k), "dispatch.copy_to");
      }
      for (int k = 0; k < d.co_handlers_size(); ++k) {
        unit_ok(d.co_handlers(k), v1::UNIT_CLASS_UNSPECIFIED, dw.at("co_handlers", k),
                "dispatch.co_handlers");
      }
      break;
    }
    case v1::DispatchRule::kNotDispatched: {
      int reason = r.not_dispatched().reason();
      if (reason < 1 || reason > 6) {
        diag.error(at.at("not_dispatched"),
                   absl::StrFormat("rule \"%s\": not_dispatched needs a reason (Art. 11)", r.id()));
      }
      break;
    }
    case v1::DispatchRule::kDistrictCoordinates:
      break;
    case v1::DispatchRule::OUTCOME_NOT_SET:
      diag.error(at, absl::StrFormat("rule \"%s\" decides nothing: give dispatch, "
                                     "district_coordinates or not_dispatched",
                                     r.id()));
      break;
  }
}

Catalogue::Rule Catalogue::read_match(const Policy& policy, const v1::DispatchRule& r,
                                      const Where& match, Diagnostics& diag) {
  auto unit_ok = [&](UnitId code, UnitClass wanted, const Where& where, const char* what) {
    return check_unit(policy, diag, code, wanted, where, what);
  };
  Rule rule;
  rule.msg = r;
  const v1::RuleMatch& mt = r.match();
  for (int k = 0; k < mt.kinds_size(); ++k) {
    if (mt.kinds(k) < 1 || mt.kinds(k) > 5) diag.error(match.at("kinds", k), "kinds: not a kind");
    rule.kinds.push_back(static_cast<Kind>(mt.kinds(k)));
  }
  for (int k = 0; k < mt.channels_size(); ++k) {
    if (mt.channels(k) < 1 || mt.channels(k) > 10) {
      diag.error(match.at("channels", k), "channels: not a channel");
    }
    rule.channels.push_back(static_cast<Channel>(mt.channels(k)));
  }
  for (int k = 0; k < mt.urgencies_size(); ++k) {
    if (mt.urgencies(k) < 1 || mt.urgencies(k) > 3) {
      diag.error(match.at("urgencies", k), "urgencies: not an urgency");
    }
    rule.urgencies.push_back(static_cast<Urgency>(mt.urgencies(k)));
  }
  for (int k = 0; k < mt.districts_size(); ++k) {
    unit_ok(mt.districts(k), v1::UNIT_CLASS_DISTRICT, match.at("districts", k), "match.districts");
    rule.districts.push_back(mt.districts(k));
  }
  for (int k = 0; k < mt.streets_size(); ++k) {
    unit_ok(mt.streets(k), v1::UNIT_CLASS_STREET, match.at("streets", k), "match.streets");
    rule.streets.push_back(mt.streets(k));
  }
  for (int k = 0; k < mt.categories_size(); ++k) {
    int n = mt.categories(k).levels_size();
    if (n < 1 || n > 3) {
      diag.error(match.at("categories", k),
                 absl::StrFormat("categories: %d levels, expected 1 to 3", n));
    }
  }
  for (int k = 0; k < mt.keywords_size(); ++k) {
    if (mt.keywords(k).empty()) diag.error(match.at("keywords", k), "keywords: an empty keyword");
  }
  std::sort(rule.districts.begin(), rule.districts.end());
  std::sort(rule.streets.begin(), rule.streets.end());
  return rule;
}

void Catalogue::check_overlaps(const Policy& policy, const std::vector<Placed>& loaded,
                               const Where& root, Diagnostics& diag) {
  auto areas_meet = [&policy](const Rule& a, const Rule& b) {
    if (!a.streets.empty() || !b.streets.empty()) {
      std::vector<UnitId> streets;
      if (!a.streets.empty() && !b.streets.empty()) {
        std::set_intersection(a.streets.begin(), a.streets.end(), b.streets.begin(),
                              b.streets.end(), std::back_inserter(streets));
      } else {
        streets = a.streets.empty() ? b.streets : a.streets;
      }
      for (UnitId s : streets) {
        UnitId d = policy.unit(s)->district;
        bool in_a =
            a.districts.empty() || std::binary_search(a.districts.begin(), a.districts.end(), d);
        bool in_b =
            b.districts.empty() || std::binary_search(b.districts.begin(), b.districts.end(), d);
        if (in_a && in_b) return true;
      }
      return false;
    }
    return lists_meet(a.districts, b.districts);
  };
  for (std::size_t i = 0; i < loaded.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      const Rule& a = loaded[j].rule;
      const Rule& b = loaded[i].rule;
      if (a.msg.priority() != b.msg.priority()) continue;
      const v1::RuleMatch& ma = a.msg.match();
      const v1::RuleMatch& mb = b.msg.match();
      if (lists_meet(a.kinds, b.kinds) && lists_meet(a.channels, b.channels) &&
          lists_meet(a.urgencies, b.urgencies) &&
          categories_meet(ma.categories(), mb.categories()) && areas_meet(a, b) &&
          lists_meet(ma.communities(), mb.communities())) {
        diag.error(root.at("dispatch_rules", loaded[i].index),
                   absl::StrFormat("dispatch rule \"%s\" overlaps \"%s\" (%s): both have priority "
                                   "%d and some request matches both; give one a higher priority "
                                   "or make them disjoint",
                                   b.msg.id(), a.msg.id(), loaded[j].place, b.msg.priority()));
      }
    }
  }
}

bool Catalogue::matches(const Rule& r, const Intake& in, const Area& area, std::string* why) const {
  // The explanation is written only when asked for: deciding needs none.
  auto fail = [why](auto&& explain) {
    if (why != nullptr) *why = explain();
    return false;
  };
  const v1::RuleMatch& m = r.msg.match();
  if (!r.kinds.empty() && std::find(r.kinds.begin(), r.kinds.end(), in.kind) == r.kinds.end()) {
    return fail([&] {
      return std::string(
          absl::StrFormat("kind %s is not one of %s", name(in.kind), names_of(r.kinds)));
    });
  }
  if (!r.channels.empty() &&
      std::find(r.channels.begin(), r.channels.end(), in.channel) == r.channels.end()) {
    return fail([&] {
      return std::string(
          absl::StrFormat("channel %s is not one of %s", name(in.channel), names_of(r.channels)));
    });
  }
  if (!r.urgencies.empty() &&
      std::find(r.urgencies.begin(), r.urgencies.end(), in.urgency) == r.urgencies.end()) {
    return fail([&] {
      return std::string(
          absl::StrFormat("urgency %s is not one of %s", name(in.urgency), names_of(r.urgencies)));
    });
  }
  if (m.needs_district() && area.district == 0)
    return fail([&] { return std::string("the request's district is not known"); });
  if (m.needs_street() && area.street == 0)
    return fail([&] { return std::string("the request's street is not known"); });
  if (!r.districts.empty() &&
      !std::binary_search(r.districts.begin(), r.districts.end(), area.district)) {
    return fail([&] {
      return std::string(area.district == 0
                             ? std::string("the request's district is not known")
                             : absl::StrFormat("district %d is not one of %s", area.district,
                                               absl::StrJoin(r.districts, ", ")));
    });
  }
  if (!r.streets.empty() && !std::binary_search(r.streets.begin(), r.streets.end(), area.street)) {
    return fail([&] {
      return std::string(area.street == 0
                             ? std::string("the request's street is not known")
                             : absl::StrFormat("street %d is not one of %s", area.street,
                                               absl::StrJoin(r.streets, ", ")));
    });
  }
  if (!m.categories().empty() &&
      std::none_of(m.categories().begin(), m.categories().end(), [&in](const v1::CategoryPath& p) {
        return category_has_prefix(in.category, p);
      })) {
    std::vector<std::string> paths;
    for (const auto& p : m.categories()) paths.push_back(path_text(p));
    return fail([&] {
      return std::string(absl::StrFormat("category %s starts with none of %s", request_path(in),
                                         absl::StrJoin(paths, ", ")));
    });
  }
  if (!m.communities().empty() && std::find(m.communities().begin(), m.communities().end(),
                                            area.community) == m.communities().end()) {
    return fail([&] {
      return std::string(absl::StrFormat("community \"%s\" is not one of %s",
                                         std::string(area.community),
                                         absl::StrJoin(m.communities(), ", ")));
    });
  }
  if (!m.keywords().empty() &&
      std::none_of(m.keywords().begin(), m.keywords().end(), [&in](const std::string& k) {
        return in.content.find(k) != std::string_view::npos;
      })) {
    return fail([&] {
      return std::string(absl::StrFormat("the content has none of the keywords %s",
                                         absl::StrJoin(m.keywords(), ", ")));
    });
  }
  return true;
}

std::vector<std::uint32_t> Catalogue::candidates(const Area& area) const {
  std::vector<std::uint32_t> candidates = general_;
  if (area.street != 0) {
    auto it = by_street_.find(area.street);
    merge_into(candidates, it == by_street_.end() ? nullptr : &it->second);
  }
  if (area.district != 0) {
    auto it = by_district_.find(area.district);
    merge_into(candidates, it == by_district_.end() ? nullptr : &it->second);
  }
  std::sort(candidates.begin(), candidates.end());
  return candidates;
}

std::optional<std::size_t> Catalogue::decide(const Intake& in, const Area& area) const {
  // The street's, the district's and the general rules, merged in priority
  // order as they are walked (each list is ascending): no allocation.
  static const std::vector<std::uint32_t> kNone;
  auto list_for = [](const auto& map, UnitId key) -> const std::vector<std::uint32_t>& {
    if (key == 0) return kNone;
    auto it = map.find(key);
    return it == map.end() ? kNone : it->second;
  };
  const std::vector<std::uint32_t>* lists[3] = {&general_, &list_for(by_street_, area.street),
                                                &list_for(by_district_, area.district)};
  std::size_t at[3] = {0, 0, 0};
  for (;;) {
    int best = -1;
    for (int k = 0; k < 3; ++k) {
      if (at[k] < lists[k]->size() && (best < 0 || (*lists[k])[at[k]] < (*lists[best])[at[best]])) {
        best = k;
      }
    }
    if (best < 0) return std::nullopt;
    std::uint32_t pos = (*lists[best])[at[best]++];
    if (matches(rules_[pos], in, area, nullptr)) return pos;
  }
}

std::vector<RuleVerdict> Catalogue::explain(const Intake& in, const Area& area) const {
  std::vector<RuleVerdict> out;
  std::optional<std::size_t> chosen = decide(in, area);
  for (std::uint32_t i : candidates(area)) {
    const Rule& r = rules_[i];
    RuleVerdict v;
    v.rule_id = r.msg.id();
    v.priority = r.msg.priority();
    v.matched = matches(r, in, area, &v.why);
    v.chosen = chosen && *chosen == i;
    if (v.chosen) {
      v.why = "matches: decides";
    } else if (v.matched) {
      v.why = absl::StrFormat("matches, but rule \"%s\" (priority %d) comes first",
                              rules_[*chosen].msg.id(), rules_[*chosen].msg.priority());
    }
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace jszb::core
