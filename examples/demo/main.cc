// jszb_demo: a week of Chaoyang district's 12345 work orders, driven through
// the engine under the default Beijing policy (routing by the dispatch
// catalogue, deadlines, escalation), or another policy file, with the daily
// bulletins (noon to noon), a weekly summary and the monthly analysis of the
// assessment month that holds the week.
//
//   jszb_demo [--seed N] [--streets PATH] [--areas PATH] [--days N] [--quiet] [--case ID]
//             [--store PATH] [--policy PATH] [--report PATH]
//
// With --policy the engine runs under that policy file instead of the built-in
// one (Policy::load_file: the files it names are read relative to it), e.g.
// examples/policies/beijing-by-department.textproto, which routes whole
// categories to district departments; the summary's dispatches by unit class
// show the difference.
//
// With --store the engine keeps its cases in a store file: the first run
// writes its week there, and each later run reopens it and goes on with the
// next week, the open cases of the earlier weeks (and their clocks) included.
//
// stdout depends only on the options (the same seed gives byte-identical
// output); the wall-clock run time goes to stderr.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "bulletin.h"
#include "catalogue.h"
#include "jszb/jszb.hpp"
#include "report.h"
#include "report_csv.h"
#include "simulation.h"
#include "tally.h"
#include "themes.h"
#include "workload.h"

#ifndef JSZB_DEMO_STREETS_CSV
#define JSZB_DEMO_STREETS_CSV "examples/data/beijing-streets.csv"
#endif
#ifndef JSZB_DEMO_STREET_AREAS
#define JSZB_DEMO_STREET_AREAS "lib/data/beijing-streets.geojson"
#endif

namespace {

struct Options {
  std::uint64_t seed = demo::Workload::kDefaultSeed;
  std::string streets = JSZB_DEMO_STREETS_CSV;
  std::string areas = JSZB_DEMO_STREET_AREAS;
  int days = 7;
  bool quiet = false;
  std::uint64_t show_case = 0;                   // --case: print this case's history at the end
  std::string store;                             // --store: a durable store to write (and continue)
  std::string policy;                            // --policy: a policy file (empty: built in)
  std::string report = "jszb-demo-report.html";  // --report: the HTML report's file
};

void usage(std::ostream& out) {
  out << "usage: jszb_demo [--seed N] [--streets PATH] [--areas PATH] [--days N] [--quiet]\n"
         "                 [--case ID] [--store PATH] [--policy PATH] [--report PATH]\n"
         "  --seed N        workload seed (default "
      << demo::Workload::kDefaultSeed
      << ")\n"
         "  --streets PATH  street list CSV (default " JSZB_DEMO_STREETS_CSV
         ")\n"
         "  --areas PATH    street areas GeoJSON, for map pins inside a street\n"
         "                  (default " JSZB_DEMO_STREET_AREAS
         ")\n"
         "  --days N        days to simulate from 2021-09-19 00:00 China time (default 7)\n"
         "  --quiet         print no daily bulletins: only the weekly summary and the\n"
         "                  monthly analysis\n"
         "  --case ID       print case ID's history (every event, the engine's own included)\n"
         "  --store PATH    keep the cases in a store file; a later run continues it with\n"
         "                  the next week\n"
         "  --policy PATH   run under this policy file instead of the built-in Beijing one,\n"
         "                  e.g. examples/policies/beijing-by-department.textproto\n"
         "  --report PATH   where to write the period's HTML report (default\n"
         "                  jszb-demo-report.html)\n";
}

bool parse_u64(const std::string& s, std::uint64_t* out) {
  if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos) return false;
  try {
    *out = std::stoull(s);
  } catch (const std::out_of_range&) {
    return false;
  }
  return true;
}

// Returns 0 to run, 1 to stop successfully (--help), 2 on a usage error.
int parse(int argc, char** argv, Options* o) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&](std::string* v) {
      if (i + 1 >= argc) return false;
      *v = argv[++i];
      return true;
    };
    std::string v;
    std::uint64_t n = 0;
    if (arg == "--help" || arg == "-h") {
      usage(std::cout);
      return 1;
    } else if (arg == "--quiet" || arg == "-q") {
      o->quiet = true;
    } else if (arg == "--seed" && value(&v) && parse_u64(v, &n)) {
      o->seed = n;
    } else if (arg == "--streets" && value(&v) && !v.empty()) {
      o->streets = v;
    } else if (arg == "--areas" && value(&v) && !v.empty()) {
      o->areas = v;
    } else if (arg == "--days" && value(&v) && parse_u64(v, &n) && n >= 1 && n <= 366) {
      o->days = static_cast<int>(n);
    } else if (arg == "--case" && value(&v) && parse_u64(v, &n) && n >= 1) {
      o->show_case = n;
    } else if (arg == "--store" && value(&v) && !v.empty()) {
      o->store = v;
    } else if (arg == "--policy" && value(&v) && !v.empty()) {
      o->policy = v;
    } else if (arg == "--report" && value(&v) && !v.empty()) {
      o->report = v;
    } else {
      std::cerr << "jszb_demo: bad option or value: " << arg << (v.empty() ? "" : " " + v) << '\n';
      usage(std::cerr);
      return 2;
    }
  }
  return 0;
}

// The engine: in memory, or on the store file (opened, or created).
jszb::Engine open_engine(const Options& opt) {
  if (opt.store.empty()) return jszb::Engine();  // default rules: one extension per cycle
  return jszb::Engine::open_store(opt.store);
}

// The week a run on this engine simulates: 0 for an empty engine, else the
// week after the latest one whose requests the store holds.
int next_week(const jszb::Engine& engine) {
  if (engine.list(jszb::State::kUnspecified, 0, 0, 1).empty()) return 0;
  int week = 0;
  for (;;) {
    jszb_case_filter f = JSZB_CASE_FILTER_INIT;
    f.received_from_ms = demo::kWeekStart + (week + 1) * 7 * demo::kDay;
    f.limit = 1;
    if (engine.list(f).empty()) return week + 1;
    ++week;
  }
}

// The library's report for the simulated period and district: one report
// object (its JSON), rendered both as the self-contained HTML page written to
// `path` and as the CSV the weekly summary prints its figures from, so the two
// cannot disagree. The page links each unit's row to the orders behind it.
demo::CsvReport write_report(const std::string& path, const demo::Workload& workload,
                             jszb::Engine& engine) {
  jszb_report_options o = JSZB_REPORT_OPTIONS_INIT;
  o.from_ms = workload.start();
  o.until_ms = workload.end();
  std::string district = workload.catalogue().district_name();
  o.district = district.c_str();
  o.top = 0;  // every street and community of the district: the page lists the streets all
  o.with_orders = 1;
  const std::string json = engine.report(o, JSZB_REPORT_JSON);
  std::ofstream file(path, std::ios::binary);
  file << jszb::render_report(json, JSZB_REPORT_HTML);
  file.close();
  if (!file) throw std::runtime_error("cannot write the report to " + path);
  return demo::CsvReport(jszb::render_report(json, JSZB_REPORT_CSV));
}

}  // namespace

int main(int argc, char** argv) {
  Options opt;
  if (int rc = parse(argc, argv, &opt)) return rc == 1 ? EXIT_SUCCESS : 2;

  try {
    demo::Catalogue catalogue = demo::Catalogue::load(opt.streets, opt.areas);
    jszb::Engine engine = open_engine(opt);
    int week = next_week(engine);
    std::size_t carried = engine.list().size();
    demo::Workload workload(catalogue, opt.seed, opt.days, week);
    // Every case runs under the built-in Beijing policy, or the --policy file:
    // set before the first submission, it routes the dispatches and runs the
    // clocks.
    jszb::Policy policy =
        opt.policy.empty() ? jszb::Policy::beijing() : jszb::Policy::load_file(opt.policy);
    engine.set_policy(policy);
    demo::define_themes(workload, engine);
    // The daily bulletins run noon to noon: the tally counts by their periods,
    // and the simulation stops at the end of each to print its bulletin.
    std::vector<demo::BulletinPeriod> bulletins =
        demo::bulletin_periods(workload.start(), workload.end());
    std::vector<demo::Ms> cuts;
    for (const demo::BulletinPeriod& b : bulletins) cuts.push_back(b.until);
    std::vector<demo::Ms> edges{workload.start()};
    edges.insert(edges.end(), cuts.begin(), cuts.end());
    demo::Tally tally(engine, edges);
    demo::Simulation sim(engine, workload);

    std::cout << "jszb " << jszb_version() << " demo: " << catalogue.district_name() << " ("
              << catalogue.streets().size() << " streets), " << workload.size() << " requests over "
              << workload.days() << " days from " << demo::format_date_time(workload.start())
              << " (UTC+8), seed " << opt.seed << "\npolicy " << policy.name() << " v"
              << policy.version() << (opt.policy.empty() ? " (built in)" : " (" + opt.policy + ")")
              << ": dispatch catalogue, deadlines, escalation ladder\n";
    if (!opt.store.empty()) {
      std::cout << "store " << opt.store << ": "
                << (week == 0 ? std::string("new")
                              : "continued, week " + std::to_string(week + 1) + ", " +
                                    std::to_string(carried) + " cases from earlier runs")
                << "\n";
    }
    std::cout << '\n';

    auto started = std::chrono::steady_clock::now();
    demo::SimulationStats stats = sim.run(cuts, [&](int k) {
      if (!opt.quiet) demo::print_bulletin(std::cout, workload, engine, tally, bulletins, k);
    });
    auto simulated = std::chrono::steady_clock::now();
    demo::CsvReport report = write_report(opt.report, workload, engine);
    demo::print_week(std::cout, workload, engine, tally, stats, report);
    demo::print_groups(std::cout, workload, report, sim);
    demo::print_themes(std::cout, workload, engine);
    demo::print_month(std::cout, workload, engine);
    std::cout << "\nHTML report 报告 of the week, the same report as the weekly summary's figures "
                 "(open it in a browser; it needs no network): "
              << opt.report << "\n";
    if (opt.show_case != 0) demo::print_case(std::cout, workload, engine, opt.show_case);
    std::cout.flush();
    auto reported = std::chrono::steady_clock::now();

    using ms = std::chrono::duration<double, std::milli>;
    std::fprintf(stderr,
                 "jszb_demo: %llu requests, %llu commands in %.0f ms (simulation with daily "
                 "bulletins), %.0f ms (weekly summary); wall clock\n",
                 static_cast<unsigned long long>(stats.submissions),
                 static_cast<unsigned long long>(stats.commands), ms(simulated - started).count(),
                 ms(reported - simulated).count());
    return EXIT_SUCCESS;
  } catch (const demo::GeneratorBug& e) {
    std::cout.flush();
    std::cerr << "jszb_demo: generator bug: " << e.what() << '\n';
    return 3;
  } catch (const jszb::Error& e) {
    std::cout.flush();
    std::cerr << "jszb_demo: jszb error: " << e.what() << '\n';
    return 4;
  } catch (const std::exception& e) {
    std::cout.flush();
    std::cerr << "jszb_demo: " << e.what() << '\n';
    return 1;
  }
}
