// enum_cast: an int from outside (C ABI, protobuf) as one of jszb's 8-bit enums.
// Values that do not fit become 255, which no enumeration uses, so validation
// refuses them instead of the cast wrapping them into a valid-looking value.
#ifndef JSZB_LIB_BASE_ENUM_CAST_H
#define JSZB_LIB_BASE_ENUM_CAST_H

namespace jszb::core {

template <class E>
constexpr E enum_cast(long long v) {
  return static_cast<E>(v >= 0 && v <= 254 ? v : 255);
}

}  // namespace jszb::core

#endif  // JSZB_LIB_BASE_ENUM_CAST_H
