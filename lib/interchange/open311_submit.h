// Open311 GeoReport v2 into jszb: a POST service request (form-urlencoded or
// JSON) read as an intake, every field checked and a bad one named with the
// spec's name (docs/open311.md says where each field goes).
#ifndef JSZB_LIB_INTERCHANGE_OPEN311_SUBMIT_H
#define JSZB_LIB_INTERCHANGE_OPEN311_SUBMIT_H

#include <array>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "interchange/open311.h"
#include "model/intake.h"

namespace jszb::core::open311 {

enum class Content { kForm = 1, kJson = 2 };

// The intake a request becomes, with the strings it points to.
struct Submission {
  Intake intake;
  std::array<std::string, 3> category;
  std::string channel_ref;
  std::string address;
  std::string content;
  std::string contact_name;
  std::string contact_phone;

  Submission() = default;
  Submission(const Submission&) = delete;
  Submission& operator=(const Submission&) = delete;
};

// `services`: the policy's (a service_code must be one, or a category under
// one). The intake: channel web (12345 网上接诉即办), kind help (求助), actor a
// citizen, channel_ref "open311:<time>:<hash of the body>" (the same body at
// the same time is the same request).
absl::StatusOr<std::unique_ptr<Submission>> parse_submission(std::string_view body, Content content,
                                                             TimeMs time,
                                                             const std::vector<Service>& services);

}  // namespace jszb::core::open311

#endif  // JSZB_LIB_INTERCHANGE_OPEN311_SUBMIT_H
