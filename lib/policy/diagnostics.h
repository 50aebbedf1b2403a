// Diagnostics: problems found while loading a policy, each as "file:line: what".
// A policy is checked completely before it is used, and every problem is
// reported, not just the first; one problem is enough to refuse it.
#ifndef JSZB_LIB_POLICY_DIAGNOSTICS_H
#define JSZB_LIB_POLICY_DIAGNOSTICS_H

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/text_format.h"

namespace jszb::core {

// A place in a policy source: a file and a line (0: the file as a whole), and,
// for text-format sources, the parse tree of the message found there, so that
// the places of its fields can be named.
class Where {
 public:
  using ParseInfoTree = google::protobuf::TextFormat::ParseInfoTree;

  Where() = default;
  Where(std::string file, const ParseInfoTree* tree, const google::protobuf::Descriptor* type,
        int line = 0)
      : file_(std::move(file)), tree_(tree), type_(type), line_(line) {}

  // The place of field `name` of this message (element `index` of a repeated
  // field). Unknown places fall back to this one's line.
  Where at(std::string_view name, int index = -1) const;

  const std::string& file() const { return file_; }
  int line() const { return line_; }
  // "file:line" (or "file" when the line is unknown).
  std::string str() const;

 private:
  std::string file_;
  const ParseInfoTree* tree_ = nullptr;
  const google::protobuf::Descriptor* type_ = nullptr;
  int line_ = 0;  // 1-based
};

class Diagnostics {
 public:
  void error(const Where& where, std::string message);
  // A problem that has no better place than a file.
  void error(std::string_view file, int line, std::string message);

  bool ok() const { return errors_.empty(); }
  const std::vector<std::string>& errors() const { return errors_; }
  // OK, or InvalidArgument with every problem, one per line.
  absl::Status status(std::string_view what) const;

 private:
  std::vector<std::string> errors_;
};

// Parses text format into msg, reporting syntax errors as file:line:column.
// `tree` receives the field locations for later checks. False on any error.
bool parse_text(std::string_view file, std::string_view text, google::protobuf::Message* msg,
                google::protobuf::TextFormat::ParseInfoTree* tree, Diagnostics& diag);

}  // namespace jszb::core

#endif  // JSZB_LIB_POLICY_DIAGNOSTICS_H
