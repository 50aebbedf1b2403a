#include "policy/areas.h"

#include <algorithm>
#include <boost/geometry.hpp>
#include <boost/geometry/geometries/box.hpp>
#include <boost/geometry/geometries/multi_polygon.hpp>
#include <boost/geometry/geometries/point_xy.hpp>
#include <boost/geometry/geometries/polygon.hpp>
#include <boost/geometry/index/rtree.hpp>
#include <boost/iterator/function_output_iterator.hpp>
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"

namespace jszb::core {
namespace {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;

using Point = bg::model::d2::point_xy<double>;  // x: longitude, y: latitude
// Counterclockwise outer rings, as GeoJSON writes them; bg::correct turns
// clockwise input around.
using Polygon = bg::model::polygon<Point, /*ClockWise=*/false, /*Closed=*/true>;
using MultiPolygon = bg::model::multi_polygon<Polygon>;
using Box = bg::model::box<Point>;
using Entry = std::pair<Box, std::uint32_t>;  // a polygon's bounds, its index in parts

using google::protobuf::ListValue;
using google::protobuf::Struct;
using google::protobuf::Value;

constexpr double kMaxCode = 4294967295.0;
// Bad positions reported per ring: one broken ring should not bury the rest.
constexpr int kMaxPositionErrors = 3;

struct Part {
  Polygon polygon;
  UnitId code;
};

const Value* member(const Struct& s, const char* key) {
  auto it = s.fields().find(key);
  return it == s.fields().end() ? nullptr : &it->second;
}

std::string kind_of(const Value& v) {
  switch (v.kind_case()) {
    case Value::kNullValue:
      return "null";
    case Value::kNumberValue:
      return "a number";
    case Value::kStringValue:  // quoted, and cut short: it may be anything
      return absl::StrCat("\"", v.string_value().substr(0, 40),
                          v.string_value().size() > 40 ? "...\"" : "\"");
    case Value::kBoolValue:
      return "a boolean";
    case Value::kStructValue:
      return "an object";
    case Value::kListValue:
      return "an array";
    default:
      return "nothing";
  }
}

std::string num(double d) { return absl::StrFormat("%.10g", d); }

// One feature's reading: its problems, prefixed "feature i (code c)".
class FeatureReader {
 public:
  FeatureReader(std::string_view file, int index, Diagnostics& diag)
      : file_(file), label_(absl::StrCat("feature ", index)), diag_(diag) {}

  // The parts of feature `v`, or false after reporting its problems.
  bool read(const Value& v, UnitId* code, MultiPolygon* parts);

 private:
  void error(std::string what) {
    diag_.error(file_, 0, absl::StrCat(label_, ": ", what));
    ok_ = false;
  }
  UnitId read_code(const Struct& properties);
  void read_geometry(const Value* geometry, MultiPolygon* parts);
  void read_polygon(const Value& rings, const std::string& prefix, Polygon* out);
  bool read_ring(const Value& ring, const std::string& what, std::vector<Point>* out);

  std::string_view file_;
  std::string label_;
  Diagnostics& diag_;
  bool ok_ = true;
};

bool FeatureReader::read(const Value& v, UnitId* code, MultiPolygon* parts) {
  if (v.kind_case() != Value::kStructValue) {
    error(absl::StrCat("is ", kind_of(v), ", not a Feature object"));
    return false;
  }
  const Struct& feature = v.struct_value();
  // The code first, so that every later problem names it.
  const Value* props = member(feature, "properties");
  if (props == nullptr || props->kind_case() != Value::kStructValue) {
    error(props == nullptr ? "has no properties"
                           : absl::StrCat("properties is ", kind_of(*props), ", not an object"));
  } else {
    *code = read_code(props->struct_value());
    if (*code != 0) absl::StrAppend(&label_, " (code ", *code, ")");
    if (const Value* name = member(props->struct_value(), "name");
        name != nullptr && name->kind_case() != Value::kStringValue) {
      error(absl::StrCat("properties.name is ", kind_of(*name), ", not a string"));
    }
  }
  const Value* type = member(feature, "type");
  if (type == nullptr) {
    error("has no type");
  } else if (type->kind_case() != Value::kStringValue || type->string_value() != "Feature") {
    error(absl::StrCat("type is ", kind_of(*type), ", not \"Feature\""));
  }
  read_geometry(member(feature, "geometry"), parts);
  if (!ok_) return false;

  // Validity needs whole polygons: holes inside their outer ring, no
  // self-intersections, parts of a MultiPolygon that do not overlap.
  bg::correct(*parts);
  bg::validity_failure_type failure;
  if (bg::is_valid(*parts, failure)) return true;
  std::string reason;
  if (failure == bg::failure_wrong_orientation) {
    // Left after bg::correct only by rings whose signed area is zero.
    reason = "a ring encloses no area (it is flat, or crosses itself into equal loops)";
  } else {
    bg::is_valid(*parts, reason);
  }
  error(absl::StrCat("not a valid area: ", reason));
  return false;
}

UnitId FeatureReader::read_code(const Struct& properties) {
  const Value* code = member(properties, "code");
  if (code == nullptr) {
    error("properties.code is missing");
    return 0;
  }
  if (code->kind_case() != Value::kNumberValue) {
    error(absl::StrCat("properties.code is ", kind_of(*code), ", not a number"));
    return 0;
  }
  double d = code->number_value();
  if (d == 0) {
    error("properties.code is 0, which is no unit's code");
    return 0;
  }
  if (!(d >= 1 && d <= kMaxCode && d == std::floor(d))) {
    error(absl::StrCat("properties.code ", num(d),
                       " is not a unit code (a whole number from 1 to 4294967295)"));
    return 0;
  }
  return static_cast<UnitId>(d);
}

void FeatureReader::read_geometry(const Value* geometry, MultiPolygon* parts) {
  if (geometry == nullptr || geometry->kind_case() != Value::kStructValue) {
    error(geometry == nullptr
              ? "has no geometry"
              : absl::StrCat("geometry is ", kind_of(*geometry), ", not an object"));
    return;
  }
  const Struct& g = geometry->struct_value();
  const Value* type = member(g, "type");
  std::string type_name =
      type != nullptr && type->kind_case() == Value::kStringValue ? type->string_value() : "";
  if (type_name != "Polygon" && type_name != "MultiPolygon") {
    error(type == nullptr ? "geometry has no type"
                          : absl::StrCat("geometry type is ", kind_of(*type),
                                         ", not \"Polygon\" or \"MultiPolygon\""));
    return;
  }
  const Value* coords = member(g, "coordinates");
  if (coords == nullptr || coords->kind_case() != Value::kListValue) {
    error(coords == nullptr
              ? "geometry has no coordinates"
              : absl::StrCat("geometry coordinates is ", kind_of(*coords), ", not an array"));
    return;
  }
  if (type_name == "Polygon") {
    parts->emplace_back();
    read_polygon(*coords, "", &parts->back());
    return;
  }
  const ListValue& polygons = coords->list_value();
  if (polygons.values_size() == 0) error("MultiPolygon has no polygons");
  for (int i = 0; i < polygons.values_size(); ++i) {
    parts->emplace_back();
    read_polygon(polygons.values(i), absl::StrCat("polygon ", i, " "), &parts->back());
  }
}

void FeatureReader::read_polygon(const Value& rings, const std::string& prefix, Polygon* out) {
  if (rings.kind_case() != Value::kListValue || rings.list_value().values_size() == 0) {
    error(rings.kind_case() != Value::kListValue
              ? absl::StrCat(prefix.empty() ? "polygon " : prefix, "is ", kind_of(rings),
                             ", not an array of rings")
              : absl::StrCat(prefix.empty() ? "polygon " : prefix, "has no rings"));
    return;
  }
  const ListValue& list = rings.list_value();
  for (int i = 0; i < list.values_size(); ++i) {
    std::vector<Point> ring;
    if (!read_ring(list.values(i), absl::StrCat(prefix, "ring ", i), &ring)) continue;
    if (i == 0) {
      out->outer().assign(ring.begin(), ring.end());
    } else {
      out->inners().emplace_back(ring.begin(), ring.end());
    }
  }
}

bool FeatureReader::read_ring(const Value& ring, const std::string& what, std::vector<Point>* out) {
  if (ring.kind_case() != Value::kListValue) {
    error(absl::StrCat(what, " is ", kind_of(ring), ", not an array of positions"));
    return false;
  }
  const ListValue& positions = ring.list_value();
  int bad = 0;
  for (int i = 0; i < positions.values_size(); ++i) {
    const Value& pos = positions.values(i);
    std::string problem;
    // [longitude, latitude], optionally an altitude, which is ignored.
    const ListValue* xy = pos.kind_case() == Value::kListValue ? &pos.list_value() : nullptr;
    if (xy == nullptr || xy->values_size() < 2 || xy->values_size() > 3 ||
        !std::all_of(xy->values().begin(), xy->values().end(),
                     [](const Value& v) { return v.kind_case() == Value::kNumberValue; })) {
      problem = "is not a [longitude, latitude] pair of numbers";
    } else {
      double lon = xy->values(0).number_value();
      double lat = xy->values(1).number_value();
      if (!(lon >= -180 && lon <= 180)) {
        problem = absl::StrCat("has longitude ", num(lon), ", outside [-180, 180]");
      } else if (!(lat >= -90 && lat <= 90)) {
        problem = absl::StrCat("has latitude ", num(lat), ", outside [-90, 90]");
      } else {
        out->emplace_back(lon, lat);
      }
    }
    if (!problem.empty() && ++bad <= kMaxPositionErrors) {
      error(absl::StrCat(what, " position ", i, " ", problem));
    }
  }
  if (bad > kMaxPositionErrors) {
    error(absl::StrCat(what, ": ", bad - kMaxPositionErrors, " more positions with problems"));
  }
  if (positions.values_size() < 4) {
    error(absl::StrCat(what, " has ", positions.values_size(),
                       " positions, a closed ring needs at least 4"));
    return false;
  }
  if (bad > 0) return false;
  if (!bg::equals(out->front(), out->back())) {
    error(absl::StrCat(what, " is not closed (its last position differs from its first)"));
    return false;
  }
  return true;
}

}  // namespace

struct Areas::Index {
  std::vector<Part> parts;  // one per polygon; a MultiPolygon gives several
  bgi::rtree<Entry, bgi::quadratic<8>> rtree;
  std::vector<UnitId> codes;  // ascending
};

std::optional<Areas> Areas::load(std::string_view file, std::string_view geojson,
                                 Diagnostics& diag) {
  std::size_t before = diag.errors().size();
  Value root;
  auto parsed = google::protobuf::util::JsonStringToMessage(std::string(geojson), &root);
  if (!parsed.ok()) {
    // The parser's message continues with an excerpt and a caret on further
    // lines: keep the first line.
    std::string message(parsed.message().data(), parsed.message().size());
    diag.error(file, 0, absl::StrCat("not valid JSON: ", message.substr(0, message.find('\n'))));
    return std::nullopt;
  }
  if (root.kind_case() != Value::kStructValue) {
    diag.error(file, 0,
               absl::StrCat("the top level is ", kind_of(root),
                            ", not a GeoJSON FeatureCollection object"));
    return std::nullopt;
  }
  const Value* type = member(root.struct_value(), "type");
  const Value* features = member(root.struct_value(), "features");
  if (type == nullptr || type->kind_case() != Value::kStringValue ||
      type->string_value() != "FeatureCollection") {
    diag.error(
        file, 0,
        absl::StrCat("type is ", type ? kind_of(*type) : "missing", ", not \"FeatureCollection\""));
  }
  if (features == nullptr || features->kind_case() != Value::kListValue) {
    diag.error(file, 0,
               absl::StrCat("features is ", features ? kind_of(*features) : "missing",
                            ", not an array of features"));
    return std::nullopt;
  }
  const ListValue& list = features->list_value();
  if (list.values_size() == 0) diag.error(file, 0, "the FeatureCollection has no features");

  auto index = std::make_shared<Index>();
  absl::flat_hash_map<UnitId, int> first_feature;  // code → the feature that has it
  for (int i = 0; i < list.values_size(); ++i) {
    UnitId code = 0;
    MultiPolygon parts;
    bool ok = FeatureReader(file, i, diag).read(list.values(i), &code, &parts);
    if (code != 0) {
      auto [it, fresh] = first_feature.emplace(code, i);
      if (!fresh) {
        diag.error(file, 0,
                   absl::StrFormat("feature %d (code %d): code %d is already feature %d's", i, code,
                                   code, it->second));
        ok = false;
      }
    }
    if (!ok) continue;
    for (Polygon& p : parts) index->parts.push_back({std::move(p), code});
    index->codes.push_back(code);
  }
  if (diag.errors().size() != before) return std::nullopt;

  std::vector<Entry> entries;
  entries.reserve(index->parts.size());
  for (std::size_t i = 0; i < index->parts.size(); ++i) {
    entries.emplace_back(bg::return_envelope<Box>(index->parts[i].polygon),
                         static_cast<std::uint32_t>(i));
  }
  // The range constructor packs the tree (bulk loading): better queries than
  // inserting one by one.
  index->rtree = decltype(index->rtree)(entries.begin(), entries.end());
  std::sort(index->codes.begin(), index->codes.end());
  return Areas(std::move(index));
}

UnitId Areas::street_at(double lat, double lon) const {
  // Also refuses NaN, which no comparison lets through.
  if (!index_ || !(lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180)) return 0;
  const Point p(lon, lat);
  UnitId best = 0;
  auto consider = [&](const Entry& e) {
    const Part& part = index_->parts[e.second];
    // A lower code already found wins any tie: no need to test this one.
    if ((best == 0 || part.code < best) && bg::covered_by(p, part.polygon)) best = part.code;
  };
  index_->rtree.query(bgi::intersects(p), boost::make_function_output_iterator(consider));
  return best;
}

std::size_t Areas::size() const { return index_ ? index_->codes.size() : 0; }

std::vector<UnitId> Areas::codes() const { return index_ ? index_->codes : std::vector<UnitId>{}; }

bool Areas::has(UnitId code) const {
  return index_ && std::binary_search(index_->codes.begin(), index_->codes.end(), code);
}

}  // namespace jszb::core
