// What a client request id stands for: a fingerprint of the command it came
// with (case, kind, time, actor, payload). A retry with the same id and the
// same command gets the original result; the same id on another command is a
// conflict (JSZB_E_CONFLICT), as idempotency keys work in payment APIs.
//
// The fingerprint is computed from the command before it runs and from the
// event it became, so it needs no storage of its own: the store keeps the
// event beside the request id. The engine's own additions to an event (a
// dispatch mode it defaults, the rate flag of a long-term hold) are
// normalised so both give the same value. The hash is FNV-1a over a fixed
// encoding: the same in every process and on every machine.
#ifndef JSZB_LIB_MODEL_REQUEST_FINGERPRINT_H
#define JSZB_LIB_MODEL_REQUEST_FINGERPRINT_H

#include <cstdint>

#include "model/command.h"
#include "model/event.h"

namespace jszb::core {

std::uint64_t request_fingerprint(const Command& cmd);
std::uint64_t request_fingerprint(const Event& e);

}  // namespace jszb::core

#endif  // JSZB_LIB_MODEL_REQUEST_FINGERPRINT_H
