// `jszb` subcommands that move cases between a store and other systems:
// import and export, as JSON Lines or CSV (docs/interchange.md) or as Open311
// GeoReport v2 service requests in JSON or XML (docs/open311.md).
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>

#include "absl/strings/str_format.h"
#include "cli_common.h"

namespace jszb_cli {
namespace {

constexpr const char* kFormats = "csv, jsonl, open311 (JSON) or open311-xml";

int format_of(const std::string& name) {
  if (name == "jsonl") return JSZB_EXPORT_JSONL;
  if (name == "csv") return JSZB_EXPORT_CSV;
  if (name == "open311") return JSZB_EXPORT_OPEN311_JSON;
  if (name == "open311-xml") return JSZB_EXPORT_OPEN311_XML;
  throw Failure(JSZB_E_INVALID, absl::StrFormat("--format \"%s\": expected %s", name, kFormats));
}

bool is_open311(int format) {
  return format == JSZB_EXPORT_OPEN311_JSON || format == JSZB_EXPORT_OPEN311_XML;
}
int open311_format(int format) {
  return format == JSZB_EXPORT_OPEN311_XML ? JSZB_OPEN311_XML : JSZB_OPEN311_JSON;
}

std::string read_file(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Failure(JSZB_E_INVALID, absl::StrFormat("%s: cannot read", file));
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

struct ImportArgs {
  std::string store, file, format;
  bool skip_bad = false;
};

// An Open311 file of service requests (a requests.json or .xml of another
// system): bad requests named by their place in the file, as FILE:N: reason.
void run_open311_import(const ImportArgs& a, int format) {
  std::string data = read_file(a.file);
  EnginePtr engine = open_store(a.store, Access::kWrite);
  jszb_open311_import* raw = nullptr;
  int rc = jszb_engine_open311_import(engine.get(), data.data(), data.size(),
                                      open311_format(format), a.skip_bad ? 1 : 0, &raw);
  if (raw == nullptr) {
    // Refused as a whole: the message names the bad requests.
    if (rc != JSZB_OK) {
      throw Failure(rc, absl::StrFormat("%s: %s (--skip-bad leaves the bad requests out and "
                                        "imports the rest)",
                                        a.file, jszb_error_last()->message));
    }
    check(rc);
  }
  std::unique_ptr<jszb_open311_import, void (*)(jszb_open311_import*)> result(
      raw, &jszb_open311_import_free);
  for (std::size_t i = 0; i < jszb_open311_import_bad_count(raw); ++i) {
    std::size_t position = 0;
    const char* why = jszb_open311_import_bad(raw, i, &position);
    std::fprintf(stderr, "%s:%zu: %s\n", a.file.c_str(), position, why);
  }
  std::uint64_t imported = jszb_open311_import_imported(raw);
  std::printf("imported %llu request%s from %s", static_cast<unsigned long long>(imported),
              imported == 1 ? "" : "s", a.file.c_str());
  if (jszb_open311_import_known(raw) > 0) {
    std::printf(", %llu known already",
                static_cast<unsigned long long>(jszb_open311_import_known(raw)));
  }
  if (jszb_open311_import_bad_count(raw) > 0)
    std::printf(", left out %zu bad", jszb_open311_import_bad_count(raw));
  std::printf("\n");
}

void run_import(const ImportArgs& a) {
  jszb_import_options options = JSZB_IMPORT_OPTIONS_INIT;
  options.format = format_of(a.format);
  if (is_open311(options.format)) return run_open311_import(a, options.format);
  options.skip_bad = a.skip_bad ? 1 : 0;
  options.progress = terminal_progress();
  options.progress_payload = const_cast<char*>("cases");
  std::string data = read_file(a.file);
  EnginePtr engine = open_store(a.store, Access::kWrite);
  jszb_import_result* raw = nullptr;
  int rc = jszb_engine_import(engine.get(), &options, data.data(), data.size(), &raw);
  if (raw == nullptr) check(rc);
  std::unique_ptr<jszb_import_result, void (*)(jszb_import_result*)> result(
      raw, &jszb_import_result_free);
  for (std::size_t i = 0; i < jszb_import_result_bad_count(raw); ++i) {
    std::fprintf(stderr, "%s:%llu: %s\n", a.file.c_str(),
                 static_cast<unsigned long long>(jszb_import_result_bad_line(raw, i)),
                 jszb_import_result_bad_message(raw, i));
  }
  if (rc != JSZB_OK) {
    throw Failure(rc, absl::StrFormat("%zu bad rows in %s: nothing imported (--skip-bad leaves "
                                      "them out and imports the rest)",
                                      jszb_import_result_bad_count(raw), a.file));
  }
  std::printf("imported %llu cases from %s",
              static_cast<unsigned long long>(jszb_import_result_imported(raw)), a.file.c_str());
  if (jszb_import_result_skipped(raw) > 0) {
    std::printf(", left out %llu with bad rows",
                static_cast<unsigned long long>(jszb_import_result_skipped(raw)));
  }
  std::printf("\n");
}

struct ExportArgs {
  std::string store, format, from, to, district, output;
  bool with_personal = false;
};

int write_to_file(void* payload, const char* data, size_t n) {
  return std::fwrite(data, 1, n, static_cast<std::FILE*>(payload)) == n ? 0 : 1;
}

// Open311 service requests, as a GET /requests would answer (no district
// filter there: Open311 asks by service_code and time).
void run_open311_export(const ExportArgs& a, int format) {
  if (!a.district.empty()) {
    throw Failure(JSZB_E_INVALID,
                  "--district: not with an Open311 format (Open311 selects by time and "
                  "service_code); export csv or jsonl for one district");
  }
  jszb_open311_query query = JSZB_OPEN311_QUERY_INIT;
  if (!a.from.empty()) query.from_ms = china_midnight(a.from, "--from");
  if (!a.to.empty()) query.until_ms = china_midnight(a.to, "--to");
  query.with_personal = a.with_personal ? 1 : 0;
  EnginePtr engine = open_store(a.store, Access::kRead);
  char* text = nullptr;
  check(jszb_engine_open311_requests(engine.get(), &query, open311_format(format), &text));
  Owned<char> owned(text);
  write_output(a.output, text);
}

void run_export(const ExportArgs& a) {
  jszb_export_options options = JSZB_EXPORT_OPTIONS_INIT;
  options.format = format_of(a.format);
  if (is_open311(options.format)) return run_open311_export(a, options.format);
  if (!a.from.empty()) options.from_ms = china_midnight(a.from, "--from");
  if (!a.to.empty()) options.until_ms = china_midnight(a.to, "--to");
  options.district = a.district.empty() ? nullptr : a.district.c_str();
  options.with_personal = a.with_personal ? 1 : 0;
  options.progress = terminal_progress();
  options.progress_payload = const_cast<char*>("cases");
  EnginePtr engine = open_store(a.store, Access::kRead);
  bool to_stdout = a.output.empty() || a.output == "-";
  std::FILE* out = to_stdout ? stdout : std::fopen(a.output.c_str(), "wb");
  if (out == nullptr) throw Failure(JSZB_E_STORAGE, absl::StrFormat("%s: cannot write", a.output));
  int rc = jszb_engine_export(engine.get(), &options, write_to_file, out);
  bool flushed = std::fflush(out) == 0;
  if (!to_stdout) flushed = std::fclose(out) == 0 && flushed;
  check(rc);
  if (!flushed) throw Failure(JSZB_E_STORAGE, absl::StrFormat("%s: cannot write", a.output));
}

}  // namespace

void add_interchange_commands(CLI::App& app) {
  auto in = std::make_shared<ImportArgs>();
  CLI::App* import_cmd = app.add_subcommand(
      "import",
      "import cases from a CSV, JSON Lines or Open311 file (all or nothing, or --skip-bad)");
  import_cmd->add_option("STORE", in->store, "the store to import into")->required();
  import_cmd->add_option("FILE", in->file, "the file to import")->required();
  import_cmd->add_option("--format", in->format, kFormats)->required();
  import_cmd->add_flag(
      "--skip-bad", in->skip_bad,
      "leave out the cases with a bad row and import the rest (bad rows are listed "
      "on stderr as FILE:LINE: message either way)");
  import_cmd->callback([in] { run_import(*in); });

  auto out = std::make_shared<ExportArgs>();
  CLI::App* export_cmd =
      app.add_subcommand("export", "export cases as CSV, JSON Lines or Open311 requests");
  export_cmd->add_option("STORE", out->store, "the store to export from")->required();
  export_cmd->add_option("--format", out->format, kFormats)->required();
  export_cmd->add_option("--from", out->from,
                         "received on or after this day (YYYY-MM-DD, China time)");
  export_cmd->add_option("--to", out->to,
                         "received before this day's 00:00 (YYYY-MM-DD, China time)");
  export_cmd->add_option("--district", out->district,
                         "only this district (the name the intake gave; csv and jsonl)");
  export_cmd->add_flag("--with-personal", out->with_personal,
                       "include the citizen's contact and exact address (left out by default)");
  export_cmd->add_option("-o,--output", out->output, "the file to write (default: stdout)");
  export_cmd->callback([out] { run_export(*out); });
}

}  // namespace jszb_cli
