// catalogue.h: what the demo knows about Chaoyang district: its 43 streets (read
// from the CSV, with their areas from the GeoJSON of street areas), the district
// departments and city utilities that take orders (the codes and names of the
// default Beijing policy), and the three-level category tree with the published
// weekly counts of the level-1 categories.
//
// Who gets an order is not decided here: the engine routes every dispatch by the
// policy's dispatch catalogue (派单目录). The demo keeps unit names and classes
// only to print them and to script what a unit of that class does next: the
// public API does not list a policy's units.
#ifndef JSZB_EXAMPLES_DEMO_CATALOGUE_H
#define JSZB_EXAMPLES_DEMO_CATALOGUE_H

#include <cstdint>
#include <string>
#include <vector>

#include "jszb/jszb.hpp"

namespace demo {

using jszb::UnitId;

inline constexpr UnitId kChaoyang = 110105;   // 朝阳区 (national division code)
inline constexpr UnitId kCentre = 110000000;  // 北京12345市民服务热线 (the policy's centre)

// The default policy's (made-up) codes: district departments 1101059xx, city
// enterprises 1100008xx.
inline constexpr UnitId kMarketRegulation = 110105901;  // 区市场监管局
inline constexpr UnitId kHousing = 110105902;           // 区住房城乡建设委
inline constexpr UnitId kEducation = 110105903;         // 区教委
inline constexpr UnitId kHumanResources = 110105904;    // 区人力社保局
inline constexpr UnitId kEcology = 110105905;           // 区生态环境局
inline constexpr UnitId kLandscaping = 110105906;       // 区园林绿化局
inline constexpr UnitId kCityManagement = 110105907;    // 区城市管理委
inline constexpr UnitId kHealth = 110105908;            // 区卫生健康委
inline constexpr UnitId kTrafficPolice = 110105909;     // 朝阳交通支队
inline constexpr UnitId kLawEnforcement = 110105910;    // 区城管执法局
inline constexpr UnitId kCivilAffairs = 110105911;      // 区民政局
inline constexpr UnitId kCultureTourism = 110105912;    // 区文化和旅游局
inline constexpr UnitId kPlanning = 110105913;          // 朝阳规划分局
inline constexpr UnitId kPolice = 110105914;            // 朝阳公安分局
inline constexpr UnitId kFireRescue = 110105915;        // 朝阳消防救援支队
inline constexpr UnitId kWater = 110000801;             // 北京市自来水集团
inline constexpr UnitId kPower = 110000802;             // 国网北京市电力公司
inline constexpr UnitId kGas = 110000803;               // 北京市燃气集团
inline constexpr UnitId kHeating = 110000804;           // 北京市热力集团
inline constexpr UnitId kDrainage = 110000805;          // 北京城市排水集团

enum class UnitClass { kCentre, kDistrict, kStreet, kDepartment, kEnterprise, kCommunity };

struct Unit {
  UnitId code;
  std::string name;
  UnitClass cls;
};

// A street's area: the bounding box of its cell in the street-areas GeoJSON
// (the synthetic areas are rectangles), in WGS84 degrees.
struct Box {
  double min_lat = 0, max_lat = 0, min_lon = 0, max_lon = 0;
  bool empty() const { return !(max_lat > min_lat && max_lon > min_lon); }
};

// A community (居委会/村委会) under a street: jszb's unit code for it (the
// built-in policy's: 2,000,000,000 + its national code - 110,000,000,000).
struct Community {
  UnitId code;
  std::string name;
};

struct Street {
  UnitId code;
  std::string name;
  int weight;                          // relative volume of requests
  Box area;                            // empty when the areas file has none for it
  std::vector<Community> communities;  // from beijing-communities.csv beside the streets
};

// A level-2/level-3 category.
struct Leaf {
  const char* level2;
  const char* level3;
  int weight;        // share within its level-1 category
  int solved_pm;     // how often a reply says solved
  const char* text;  // what a citizen says about it
};

struct Category {
  const char* name;  // level 1
  int weekly;        // requests in the week of 2021-09-19 (the published nine are exact)
  bool utility;      // water, power, gas, heating, drainage (the policy: to the enterprises)
  std::vector<UnitId> co_handlers;  // departments a street may whistle for (吹哨)
  std::vector<Leaf> leaves;
};

class Catalogue {
 public:
  // Reads the streets of `district` from the CSV (street_code,street,
  // district_code,district after '#' comment lines) and their areas from the
  // GeoJSON (one feature per line, as scripts/gen-street-polygons writes it).
  // Throws std::runtime_error.
  static Catalogue load(const std::string& csv_path, const std::string& areas_path,
                        UnitId district = kChaoyang);

  const std::vector<Street>& streets() const { return streets_; }
  const std::vector<Category>& categories() const { return categories_; }
  const std::vector<Unit>& units() const { return units_; }  // every unit, streets included
  const std::string& district_name() const { return district_name_; }

  // The unit's name, or its code as text.
  std::string unit_name(UnitId code) const;
  UnitClass unit_class(UnitId code) const;

 private:
  std::string district_name_;
  std::vector<Street> streets_;
  std::vector<Category> categories_;
  std::vector<Unit> units_;  // sorted by code
};

// "street", "department", ... for tables.
const char* unit_class_name(UnitClass c);

}  // namespace demo

#endif  // JSZB_EXAMPLES_DEMO_CATALOGUE_H
