// Fuzzes the replay of a JSON log through jszb_engine_replay_json: the bytes
// are lines, each a jszb.v1.Event as JSON (as jszb_event_to_json writes it),
// at most 64 of them, replayed under the built-in policy; a first line
// "nopolicy" replays under none instead (as verify() does).
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_replay.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> records;
  std::size_t start = 0;
  while (start <= text.size() && records.size() < 64) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    // A NUL inside a line ends the string the library sees, as in C.
    records.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  bool with_policy = true;
  if (!records.empty() && records.front() == "nopolicy") {
    with_policy = false;
    records.erase(records.begin());
  }
  jszb_fuzz::replay_log(records, with_policy, [](jszb_engine* e, const std::string& r) {
    return jszb_engine_replay_json(e, r.c_str());
  });
  return 0;
}
