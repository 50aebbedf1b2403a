#include "catalogue.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

namespace demo {

namespace {

// Relative request volume of the larger streets and areas (others: 10).
struct StreetWeight {
  const char* name;
  int weight;
};
constexpr StreetWeight kStreetWeights[] = {
    {"望京街道", 30},   {"来广营地区", 24},  {"东坝地区", 22},   {"十八里店地区", 22},
    {"南磨房地区", 20}, {"常营地区", 20},    {"奥运村街道", 18}, {"亚运村街道", 16},
    {"大屯街道", 16},   {"双井街道", 16},    {"劲松街道", 15},   {"潘家园街道", 15},
    {"八里庄街道", 14}, {"三间房地区", 14},  {"高碑店地区", 14}, {"管庄地区", 13},
    {"平房地区", 13},   {"小红门地区", 12},  {"崔各庄地区", 12}, {"太阳宫地区", 12},
    {"酒仙桥街道", 12}, {"呼家楼街道", 12},  {"金盏地区", 11},   {"安贞街道", 11},
    {"和平街街道", 11}, {"三里屯街道", 11},  {"垡头街道", 11},   {"团结湖街道", 8},
    {"麦子店街道", 7},  {"首都机场街道", 5}, {"黑庄户地区", 8},  {"王四营地区", 8},
    {"香河园街道", 9},  {"小关街道", 9},     {"朝外街道", 9},    {"豆各庄地区", 9},
};

int street_weight(const std::string& name) {
  for (const StreetWeight& w : kStreetWeights) {
    if (name == w.name) return w.weight;
  }
  return 10;
}

struct FixedUnit {
  UnitId code;
  const char* name;
  UnitClass cls;
};
constexpr FixedUnit kFixedUnits[] = {
    {kCentre, "北京12345市民服务热线", UnitClass::kCentre},
    {kMarketRegulation, "朝阳市场监管局", UnitClass::kDepartment},
    {kHousing, "朝阳住房城乡建设委", UnitClass::kDepartment},
    {kEducation, "朝阳教委", UnitClass::kDepartment},
    {kHumanResources, "朝阳人力社保局", UnitClass::kDepartment},
    {kEcology, "朝阳生态环境局", UnitClass::kDepartment},
    {kLandscaping, "朝阳园林绿化局", UnitClass::kDepartment},
    {kCityManagement, "朝阳城市管理委", UnitClass::kDepartment},
    {kHealth, "朝阳卫生健康委", UnitClass::kDepartment},
    {kTrafficPolice, "朝阳交通支队", UnitClass::kDepartment},
    {kLawEnforcement, "朝阳城管执法局", UnitClass::kDepartment},
    {kCivilAffairs, "朝阳民政局", UnitClass::kDepartment},
    {kCultureTourism, "朝阳文化和旅游局", UnitClass::kDepartment},
    {kPlanning, "朝阳规划分局", UnitClass::kDepartment},
    {kPolice, "朝阳公安分局", UnitClass::kDepartment},
    {kFireRescue, "朝阳消防救援支队", UnitClass::kDepartment},
    {kWater, "北京市自来水集团", UnitClass::kEnterprise},
    {kPower, "国网北京市电力公司", UnitClass::kEnterprise},
    {kGas, "北京市燃气集团", UnitClass::kEnterprise},
    {kHeating, "北京市热力集团", UnitClass::kEnterprise},
    {kDrainage, "北京城市排水集团", UnitClass::kEnterprise},
};

// The category tree. The first nine level-1 counts are the published ones for
// Chaoyang's week of 2021-09-19; the other 4,395 requests are spread over
// plausible smaller categories (each below the ninth, 727).
std::vector<Category> make_categories() {
  return {
      {"市场管理",
       3076,
       false,
       {kMarketRegulation, kLawEnforcement},
       {
           {"预付式消费", "退费难", 32, 772,
            "在健身房、美容店办的预付卡，商家关门跑路了，要求退还余款"},
           {"消费纠纷", "商品质量", 18, 880, "在商场买的家电质量有问题，商家拒绝退换"},
           {"食品安全", "过期食品", 15, 910, "超市在售过期食品，希望查处"},
           {"价格监管", "未明码标价", 10, 928, "小区附近菜店不明码标价，结账时随意加价"},
           {"网络交易", "网购退换货", 15, 856, "网购商品与描述不符，平台商家拒不退款"},
           {"广告监管", "虚假宣传", 10, 880, "商家宣传的优惠活动与实际不符，涉嫌虚假宣传"},
       }},
      {"住房",
       2343,
       false,
       {kHousing, kPlanning},
       {
           {"房屋买卖", "房产证办理", 22, 760, "购买的商品房交房多年仍办不下房产证"},
           {"房屋租赁", "押金退还", 22, 820, "租房到期后中介公司拒不退还押金"},
           {"老旧小区改造", "外墙翻新", 14, 850, "老旧小区改造外墙施工存在问题，希望协调"},
           {"保障性住房", "公租房申请", 14, 910, "咨询公租房申请条件和办理进度"},
           {"房屋安全", "楼体漏水", 18, 832, "楼顶防水层破损，下雨时家中漏水"},
           {"群租房", "群租房整治", 10, 856, "楼上房屋被隔成多间出租，人员复杂"},
       }},
      {"教育",
       1959,
       false,
       {kEducation, kMarketRegulation},
       {
           {"校外培训", "退费难", 34, 670, "孩子报的培训班停课了，机构不给退费"},
           {"入学", "学籍办理", 24, 928, "咨询孩子转学后学籍如何办理"},
           {"学校管理", "课后服务", 20, 916, "学校课后服务时间安排不合理，希望调整"},
           {"社会办学", "办学资质", 22, 868, "小区里有无资质的托管班办学，存在安全隐患"},
       }},
      {"城乡建设",
       1087,
       false,
       {kLawEnforcement, kHousing, kEcology},
       {
           {"施工管理", "夜间施工扰民", 36, 868, "附近工地夜间施工，噪音很大，无法休息"},
           {"施工管理", "施工噪音", 18, 856, "小区旁边工地施工噪音大、扬尘严重"},
           {"市政设施", "道路破损", 22, 892, "路面坑洼破损，雨天积水，行人车辆通行不便"},
           {"规划管理", "违法建设", 24, 760, "小区一层住户私自扩建院墙，占用公共绿地"},
       }},
      {"公共安全",
       979,
       false,
       {kFireRescue, kPolice},
       {
           {"消防安全", "楼道堆物", 30, 910, "楼道里堆满杂物，堵塞消防通道"},
           {"消防安全", "电动车违规充电", 28, 892,
            "有人把电动车推进楼道飞线充电，存在消防安全隐患"},
           {"安全隐患", "井盖缺失", 22, 940, "路边井盖缺失，夜间很危险"},
           {"安全隐患", "高空坠物", 20, 820, "楼上住户窗台摆放花盆，有坠落危险"},
       }},
      {"物业管理",
       940,
       false,
       {kHousing},
       {
           {"物业服务", "电梯故障", 30, 880, "小区电梯经常故障停运，物业维修不及时"},
           {"物业服务", "垃圾清运", 20, 910, "小区垃圾桶满了没人清运，气味很大"},
           {"物业收费", "物业费争议", 25, 730, "物业公司服务差还要求上涨物业费"},
           {"停车管理", "小区停车", 25, 790, "小区停车位不足，外来车辆乱停乱放"},
       }},
      {"交通管理",
       871,
       false,
       {kTrafficPolice, kCityManagement},
       {
           {"停车管理", "违章停车", 35, 880, "路边车辆违章停放，堵塞道路"},
           {"交通设施", "信号灯故障", 25, 940, "路口信号灯故障，车辆行人通行混乱"},
           {"公共交通", "公交线路调整", 20, 790, "建议增设公交线路或调整站点"},
           {"共享单车", "乱停放", 20, 910, "地铁站口共享单车堆放，影响通行"},
       }},
      {"劳动和社会保障",
       828,
       false,
       {kHumanResources, kLawEnforcement},
       {
           {"劳动报酬", "拖欠工资", 45, 772, "工地老板拖欠工资好几个月，多次讨要无果"},
           {"社会保险", "社保缴纳", 25, 880, "公司未按规定给员工缴纳社保"},
           {"劳动合同", "违法解除", 15, 730, "公司无故辞退员工，不给经济补偿"},
           {"就业服务", "失业登记", 15, 940, "咨询失业登记和失业金申领手续"},
       }},
      {"环境保护",
       727,
       false,
       {kEcology, kLandscaping, kLawEnforcement},
       {
           {"园林绿化", "树木虫害", 35, 910, "树上毛毛虫很多，掉到行人身上，希望尽快消杀"},
           {"噪声污染", "商业噪声", 20, 856, "楼下商铺音响声音太大，严重扰民"},
           {"大气污染", "施工扬尘", 25, 868, "工地裸土未苫盖，刮风时扬尘严重"},
           {"水污染", "河道异味", 20, 820, "小区旁边河道有异味，水面漂浮垃圾"},
       }},
      {"城市管理",
       715,
       false,
       {kCityManagement, kLawEnforcement},
       {
           {"环境卫生", "垃圾分类", 30, 910, "小区垃圾分类桶站管理不到位，垃圾混投"},
           {"市容市貌", "占道经营", 25, 880, "路边有人占道摆摊经营，影响通行"},
           {"违法建设", "私搭乱建", 20, 760, "楼顶有人私搭乱建彩钢房"},
           {"公共设施", "路灯不亮", 25, 940, "路灯不亮好几天了，夜间出行不安全"},
       }},
      {"卫生健康",
       690,
       false,
       {kHealth},
       {
           {"医疗服务", "挂号就医", 30, 880, "医院挂号难，咨询如何预约专家号"},
           {"疫苗接种", "新冠疫苗接种", 35, 952, "咨询新冠疫苗加强针在哪里接种"},
           {"医疗纠纷", "医患纠纷", 15, 670, "对医院的诊疗结果有异议，希望协调"},
           {"公共卫生", "病媒生物", 20, 910, "小区里老鼠蟑螂多，希望消杀"},
       }},
      {"公共服务",
       640,
       true,
       {},
       {
           {"供水", "停水", 30, 940, "家里突然停水，没有接到通知"},
           {"供电", "停电", 30, 952, "小区楼栋停电，电梯也停了"},
           {"燃气", "燃气报修", 20, 940, "燃气灶点不着，怀疑燃气表有问题"},
           {"排水", "雨水井堵塞", 15, 928, "路边雨水井堵塞，下雨后积水严重"},
           {"供暖", "供暖设施报修", 5, 916, "暖气管道漏水，希望供暖前维修"},
       }},
      {"社会秩序",
       585,
       false,
       {kPolice, kLawEnforcement},
       {
           {"噪音扰民", "邻里噪音", 35, 760, "楼上住户深夜噪音很大，多次沟通无效"},
           {"治安管理", "可疑人员", 25, 880, "小区里经常有陌生人发小广告"},
           {"非法经营", "无照经营", 40, 850, "小区底商无照经营，希望查处"},
       }},
      {"疫情防控",
       560,
       false,
       {kHealth},
       {
           {"核酸检测", "检测点咨询", 40, 958, "咨询附近核酸检测点的位置和时间"},
           {"健康宝", "弹窗", 35, 928, "北京健康宝出现弹窗，咨询如何解除"},
           {"隔离管控", "居家观察", 25, 892, "咨询居家健康观察的要求"},
       }},
      {"民政",
       410,
       false,
       {kCivilAffairs},
       {
           {"养老服务", "养老驿站", 40, 910, "社区养老驿站服务项目少，希望增加助餐服务"},
           {"社会救助", "低保申请", 35, 850, "咨询低保申请的条件和流程"},
           {"残疾人服务", "补贴申请", 25, 880, "咨询残疾人两项补贴的申请办法"},
       }},
      {"文化旅游体育",
       385,
       false,
       {kCultureTourism},
       {
           {"文化市场", "娱乐场所", 30, 868, "附近娱乐场所营业到深夜，噪音扰民"},
           {"体育设施", "健身器材损坏", 40, 928, "小区健身器材损坏，存在安全隐患"},
           {"旅游服务", "景区投诉", 30, 820, "在景区购买的门票与宣传不符"},
       }},
      {"其他",
       410,
       false,
       {kCityManagement},
       {
           {"表扬", "表扬感谢", 40, 988, "感谢街道工作人员及时帮忙解决问题"},
           {"意见建议", "城市治理建议", 30, 820, "建议在小区周边增设便民设施"},
           {"其他诉求", "其他", 30, 820, "反映的问题不属于以上类别，希望有关部门协调"},
       }},
  };
}

std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> out;
  std::string field;
  std::istringstream in(line);
  while (std::getline(in, field, ',')) out.push_back(field);
  if (!line.empty() && line.back() == ',') out.emplace_back();
  return out;
}

// The bounding boxes of the street cells in a GeoJSON FeatureCollection written
// one feature per line ({"type":"Feature","properties":{"code":N,...},
// "geometry":{...,"coordinates":[[[lon,lat],...]]}}), by street code.
std::map<UnitId, Box> read_areas(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read the street areas file " + path);
  std::map<UnitId, Box> out;
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    std::size_t code_at = line.find("\"code\":");
    std::size_t coords_at = line.find("\"coordinates\":");
    if (code_at == std::string::npos || coords_at == std::string::npos) continue;
    UnitId code = static_cast<UnitId>(std::strtoul(line.c_str() + code_at + 7, nullptr, 10));
    std::vector<double> numbers;
    const char* p = line.c_str() + coords_at + 14;
    while (*p != '\0' && *p != '}') {
      if ((*p >= '0' && *p <= '9') || *p == '-') {
        char* end = nullptr;
        numbers.push_back(std::strtod(p, &end));
        p = end;
      } else {
        ++p;
      }
    }
    if (code == 0 || numbers.size() < 6 || numbers.size() % 2 != 0) {
      throw std::runtime_error(path + ":" + std::to_string(line_no) +
                               ": expected a feature with a code and polygon coordinates");
    }
    Box b{numbers[1], numbers[1], numbers[0], numbers[0]};
    for (std::size_t k = 0; k + 1 < numbers.size(); k += 2) {
      b.min_lon = std::min(b.min_lon, numbers[k]);
      b.max_lon = std::max(b.max_lon, numbers[k]);
      b.min_lat = std::min(b.min_lat, numbers[k + 1]);
      b.max_lat = std::max(b.max_lat, numbers[k + 1]);
    }
    out[code] = b;
  }
  return out;
}

}  // namespace

const char* unit_class_name(UnitClass c) {
  switch (c) {
    case UnitClass::kCentre:
      return "centre";
    case UnitClass::kDistrict:
      return "district";
    case UnitClass::kStreet:
      return "street";
    case UnitClass::kDepartment:
      return "department";
    case UnitClass::kEnterprise:
      return "enterprise";
    case UnitClass::kCommunity:
      return "community";
  }
  return "";
}

namespace {

// The communities of beijing-communities.csv next to the streets file
// (community_code,community,street_code), by street; none if it is missing.
std::map<UnitId, std::vector<Community>> read_communities(const std::string& streets_csv) {
  std::map<UnitId, std::vector<Community>> out;
  std::string path =
      streets_csv.substr(0, streets_csv.find_last_of('/') + 1) + "beijing-communities.csv";
  std::ifstream in(path);
  std::string line;
  bool header_seen = false;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    if (!header_seen) {
      header_seen = true;
      continue;
    }
    std::vector<std::string> f = split_csv_line(line);
    if (f.size() != 3)
      throw std::runtime_error(path + ": expected community_code,community,street_code");
    unsigned long long national = std::stoull(f[0]);
    auto code = static_cast<UnitId>(2000000000ULL + national - 110000000000ULL);
    out[static_cast<UnitId>(std::stoul(f[2]))].push_back({code, f[1]});
  }
  return out;
}

}  // namespace

Catalogue Catalogue::load(const std::string& csv_path, const std::string& areas_path,
                          UnitId district) {
  std::ifstream in(csv_path);
  if (!in) throw std::runtime_error("cannot read the streets file " + csv_path);
  Catalogue cat;
  std::string line;
  bool header_seen = false;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    if (!header_seen) {  // street_code,street,district_code,district
      header_seen = true;
      continue;
    }
    std::vector<std::string> f = split_csv_line(line);
    if (f.size() != 4) {
      throw std::runtime_error(csv_path + ":" + std::to_string(line_no) +
                               ": expected street_code,street,district_code,district");
    }
    unsigned long district_code = 0;
    unsigned long street_code = 0;
    try {
      district_code = std::stoul(f[2]);
      street_code = std::stoul(f[0]);
    } catch (const std::exception&) {
      throw std::runtime_error(csv_path + ":" + std::to_string(line_no) + ": bad code");
    }
    if (district_code != district) continue;
    cat.district_name_ = f[3];
    cat.streets_.push_back(
        {static_cast<UnitId>(street_code), f[1], street_weight(f[1]), Box{}, {}});
  }
  if (cat.streets_.empty()) {
    throw std::runtime_error(csv_path + ": no streets of district " + std::to_string(district));
  }
  std::sort(cat.streets_.begin(), cat.streets_.end(),
            [](const Street& a, const Street& b) { return a.code < b.code; });
  std::map<UnitId, Box> areas = read_areas(areas_path);
  std::map<UnitId, std::vector<Community>> communities = read_communities(csv_path);
  for (Street& s : cat.streets_) {
    auto it = areas.find(s.code);
    if (it != areas.end()) s.area = it->second;
    s.communities = std::move(communities[s.code]);
  }

  cat.categories_ = make_categories();
  cat.units_.push_back({district, cat.district_name_, UnitClass::kDistrict});
  for (const Street& s : cat.streets_) {
    cat.units_.push_back({s.code, s.name, UnitClass::kStreet});
    for (const Community& m : s.communities) {
      cat.units_.push_back({m.code, m.name, UnitClass::kCommunity});
    }
  }
  for (const FixedUnit& u : kFixedUnits) cat.units_.push_back({u.code, u.name, u.cls});
  std::sort(cat.units_.begin(), cat.units_.end(),
            [](const Unit& a, const Unit& b) { return a.code < b.code; });
  return cat;
}

std::string Catalogue::unit_name(UnitId code) const {
  auto it = std::lower_bound(units_.begin(), units_.end(), code,
                             [](const Unit& u, UnitId c) { return u.code < c; });
  if (it != units_.end() && it->code == code) return it->name;
  return std::to_string(code);
}

UnitClass Catalogue::unit_class(UnitId code) const {
  auto it = std::lower_bound(units_.begin(), units_.end(), code,
                             [](const Unit& u, UnitId c) { return u.code < c; });
  if (it != units_.end() && it->code == code) return it->cls;
  return UnitClass::kDepartment;
}

}  // namespace demo
