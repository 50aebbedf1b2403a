#include "group_corpus.h"

#include <algorithm>
#include <array>
#include <set>
#include <string_view>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_format.h"
#include "policy/policy.h"

namespace jszb::testing {
namespace {

// splitmix64: the same stream on every platform (std distributions differ).
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
  bool chance(int per_thousand) { return below(1000) < static_cast<std::size_t>(per_thousand); }
  template <class T>
  const T& pick(const std::vector<T>& v) {
    return v[below(v.size())];
  }

 private:
  std::uint64_t state_;
};

enum class PlaceKind { kEstate, kCompany, kRoad };

// A problem people report, with the ways they put it: the five wordings of
// a topic share few characters, as five callers' accounts would.
struct Topic {
  PlaceKind place;
  std::vector<std::pair<const char*, const char*>> categories;  // level 1, level 2
  std::vector<const char*> wordings;                            // how a matter's reports put it
};

// The subjects and problems of each topic, in the order of topics().
const std::vector<std::pair<std::vector<const char*>, std::vector<const char*>>>& everyday() {
  static const std::vector<std::pair<std::vector<const char*>, std::vector<const char*>>> e = {
      {{"杨树", "柳树", "月季花丛", "草坪", "银杏"},
       {"有蚜虫", "叶子发黄", "枝条枯死", "招来蚊虫", "需要修剪"}},
      {{"舞蹈班", "钢琴课", "编程课", "托管班", "美术班"},
       {"换了老师不通知", "课程缩水", "合同不给看", "乱收材料费", "上课地点变了"}},
      {{"屋顶防水", "楼道墙皮", "单元门", "窗户框", "雨水管"},
       {"漏水", "脱落", "锈蚀", "变形", "年久失修"}},
      {{"夜间渣土车", "地铁施工", "管线抢修", "路灯更换", "拆除工程"},
       {"声音刺耳", "震动明显", "没有公示", "占了半幅路", "灯光刺眼"}},
      {{"搅拌站", "裸露土方", "拆迁现场", "砂石料场", "建筑垃圾"},
       {"灰尘大", "没洒水", "堆了很久", "风一吹就起土", "车辆带泥"}},
      {{"门禁卡", "楼道灯", "监控探头", "对讲系统", "水泵房"},
       {"坏了没人修", "响声很大", "经常失灵", "物业推诿", "收费不合理"}},
      {{"地暖", "水暖阀门", "分户计量表", "换热站", "暖气管"},
       {"漏水", "温度忽冷忽热", "计费有误", "噪音大", "报修没回音"}},
      {{"僵尸车", "快递三轮", "地桩地锁", "充电桩车位", "大货车"},
       {"长期占位", "堵住出口", "无人管理", "夜里乱停", "挡住视线"}},
      {{"小吃摊", "奶茶店", "早点铺", "水果摊", "串店"},
       {"占道经营", "排水乱倒", "冷柜堵门", "招牌遮挡", "夜里喧哗"}},
      {{"美发卡", "洗车卡", "儿童乐园卡", "瑜伽卡", "干洗店储值"},
       {"商家换了老板", "余额被清零", "不给开发票", "强制续费", "门店搬走了"}},
      {{"人行横道线", "隔离护栏", "减速带", "交通标志", "电子眼"},
       {"看不清了", "被撞坏", "设置不合理", "缺失", "遮挡严重"}},
      {{"旧衣回收箱", "绿化带", "公厕", "废品站", "化粪池"},
       {"异味重", "满溢", "没人打扫", "堆放杂物", "影响通行"}},
      {{"民宿", "日租房", "仓库", "底商", "车库"},
       {"改成住人", "人员频繁进出", "私搭乱建", "噪音扰邻", "存放易燃物"}},
      {{"路沿石", "排水篦子", "过街天桥", "辅路", "自行车道"},
       {"破损", "缺失", "积水", "被占用", "坑洼不平"}},
  };
  return e;
}

const std::vector<Topic>& topics() {
  static const std::vector<Topic> t = {
      {PlaceKind::kEstate,
       {{"城市管理", "园林绿化"}, {"城市管理", "绿化管理"}},
       {"树上毛毛虫特别多，掉到孩子身上", "行道树虫害泛滥，叶子快被吃光了",
        "绿化带里全是虫子，爬进楼道", "美国白蛾幼虫成灾，需要打药",
        "槐树生了吊死鬼，行人不敢经过"}},
      {PlaceKind::kCompany,
       {{"教育", "校外培训"}, {"市场管理", "预付式消费"}},
       {"孩子报的课停了，交的学费退不回来", "培训机构关门跑路，课时费无处可退",
        "充值两万多的英语班联系不上人", "承诺七个工作日返还余款至今未到账",
        "老师全部离职，家长要求返还预付款"}},
      {PlaceKind::kEstate,
       {{"住房", "老旧小区改造"}, {"住房", "房屋修缮"}},
       {"外墙保温施工脚手架挡住窗户", "楼体改造刷完涂料就开裂", "翻新时拆下的空调外机没装回",
        "工人随意进出阳台，担心安全", "立面整治工期一拖再拖，粉尘呛人"}},
      {PlaceKind::kRoad,
       {{"城乡建设", "施工管理"}, {"环境保护", "噪声污染"}},
       {"工地夜里还在切割钢筋", "凌晨两点机械轰鸣无法入睡", "挖掘机半夜作业吵醒全家",
        "晚上十一点后仍在浇筑混凝土", "打桩声音震得窗户发抖"}},
      {PlaceKind::kEstate,
       {{"环境保护", "扬尘污染"}, {"环境保护", "噪声污染"}},
       {"工地没有苫盖，尘土飞扬", "渣土车进出带泥上路", "窗户不敢开，家具落满灰",
        "早上六点就开工，噪声扰民", "施工围挡破损，沙土吹进院子"}},
      {PlaceKind::kEstate,
       {{"物业管理", "物业服务"}},
       {"电梯又停运了，老人下不了楼", "轿厢门关不严，运行时晃动", "一周被困两次，物业只说在修",
        "按钮失灵，经常停在半截", "维保单位迟迟不换配件"}},
      {PlaceKind::kEstate,
       {{"供暖", "供热质量"}},
       {"暖气片冰凉，屋里只有十五度", "供热温度不达标，孩子冻感冒", "热力公司电话打不通，家里很冷",
        "楼上楼下都不热，交了取暖费", "管道有空气，放水后仍不热"}},
      {PlaceKind::kEstate,
       {{"交通管理", "停车管理"}, {"交通管理", "违章停车"}},
       {"消防通道被私家车堵死", "路边违停占满两侧车道", "共享单车堆在门口无法通行",
        "外来车辆长期占用车位", "早高峰车辆乱停造成拥堵"}},
      {PlaceKind::kCompany,
       {{"城市管理", "餐饮油烟"}, {"城市管理", "占道经营"}},
       {"餐馆排烟管道对着住户窗户", "烧烤店油烟熏得没法开窗", "后厨排风机噪音很大",
        "饭店在门前占道摆桌", "厨余垃圾堆在店外发臭"}},
      {PlaceKind::kCompany,
       {{"市场管理", "预付式消费"}},
       {"健身房突然闭店，年卡无法使用", "办的会员卡商家拒绝退款", "私教课没上完人去楼空",
        "储值卡余额三千多找不到负责人", "游泳馆停业没有任何通知"}},
      {PlaceKind::kRoad,
       {{"交通管理", "交通设施"}},
       {"红绿灯不亮，车辆抢行", "信号灯一直闪黄灯", "路口指示灯时长太短，老人过不去",
        "倒计时显示器坏了", "左转箭头灯失灵造成拥堵"}},
      {PlaceKind::kEstate,
       {{"城市管理", "环境卫生"}},
       {"垃圾桶满了好几天没人清运", "楼下堆积的生活垃圾发臭", "分类驿站无人值守，垃圾遍地",
        "大件家具扔在绿地里", "苍蝇老鼠多，气味难闻"}},
      {PlaceKind::kEstate,
       {{"住房", "房屋租赁"}, {"住房", "群租房"}},
       {"地下室隔成很多小间住人", "出租屋人员进出复杂", "群租房住了二十多人", "半夜有陌生人敲门",
        "隔断房私拉电线"}},
      {PlaceKind::kRoad,
       {{"城市管理", "道路维护"}},
       {"路面塌陷一个大坑", "井盖松动，车过哐哐响", "人行道砖翘起绊倒行人", "下雨积水没过脚踝",
        "盲道被破坏"}},
  };
  return t;
}

// Company names: a first and a second part, 400 names per kind of business.
const std::vector<const char*> kNameFirst = {"启", "博", "乐", "优", "新", "金", "智",
                                             "星", "卓", "育", "蓝", "天", "阳", "鸿",
                                             "明", "书", "悦", "力", "华", "东"};
const std::vector<const char*> kNameSecond = {"航", "雅", "学", "才", "思", "童", "慧",
                                              "火", "越", "英", "图", "成", "光", "鹄",
                                              "德", "香", "动", "美", "嘉", "方"};
const std::vector<const char*> kCompanyKinds = {"教育", "培训学校", "健身",   "餐饮",
                                                "烧烤", "美容",     "游泳馆", "火锅"};
const std::vector<const char*> kRoads = {
    "广顺北大街", "阜通东大街", "望京街",     "酒仙桥路",   "东三环中路", "建国路",   "朝阳北路",
    "姚家园路",   "京顺路",     "北苑路",     "安立路",     "广渠路",     "劲松路",   "双井桥东路",
    "大望路",     "十里堡路",   "石佛营路",   "青年路",     "朝阳路",     "西大望路", "南磨房路",
    "惠新东街",   "安定路",     "北土城东路", "小营路",     "大屯路",     "科荟路",   "湖光中街",
    "霄云路",     "亮马桥路",   "新源南路",   "农展馆南路", "团结湖路",   "白家庄路", "光华路",
    "东大桥路",   "百子湾路",   "化工路",     "弘燕路",     "东四环南路", "小武基路", "垡头路"};

// A company's name: two parts and its kind of business.
std::string company_name(Rng& rng, const char* kind) {
  return std::string(rng.pick(kNameFirst)) + rng.pick(kNameSecond) + kind;
}
const std::vector<const char*> kDetails = {
    "已经持续一周了",   "昨天晚上又这样",   "打过物业电话没用", "老人孩子受影响很大",
    "周末也没有停",     "邻居们都有意见",   "之前反映过一次",   "今天早上更严重",
    "这个月第三次了",   "拍了照片可以提供", "白天晚上都有",     "楼里好几户都一样",
    "附近商户也受影响", "担心出安全事故",   "上周五开始的",     "下班回家才发现"};
const std::vector<const char*> kClosings = {"希望尽快处理", "请有关部门管一管", "希望给个答复",
                                            "麻烦派人来看看", "要求尽快解决"};

// What an everyday request adds of its own: where exactly, and when.
const std::vector<const char*> kSpots = {"东门旁边",   "地下车库里", "临街那侧", "北边空地上",
                                         "菜市场对面", "公交站附近", "配电室旁", "幼儿园门口",
                                         "篮球场边上", "快递柜那里", "南侧绿地", "西门岗亭边",
                                         "自行车棚里", "楼后小路上"};
const std::vector<const char*> kTimes = {"今天上午",   "前天夜里",   "这周一",   "连着三天",
                                         "中午吃饭时", "凌晨四点多", "每逢周末", "下过雨以后"};

// The citizen's own account of an everyday problem: when, where exactly,
// what and what is wrong with it. Two everyday requests on a topic rarely
// say the same sentence.
std::string everyday_words(std::size_t topic, Rng& rng) {
  const auto& [subjects, problems] = everyday()[topic];
  return absl::StrFormat("%s%s的%s%s", rng.pick(kTimes), rng.pick(kSpots), rng.pick(subjects),
                         rng.pick(problems));
}

struct Place {
  std::string name;    // as written in the text
  std::string street;  // where it is
  PlaceKind kind;
  std::string site = {};  // a company's street address, e.g. "建国路88号"
};

struct City {
  std::vector<std::string> streets;
  std::vector<std::vector<std::string>> estates;  // per street
  std::vector<std::string> roads;  // the district's main roads and its estates' lanes
};

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

City chaoyang() {
  City c;
  std::shared_ptr<const core::Policy> policy = core::Policy::beijing();
  UnitId district = 0;
  for (const core::UnitInfo& u : policy->units()) {
    if (u.unit_class == v1::UNIT_CLASS_DISTRICT && u.name == "朝阳区") district = u.code;
  }
  absl::flat_hash_map<UnitId, std::size_t> street_index;
  for (const core::UnitInfo& u : policy->units()) {
    if (u.unit_class == v1::UNIT_CLASS_STREET && u.district == district) {
      street_index[u.code] = c.streets.size();
      c.streets.push_back(u.name);
    }
  }
  c.estates.resize(c.streets.size());
  for (const core::UnitInfo& u : policy->units()) {
    if (u.unit_class != v1::UNIT_CLASS_COMMUNITY || !street_index.contains(u.street)) continue;
    c.estates[street_index[u.street]].push_back(estate_of(u.name));
  }
  std::set<std::string> roads(kRoads.begin(), kRoads.end());
  const char* const kRoadKinds[] = {"路", "街", "东路", "西路", "南路", "北路"};
  for (const auto& estates : c.estates) {
    for (const std::string& e : estates) {
      if (e.size() < 6) continue;
      roads.insert(e.substr(0, 6) + kRoadKinds[roads.size() % std::size(kRoadKinds)]);
    }
  }
  c.roads.assign(roads.begin(), roads.end());
  return c;
}

// The address an operator would record for a place.
std::string address_of(const Place& p, Rng& rng) {
  switch (p.kind) {
    case PlaceKind::kEstate:
      switch (rng.below(4)) {
        case 0:
          return absl::StrFormat("%s%d号楼", p.name, 1 + rng.below(30));
        case 1:
          return absl::StrFormat("%s%d号楼%d单元", p.name, 1 + rng.below(30), 1 + rng.below(6));
        case 2:
          return absl::StrFormat("朝阳区%s%s", p.street, p.name);
        default:
          return p.name + "小区";
      }
    case PlaceKind::kCompany:
      return rng.chance(500) ? p.site + p.name : p.name;
    case PlaceKind::kRoad:
      return rng.chance(500) ? p.name + "交叉口" : "朝阳区" + p.name + "路口";
  }
  return p.name;
}

// A place of `kind` in street s: an estate of the street, a company, a road.
Place random_place(const City& c, std::size_t s, PlaceKind kind, Rng& rng) {
  switch (kind) {
    case PlaceKind::kEstate:
      if (!c.estates[s].empty()) return {rng.pick(c.estates[s]), c.streets[s], kind};
      return {c.streets[s] + "小区", c.streets[s], kind};
    case PlaceKind::kCompany:
      return {company_name(rng, rng.pick(kCompanyKinds)), c.streets[s], kind,
              absl::StrFormat("%s%d号", rng.pick(kRoads), 1 + rng.below(200))};
    case PlaceKind::kRoad: {
      const std::string& a = rng.pick(c.roads);
      const std::string* b = &rng.pick(c.roads);
      while (*b == a) b = &rng.pick(c.roads);
      return {a + "与" + *b, c.streets[s], kind};
    }
  }
  return {};
}

// Another place like p: the estate of the same street whose name shares the
// most with it, a company of the same kind under another name.
Place look_alike(const City& c, std::size_t s, const Place& p, Rng& rng) {
  if (p.kind == PlaceKind::kEstate) {
    std::string best;
    std::size_t best_common = 0;
    for (const std::string& e : c.estates[s]) {
      if (e == p.name) continue;
      std::size_t k = 0;
      while (k < e.size() && k < p.name.size() && e[k] == p.name[k]) ++k;
      if (best.empty() || k > best_common) {
        best = e;
        best_common = k;
      }
    }
    if (!best.empty()) return {best, p.street, p.kind};
  }
  if (p.kind == PlaceKind::kCompany) {
    for (const char* kind : kCompanyKinds) {
      if (p.name.size() > std::string_view(kind).size() &&
          p.name.compare(p.name.size() - std::string_view(kind).size(), std::string::npos, kind) ==
              0) {
        std::string other;
        do other = company_name(rng, kind);
        while (other == p.name);
        return {other, p.street, p.kind, p.site};  // in the same building
      }
    }
  }
  Place q;
  do q = random_place(c, s, p.kind, rng);
  while (q.name == p.name);
  return q;
}

LabelledRequest report(const City& c, std::size_t topic, const Place& p, std::size_t street,
                       std::size_t category, bool everyday, Rng& rng) {
  const Topic& t = topics()[topic];
  LabelledRequest r;
  r.street = c.streets[street];
  r.category1 = t.categories[category].first;
  r.category2 = t.categories[category].second;
  // Most calls have the address recorded; some callers name the place too.
  if (rng.chance(900)) r.address = address_of(p, rng);
  std::string said = rng.chance(450) ? p.name : std::string();
  if (!said.empty() && p.kind == PlaceKind::kEstate && rng.chance(500)) said += "小区";
  std::string words = everyday ? everyday_words(topic, rng) : std::string(rng.pick(t.wordings));
  r.text = absl::StrFormat("%s%s，%s，%s。", said, words, rng.pick(kDetails), rng.pick(kClosings));
  return r;
}

}  // namespace

GroupCorpus make_group_corpus(std::size_t n, std::uint64_t seed) {
  static const City c = chaoyang();
  Rng rng(seed);
  GroupCorpus corpus;
  std::set<std::pair<std::size_t, std::string>> taken;  // (topic, place) of the matters
  auto add_matter = [&](std::size_t topic, const Place& p, std::size_t home, std::size_t size) {
    const Topic& t = topics()[topic];
    const int id = static_cast<int>(corpus.matter_sizes.size());
    corpus.matter_sizes.push_back(size);
    corpus.matter_labels.push_back(p.name + "：" + t.wordings[0]);
    taken.insert({topic, p.name});
    // Reports come from the home street and two others nearby.
    std::array<std::size_t, 3> streets = {home, rng.below(c.streets.size()),
                                          rng.below(c.streets.size())};
    for (std::size_t k = 0; k < size; ++k) {
      std::size_t street = rng.chance(600) ? home : streets[1 + rng.below(2)];
      std::size_t category = t.categories.size() > 1 && rng.chance(300) ? 1 : 0;
      LabelledRequest r = report(c, topic, p, street, category, false, rng);
      r.matter = id;
      corpus.requests.push_back(std::move(r));
    }
  };
  // About 5% of a week's requests are matters of 10 to 40 reports; a third
  // of them have a look-alike nearby, reported 3 to 20 times.
  while (corpus.requests.size() < n / 20) {
    std::size_t topic = rng.below(topics().size());
    std::size_t home = rng.below(c.streets.size());
    Place p = random_place(c, home, topics()[topic].place, rng);
    if ((taken.count({topic, p.name}) > 0)) continue;
    add_matter(topic, p, home, 10 + rng.below(31));
    if (rng.chance(333)) {
      Place q = look_alike(c, home, p, rng);
      if (!(taken.count({topic, q.name}) > 0)) add_matter(topic, q, home, 3 + rng.below(18));
    }
  }
  // Everyday requests: the same topics, each at a place of its own.
  while (corpus.requests.size() < n) {
    std::size_t topic = rng.below(topics().size());
    const Topic& t = topics()[topic];
    std::size_t street = rng.below(c.streets.size());
    Place p = random_place(c, street, t.place, rng);
    if ((taken.count({topic, p.name}) > 0)) continue;
    corpus.requests.push_back(
        report(c, topic, p, street, rng.below(t.categories.size()), true, rng));
  }
  for (std::size_t i = corpus.requests.size(); i > 1; --i) {
    std::swap(corpus.requests[i - 1], corpus.requests[rng.below(i)]);
  }
  return corpus;
}

std::vector<core::GroupInput> group_inputs(const GroupCorpus& corpus) {
  std::vector<core::GroupInput> out;
  out.reserve(corpus.requests.size());
  for (std::size_t i = 0; i < corpus.requests.size(); ++i) {
    const LabelledRequest& r = corpus.requests[i];
    out.push_back({static_cast<CaseId>(i + 1), "朝阳区", "朝阳区", r.street, r.category1,
                   r.category2, r.text, r.address});
  }
  return out;
}

PairwiseScore score_groups(const GroupCorpus& corpus, const std::vector<core::RequestGroup>& groups,
                           std::size_t min_size) {
  PairwiseScore s;
  for (std::size_t size : corpus.matter_sizes) {
    if (size >= min_size) s.true_pairs += size * (size - 1) / 2;
  }
  for (const core::RequestGroup& g : groups) {
    absl::flat_hash_map<int, std::size_t> per_matter;
    for (CaseId id : g.cases) {
      int m = corpus.requests[static_cast<std::size_t>(id - 1)].matter;
      if (m >= 0 && corpus.matter_sizes[static_cast<std::size_t>(m)] >= min_size) ++per_matter[m];
    }
    s.found_pairs += g.cases.size() * (g.cases.size() - 1) / 2;
    for (const auto& [m, k] : per_matter) s.correct_pairs += k * (k - 1) / 2;
  }
  s.precision = s.found_pairs == 0 ? 1.0 : static_cast<double>(s.correct_pairs) / s.found_pairs;
  s.recall = s.true_pairs == 0 ? 1.0 : static_cast<double>(s.correct_pairs) / s.true_pairs;
  return s;
}

}  // namespace jszb::testing
