// jszb/error.hpp: the C++ wrapper's exception (jszb::Error, thrown in the
// caller's code, never across the ABI) and the helpers that turn the C ABI's
// return codes and memory into it. Included by jszb.hpp.
#ifndef JSZB_ERROR_HPP
#define JSZB_ERROR_HPP

#include <stdexcept>
#include <string>

#include "jszb/jszb.h"
#include "jszb/types.hpp"

namespace jszb {

// A failed call: the library's code and message, and for lifecycle refusals the
// state, command and reason.
class Error : public std::runtime_error {
 public:
  explicit Error(const jszb_error& e)
      : std::runtime_error(e.message),
        code_(e.code),
        state_(static_cast<State>(e.state)),
        command_(static_cast<CommandKind>(e.command)),
        refusal_(static_cast<Refusal>(e.refusal)) {}

  int code() const { return code_; }  // a jszb_code
  State state() const { return state_; }
  CommandKind command() const { return command_; }
  Refusal refusal() const { return refusal_; }

 private:
  int code_;
  State state_;
  CommandKind command_;
  Refusal refusal_;
};

namespace detail {
inline void check(int rc) {
  if (rc != JSZB_OK) throw Error(*jszb_error_last());
}
inline const char* c_str(const std::string& s) { return s.empty() ? nullptr : s.c_str(); }
struct Free {
  void operator()(void* p) const { jszb_free(p); }
};
}  // namespace detail

}  // namespace jszb

#endif  // JSZB_ERROR_HPP
