// The jszb.v1 schema as the library compiles it: a private copy, package
// jszb.impl.v1 (cmake/private_proto.cmake says why). Inside the library it is
// known as jszb::v1.
#ifndef JSZB_LIB_MODEL_PROTO_SCHEMA_H
#define JSZB_LIB_MODEL_PROTO_SCHEMA_H

#include "jszb_impl/v1/actor.pb.h"
#include "jszb_impl/v1/case.pb.h"
#include "jszb_impl/v1/enums.pb.h"
#include "jszb_impl/v1/event.pb.h"
#include "jszb_impl/v1/intake.pb.h"
#include "jszb_impl/v1/policy.pb.h"
#include "jszb_impl/v1/report.pb.h"

namespace jszb {
namespace v1 = ::jszb::impl::v1;
}  // namespace jszb

#endif  // JSZB_LIB_MODEL_PROTO_SCHEMA_H
