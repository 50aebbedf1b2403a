// The C ABI of request groups, version 2: options in, groups with their
// streets and categories out, all in one block the caller frees once.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "c_convert.h"
#include "c_error.h"
#include "c_handles.h"
#include "report/report.h"

using jszb::capi::fail;
using jszb::capi::guarded;
namespace core = jszb::core;

namespace {

constexpr std::size_t kMaxMinSize = 1000000;

std::size_t aligned(std::size_t n) {
  constexpr std::size_t a = alignof(std::max_align_t);
  return (n + a - 1) / a * a;
}

// Writes `strings` into the block: their pointers at *pointers, their bytes
// (NUL-terminated) at *bytes; both cursors move on.
const char* const* put_strings(const std::vector<std::string>& strings, const char**& pointers,
                               char*& bytes) {
  const char* const* first = pointers;
  for (const std::string& s : strings) {
    std::memcpy(bytes, s.c_str(), s.size() + 1);
    *pointers++ = bytes;
    bytes += s.size() + 1;
  }
  return first;
}

// The groups as one malloc'd block: the structs, the case ids, the string
// pointers, the string bytes.
jszb_request_group_v2* to_block(const std::vector<core::RequestGroup>& groups) {
  std::size_t ids = 0, pointers = 0, bytes = 0;
  for (const core::RequestGroup& g : groups) {
    ids += g.cases.size();
    pointers += g.streets.size() + g.categories.size();
    for (const std::string& s : g.streets) bytes += s.size() + 1;
    for (const std::string& s : g.categories) bytes += s.size() + 1;
  }
  const std::size_t head = aligned(groups.size() * sizeof(jszb_request_group_v2));
  const std::size_t id_bytes = aligned(ids * sizeof(std::uint64_t));
  const std::size_t pointer_bytes = aligned(pointers * sizeof(const char*));
  auto* block = static_cast<unsigned char*>(std::malloc(head + id_bytes + pointer_bytes + bytes));
  if (block == nullptr) throw std::bad_alloc();
  auto* out = reinterpret_cast<jszb_request_group_v2*>(block);
  auto* next_id = reinterpret_cast<std::uint64_t*>(block + head);
  auto* next_pointer = reinterpret_cast<const char**>(block + head + id_bytes);
  auto* next_byte = reinterpret_cast<char*>(block + head + id_bytes + pointer_bytes);
  for (std::size_t i = 0; i < groups.size(); ++i) {
    const core::RequestGroup& g = groups[i];
    jszb_request_group_v2& o = out[i];
    o.representative = g.representative;
    o.size = g.cases.size();
    o.cases = next_id;
    for (std::uint64_t id : g.cases) *next_id++ = id;
    o.street_count = g.streets.size();
    o.streets = put_strings(g.streets, next_pointer, next_byte);
    o.category_count = g.categories.size();
    o.categories = put_strings(g.categories, next_pointer, next_byte);
  }
  return out;
}

}  // namespace

extern "C" {

int jszb_engine_request_groups_v2(jszb_engine* engine, const jszb_group_options* options,
                                  jszb_request_group_v2** groups, size_t* count) {
  return guarded([&]() -> int {
    JSZB_CHECK_ENGINE(engine);
    if (int rc = jszb::capi::check_out(groups, "groups")) return rc;
    if (int rc = jszb::capi::check_out(count, "count")) return rc;
    if (int rc = jszb::capi::check_out(options, "options")) return rc;
    if (options->version < 1 || options->version > JSZB_GROUP_OPTIONS_VERSION) {
      return fail(JSZB_E_INVALID,
                  absl::StrFormat("options.version is %d: this library knows version 1..%d "
                                  "(initialise it with JSZB_GROUP_OPTIONS_INIT)",
                                  options->version, JSZB_GROUP_OPTIONS_VERSION)
                      .c_str());
    }
    if (options->group_version != JSZB_REQUEST_GROUP_VERSION) {
      return fail(JSZB_E_INVALID,
                  absl::StrFormat("options.group_version is %d: this library fills in "
                                  "jszb_request_group_v2 of version %d",
                                  options->group_version, JSZB_REQUEST_GROUP_VERSION)
                      .c_str());
    }
    if (options->min_size < 2 || options->min_size > kMaxMinSize) {
      return fail(JSZB_E_INVALID, absl::StrFormat("options.min_size is %d: expected 2..%d requests",
                                                  options->min_size, kMaxMinSize)
                                      .c_str());
    }
    core::GroupOptions g;
    g.min_size = options->min_size;
    absl::StatusOr<std::vector<core::RequestGroup>> found =
        core::request_groups(engine->engine, options->from_ms, options->until_ms,
                             options->district != nullptr ? options->district : "",
                             static_cast<core::GroupScope>(options->scope), g);
    if (!found.ok()) return fail(found.status());  // the outputs untouched
    *groups = found->empty() ? nullptr : to_block(*found);
    *count = found->size();
    return JSZB_OK;
  });
}

}  // extern "C"
