#include "policy/diagnostics.h"

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/io/tokenizer.h"
#include "model/proto_strings.h"

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
// UTF-8: every string must be UTF-8 without a NUL byte. Each is reported at
// its line, found by following the field's path down the parse tree.
void check_strings(std::string_view file, const google::protobuf::Message& msg,
                   const google::protobuf::TextFormat::ParseInfoTree* tree, Diagnostics& diag) {
  find_bad_strings(msg, [&](const FieldPath& path) {
    const google::protobuf::TextFormat::ParseInfoTree* at = tree;
    for (std::size_t k = 0; at != nullptr && k + 1 < path.size(); ++k)
      at = at->GetTreeForNested(path[k].first, path[k].second);
    const auto& [field, index] = path.back();
    int line = at != nullptr ? at->GetLocation(field, index).line + 1 : 0;
    diag.error(file, line,
               absl::StrFormat("%s is not a string of UTF-8 without NUL bytes", field->name()));
    return true;  // every one
  });
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
