// jszb: the operator's command-line tool over the C ABI (libjszb), as sqlite3
// is SQLite's. Each subcommand opens the store, does one thing, and exits with
// a code scripts can rely on (cli_common.h; also in `jszb --help` and
// docs/cli.md). Errors go to stderr, results to stdout (or -o FILE). The
// subcommands live in groups (cli_store.cc, cli_report.cc, ...).
#include <cstdio>
#include <exception>
#include <string>

#include "cli_common.h"

namespace jszb_cli {
namespace {

int run(int argc, char** argv) {
  CLI::App app{"jszb: look after a jszb work-order store (接诉即办) from the shell.", "jszb"};
  app.footer(kExitCodes);
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string(jszb_version()));
  int status = kDone;
  add_store_commands(app, &status);
  add_report_commands(app);
  add_interchange_commands(app);
  add_ops_commands(app);

  // CLI11 would only say that a subcommand is required: name the one given.
  if (argc > 1 && argv[1][0] != '-') {
    try {
      app.get_subcommand(argv[1]);
    } catch (const CLI::OptionNotFound&) {
      std::fprintf(stderr, "jszb: unknown subcommand \"%s\" (jszb --help lists them)\n", argv[1]);
      return kUsage;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);  // prints help or the usage error
    return rc == 0 ? kDone : kUsage;
  } catch (const Failure& f) {
    std::fprintf(stderr, "jszb: %s\n", f.message().c_str());
    return f.exit_code();
  }
  return status;
}

}  // namespace
}  // namespace jszb_cli

int main(int argc, char** argv) {
  try {
    return jszb_cli::run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "jszb: %s\n", e.what());
    return jszb_cli::kStorage;
  }
}
