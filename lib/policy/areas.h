// Areas: which street a point lies in, from the street polygons named by the
// policy's areas_file (a GeoJSON FeatureCollection, RFC 7946).
//
// Coordinates are WGS84 degrees taken as plane coordinates (x = longitude,
// y = latitude). That is what GeoJSON itself says edges are (straight lines in
// longitude/latitude), and at city scale nothing needs distances or areas on
// the sphere: the question is only which side of an edge a point is on.
//
// A point on a border counts as inside. Where areas touch or overlap, the
// street with the LOWER code wins, so every point has exactly one answer that
// does not depend on the order of the file. "On" is exact arithmetic on
// doubles: on a slanted edge, rounding may put a point a hair to either side.
//
// An Areas is immutable once loaded: copies share it, and street_at may be
// called from any number of threads.
#ifndef JSZB_LIB_POLICY_AREAS_H
#define JSZB_LIB_POLICY_AREAS_H

#include <cstddef>
#include <memory>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "jszb/types.hpp"
#include "policy/diagnostics.h"

namespace jszb::core {

class Areas {
 public:
  // Reads a FeatureCollection whose features are Polygon or MultiPolygon
  // geometries with properties.code = the street's unit code (a number) and
  // optionally properties.name (a string); other members are ignored. Every
  // problem goes to diag as "file: feature 12 (code 110105007): ring 0 is not
  // closed" (features and rings counted from 0), all of them; nullopt if any.
  // Refused: anything that is not such a collection, an empty one, rings that
  // are not closed or have fewer than 4 positions, longitudes outside
  // [-180, 180] or latitudes outside [-90, 90], geometries that are not valid
  // areas (self-intersections, holes outside their polygon, overlapping parts
  // of a MultiPolygon), a code of 0, a code used twice. Ring orientation is not
  // checked: RFC 7946 asks readers to accept either.
  static std::optional<Areas> load(std::string_view file, std::string_view geojson,
                                   Diagnostics& diag);

  // The street whose area covers the point, 0 if none (or if the point is not
  // a valid latitude/longitude). On a border shared by several streets: the
  // one with the lowest code. Cost: a descent of an R-tree of the polygons'
  // bounding boxes, then a point-in-polygon test, linear in the vertices, for
  // each box that holds the point (about 150 ns with the shipped cells).
  UnitId street_at(double lat, double lon) const;

  std::size_t size() const;           // streets
  std::vector<UnitId> codes() const;  // ascending
  bool has(UnitId code) const;

 private:
  struct Index;  // the polygons and their R-tree (areas.cc)

  explicit Areas(std::shared_ptr<const Index> index) : index_(std::move(index)) {}

  std::shared_ptr<const Index> index_;
};

}  // namespace jszb::core

#endif  // JSZB_LIB_POLICY_AREAS_H
