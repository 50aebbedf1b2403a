// What must hold of an engine's cases, whatever came before: each case's
// snapshot is consistent (its events numbered from 1 in time order, a known
// state, valid UTF-8 everywhere), serialises, and its history, exported as
// protobuf and as JSON, replays into a fresh engine to the same case.
#ifndef JSZB_TESTS_FUZZ_FUZZ_ENGINE_CHECKS_H
#define JSZB_TESTS_FUZZ_FUZZ_ENGINE_CHECKS_H

#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_common.h"

namespace jszb_fuzz {

inline void check_intake(const jszb_intake* in) {
  FUZZ_CHECK(in != nullptr);
  check_string(in->channel_ref, true);
  for (const char* c : in->category) check_string(c, true);
  for (const char* s : {in->district, in->street, in->community, in->address, in->content,
                        in->contact_name, in->contact_phone}) {
    check_string(s, true);
  }
}

// consistent: the event is what the engine made (false: read from a damaged
// store file, whose content verify() judges; still no NULL, no bad string).
inline void check_event(const jszb_event* ev, std::uint64_t id, std::size_t index,
                        bool consistent) {
  FUZZ_CHECK(ev != nullptr);
  FUZZ_CHECK(jszb_event_type_name(ev->type) != nullptr);
  FUZZ_CHECK(jszb_state_name(ev->state) != nullptr);
  if (consistent) {
    FUZZ_CHECK(ev->case_id == id && ev->seq == index + 1);
    FUZZ_CHECK((ev->intake != nullptr) == (ev->type == JSZB_EVENT_SUBMITTED));
    FUZZ_CHECK((index == 0) == (ev->type == JSZB_EVENT_SUBMITTED));
  }
  if (ev->intake != nullptr) check_intake(ev->intake);
  FUZZ_CHECK(ev->payload != nullptr);
  check_string(ev->payload->text, true);
  check_string(ev->payload->rule, true);
  check_string(ev->payload->request_id, true);
  FUZZ_CHECK(ev->deadlines_count == 0 || ev->deadlines != nullptr);
}

// The case's events as protobuf bytes and JSON, checked on the way.
struct History {
  std::vector<std::string> proto;
  std::vector<std::string> json;
  bool merged = false;  // a merge names another case: not replayed alone
};

inline History check_case_snapshot(jszb_case* c, std::uint64_t id, bool consistent = true) {
  const jszb_case_info* info = jszb_case_get_info(c);
  FUZZ_CHECK(info != nullptr && info->id == id);
  FUZZ_CHECK(jszb_state_name(info->state) != nullptr);
  FUZZ_CHECK(info->event_count >= 1);
  check_intake(info->intake);
  check_string(info->reply_text, true);
  History h;
  std::int64_t last = INT64_MIN;
  for (std::size_t i = 0; i < info->event_count; ++i) {
    const jszb_event* ev = jszb_case_get_event(c, i);
    check_event(ev, id, i, consistent);
    FUZZ_CHECK(!consistent || ev->time_ms >= last);
    last = ev->time_ms;
    if (ev->type == JSZB_EVENT_MERGED) h.merged = true;
    void* bytes = nullptr;
    std::size_t size = 0;
    int rc = check_rc(jszb_event_to_proto(ev, &bytes, &size));
    FUZZ_CHECK(!consistent || rc == JSZB_OK);
    if (rc == JSZB_OK) h.proto.emplace_back(static_cast<const char*>(bytes), size);
    jszb_free(bytes);
    char* json = nullptr;
    rc = check_rc(jszb_event_to_json(ev, &json));
    FUZZ_CHECK(!consistent || rc == JSZB_OK);
    if (rc == JSZB_OK) {
      FUZZ_CHECK(valid_utf8(json));
      h.json.emplace_back(json);
    }
    jszb_free(json);
  }
  FUZZ_CHECK(jszb_case_get_event(c, info->event_count) == nullptr);
  if (consistent) {
    FUZZ_CHECK(info->last_event_ms == last);
    FUZZ_CHECK(info->state == jszb_case_get_event(c, info->event_count - 1)->state);
  }
  return h;
}

inline std::string case_json(jszb_engine* e, std::uint64_t id) {
  jszb_case* c = nullptr;
  FUZZ_CHECK(check_rc(jszb_engine_get_case(e, id, &c)) == JSZB_OK);
  char* json = nullptr;
  FUZZ_CHECK(check_rc(jszb_case_to_json(c, &json)) == JSZB_OK);
  FUZZ_CHECK(valid_utf8(json));
  std::string out = json;
  jszb_free(json);
  void* bytes = nullptr;
  std::size_t size = 0;
  FUZZ_CHECK(check_rc(jszb_case_to_proto(c, &bytes, &size)) == JSZB_OK);
  jszb_free(bytes);
  jszb_case_free(c);
  return out;
}

// Replays a history into `fresh`, as protobuf or as JSON: every event must be
// accepted.
inline void replay_history(jszb_engine* fresh, const History& h, bool as_json, std::uint64_t id) {
  for (std::size_t i = 0; i < h.proto.size(); ++i) {
    int rc = as_json ? jszb_engine_replay_json(fresh, h.json[i].c_str())
                     : jszb_engine_replay_proto(fresh, h.proto[i].data(), h.proto[i].size());
    if (rc != JSZB_OK) {
      std::fprintf(stderr, "event %zu of case %llu does not replay: %s\n", i + 1,
                   static_cast<unsigned long long>(id), h.json[i].c_str());
    }
    FUZZ_CHECK(check_rc(rc) == JSZB_OK);
  }
}

// Checks every case of `e` (at most `limit`); open_fresh makes an engine
// like e's (the same policy) into which the cases' histories replay, each to
// the same case (as protobuf into one, as JSON into another).
template <class OpenFresh>
void check_all_cases(jszb_engine* e, std::size_t limit, OpenFresh&& open_fresh) {
  std::uint64_t* ids = poison_ptr<std::uint64_t>();
  std::size_t count = kPoisonSize;
  FUZZ_CHECK(check_rc(jszb_engine_list_cases(e, nullptr, &ids, &count)) == JSZB_OK);
  std::uint64_t total = 0;
  FUZZ_CHECK(check_rc(jszb_engine_case_count(e, &total)) == JSZB_OK);
  FUZZ_CHECK(total == count);
  FUZZ_CHECK(count == 0 ? ids == nullptr : ids != nullptr);
  std::vector<std::pair<std::uint64_t, History>> histories;
  for (std::size_t i = 0; i < count && i < limit; ++i) {
    if (i > 0) FUZZ_CHECK(ids[i] > ids[i - 1]);
    jszb_case* c = nullptr;
    FUZZ_CHECK(check_rc(jszb_engine_get_case(e, ids[i], &c)) == JSZB_OK);
    History h = check_case_snapshot(c, ids[i]);
    jszb_case_free(c);
    if (!h.merged) histories.emplace_back(ids[i], std::move(h));
  }
  jszb_free(ids);
  if (histories.empty()) return;
  for (bool as_json : {false, true}) {
    jszb_engine* fresh = open_fresh();
    for (const auto& [id, h] : histories) {
      replay_history(fresh, h, as_json, id);
      std::string expected = case_json(e, id), again = case_json(fresh, id);
      if (again != expected) {
        std::fprintf(stderr, "case %llu replayed differs:\n%s\n---\n%s\n",
                     static_cast<unsigned long long>(id), expected.c_str(), again.c_str());
      }
      FUZZ_CHECK(again == expected);
    }
    jszb_engine_close(fresh);
  }
}

}  // namespace jszb_fuzz

#endif  // JSZB_TESTS_FUZZ_FUZZ_ENGINE_CHECKS_H
