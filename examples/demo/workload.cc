#include "workload.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <iterator>
#include <numeric>
#include <stdexcept>
#include <string_view>
#include <utility>

#include "rng.h"

namespace demo {

namespace {

// Requests per day of the week of 2021-09-19 (Sun). 19-21 were the Mid-Autumn
// holiday (quieter), 22-24 working days, 25 a Saturday; they add up to 17,205.
constexpr int kDailyVolume[7] = {2150, 2250, 2200, 2780, 2720, 2700, 2405};

// Calls by hour of day (China time): quiet at night, peaks mid-morning and
// mid-afternoon.
constexpr int kHourly[24] = {30,  18,  12,  10,  10,  16,  35,  70, 120, 160, 170, 160,
                             120, 125, 150, 155, 145, 130, 105, 95, 85,  70,  55,  40};

// Art. 2 kinds, per mille: with the questions below, about 58.5% consultations.
constexpr int kKindWeights[] = {545, 155, 200, 50, 50};
constexpr jszb::Kind kKinds[] = {jszb::Kind::kConsultation, jszb::Kind::kHelp,
                                 jszb::Kind::kComplaint, jszb::Kind::kReport,
                                 jszb::Kind::kSuggestion};

// Channels, per 10,000: 90% by phone; ~0.64% (about 110 a week) on the People's
// Daily leaders' message board.
constexpr int kChannelWeights[] = {9000, 250, 300, 100, 130, 64, 40, 30, 20, 66};
constexpr jszb::Channel kChannels[] = {jszb::Channel::kPhone,        jszb::Channel::kWeb,
                                       jszb::Channel::kWechatMini,   jszb::Channel::kWechatAccount,
                                       jszb::Channel::kApp,          jszb::Channel::kLeadersBoard,
                                       jszb::Channel::kNationalMini, jszb::Channel::kWeibo,
                                       jszb::Channel::kToutiao,      jszb::Channel::kMergedHotline};

const char* channel_prefix(jszb::Channel c) {
  switch (c) {
    case jszb::Channel::kPhone:
      return "TEL";
    case jszb::Channel::kWeb:
      return "WEB";
    case jszb::Channel::kWechatMini:
      return "WXMP";
    case jszb::Channel::kWechatAccount:
      return "WXGZH";
    case jszb::Channel::kApp:
      return "BJT";
    case jszb::Channel::kLeadersBoard:
      return "RMW";
    case jszb::Channel::kNationalMini:
      return "GWYXCX";
    case jszb::Channel::kWeibo:
      return "WB";
    case jszb::Channel::kToutiao:
      return "TT";
    case jszb::Channel::kMergedHotline:
      return "12315";
    case jszb::Channel::kUnspecified:
      break;
  }
  return "X";
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

const char* const kSuffixes[] = {
    "，希望尽快处理。",
    "，请相关部门核实处理。",
    "，之前反映过，希望尽快解决。",
    "，希望给予答复。",
    "。",
    "，希望有关部门管一管。",
};

// What the citizen said, worded for the kind of request.
std::string compose(jszb::Kind kind, const Leaf& leaf, std::string said, Rng& rng) {
  constexpr std::string_view kAsk = "咨询";
  if (starts_with(said, "感谢")) return said + "。";
  bool asks = starts_with(said, kAsk);
  if (kind == jszb::Kind::kConsultation) {
    if (asks) return said + "。";
    switch (rng.below(3)) {
      case 0:
        return said + "，想咨询应该找哪个部门。";
      case 1:
        return said + "，咨询有关政策规定。";
      default:
        return std::string("咨询") + leaf.level3 + "方面的问题：" + said + "。";
    }
  }
  if (asks) said = said.substr(kAsk.size());
  const char* suffix = kSuffixes[rng.below(std::size(kSuffixes))];
  switch (kind) {
    case jszb::Kind::kHelp:
      return "求助：" + said + suffix;
    case jszb::Kind::kComplaint:
      return "投诉：" + said + suffix;
    case jszb::Kind::kReport:
      return "举报：" + said + "，希望有关部门依法查处。";
    case jszb::Kind::kSuggestion:
      return "建议：" + said + "，建议有关部门加强管理。";
    default:
      return said + suffix;
  }
}
// Emergencies that reach 12345 although they belong to 110/119/120/122. Each
// holds a keyword of the default policy's "emergency" rule.
const char* const kEmergencies[] = {
    "楼道里电动车充电着火了，浓烟很大", "小区地下室起火了，有浓烟冒出",
    "路口两车相撞，有人受伤倒在地上",   "河边有人落水，情况危急",
    "楼下有人持刀吵架，情绪很激动",
};
// A matter already before a court or in arbitration (the "legal-channel" rule).
const char* const kLegalWords[] = {
    "，目前已起诉到法院",
    "，已申请劳动仲裁，现在仲裁中",
    "，法院已判决但对方一直不执行",
};

const char* const kSurnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄",
                                 "周", "吴", "徐", "孙", "马", "朱", "胡", "郭"};
// When and where exactly an everyday request says its problem is.
const char* const kWhen[] = {"最近一周",     "昨天晚上", "这几天",   "今天早上",
                             "从上个月开始", "每天傍晚", "周末两天", "前天下午"};
const char* const kSpots[] = {"我家楼下",   "单元门口", "地下车库",   "小区东门",   "楼后空地",
                              "临街商铺前", "快递柜旁", "公交站附近", "菜市场边上", "幼儿园门口"};

// The estate a community is named for: its name without the committee's title.
std::string estate_of(std::string name) {
  for (std::string_view suffix :
       {"社区居民委员会", "社区居委会", "居民委员会", "村民委员会", "居委会", "村委会", "社区"}) {
    if (name.size() > suffix.size() &&
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
      name.resize(name.size() - suffix.size());
      break;
    }
  }
  return name;
}

// A matter's place as an operator writes it down, one of the usual ways.
std::string recorded_address(const Matter& m, Rng& rng) {
  const std::string place = m.place;
  if (*m.site != '\0') {  // a business: its street address, or just its name
    return rng.chance(500) ? m.site + place : place;
  }
  if (place.find("与") != std::string::npos) return place + "路口";  // a crossing
  switch (rng.below(3)) {
    case 0:
      return "朝阳区" + std::string(m.street) + place;  // the estate's own street
    case 1:
      return place + std::to_string(1 + rng.below(30)) + "号楼";
    default:
      return place + "小区";
  }
}

std::vector<Matter> make_matters() {
  // The five matters of the source report's bulletin, at places of the
  // district (estate names from its communities; the company and the
  // restaurant are made up), and two smaller ones.
  std::vector<Matter> m = {
      {"反映树木虫子多，希望尽快消杀",
       "环境保护",
       "园林绿化",
       "树木虫害",
       "望京街道",
       "望京西园三区",
       "",
       38,
       0,
       7,
       {"小区里的树上毛毛虫特别多，掉到孩子身上了，希望尽快打药消杀",
        "路边行道树虫子泛滥，树叶都快被吃光了，请园林部门处理",
        "楼下绿地的树上很多虫子，爬到栏杆和路面上，希望消杀",
        "美国白蛾幼虫成灾，树冠上都是网幕，行人经过很害怕"}},
      {"反映启航教育退费难",
       "教育",
       "校外培训",
       "退费难",
       "酒仙桥街道",
       "启航教育",
       "酒仙桥路10号",
       27,
       0,
       7,
       {"孩子在启航教育报的课程，机构停课了，申请退费一直没人处理",
        "培训机构关门了，充值的课时费退不了，要求退费",
        "给孩子报了英语班交了两万多，现在联系不上机构，希望帮忙退费",
        "承诺七个工作日返还余款，至今没有到账，多次沟通无果"},
       "市场管理",
       "预付式消费",
       "退费难"},
      {"反映劲松中小区楼体外墙翻新过程存在的问题",
       "住房",
       "老旧小区改造",
       "外墙翻新",
       "劲松街道",
       "劲松中",
       "",
       16,
       1,
       6,
       {"小区外墙翻新施工，脚手架挡住窗户，工人随意进出阳台",
        "外墙保温层施工质量差，刚刷完就开裂了", "翻新时拆下的空调外机没有装回，希望协调",
        "楼体改造工期一拖再拖，粉尘很大，希望尽快完工"},
       "城乡建设",
       "施工管理",
       "施工噪音"},
      {"反映顺峰饭店附近施工扰民",
       "城乡建设",
       "施工管理",
       "夜间施工扰民",
       "三里屯街道",
       "顺峰饭店",
       "工体北路",
       14,
       2,
       7,
       {"饭店旁边工地夜里还在施工，噪音很大，无法休息", "晚上十一点以后还在切割钢筋，严重扰民",
        "门口挖路施工，凌晨还有机械轰鸣声"}},
      {"反映弘善家园A区南侧施工噪音扰民和扬尘污染",
       "城乡建设",
       "施工管理",
       "施工噪音",
       "十八里店地区",
       "弘善家园A区",
       "",
       12,
       3,
       7,
       {"南侧工地施工噪音大，还有扬尘，窗户都不敢开", "南边施工现场没有苫盖，尘土飞扬，噪音扰民",
        "工地早上六点就开始施工，灰尘很大"},
       "环境保护",
       "大气污染",
       "施工扬尘"},
      {"反映立城苑5号楼电梯频繁故障",
       "物业管理",
       "物业服务",
       "电梯故障",
       "来广营地区",
       "立城苑",
       "",
       9,
       0,
       7,
       {"5号楼电梯又坏了，老人上下楼很困难", "电梯一周坏了三次，物业一直说在修"}},
      {"反映广渠路与西大望路路口信号灯故障",
       "交通管理",
       "交通设施",
       "信号灯故障",
       "双井街道",
       "广渠路与西大望路",
       "",
       7,
       4,
       6,
       {"路口红绿灯不亮了，车辆抢行很危险", "信号灯一直闪黄灯，早高峰很堵"}},
  };
  return m;
}

// Largest-remainder rounding of `weekly` counts to a total of `total`.
std::vector<int> scale_counts(const std::vector<int>& weekly, int total) {
  long long sum = std::accumulate(weekly.begin(), weekly.end(), 0LL);
  std::vector<int> out(weekly.size());
  std::vector<std::pair<long long, std::size_t>> remainders;
  int assigned = 0;
  for (std::size_t i = 0; i < weekly.size(); ++i) {
    long long scaled = static_cast<long long>(weekly[i]) * total;
    out[i] = static_cast<int>(scaled / sum);
    assigned += out[i];
    remainders.push_back({scaled % sum, i});
  }
  std::sort(remainders.begin(), remainders.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  for (std::size_t k = 0; assigned < total; ++k, ++assigned) ++out[remainders[k].second];
  return out;
}

}  // namespace

Workload::Workload(const Catalogue& catalogue, std::uint64_t seed, int days, int week)
    : catalogue_(&catalogue),
      // Each week its own requests: the seed moves with the week.
      seed_(seed + static_cast<std::uint64_t>(week) * 1000003u),
      days_(days),
      week_(week),
      matters_(make_matters()) {
  if (days < 1) throw std::invalid_argument("days must be at least 1");
  if (week < 0) throw std::invalid_argument("week must not be negative");
  seed = seed_;
  Rng rng = Rng::for_item(seed, 0, 0);
  const auto& cats = catalogue.categories();
  const auto& streets = catalogue.streets();

  // Arrival times: the day's volume spread over the hours by their weights.
  int total = 0;
  for (int d = 0; d < days; ++d) {
    int n = kDailyVolume[d % 7];
    total += n;
    for (int k = 0; k < n; ++k) {
      Arrival a;
      // One draw per statement: the order of evaluation inside an expression is
      // unspecified, and the output must not depend on the compiler.
      Ms hour = static_cast<Ms>(rng.weighted(kHourly));
      Ms within = static_cast<Ms>(rng.below(kHour));
      a.time = start() + d * kDay + hour * kHour + within;
      arrivals_.push_back(a);
    }
  }
  std::sort(arrivals_.begin(), arrivals_.end(),
            [](const Arrival& a, const Arrival& b) { return a.time < b.time; });

  // Level-1 categories: exactly the published counts for a week, as a shuffled deck.
  std::vector<int> weekly;
  for (const Category& c : cats) weekly.push_back(c.weekly);
  std::vector<int> counts = scale_counts(weekly, total);
  std::vector<std::uint16_t> deck;
  deck.reserve(static_cast<std::size_t>(total));
  for (std::size_t c = 0; c < counts.size(); ++c) deck.insert(deck.end(), counts[c], c);
  rng.shuffle(deck);

  std::vector<int> street_weights;
  for (const Street& s : streets) street_weights.push_back(s.weight);
  for (std::size_t i = 0; i < arrivals_.size(); ++i) {
    Arrival& a = arrivals_[i];
    a.category = deck[i];
    std::vector<int> leaf_weights;
    for (const Leaf& l : cats[a.category].leaves) leaf_weights.push_back(l.weight);
    a.leaf = static_cast<std::uint16_t>(rng.weighted(leaf_weights));
    a.street = static_cast<std::uint16_t>(rng.weighted(street_weights));
    a.kind = kKinds[rng.weighted(kKindWeights)];
    // Questions ("咨询...") are mostly consultations.
    if (a.kind != jszb::Kind::kConsultation &&
        starts_with(cats[a.category].leaves[a.leaf].text, "咨询") && rng.chance(850)) {
      a.kind = jszb::Kind::kConsultation;
    }
    a.channel = kChannels[rng.weighted(kChannelWeights)];
    a.operator_staff = 1001 + static_cast<std::uint32_t>(rng.below(80));
    const Category& cat = cats[a.category];
    if (a.kind != jszb::Kind::kConsultation) {
      int r = static_cast<int>(rng.below(1000));
      int urgent = cat.utility ? 300 : 30;
      if (r < 3) {
        a.urgency = jszb::Urgency::kExtraUrgent;
      } else if (r < 3 + urgent) {
        a.urgency = jszb::Urgency::kUrgent;
      }
      // A few are emergencies (110/119/120) or already before a court or in
      // arbitration: their words make the policy's catalogue refuse them.
      int planted = static_cast<int>(rng.below(1000));
      int legal = std::strcmp(cat.name, "劳动和社会保障") == 0 ? 60
                  : std::strcmp(cat.name, "住房") == 0 || std::strcmp(cat.name, "物业管理") == 0
                      ? 8
                      : 0;
      if (planted < 4) {
        a.planted = Planted::kEmergency;
        a.kind = jszb::Kind::kHelp;
        a.urgency = jszb::Urgency::kExtraUrgent;
      } else if (planted < 4 + legal) {
        a.planted = Planted::kLegalChannel;
      }
    }
    // Where: most give district and street; online, some drop a map pin
    // instead; a few callers know only the district.
    bool pin_channel = a.channel == jszb::Channel::kWechatMini ||
                       a.channel == jszb::Channel::kApp ||
                       a.channel == jszb::Channel::kNationalMini;
    int where = static_cast<int>(rng.below(1000));
    if (pin_channel && where < 400 && !streets[a.street].area.empty()) {
      a.where = Where::kPointOnly;
    } else if (where >= 950) {
      a.where = Where::kDistrictOnly;
    }
  }

  // Group requests: pick reports among the requests of the matter's category
  // that arrive in its window, and make them say so.
  // The catalogue's category and leaf of a category path.
  auto find_leaf = [&cats](const char* l1, const char* l2, const char* l3) {
    std::size_t cat = 0;
    while (cat < cats.size() && std::strcmp(cats[cat].name, l1) != 0) ++cat;
    if (cat == cats.size()) throw std::logic_error("matter with an unknown category");
    std::size_t leaf = 0;
    const auto& leaves = cats[cat].leaves;
    while (leaf < leaves.size() && (std::strcmp(leaves[leaf].level2, l2) != 0 ||
                                    std::strcmp(leaves[leaf].level3, l3) != 0)) {
      ++leaf;
    }
    if (leaf == leaves.size()) throw std::logic_error("matter with an unknown leaf");
    return std::make_pair(cat, leaf);
  };
  for (std::size_t m = 0; m < matters_.size(); ++m) {
    const Matter& matter = matters_[m];
    const auto [cat, leaf] = find_leaf(matter.category, matter.level2, matter.level3);
    std::size_t main_street = 0;
    while (main_street < streets.size() && streets[main_street].name != matter.street) {
      ++main_street;
    }
    Ms from = start() + matter.first_day * kDay;
    Ms to = std::min(start() + matter.last_day * kDay, end());
    std::vector<std::size_t> candidates;
    for (std::size_t i = 0; i < arrivals_.size(); ++i) {
      const Arrival& a = arrivals_[i];
      if (a.category == cat && a.matter < 0 && a.time >= from && a.time < to) {
        candidates.push_back(i);
      }
    }
    std::size_t k = std::min(candidates.size(), static_cast<std::size_t>(matter.reports));
    for (std::size_t j = 0; j < k; ++j) {  // partial Fisher-Yates
      std::size_t r = j + static_cast<std::size_t>(rng.below(candidates.size() - j));
      std::swap(candidates[j], candidates[r]);
    }
    candidates.resize(k);
    std::sort(candidates.begin(), candidates.end());
    for (std::size_t j = 0; j < k; ++j) {
      Arrival& a = arrivals_[candidates[j]];
      a.matter = static_cast<std::int16_t>(m);
      a.leaf = static_cast<std::uint16_t>(leaf);
      a.kind = rng.chance(800) ? jszb::Kind::kComplaint : jszb::Kind::kHelp;
      a.urgency = jszb::Urgency::kNormal;
      a.planted = Planted::kNone;
      a.where = Where::kNames;
      a.channel = rng.chance(850) ? jszb::Channel::kPhone : jszb::Channel::kWechatMini;
      if (main_street < streets.size() && rng.chance(800)) {
        a.street = static_cast<std::uint16_t>(main_street);
      }
      if (j > 0 && rng.chance(100)) a.duplicate_of = static_cast<std::int32_t>(candidates[0]);
      // Some reports are filed under the matter's other category (a stream of
      // its own, so that the rest of the week stays as it was).
      if (matter.other_category != nullptr && Rng::for_item(seed_, 7, candidates[j]).chance(300)) {
        const auto [other, other_leaf] =
            find_leaf(matter.other_category, matter.other_level2, matter.other_level3);
        a.category = static_cast<decltype(a.category)>(other);
        a.leaf = static_cast<std::uint16_t>(other_leaf);
      }
    }
  }
}

const Community* Workload::community_of(std::size_t i) const {
  const Arrival& a = arrivals_[i];
  const std::vector<Community>& communities = catalogue_->streets()[a.street].communities;
  if (a.where != Where::kNames || communities.empty()) return nullptr;
  constexpr std::uint64_t kCommunityStream = 0xC0;
  std::uint64_t h =
      a.matter >= 0
          ? splitmix64(splitmix64(seed_ ^ kCommunityStream) + 1000003u * (a.matter + 1) + a.street)
          : splitmix64(splitmix64(seed_ ^ splitmix64(kCommunityStream)) + i);
  // u^1.3 of a uniform u: the first communities of a street draw a little
  // more (hot spots to see), not so much that one estate's everyday
  // requests of a kind look like one matter.
  double u = static_cast<double>(h >> 11) * 0x1.0p-53;
  auto k = static_cast<std::size_t>(static_cast<double>(communities.size()) * std::pow(u, 1.3));
  return &communities[std::min(k, communities.size() - 1)];
}

jszb::Request Workload::request(std::size_t i) const {
  const Arrival& a = arrivals_[i];
  Rng rng = Rng::for_item(seed_, 1, i);
  const Category& cat = catalogue_->categories()[a.category];
  const Leaf& leaf = cat.leaves[a.leaf];
  const Street& street = catalogue_->streets()[a.street];

  jszb::Request r;
  r.time = a.time;
  bool by_phone = a.channel == jszb::Channel::kPhone || a.channel == jszb::Channel::kMergedHotline;
  // Calls are recorded by an operator; online requests by the citizen.
  r.actor = by_phone ? centre_operator(a.operator_staff) : jszb::Actor{jszb::Role::kCitizen, 0, 0};
  r.channel = a.channel;
  char ref[64];
  std::snprintf(ref, sizeof ref, "%s-%s-%06zu", channel_prefix(a.channel),
                format_date(a.time).c_str(), i + 1);
  r.channel_ref = ref;
  r.kind = a.kind;
  r.category = {cat.name, leaf.level2, leaf.level3};
  r.urgency = a.urgency;
  if (a.where != Where::kPointOnly) r.district = catalogue_->district_name();
  if (a.where == Where::kNames) r.street = street.name;
  if (const Community* community = community_of(i)) r.community = community->name;
  if (a.where == Where::kPointOnly) {
    // Somewhere inside the street's cell, away from its edges.
    const Box& box = street.area;
    double u = static_cast<double>(500 + rng.below(9001)) / 10000.0;
    double v = static_cast<double>(500 + rng.below(9001)) / 10000.0;
    r.point = std::make_pair(box.min_lat + (box.max_lat - box.min_lat) * u,
                             box.min_lon + (box.max_lon - box.min_lon) * v);
  }

  std::string said;
  if (a.matter >= 0) {
    // The matter's place, as the operator records it (most calls) and as
    // some callers name it; its words, one of a few ways.
    const Matter& m = matters_[static_cast<std::size_t>(a.matter)];
    said = m.phrases[static_cast<std::size_t>(rng.below(m.phrases.size()))];
    if (by_phone ? rng.chance(900) : rng.chance(500)) r.address = recorded_address(m, rng);
    if (rng.chance(400)) said = m.place + std::string("，") + said;
  } else {
    // An everyday request: what the catalogue says of its kind, with the
    // caller's own when and where; the estate of its community recorded.
    const Community* community = community_of(i);
    std::string estate = community != nullptr ? estate_of(community->name) : std::string();
    std::string building = std::to_string(1 + rng.below(30)) + "号楼";
    said = std::string(kWhen[rng.below(std::size(kWhen))]) +
           (!estate.empty() && rng.chance(500) ? estate + building : building) +
           kSpots[rng.below(std::size(kSpots))] + "，" + leaf.text;
    if (!estate.empty() && rng.chance(800)) r.address = estate + building;
  }
  if (a.planted == Planted::kLegalChannel) {
    said += kLegalWords[rng.below(std::size(kLegalWords))];
  }
  if (a.channel == jszb::Channel::kLeadersBoard) {  // 77 of 110 were to the secretary
    r.content = rng.chance(700) ? "【人民网领导留言板·致区委书记】" : "【人民网领导留言板·致区长】";
  }
  if (a.planted == Planted::kEmergency) {
    r.content += std::string("紧急求助：") + kEmergencies[rng.below(std::size(kEmergencies))] +
                 "，请马上派人！";
  } else {
    r.content += compose(a.kind, leaf, said, rng);
  }
  r.contact_name = kSurnames[rng.below(std::size(kSurnames))];
  r.contact_name += rng.chance(500) ? "女士" : "先生";
  int second_digit = static_cast<int>(3 + rng.below(7));
  int rest = static_cast<int>(rng.below(1000000000));
  char phone[16];
  std::snprintf(phone, sizeof phone, "1%d%09d", second_digit, rest);
  r.contact_phone = phone;
  return r;
}

}  // namespace demo
