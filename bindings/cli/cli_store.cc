// `jszb` subcommands that look after a store: init, info, case, verify, purge,
// erase-personal.
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>

#include "absl/strings/str_format.h"
#include "cli_common.h"

namespace jszb_cli {
namespace {

void run_init(const std::string& store, const std::string& policy_file) {
  if (std::ifstream(store).good())
    throw Failure(JSZB_E_INVALID,
                  absl::StrFormat("%s exists already: init makes a new store", store));
  PolicyPtr policy = load_policy(policy_file);
  EnginePtr engine = open_store(store, Access::kCreate);
  check(jszb_engine_set_policy(engine.get(), policy.get()));
  std::printf("created %s under policy \"%s\" (version %u)\n", store.c_str(),
              jszb_policy_name(policy.get()), jszb_policy_version(policy.get()));
}

void run_info(const std::string& store) {
  EnginePtr engine = open_store(store, Access::kRead);
  jszb_store_stats stats = JSZB_STORE_STATS_INIT;
  check(jszb_engine_store_stats(engine.get(), &stats));
  std::printf("store    %s\n", store.c_str());
  std::printf("size     %llu bytes", static_cast<unsigned long long>(stats.file_bytes));
  if (stats.wal_bytes != 0)
    std::printf(" (and %llu in -wal)", static_cast<unsigned long long>(stats.wal_bytes));
  std::printf("\nevents   %llu, the newest at %s\n", static_cast<unsigned long long>(stats.events),
              china_time(stats.last_event_ms).c_str());
  std::printf("cases by state:\n");
  for (int state = 1; state < 32 && jszb_state_name(state) != nullptr; ++state) {
    if (stats.cases_by_state[state] > 0)
      std::printf("  %-22s %llu\n", jszb_state_name(state),
                  static_cast<unsigned long long>(stats.cases_by_state[state]));
  }
  std::printf("  %-22s %llu\n", "total", static_cast<unsigned long long>(stats.cases));
}

void print_case(const jszb_case* c) {
  const jszb_case_info* info = jszb_case_get_info(c);
  std::printf("case %llu  %s\n", static_cast<unsigned long long>(info->id),
              or_dash(jszb_state_name(info->state)));
  if (const jszb_intake* in = info->intake) {
    std::printf("  received   %s via %s (%s)\n", china_time(in->time_ms).c_str(),
                or_dash(jszb_channel_name(in->channel)), or_dash(in->channel_ref));
    std::printf("  kind       %s   category %s / %s / %s\n", or_dash(jszb_kind_name(in->kind)),
                or_dash(in->category[0]), or_dash(in->category[1]), or_dash(in->category[2]));
    std::printf("  place      %s %s %s\n", or_dash(in->district), or_dash(in->street),
                or_dash(in->community));
    std::printf("  content    %s\n", or_dash(in->content));
  }
  if (info->lead_unit != 0) std::printf("  lead unit  %u\n", info->lead_unit);
  std::printf("history:\n");
  for (std::size_t i = 0;; ++i) {
    const jszb_event* e = jszb_case_get_event(c, i);
    if (e == nullptr) break;
    std::printf("  %3u  %s  %-22s -> %-20s %s", e->seq, china_time(e->time_ms).c_str(),
                or_dash(jszb_event_type_name(e->type)), or_dash(jszb_state_name(e->state)),
                or_dash(jszb_role_name(e->actor.role)));
    if (e->actor.unit != 0) std::printf(" %u", e->actor.unit);
    if (e->payload->unit != 0) std::printf("  unit %u", e->payload->unit);
    if (e->payload->text != nullptr && *e->payload->text != '\0')
      std::printf("  \"%s\"", e->payload->text);
    std::printf("\n");
  }
}

void run_case(const std::string& store, std::uint64_t id, bool json) {
  EnginePtr engine = open_store(store, Access::kRead);
  jszb_case* raw = nullptr;
  check(jszb_engine_get_case(engine.get(), id, &raw));
  CasePtr c(raw);
  if (json) {
    char* text = nullptr;
    check(jszb_case_to_json(c.get(), &text));
    Owned<char> owned(text);
    std::printf("%s\n", text);
  } else {
    print_case(c.get());
  }
}

int run_verify(const std::string& store) {
  EnginePtr engine = open_store(store, Access::kRead);
  std::uint64_t events = 0, cases = 0, mismatches = 0;
  char* problems = nullptr;
  jszb_verify_options options = JSZB_VERIFY_OPTIONS_INIT;
  options.progress = terminal_progress();  // stages "replay" (events), "compare" (cases)
  check(jszb_engine_verify_v2(engine.get(), &options, &events, &cases, &mismatches, &problems));
  Owned<char> owned(problems);
  std::printf("replayed %llu events, compared %llu cases: %llu mismatches\n",
              static_cast<unsigned long long>(events), static_cast<unsigned long long>(cases),
              static_cast<unsigned long long>(mismatches));
  if (problems != nullptr) std::fprintf(stderr, "%s\n", problems);
  return mismatches == 0 ? kDone : kDamaged;
}

void run_purge(const std::string& store, const std::string& before) {
  std::int64_t before_ms = china_midnight(before, "--before");
  EnginePtr engine = open_store(store, Access::kWrite);
  std::uint64_t purged = 0;
  check(jszb_engine_purge(engine.get(), before_ms, &purged));
  std::printf("purged %llu finished cases whose last event came before %s\n",
              static_cast<unsigned long long>(purged), china_time(before_ms).c_str());
}

void run_erase(const std::string& store, std::uint64_t id, std::int64_t time_ms) {
  EnginePtr engine = open_store(store, Access::kWrite);
  check(jszb_engine_erase_personal(engine.get(), id, time_ms));
  std::printf("erased the personal data of case %llu\n", static_cast<unsigned long long>(id));
}

}  // namespace

void add_store_commands(CLI::App& app, int* status) {
  struct Args {
    std::string store, policy_file, before;
    std::uint64_t id = 0;
    std::int64_t time_ms = 0;
    bool json = false;
  };
  auto a = std::make_shared<Args>();

  CLI::App* init =
      app.add_subcommand("init", "create a store under a policy (built-in Beijing by default)");
  init->add_option("STORE", a->store, "the store file to create")->required();
  init->add_option("--policy", a->policy_file, "a policy file (text format)")
      ->check(CLI::ExistingFile);
  init->callback([a] { run_init(a->store, a->policy_file); });

  CLI::App* info = app.add_subcommand("info", "what a store holds: cases by state, size");
  info->add_option("STORE", a->store)->required();
  info->callback([a] { run_info(a->store); });

  CLI::App* show = app.add_subcommand("case", "one case and its history");
  show->add_option("STORE", a->store)->required();
  show->add_option("ID", a->id, "the case id")->required();
  show->add_flag("--json", a->json, "as jszb.v1.Case JSON (proto field names)");
  show->callback([a] { run_case(a->store, a->id, a->json); });

  CLI::App* verify = app.add_subcommand(
      "verify",
      "check the file and replay the whole log against the stored cases (exit 4 on a mismatch)");
  verify->add_option("STORE", a->store)->required();
  verify->callback([a, status] { *status = run_verify(a->store); });

  CLI::App* purge = app.add_subcommand("purge", "delete finished cases last changed before a date");
  purge->add_option("STORE", a->store)->required();
  purge->add_option("--before", a->before, "YYYY-MM-DD, China time")->required();
  purge->callback([a] { run_purge(a->store, a->before); });

  CLI::App* erase =
      app.add_subcommand("erase-personal", "erase a citizen's personal data from a case");
  erase->add_option("STORE", a->store)->required();
  erase->add_option("CASE_ID", a->id)->required();
  erase->add_option("--time", a->time_ms, "the instant of the erasure, ms since 1970 UTC")
      ->required();
  erase->callback([a] { run_erase(a->store, a->id, a->time_ms); });
}

}  // namespace jszb_cli
