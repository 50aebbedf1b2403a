// Intake: a request as the centre records it (受理). Strings are views: the
// caller's while a call lasts, the engine arena's once stored.
#ifndef JSZB_LIB_MODEL_INTAKE_H
#define JSZB_LIB_MODEL_INTAKE_H

#include <array>
#include <string_view>

#include "jszb/types.hpp"

namespace jszb::core {

struct Location {
  std::string_view district;
  std::string_view street;     // street or township (街道/乡镇)
  std::string_view community;  // community or village (社区/村)
  std::string_view address;
  bool has_point = false;
  double lat = 0;  // WGS84 degrees
  double lon = 0;
};

// Personal data: kept apart from the rest so that it can be erased on request.
struct Contact {
  std::string_view name;
  std::string_view phone;
};

struct Intake {
  TimeMs time = 0;
  Actor actor;
  Channel channel = Channel::kUnspecified;
  std::string_view channel_ref;  // the channel's own id
  Kind kind = Kind::kUnspecified;
  std::array<std::string_view, 3> category;  // levels 1..3
  Urgency urgency = Urgency::kNormal;
  Location location;
  std::string_view content;
  Contact contact;
};

bool operator==(const Location& a, const Location& b);
bool operator==(const Contact& a, const Contact& b);
bool operator==(const Intake& a, const Intake& b);
// Equal requests, or both absent.
bool same_intake(const Intake* a, const Intake* b);

}  // namespace jszb::core

#endif  // JSZB_LIB_MODEL_INTAKE_H
