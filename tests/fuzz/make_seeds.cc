// Writes the generated part of the seed corpus (tests/fuzz/README.md): logs
// of a few cases under the built-in policy, in protobuf and JSON; operation
// sequences for fuzz_capi_intake_command (capi_ops.h); a small valid store.
// The policy and GeoJSON seeds are hand-written files.
//
// Usage: jszb_fuzz_seeds CORPUS_DIR (the directory holding one folder per
// target). Built in the fuzz preset; not a fuzz target.
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "capi_ops.h"
#include "jszb/jszb.h"

namespace {

namespace ops = jszb_fuzz::ops;
constexpr std::int64_t kT0 = ops::kClockStart;
constexpr std::int64_t kMinute = 60000, kHour = 60 * kMinute, kDay = 24 * kHour;

void must(int rc, const char* what) {
  if (rc == JSZB_OK) return;
  std::fprintf(stderr, "%s: %d %s\n", what, rc, jszb_error_last()->message);
  std::exit(1);
}

void write(const std::string& path, const std::string& bytes) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr || std::fwrite(bytes.data(), 1, bytes.size(), f) != bytes.size()) {
    std::perror(path.c_str());
    std::exit(1);
  }
  std::fclose(f);
}

jszb_actor actor(int role, std::uint32_t unit) { return jszb_actor{role, unit, 0}; }
const jszb_actor kOperator = actor(JSZB_ROLE_OPERATOR, 110000000);
const jszb_actor kDispatcher = actor(JSZB_ROLE_DISPATCHER, 110000000);
const jszb_actor kStreet = actor(JSZB_ROLE_UNIT, 110105007);

std::uint64_t submit(jszb_engine* e, const char* ref, std::int64_t t) {
  jszb_intake in = JSZB_INTAKE_INIT;
  in.time_ms = t;
  in.actor = kOperator;
  in.channel = JSZB_CHANNEL_PHONE;
  in.channel_ref = ref;
  in.kind = JSZB_KIND_COMPLAINT;
  in.category[0] = "城乡建设";
  in.category[1] = "施工管理";
  in.district = "朝阳区";
  in.street = "和平街街道";
  in.content = "工地夜间施工扰民";
  in.contact_name = "张三";
  std::uint64_t id = 0;
  must(jszb_engine_submit(e, &in, &id, nullptr), "submit");
  return id;
}

void apply(jszb_engine* e, std::uint64_t id, int kind, std::int64_t t, jszb_actor who,
           jszb_payload p = jszb_payload{}) {
  jszb_command c = JSZB_COMMAND_INIT;
  c.kind = kind;
  c.case_id = id;
  c.time_ms = t;
  c.actor = who;
  c.payload = p;
  must(jszb_engine_apply(e, &c), jszb_command_name(kind));
}

// Case 1 runs to closing; case 2 is dispatched and left to its timers; case
// 3 is answered on the spot.
void scenario(jszb_engine* e) {
  std::uint64_t a = submit(e, "s-1", kT0);
  std::uint64_t b = submit(e, "s-2", kT0 + kMinute);
  std::uint64_t c = submit(e, "s-3", kT0 + 2 * kMinute);
  must(jszb_engine_dispatch_routed(e, a, kT0 + 5 * kMinute, kDispatcher), "dispatch a");
  must(jszb_engine_dispatch_routed(e, b, kT0 + 6 * kMinute, kDispatcher), "dispatch b");
  apply(e, c, JSZB_CMD_ANSWER_ON_SPOT, kT0 + 3 * kMinute, kOperator);
  apply(e, a, JSZB_CMD_SIGN, kT0 + kHour, kStreet);
  apply(e, a, JSZB_CMD_CONTACT_CITIZEN, kT0 + 2 * kHour, kStreet);
  jszb_payload reply{};
  reply.contacted = 1;
  reply.solved = 1;
  reply.text = "已协调施工单位停止夜间施工";
  apply(e, a, JSZB_CMD_REPLY, kT0 + kDay, kStreet, reply);
  jszb_payload visit{};
  visit.valid_visit = 1;
  visit.contacted = 1;
  visit.solved = 1;
  visit.satisfaction = JSZB_SATISFIED;
  visit.visit_method = JSZB_VISIT_PHONE;
  apply(e, a, JSZB_CMD_VISIT, kT0 + 2 * kDay, kOperator, visit);
  apply(e, a, JSZB_CMD_CLOSE, kT0 + 2 * kDay + kMinute, kDispatcher);
  must(jszb_engine_advance(e, kT0 + 20 * kDay), "advance");
}

// Every event of every case, case by case.
std::vector<const jszb_event*> events(jszb_engine* e, std::vector<jszb_case*>* keep) {
  std::uint64_t* ids = nullptr;
  std::size_t count = 0;
  must(jszb_engine_list_cases(e, nullptr, &ids, &count), "list");
  std::vector<const jszb_event*> out;
  for (std::size_t i = 0; i < count; ++i) {
    jszb_case* c = nullptr;
    must(jszb_engine_get_case(e, ids[i], &c), "get");
    keep->push_back(c);
    for (std::size_t k = 0; k < jszb_case_get_info(c)->event_count; ++k) {
      out.push_back(jszb_case_get_event(c, k));
    }
  }
  jszb_free(ids);
  return out;
}

void varint(std::string* out, std::uint64_t v) {
  do {
    std::uint8_t b = v & 0x7f;
    v >>= 7;
    out->push_back(static_cast<char>(v != 0 ? (b | 0x80) : b));
  } while (v != 0);
}

void write_logs(const std::string& dir, jszb_engine* e) {
  std::vector<jszb_case*> keep;
  std::vector<const jszb_event*> all = events(e, &keep);
  std::string proto(1, '\0'), json;
  for (const jszb_event* ev : all) {
    void* bytes = nullptr;
    std::size_t size = 0;
    must(jszb_event_to_proto(ev, &bytes, &size), "to_proto");
    varint(&proto, size);
    proto.append(static_cast<const char*>(bytes), size);
    jszb_free(bytes);
    char* text = nullptr;
    must(jszb_event_to_json(ev, &text), "to_json");
    json += text;
    json += '\n';
    jszb_free(text);
  }
  write(dir + "/log_replay_proto/three-cases.bin", proto);
  proto[0] = 1;  // no policy, as verify() replays
  write(dir + "/log_replay_proto/three-cases-nopolicy.bin", proto);
  write(dir + "/log_replay_json/three-cases.jsonl", json);
  write(dir + "/log_replay_json/three-cases-nopolicy.jsonl", "nopolicy\n" + json);
  for (jszb_case* c : keep) jszb_case_free(c);
}

// ---------------------------------------------- fuzz_capi_intake_command

class Ops {
 public:
  Ops& op(ops::Op o) { return byte(o); }
  Ops& byte(std::uint8_t b) {
    bytes_.push_back(static_cast<char>(b));
    return *this;
  }
  Ops& u16(std::uint16_t v) { return byte(v & 0xff).byte(v >> 8); }
  Ops& seconds_later(std::uint16_t s) { return byte(ops::kSecondsLater).u16(s); }
  Ops& minutes_later(std::uint16_t m) { return byte(ops::kMinutesLater).u16(m); }
  Ops& actor(int role, std::uint8_t unit_index) { return byte(role).byte(unit_index).byte(0); }
  Ops& dict(std::uint8_t k) { return byte(ops::kDictFirst + k); }
  Ops& null() { return byte(ops::kStrNull); }
  Ops& current_version() { return byte(0); }

  // A complaint in 朝阳区/和平街街道, reference dictionary entry `ref`.
  Ops& submit(std::uint8_t ref) {
    op(ops::kSubmit).current_version().seconds_later(60).actor(JSZB_ROLE_OPERATOR, 0);
    byte(JSZB_CHANNEL_PHONE).dict(ref).byte(JSZB_KIND_COMPLAINT).dict(6).dict(7).null();
    byte(0).dict(0).dict(1).null().dict(17).byte(0).dict(11).dict(15).dict(16);
    return *this;
  }
  // A command on case `index` of those made, at + minutes, with a mask.
  Ops& apply(int kind, std::uint8_t index, std::uint16_t minutes, int role, std::uint8_t unit,
             std::uint16_t mask) {
    op(ops::kApply).current_version().byte(static_cast<std::uint8_t>(kind - JSZB_CMD_FIRST));
    return byte(index).minutes_later(minutes).actor(role, unit).u16(mask);
  }
  const std::string& bytes() const { return bytes_; }

 private:
  std::string bytes_;
};

void write_op_seeds(const std::string& dir) {
  // A case from intake to closing.
  Ops a;
  a.submit(13).op(ops::kDispatchRouted).byte(0).seconds_later(300).actor(JSZB_ROLE_DISPATCHER, 0);
  a.apply(JSZB_CMD_SIGN, 0, 60, JSZB_ROLE_UNIT, 2, 0);
  a.apply(JSZB_CMD_REPLY, 0, 600, JSZB_ROLE_UNIT, 2, ops::kReplyFlags | ops::kText)
      .byte(1)
      .byte(1)
      .dict(19);
  a.apply(JSZB_CMD_VISIT, 0, 600, JSZB_ROLE_OPERATOR, 0, ops::kReplyFlags | ops::kVisit)
      .byte(1)
      .byte(1)
      .byte(1)
      .byte(JSZB_SATISFIED)
      .byte(JSZB_VISIT_PHONE);
  a.apply(JSZB_CMD_CLOSE, 0, 1, JSZB_ROLE_DISPATCHER, 0, 0);
  a.op(ops::kSnapshot).byte(0);
  write(dir + "/capi_intake_command/to-closing.bin", a.bytes());

  // Two cases in a batch, a dispatch by hand with copies, timers, queries.
  Ops b;
  b.op(ops::kBegin).submit(13).submit(14).op(ops::kCommit);
  b.apply(JSZB_CMD_DISPATCH, 1, 5, JSZB_ROLE_DISPATCHER, 0, ops::kUnit | ops::kCopyTo)
      .byte(3)
      .byte(1)
      .byte(1);
  b.op(ops::kAdvance).minutes_later(20000);
  b.op(ops::kDeadlines).byte(1).byte(ops::kSameTime);
  b.op(ops::kList).current_version().byte(0).byte(0).byte(0).byte(0).byte(1).dict(0);
  b.op(ops::kRoute).byte(1).byte(0).op(ops::kErase).byte(0).byte(ops::kSameTime);
  b.op(ops::kBegin).submit(20).op(ops::kRollback);
  write(dir + "/capi_intake_command/batch-timers-queries.bin", b.bytes());

  // Hostile values: an intake over its limits and in bad UTF-8, a command
  // with a NULL list, extreme times.
  Ops c;
  c.op(ops::kSubmit).current_version().byte(ops::kNearMax).byte(0).actor(JSZB_ROLE_OPERATOR, 0);
  c.byte(0xC3).byte(ops::kBadUtf8First).byte(JSZB_KIND_COMPLAINT).byte(ops::kNameOverLimit);
  c.null().null().byte(0).dict(0).dict(1).null().null().byte(0x0B).byte(ops::kTextOverLimit);
  c.null().null();
  c.submit(13).apply(JSZB_CMD_DISPATCH, 0, 1, JSZB_ROLE_DISPATCHER, 0,
                     ops::kUnit | ops::kUnitsList);
  c.byte(2).byte(ops::kListNull);
  c.op(ops::kAdvance).byte(ops::kNearMin).byte(0);
  write(dir + "/capi_intake_command/hostile-values.bin", c.bytes());
}

// ---------------------------------------------------------------- store

void shrink(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK ||
      sqlite3_exec(db, "PRAGMA journal_mode=DELETE; PRAGMA page_size=512; VACUUM;", nullptr,
                   nullptr, nullptr) != SQLITE_OK) {
    std::fprintf(stderr, "shrink %s: %s\n", path.c_str(), sqlite3_errmsg(db));
    std::exit(1);
  }
  sqlite3_close(db);
}

std::string read(const std::string& path) {
  std::string out;
  if (std::FILE* f = std::fopen(path.c_str(), "rb")) {
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) out.append(buf, n);
    std::fclose(f);
  }
  return out;
}

void remove_store(const std::string& path) {
  for (const char* s : {"", "-wal", "-shm", "-journal", "-lock"}) unlink((path + s).c_str());
}

// The store keeps the text of every policy it ran under: the seed runs under
// the small hand-written one (corpus/policy_text/small.textproto), not the
// built-in one (a megabyte of units, calendar and areas).
void write_store(const std::string& dir) {
  std::string text = read(dir + "/policy_text/small.textproto");
  jszb_policy* policy = nullptr;
  must(jszb_policy_load("small.textproto", text.c_str(), nullptr, &policy), "small policy");
  std::string path = dir + "/store_open/three-cases.db";
  remove_store(path);
  jszb_engine* e = nullptr;
  must(jszb_engine_open_store(path.c_str(), nullptr, nullptr, &e), "open_store");
  must(jszb_engine_set_policy(e, policy), "set_policy");
  scenario(e);
  jszb_engine_close(e);
  shrink(path);
  // Still a store jszb opens?
  must(jszb_engine_open_store(path.c_str(), nullptr, nullptr, &e), "reopen");
  jszb_engine_close(e);
  shrink(path);
  for (const char* s : {"-wal", "-shm", "-journal", "-lock"}) unlink((path + s).c_str());
  jszb_policy_free(policy);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
    return 2;
  }
  std::string dir = argv[1];
  for (const char* t :
       {"log_replay_proto", "log_replay_json", "capi_intake_command", "store_open"}) {
    mkdir((dir + "/" + t).c_str(), 0755);
  }
  jszb_policy* policy = nullptr;
  must(jszb_policy_default(&policy), "policy");
  jszb_engine* e = nullptr;
  must(jszb_engine_open(nullptr, &e), "open");
  must(jszb_engine_set_policy(e, policy), "set_policy");
  scenario(e);
  write_logs(dir, e);
  jszb_engine_close(e);
  write_op_seeds(dir);
  write_store(dir);
  jszb_policy_free(policy);
  return 0;
}
