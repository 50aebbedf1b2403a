#include "model/proto_strings.h"

#include <string>

#include "base/utf8.h"

namespace jszb::core {

namespace {

using google::protobuf::FieldDescriptor;

// Returns false once `bad` has asked to stop.
bool walk(const google::protobuf::Message& msg, FieldPath& path,
          const std::function<bool(const FieldPath&)>& bad) {
  const google::protobuf::Reflection* r = msg.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  r->ListFields(msg, &fields);
  for (const FieldDescriptor* f : fields) {
    int n = f->is_repeated() ? r->FieldSize(msg, f) : 1;
    for (int i = 0; i < n; ++i) {
      path.emplace_back(f, f->is_repeated() ? i : -1);
      bool go_on = true;
      if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
        go_on = walk(f->is_repeated() ? r->GetRepeatedMessage(msg, f, i) : r->GetMessage(msg, f),
                     path, bad);
      } else if (f->type() == FieldDescriptor::TYPE_STRING) {
        std::string scratch;
        const std::string& s = f->is_repeated() ? r->GetRepeatedStringReference(msg, f, i, &scratch)
                                                : r->GetStringReference(msg, f, &scratch);
        if (s.find('\0') != std::string::npos || !is_valid_utf8(s)) go_on = bad(path);
      }
      path.pop_back();
      if (!go_on) return false;
    }
  }
  return true;
}

}  // namespace

void find_bad_strings(const google::protobuf::Message& msg,
                      const std::function<bool(const FieldPath&)>& bad) {
  FieldPath path;
  walk(msg, path, bad);
}

}  // namespace jszb::core
