#include "policy/diagnostics.h"

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "base/utf8.h"
#include "google/protobuf/io/tokenizer.h"

namespace jszb::core {

Where Where::at(std::string_view name, int index) const {
  const google::protobuf::FieldDescriptor* field =
      type_ ? type_->FindFieldByName(std::string(name)) : nullptr;
  if (field == nullptr) return Where(file_, nullptr, nullptr, line_);
  int line = line_;
  const ParseInfoTree* nested = nullptr;
  // A repeated field has places per element only: without an index, use the first.
  if (field->is_repeated() && index < 0) index = 0;
  if (!field->is_repeated()) index = -1;
  if (tree_ != nullptr) {
    google::protobuf::TextFormat::ParseLocation loc = tree_->GetLocation(field, index);
    if (loc.line >= 0) line = loc.line + 1;
    if (field->message_type() != nullptr) nested = tree_->GetTreeForNested(field, index);
  }
  return Where(file_, nested, field->message_type(), line);
}

std::string Where::str() const {
  return line_ > 0 ? absl::StrFormat("%s:%d", file_, line_) : file_;
}

void Diagnostics::error(const Where& where, std::string message) {
  errors_.push_back(absl::StrFormat("%s: %s", where.str(), message));
}

void Diagnostics::error(std::string_view file, int line, std::string message) {
  error(Where(std::string(file), nullptr, nullptr, line), std::move(message));
}

absl::Status Diagnostics::status(std::string_view what) const {
  if (errors_.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrFormat("%s refused, %d problem%s:\n%s", what,
                                                    errors_.size(), errors_.size() == 1 ? "" : "s",
                                                    absl::StrJoin(errors_, "\n")));
}

namespace {

// Syntax errors from the text-format parser, with their places.
class Collector : public google::protobuf::io::ErrorCollector {
 public:
  Collector(std::string_view file, Diagnostics& diag) : file_(file), diag_(diag) {}
  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    diag_.error(file_, line + 1, absl::StrFormat("column %d: %s", column + 1, message));
  }
  void AddWarning(int, google::protobuf::io::ColumnNumber, const std::string&) override {}

 private:
  std::string file_;
  Diagnostics& diag_;
};

// Text format's escapes ("\377", "\0") let any bytes into a string field,
// and what a policy names (units, rules, notes) is handed out as C strings of
// UTF-8: every string must be UTF-8 without a NUL byte.
void check_strings(std::string_view file, const google::protobuf::Message& msg,
                   const google::protobuf::TextFormat::ParseInfoTree* tree, Diagnostics& diag) {
  using google::protobuf::FieldDescriptor;
  const google::protobuf::Reflection* r = msg.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  r->ListFields(msg, &fields);
  for (const FieldDescriptor* f : fields) {
    int n = f->is_repeated() ? r->FieldSize(msg, f) : 1;
    for (int i = 0; i < n; ++i) {
      int index = f->is_repeated() ? i : -1;
      if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
        const google::protobuf::Message& sub =
            f->is_repeated() ? r->GetRepeatedMessage(msg, f, i) : r->GetMessage(msg, f);
        check_strings(file, sub, tree ? tree->GetTreeForNested(f, index) : nullptr, diag);
      } else if (f->type() == FieldDescriptor::TYPE_STRING) {
        std::string scratch;
        const std::string& s = f->is_repeated() ? r->GetRepeatedStringReference(msg, f, i, &scratch)
                                                : r->GetStringReference(msg, f, &scratch);
        if (s.find('\0') == std::string::npos && is_valid_utf8(s)) continue;
        int line = tree ? tree->GetLocation(f, index).line + 1 : 0;
        diag.error(file, line,
                   absl::StrFormat("%s is not a string of UTF-8 without NUL bytes", f->name()));
      }
    }
  }
}

}  // namespace

bool parse_text(std::string_view file, std::string_view text, google::protobuf::Message* msg,
                google::protobuf::TextFormat::ParseInfoTree* tree, Diagnostics& diag) {
  Collector collector(file, diag);
  google::protobuf::TextFormat::Parser parser;
  parser.RecordErrorsTo(&collector);
  parser.WriteLocationsTo(tree);
  std::size_t before = diag.errors().size();
  bool ok = parser.ParseFromString(std::string(text), msg);
  if (ok) check_strings(file, *msg, tree, diag);
  return ok && diag.errors().size() == before;
}

}  // namespace jszb::core
