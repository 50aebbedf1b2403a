// `jszb` subcommands for an operator's routine around a running store:
// backup (safe while a writer runs) and metrics (what the store shows from
// outside, in the Prometheus text format).
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

#include "cli_common.h"

namespace jszb_cli {
namespace {

void run_backup(const std::string& store, const std::string& dest) {
  jszb_backup_options opts = JSZB_BACKUP_OPTIONS_INIT;
  opts.progress = terminal_progress();
  opts.progress_payload = const_cast<char*>("pages");
  check(jszb_backup(store.c_str(), dest.c_str(), &opts));
  std::printf("backed up %s to %s\n", store.c_str(), dest.c_str());
}

void run_metrics(const std::string& store, const std::string& output) {
  EnginePtr engine = open_store(store, Access::kRead);
  char* text = nullptr;
  check(jszb_engine_metrics_prometheus(engine.get(), &text));
  Owned<char> owned(text);
  write_output(output, text);
}

}  // namespace

void add_ops_commands(CLI::App& app) {
  struct Args {
    std::string store, dest, output;
  };
  auto a = std::make_shared<Args>();

  CLI::App* backup = app.add_subcommand(
      "backup",
      "copy a store with SQLite's online backup, safe while another process writes it: DEST is "
      "the store as it was when the backup began, and appears only once complete");
  backup->add_option("STORE", a->store)->required();
  backup->add_option("DEST", a->dest, "the copy to make (must not exist)")->required();
  backup->callback([a] { run_backup(a->store, a->dest); });

  CLI::App* metrics = app.add_subcommand(
      "metrics",
      "what a store shows from outside (cases by state, events, size, newest event) in the "
      "Prometheus text format");
  metrics->add_option("STORE", a->store)->required();
  metrics->add_option("-o,--output", a->output, "file to write (default stdout)");
  metrics->callback([a] { run_metrics(a->store, a->output); });
}

}  // namespace jszb_cli
