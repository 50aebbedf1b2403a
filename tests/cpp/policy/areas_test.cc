// Street areas: loading GeoJSON, street_at, the lower-code rule on borders,
// every kind of refused input, and the shipped synthetic Beijing layout.
#include "policy/areas.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <limits>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"

namespace jszb::testing {
namespace {

using core::Areas;
using core::Diagnostics;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// ------------------------------------------------------------------ helpers

std::string repo_root() {
  std::string f = __FILE__;
  return f.substr(0, f.rfind("tests/"));
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

const std::string& shipped_text() {
  static const std::string text = slurp(repo_root() + "lib/data/beijing-streets.geojson");
  return text;
}

struct Street {
  UnitId code;
  std::string name;
  UnitId district;
  std::string district_name;
};

const std::vector<Street>& csv_streets() {
  static const std::vector<Street> streets = [] {
    std::vector<Street> out;
    std::istringstream in(slurp(repo_root() + "examples/data/beijing-streets.csv"));
    std::string line;
    bool header = true;
    while (std::getline(in, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();  // the file mixes CRLF and LF
      if (line.empty() || line[0] == '#') continue;
      if (header) {
        header = false;
        continue;
      }
      std::vector<std::string> f = absl::StrSplit(line, ',');
      if (f.size() != 4) continue;
      out.push_back({static_cast<UnitId>(std::stoul(f[0])), f[1],
                     static_cast<UnitId>(std::stoul(f[2])), f[3]});
    }
    return out;
  }();
  return streets;
}

// A shipped cell, read from the file independently of Areas: each is a
// rectangle, so its bounds describe it completely.
struct Cell {
  UnitId code;
  std::string name;
  UnitId district;
  std::string district_name;
  double w, s, e, n;
  bool contains(double lat, double lon) const {  // closed: borders included
    return lon >= w && lon <= e && lat >= s && lat <= n;
  }
};

struct Shipped {
  std::string description;
  std::vector<Cell> cells;
  std::size_t ring_positions_not_5 = 0;
};

const Shipped& shipped() {
  static const Shipped data = [] {
    Shipped out;
    google::protobuf::Struct root;
    if (!google::protobuf::util::JsonStringToMessage(shipped_text(), &root).ok()) return out;
    out.description = root.fields().at("description").string_value();
    for (const auto& f : root.fields().at("features").list_value().values()) {
      const auto& props = f.struct_value().fields().at("properties").struct_value().fields();
      const auto& ring = f.struct_value()
                             .fields()
                             .at("geometry")
                             .struct_value()
                             .fields()
                             .at("coordinates")
                             .list_value()
                             .values(0)
                             .list_value();
      if (ring.values_size() != 5) ++out.ring_positions_not_5;
      Cell c{static_cast<UnitId>(props.at("code").number_value()),
             props.at("name").string_value(),
             static_cast<UnitId>(props.at("district").number_value()),
             props.at("district_name").string_value(),
             std::numeric_limits<double>::max(),
             std::numeric_limits<double>::max(),
             std::numeric_limits<double>::lowest(),
             std::numeric_limits<double>::lowest()};
      for (const auto& pos : ring.values()) {
        double lon = pos.list_value().values(0).number_value();
        double lat = pos.list_value().values(1).number_value();
        c.w = std::min(c.w, lon);
        c.e = std::max(c.e, lon);
        c.s = std::min(c.s, lat);
        c.n = std::max(c.n, lat);
      }
      out.cells.push_back(c);
    }
    return out;
  }();
  return data;
}

// What street_at must say, by brute force over the cells: the lowest code of
// all cells that contain the point, borders included.
UnitId oracle(double lat, double lon) {
  UnitId best = 0;
  for (const Cell& c : shipped().cells) {
    if (c.contains(lat, lon) && (best == 0 || c.code < best)) best = c.code;
  }
  return best;
}

const Areas& shipped_areas() {
  static const Areas areas = [] {
    Diagnostics diag;
    std::optional<Areas> a = Areas::load("beijing-streets.geojson", shipped_text(), diag);
    EXPECT_TRUE(diag.ok()) << absl::StrJoin(diag.errors(), "\n");
    return a.value();
  }();
  return areas;
}

std::string feature(std::string code, std::string geometry) {
  return absl::StrCat(R"({"type":"Feature","properties":{"code":)", code, R"(},"geometry":)",
                      geometry, "}");
}

std::string ring(double w, double s, double e, double n) {
  return absl::StrCat("[[", w, ",", s, "],[", e, ",", s, "],[", e, ",", n, "],[", w, ",", n, "],[",
                      w, ",", s, "]]");
}

std::string polygon(const std::string& rings) {
  return absl::StrCat(R"({"type":"Polygon","coordinates":[)", rings, "]}");
}

// A rectangular street: west, south, east, north (longitude, latitude).
std::string rect(UnitId code, double w, double s, double e, double n) {
  return feature(absl::StrCat(code), polygon(ring(w, s, e, n)));
}

std::string collection(const std::vector<std::string>& features) {
  return absl::StrCat(R"({"type":"FeatureCollection","features":[)", absl::StrJoin(features, ",\n"),
                      "]}");
}

std::optional<Areas> load(const std::string& text, Diagnostics& diag) {
  return Areas::load("streets.geojson", text, diag);
}

Areas must_load(const std::string& text) {
  Diagnostics diag;
  std::optional<Areas> a = load(text, diag);
  EXPECT_TRUE(diag.ok()) << absl::StrJoin(diag.errors(), "\n");
  if (!a) ADD_FAILURE() << "did not load";
  return a ? *a : *load(collection({rect(1, 0, 0, 1, 1)}), diag);
}

// The problems found in `text`, after checking that nothing loaded.
std::vector<std::string> problems(const std::string& text) {
  Diagnostics diag;
  std::optional<Areas> a = load(text, diag);
  EXPECT_FALSE(a.has_value());
  EXPECT_FALSE(diag.ok());
  return diag.errors();
}

// ------------------------------------------------------- the shipped layout

TEST(AreasShipped, LoadsWithEveryStreetOfTheCsv) {
  ASSERT_EQ(csv_streets().size(), 349u);
  Diagnostics diag;
  std::optional<Areas> areas = Areas::load("beijing-streets.geojson", shipped_text(), diag);
  ASSERT_TRUE(areas.has_value()) << absl::StrJoin(diag.errors(), "\n");
  EXPECT_TRUE(diag.ok());
  std::vector<UnitId> want;
  for (const Street& s : csv_streets()) want.push_back(s.code);
  std::sort(want.begin(), want.end());
  EXPECT_EQ(areas->size(), 349u);
  EXPECT_EQ(areas->codes(), want);
  for (UnitId code : want) EXPECT_TRUE(areas->has(code)) << code;
  EXPECT_FALSE(areas->has(110105));  // a district, not a street
}

TEST(AreasShipped, IsMarkedSyntheticAndNamesMatchTheCsv) {
  const Shipped& data = shipped();
  EXPECT_THAT(data.description, AllOf(HasSubstr("SYNTHETIC"), HasSubstr("NOT official"),
                                      HasSubstr("Replace"), HasSubstr("GIS data")));
  ASSERT_EQ(data.cells.size(), csv_streets().size());
  EXPECT_EQ(data.ring_positions_not_5, 0u);  // every cell is a closed rectangle
  for (const Street& s : csv_streets()) {
    auto it = std::find_if(data.cells.begin(), data.cells.end(),
                           [&](const Cell& c) { return c.code == s.code; });
    ASSERT_NE(it, data.cells.end()) << s.code;
    EXPECT_EQ(it->name, s.name);
    EXPECT_EQ(it->district, s.district);
    EXPECT_EQ(it->district_name, s.district_name);
  }
}

TEST(AreasShipped, EachCellCentreResolvesToItsStreet) {
  const Areas& areas = shipped_areas();
  for (const Cell& c : shipped().cells) {
    EXPECT_EQ(areas.street_at((c.s + c.n) / 2, (c.w + c.e) / 2), c.code) << c.name;
  }
}

TEST(AreasShipped, CellsTileTheCityWithNoGapsOrOverlaps) {
  // The city is lon 115.40-117.50, lat 39.40-41.10: the cells' areas add up to
  // it, and no point of it is left out, so no two cells overlap.
  double total = 0;
  for (const Cell& c : shipped().cells) {
    EXPECT_LT(c.w, c.e);
    EXPECT_LT(c.s, c.n);
    total += (c.e - c.w) * (c.n - c.s);
  }
  EXPECT_NEAR(total, 2.1 * 1.7, 1e-9);
  const Areas& areas = shipped_areas();
  for (int i = 0; i < 200; ++i) {
    for (int j = 0; j < 200; ++j) {
      double lat = 39.4 + 1.7 * (i + 0.5) / 200;
      double lon = 115.4 + 2.1 * (j + 0.5) / 200;
      UnitId got = areas.street_at(lat, lon);
      ASSERT_NE(got, 0u) << lat << "," << lon;
      ASSERT_EQ(got, oracle(lat, lon)) << lat << "," << lon;
    }
  }
  // The corners of the city are inside; just beyond its edges is nobody's.
  EXPECT_NE(areas.street_at(39.4, 115.4), 0u);
  EXPECT_NE(areas.street_at(41.1, 117.5), 0u);
  EXPECT_EQ(areas.street_at(39.39, 116.4), 0u);
  EXPECT_EQ(areas.street_at(41.11, 116.4), 0u);
  EXPECT_EQ(areas.street_at(39.9, 115.39), 0u);
  EXPECT_EQ(areas.street_at(39.9, 117.51), 0u);
  EXPECT_EQ(areas.street_at(31.23, 121.47), 0u);  // Shanghai
}

TEST(AreasShipped, BordersAndCornersGoToTheLowestCode) {
  const Areas& areas = shipped_areas();
  int shared_borders = 0;
  int four_cell_vertices = 0;
  for (const Cell& c : shipped().cells) {
    const double lats[] = {c.s, (c.s + c.n) / 2, c.n};
    const double lons[] = {c.w, (c.w + c.e) / 2, c.e};
    for (double lat : lats) {
      for (double lon : lons) {
        UnitId want = oracle(lat, lon);
        ASSERT_EQ(areas.street_at(lat, lon), want) << c.name << " " << lat << "," << lon;
        int owners = 0;
        for (const Cell& o : shipped().cells) owners += o.contains(lat, lon);
        if (owners >= 2) {
          ++shared_borders;
          EXPECT_LE(want, c.code);
        }
        if (owners == 4) ++four_cell_vertices;
      }
    }
  }
  EXPECT_GT(shared_borders, 1000);
  EXPECT_GT(four_cell_vertices, 100);  // rows with equal counts line up
}

TEST(AreasShipped, MatchesWhatTheGeneratorWritesFromTheCsv) {
  const std::string python = "/usr/bin/python3";
  if (!std::ifstream(python).good()) GTEST_SKIP() << "no " << python;
  std::string command = absl::StrCat(python, " ", repo_root(), "scripts/gen-street-polygons ",
                                     repo_root(), "examples/data/beijing-streets.csv -");
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string out;
  char buf[65536];
  for (std::size_t n; (n = fread(buf, 1, sizeof buf, pipe)) > 0;) out.append(buf, n);
  ASSERT_EQ(pclose(pipe), 0);
  EXPECT_TRUE(out == shipped_text())
      << "lib/data/beijing-streets.geojson is stale: run scripts/gen-street-polygons";
  EXPECT_LT(shipped_text().size(), 200u * 1024);
}

TEST(AreasShipped, LookupsAreFast) {
  const Areas& areas = shipped_areas();
  std::mt19937_64 rng(12345);
  std::uniform_real_distribution<double> lat(39.4, 41.1), lon(115.4, 117.5);
  std::vector<std::pair<double, double>> points(4096);
  for (auto& p : points) p = {lat(rng), lon(rng)};
  for (int i = 0; i < 256; ++i) {
    ASSERT_EQ(areas.street_at(points[i].first, points[i].second),
              oracle(points[i].first, points[i].second));
  }
  constexpr int kLookups = 1 << 20;
  std::uint64_t sum = 0;
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kLookups; ++i) {
    const auto& p = points[i & (points.size() - 1)];
    sum += areas.street_at(p.first, p.second);
  }
  double ns =
      std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count() /
      kLookups;
  EXPECT_GT(sum, 0u);
  std::cout << "[          ] street_at: " << ns << " ns per lookup (349 streets)\n";
  ::testing::Test::RecordProperty("street_at_ns", static_cast<int>(ns));
}

// ------------------------------------------------------------- lookups

TEST(Areas, InsideOutsideAndNoPlaceAtAll) {
  Areas a = must_load(collection({rect(7, 116.0, 39.0, 117.0, 40.0)}));
  EXPECT_EQ(a.street_at(39.5, 116.5), 7u);
  EXPECT_EQ(a.street_at(39.0, 116.0), 7u);  // a corner
  EXPECT_EQ(a.street_at(40.0, 116.3), 7u);  // the north edge
  EXPECT_EQ(a.street_at(40.000001, 116.3), 0u);
  EXPECT_EQ(a.street_at(39.5, 115.999999), 0u);
  EXPECT_EQ(a.street_at(-39.5, -116.5), 0u);
  EXPECT_EQ(a.street_at(116.5, 39.5), 0u);  // latitude and longitude swapped
  EXPECT_EQ(a.street_at(std::nan(""), 116.5), 0u);
  EXPECT_EQ(a.street_at(39.5, std::numeric_limits<double>::infinity()), 0u);
  EXPECT_EQ(a.street_at(91, 116.5), 0u);
}

TEST(Areas, CodesAreAscendingAndCopiesAnswerTheSame) {
  Areas a =
      must_load(collection({rect(30, 2, 0, 3, 1), rect(10, 0, 0, 1, 1), rect(20, 1, 0, 2, 1)}));
  EXPECT_EQ(a.size(), 3u);
  EXPECT_THAT(a.codes(), ElementsAre(10u, 20u, 30u));
  EXPECT_TRUE(a.has(20));
  EXPECT_FALSE(a.has(25));
  EXPECT_FALSE(a.has(0));
  Areas copy = a;
  EXPECT_EQ(copy.street_at(0.5, 2.5), 30u);
  EXPECT_EQ(copy.codes(), a.codes());
}

TEST(Areas, SharedBorderGoesToTheLowerCodeWhateverTheOrder) {
  // West 20, east 10: the border lon 116.5 is both's.
  for (bool reversed : {false, true}) {
    std::vector<std::string> fs = {rect(20, 116.0, 39.0, 116.5, 40.0),
                                   rect(10, 116.5, 39.0, 117.0, 40.0)};
    if (reversed) std::swap(fs[0], fs[1]);
    Areas a = must_load(collection(fs));
    EXPECT_EQ(a.street_at(39.5, 116.5), 10u);
    EXPECT_EQ(a.street_at(39.0, 116.5), 10u);  // the border's end, on the outline
    EXPECT_EQ(a.street_at(39.5, 116.4999), 20u);
    EXPECT_EQ(a.street_at(39.5, 116.5001), 10u);
    EXPECT_EQ(a.street_at(39.5, 116.0), 20u);  // a border with nobody
  }
}

TEST(Areas, VertexSharedByFourCells) {
  // NW 40, NE 10, SW 30, SE 20, meeting at (lon 1, lat 1).
  Areas a = must_load(collection(
      {rect(40, 0, 1, 1, 2), rect(10, 1, 1, 2, 2), rect(30, 0, 0, 1, 1), rect(20, 1, 0, 2, 1)}));
  EXPECT_EQ(a.street_at(1, 1), 10u);
  EXPECT_EQ(a.street_at(1, 0.5), 30u);  // NW|SW border
  EXPECT_EQ(a.street_at(0.5, 1), 20u);  // SW|SE border
  EXPECT_EQ(a.street_at(1.5, 1), 10u);  // NW|NE border
  EXPECT_EQ(a.street_at(1.5, 0.5), 40u);
  EXPECT_EQ(a.street_at(0.5, 0.5), 30u);
  EXPECT_EQ(a.street_at(0, 0), 30u);  // outer corners: one cell each
  EXPECT_EQ(a.street_at(2, 0), 40u);
  EXPECT_EQ(a.street_at(0, 2), 20u);
}

TEST(Areas, PolygonWithAHole) {
  // Street 5 is a square ring around a hole; the hole is nobody's, then an
  // island street's.
  std::string holed = feature("5", polygon(ring(0, 0, 10, 10) + "," + ring(4, 4, 6, 6)));
  Areas a = must_load(collection({holed}));
  EXPECT_EQ(a.street_at(5, 5), 0u);
  EXPECT_EQ(a.street_at(5, 4), 5u);  // the hole's edge is street 5's border
  EXPECT_EQ(a.street_at(2, 2), 5u);
  EXPECT_EQ(a.street_at(5, 3.9), 5u);

  Areas higher = must_load(collection({holed, rect(9, 4, 4, 6, 6)}));
  EXPECT_EQ(higher.street_at(5, 5), 9u);
  EXPECT_EQ(higher.street_at(5, 4), 5u);  // shared border: the lower code
  Areas lower = must_load(collection({holed, rect(3, 4, 4, 6, 6)}));
  EXPECT_EQ(lower.street_at(5, 5), 3u);
  EXPECT_EQ(lower.street_at(5, 4), 3u);
  EXPECT_EQ(lower.street_at(6, 6), 3u);
  EXPECT_EQ(lower.street_at(7, 7), 5u);
}

TEST(Areas, MultiPolygonStreet) {
  // Street 8 has two pieces, the second with a hole; street 2 lies between.
  std::string multi =
      feature("8", absl::StrCat(R"({"type":"MultiPolygon","coordinates":[[)", ring(0, 0, 1, 1),
                                "],[", ring(3, 0, 6, 3), ",", ring(4, 1, 5, 2), "]]}"));
  Areas a = must_load(collection({multi, rect(2, 1, 0, 3, 1)}));
  EXPECT_EQ(a.size(), 2u);
  EXPECT_EQ(a.street_at(0.5, 0.5), 8u);
  EXPECT_EQ(a.street_at(2.5, 5.5), 8u);
  EXPECT_EQ(a.street_at(1.5, 4.5), 0u);  // in the second piece's hole
  EXPECT_EQ(a.street_at(0.5, 2), 2u);
  EXPECT_EQ(a.street_at(0.5, 1), 2u);  // border between 8's first piece and 2
  EXPECT_EQ(a.street_at(2, 2), 0u);    // between the pieces, beyond street 2
  EXPECT_EQ(a.street_at(0.5, 7), 0u);
}

TEST(Areas, ClockwiseRingsAltitudesAndForeignMembersAreAccepted) {
  // RFC 7946: readers should not refuse rings against the right-hand rule.
  std::string text = R"({"type":"FeatureCollection","name":"x","bbox":[0,0,2,2],"features":[
    {"type":"Feature","id":"a","properties":{"code":4,"name":"甲","extra":[1]},
     "geometry":{"type":"Polygon","coordinates":[
       [[0,0,50],[0,2,50],[2,2,50],[2,0,50],[0,0,50]],
       [[0.5,0.5],[1.5,0.5],[1.5,1.5],[0.5,1.5],[0.5,0.5]]]}}]})";
  Areas a = must_load(text);
  EXPECT_EQ(a.street_at(0.2, 0.2), 4u);
  EXPECT_EQ(a.street_at(1, 1), 0u);  // the hole, also wound the "wrong" way
}

// ------------------------------------------------------------- refusals

TEST(AreasInvalid, NotJson) {
  EXPECT_THAT(problems(R"({"type":"FeatureCollection","features":[)"),
              ElementsAre(StartsWith("streets.geojson: not valid JSON: ")));
  EXPECT_THAT(problems(""), ElementsAre(StartsWith("streets.geojson: not valid JSON: ")));
}

TEST(AreasInvalid, NotAFeatureCollection) {
  EXPECT_THAT(problems("[1, 2]"),
              ElementsAre("streets.geojson: the top level is an array, not a GeoJSON "
                          "FeatureCollection object"));
  EXPECT_THAT(
      problems(absl::StrCat(R"({"type":"Feature","features":[)", rect(1, 0, 0, 1, 1), "]}")),
      ElementsAre("streets.geojson: type is \"Feature\", not \"FeatureCollection\""));
  EXPECT_THAT(problems(absl::StrCat(R"({"type":")", std::string(100, 'x'), R"(","features":[]})")),
              ElementsAre(absl::StrCat("streets.geojson: type is \"", std::string(40, 'x'),
                                       "...\", not \"FeatureCollection\""),
                          "streets.geojson: the FeatureCollection has no features"));
  EXPECT_THAT(problems(R"({"type":"FeatureCollection"})"),
              ElementsAre("streets.geojson: features is missing, not an array of features"));
  EXPECT_THAT(problems(R"({"features":{}})"),
              ElementsAre("streets.geojson: type is missing, not \"FeatureCollection\"",
                          "streets.geojson: features is an object, not an array of features"));
  EXPECT_THAT(problems(collection({})),
              ElementsAre("streets.geojson: the FeatureCollection has no features"));
}

TEST(AreasInvalid, FeaturesAndProperties) {
  std::string geometry = polygon(ring(0, 0, 1, 1));
  // A feature with these members and a good geometry.
  auto with = [&](const std::string& members) {
    return absl::StrCat("{", members, R"(,"geometry":)", geometry, "}");
  };
  EXPECT_THAT(
      problems(collection({
          "7",                                                           // 0
          with(R"("type":"Feature")"),                                   // 1
          with(R"("type":"Feature","properties":null)"),                 // 2
          feature(R"("110105007")", geometry),                           // 3
          feature("1.5", geometry),                                      // 4
          feature("0", geometry),                                        // 5
          feature("-3", geometry),                                       // 6
          feature("4294967296", geometry),                               // 7
          with(R"("type":"Feature","properties":{"name":"x"})"),         // 8
          with(R"("type":"Feature","properties":{"code":9,"name":9})"),  // 9
          with(R"("type":"Geometry","properties":{"code":10})"),         // 10
          with(R"("properties":{"code":11})"),                           // 11
          rect(12, 0, 0, 1, 1),                                          // 12: fine
      })),
      ElementsAre(
          "streets.geojson: feature 0: is a number, not a Feature object",
          "streets.geojson: feature 1: has no properties",
          "streets.geojson: feature 2: properties is null, not an object",
          "streets.geojson: feature 3: properties.code is \"110105007\", not a number",
          "streets.geojson: feature 4: properties.code 1.5 is not a unit code (a whole number "
          "from 1 to 4294967295)",
          "streets.geojson: feature 5: properties.code is 0, which is no unit's code",
          "streets.geojson: feature 6: properties.code -3 is not a unit code (a whole number "
          "from 1 to 4294967295)",
          "streets.geojson: feature 7: properties.code 4294967296 is not a unit code (a whole "
          "number from 1 to 4294967295)",
          "streets.geojson: feature 8: properties.code is missing",
          "streets.geojson: feature 9 (code 9): properties.name is a number, not a string",
          "streets.geojson: feature 10 (code 10): type is \"Geometry\", not \"Feature\"",
          "streets.geojson: feature 11 (code 11): has no type"));
}

TEST(AreasInvalid, Geometries) {
  auto f = [](int code, const std::string& geometry) {
    return feature(absl::StrCat(code), geometry);
  };
  EXPECT_THAT(
      problems(collection({
          R"({"type":"Feature","properties":{"code":1}})",
          f(2, "null"),
          f(3, R"({"type":"Point","coordinates":[116.4,39.9]})"),
          f(4, R"({"coordinates":[]})"),
          f(5, R"({"type":"Polygon"})"),
          f(6, R"({"type":"Polygon","coordinates":{}})"),
          f(7, R"({"type":"Polygon","coordinates":[]})"),
          f(8, R"({"type":"MultiPolygon","coordinates":[]})"),
          f(9, R"({"type":"MultiPolygon","coordinates":[7]})"),
      })),
      ElementsAre(
          "streets.geojson: feature 0 (code 1): has no geometry",
          "streets.geojson: feature 1 (code 2): geometry is null, not an object",
          "streets.geojson: feature 2 (code 3): geometry type is \"Point\", not \"Polygon\" or "
          "\"MultiPolygon\"",
          "streets.geojson: feature 3 (code 4): geometry has no type",
          "streets.geojson: feature 4 (code 5): geometry has no coordinates",
          "streets.geojson: feature 5 (code 6): geometry coordinates is an object, not an array",
          "streets.geojson: feature 6 (code 7): polygon has no rings",
          "streets.geojson: feature 7 (code 8): MultiPolygon has no polygons",
          "streets.geojson: feature 8 (code 9): polygon 0 is a number, not an array of rings"));
}

TEST(AreasInvalid, RingsAndPositions) {
  auto poly = [](int code, const std::string& rings) {
    return feature(absl::StrCat(code), polygon(rings));
  };
  EXPECT_THAT(
      problems(collection({
          poly(1, "[[0,0],[1,0],[1,1],[0,1],[0,0.5]]"),
          poly(2, "[[0,0],[1,0],[0,0]]"),
          poly(3, R"([[0,0],[1,0],[1,1],[0],[0,0]])"),
          poly(4, R"([[0,0],["1",0],[1,1],[0,1],[0,0]])"),
          poly(5, "[[0,0],[181,0],[1,1],[0,1],[0,0]]"),
          poly(6, "[[0,0],[1,0],[1,-90.5],[0,1],[0,0]]"),
          poly(7, R"("ring")"),
          poly(8, ring(0, 0, 4, 4) + ",[[1,1],[2,1],[1,1]]"),
          feature("9", absl::StrCat(R"({"type":"MultiPolygon","coordinates":[[)", ring(0, 0, 1, 1),
                                    "],[[[2,0],[3,0],[3,1],[2,1],[2,0.5]]]]}")),
          poly(10, "[[0,0],[1,0,0,0],[1,1],[0,1],[0,0]]"),
          poly(11, "[[0,0],[200,0],[300,0],[400,0],[500,0],[600,0],[0,0]]"),
      })),
      ElementsAre(
          "streets.geojson: feature 0 (code 1): ring 0 is not closed (its last position "
          "differs from its first)",
          "streets.geojson: feature 1 (code 2): ring 0 has 3 positions, a closed ring needs at "
          "least 4",
          "streets.geojson: feature 2 (code 3): ring 0 position 3 is not a [longitude, latitude] "
          "pair of numbers",
          "streets.geojson: feature 3 (code 4): ring 0 position 1 is not a [longitude, latitude] "
          "pair of numbers",
          "streets.geojson: feature 4 (code 5): ring 0 position 1 has longitude 181, outside "
          "[-180, 180]",
          "streets.geojson: feature 5 (code 6): ring 0 position 2 has latitude -90.5, outside "
          "[-90, 90]",
          "streets.geojson: feature 6 (code 7): ring 0 is \"ring\", not an array of positions",
          "streets.geojson: feature 7 (code 8): ring 1 has 3 positions, a closed ring needs at "
          "least 4",
          "streets.geojson: feature 8 (code 9): polygon 1 ring 0 is not closed (its last "
          "position differs from its first)",
          "streets.geojson: feature 9 (code 10): ring 0 position 1 is not a [longitude, "
          "latitude] pair of numbers",
          "streets.geojson: feature 10 (code 11): ring 0 position 1 has longitude 200, outside "
          "[-180, 180]",
          "streets.geojson: feature 10 (code 11): ring 0 position 2 has longitude 300, outside "
          "[-180, 180]",
          "streets.geojson: feature 10 (code 11): ring 0 position 3 has longitude 400, outside "
          "[-180, 180]",
          "streets.geojson: feature 10 (code 11): ring 0: 2 more positions with problems"));
}

TEST(AreasInvalid, AreasThatAreNotValid) {
  auto poly = [](int code, const std::string& rings) {
    return feature(absl::StrCat(code), polygon(rings));
  };
  std::vector<std::string> got = problems(collection({
      poly(1, "[[0,0],[3,3],[3,0],[0,1],[0,0]]"),          // a lopsided bow tie
      poly(2, ring(0, 0, 1, 1) + "," + ring(2, 2, 3, 3)),  // a hole outside
      feature("3", absl::StrCat(R"({"type":"MultiPolygon","coordinates":[[)", ring(0, 0, 2, 2),
                                "],[", ring(1, 1, 3, 3), "]]}")),  // overlapping pieces
      poly(4, "[[0,0],[1,0],[2,0],[1,0],[0,0]]"),                  // flat
      poly(5, "[[0,0],[2,2],[2,0],[0,2],[0,0]]"),                  // a symmetric bow tie
      rect(6, 0, 0, 1, 1),                                         // fine
  }));
  ASSERT_EQ(got.size(), 5u) << absl::StrJoin(got, "\n");
  EXPECT_THAT(got[0], AllOf(StartsWith("streets.geojson: feature 0 (code 1): not a valid area: "),
                            HasSubstr("self-intersection")));
  EXPECT_THAT(got[1], AllOf(StartsWith("streets.geojson: feature 1 (code 2): not a valid area: "),
                            HasSubstr("interior rings defined outside")));
  EXPECT_THAT(got[2], AllOf(StartsWith("streets.geojson: feature 2 (code 3): not a valid area: "),
                            HasSubstr("self-intersection")));
  EXPECT_THAT(got[3], AllOf(StartsWith("streets.geojson: feature 3 (code 4): not a valid area: "),
                            HasSubstr("spike")));
  EXPECT_EQ(got[4],
            "streets.geojson: feature 4 (code 5): not a valid area: a ring encloses no area (it "
            "is flat, or crosses itself into equal loops)");
}

TEST(AreasInvalid, CodeUsedTwiceOrZero) {
  EXPECT_THAT(problems(collection({rect(110105007, 0, 0, 1, 1), rect(110105008, 1, 0, 2, 1),
                                   rect(110105007, 2, 0, 3, 1), rect(0, 3, 0, 4, 1),
                                   rect(110105007, 4, 0, 5, 1)})),
              ElementsAre("streets.geojson: feature 2 (code 110105007): code 110105007 is "
                          "already feature 0's",
                          "streets.geojson: feature 3: properties.code is 0, which is no unit's "
                          "code",
                          "streets.geojson: feature 4 (code 110105007): code 110105007 is "
                          "already feature 0's"));
}

TEST(AreasInvalid, EveryProblemIsReportedAndNothingLoads) {
  Diagnostics diag;
  diag.error("policy.txtpb", 3, "an earlier problem");
  std::optional<Areas> a =
      load(collection({rect(1, 0, 0, 1, 1), feature("0", "null"), rect(3, 2, 0, 3, 1),
                       feature("4", polygon("[[0,0],[1,0],[1,1],[0,1]]")), rect(3, 5, 0, 6, 1),
                       rect(6, 7, 0, 8, 1)}),
           diag);
  EXPECT_FALSE(a.has_value());
  EXPECT_THAT(diag.errors(),
              ElementsAre("policy.txtpb:3: an earlier problem",
                          "streets.geojson: feature 1: properties.code is 0, which is no unit's "
                          "code",
                          "streets.geojson: feature 1: geometry is null, not an object",
                          "streets.geojson: feature 3 (code 4): ring 0 is not closed (its last "
                          "position differs from its first)",
                          "streets.geojson: feature 4 (code 3): code 3 is already feature 2's"));
  EXPECT_THAT(diag.status("areas").message(), HasSubstr("5 problems"));

  // Earlier problems of the caller's do not stop a good file from loading.
  std::optional<Areas> b = load(collection({rect(1, 0, 0, 1, 1)}), diag);
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->street_at(0.5, 0.5), 1u);
}

}  // namespace
}  // namespace jszb::testing
