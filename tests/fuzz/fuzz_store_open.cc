// Fuzzes opening a damaged store file through jszb_engine_open_store: the
// bytes are the file (the seeds are small valid stores, which the fuzzer
// mutates), written to a scratch directory and opened; nothing else is there
// (no -wal or -shm file).
//
// Refused: JSZB_E_CORRUPT, _VERSION or _STORAGE (never _INTERNAL), *out
// untouched, a valid message. Opened: verify() runs and says what it found,
// every case (up to 16) reads as a snapshot without NULLs or bad strings
// (whether its history makes sense is verify()'s to say), the assessment and a
// report of the month read the counters, and the engine closes.
#include <unistd.h>

#include <cstdint>
#include <string>

#include "fuzz_common.h"
#include "fuzz_engine_checks.h"

namespace {

using jszb_fuzz::check_rc;
using jszb_fuzz::kPoison64;
using jszb_fuzz::poison_ptr;

void check_verify(jszb_engine* e) {
  std::uint64_t events = kPoison64, cases = kPoison64, mismatches = kPoison64;
  char* problems = poison_ptr<char>();
  int rc = check_rc(jszb_engine_verify(e, &events, &cases, &mismatches, &problems));
  if (rc != JSZB_OK) {
    FUZZ_CHECK(events == kPoison64 && cases == kPoison64 && mismatches == kPoison64);
    FUZZ_CHECK(problems == poison_ptr<char>());
    return;
  }
  FUZZ_CHECK((problems == nullptr) == (mismatches == 0));
  if (problems != nullptr) FUZZ_CHECK(jszb_fuzz::valid_utf8(problems));
  jszb_free(problems);
}

void check_cases(jszb_engine* e) {
  std::uint64_t* ids = poison_ptr<std::uint64_t>();
  std::size_t count = jszb_fuzz::kPoisonSize;
  if (check_rc(jszb_engine_list_cases(e, nullptr, &ids, &count)) != JSZB_OK) {
    FUZZ_CHECK(ids == poison_ptr<std::uint64_t>() && count == jszb_fuzz::kPoisonSize);
    return;
  }
  for (std::size_t i = 0; i < count && i < 16; ++i) {
    jszb_case* c = poison_ptr<jszb_case>();
    if (check_rc(jszb_engine_get_case(e, ids[i], &c)) != JSZB_OK) {
      FUZZ_CHECK(c == poison_ptr<jszb_case>());
      continue;
    }
    jszb_fuzz::check_case_snapshot(c, ids[i], /*consistent=*/false);
    jszb_case_free(c);
  }
  jszb_free(ids);
}

void check_figures(jszb_engine* e) {
  std::int64_t from = 0, until = 0;
  FUZZ_CHECK(jszb_assessment_month(2024, 6, &from, &until) == JSZB_OK);
  jszb_unit_score* scores = poison_ptr<jszb_unit_score>();
  std::size_t count = jszb_fuzz::kPoisonSize;
  // On failure jszb_engine_assess and _report set their outputs to NULL (and
  // 0), as tests/c/report_capi_test.c expects, where the header's rule says
  // they are left alone: tests/fuzz/README.md, "Left open".
  if (check_rc(jszb_engine_assess(e, from, until, nullptr, &scores, &count)) == JSZB_OK) {
    FUZZ_CHECK(count == 0 ? scores == nullptr : scores != nullptr);
    jszb_free(scores);
  } else {
    FUZZ_CHECK(scores == poison_ptr<jszb_unit_score>() || (scores == nullptr && count == 0));
  }
  jszb_report_options opts = JSZB_REPORT_OPTIONS_INIT;
  opts.from_ms = from;
  opts.until_ms = until;
  char* json = poison_ptr<char>();
  if (check_rc(jszb_engine_report(e, &opts, JSZB_REPORT_JSON, &json)) == JSZB_OK) {
    FUZZ_CHECK(jszb_fuzz::valid_utf8(json));
    jszb_free(json);
  } else {
    FUZZ_CHECK(json == poison_ptr<char>() || json == nullptr);
  }
}

void remove_store(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal", "-lock"})
    unlink((path + suffix).c_str());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = jszb_fuzz::scratch_dir() + "/store.db";
  remove_store(path);
  jszb_fuzz::write_file(path, data, size);
  jszb_store_options opts = JSZB_STORE_OPTIONS_INIT;
  opts.synchronous = JSZB_SYNC_NORMAL;  // no fsync: the file is thrown away
  jszb_engine* e = poison_ptr<jszb_engine>();
  int rc = check_rc(jszb_engine_open_store(path.c_str(), nullptr, &opts, &e));
  if (rc != JSZB_OK) {
    FUZZ_CHECK(e == poison_ptr<jszb_engine>());
    FUZZ_CHECK(rc == JSZB_E_CORRUPT || rc == JSZB_E_VERSION || rc == JSZB_E_STORAGE);
    remove_store(path);
    return 0;
  }
  FUZZ_CHECK(e != nullptr);
  check_verify(e);
  check_cases(e);
  check_figures(e);
  jszb_engine_close(e);
  remove_store(path);
  return 0;
}
