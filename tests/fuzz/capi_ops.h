// How fuzz_capi_intake_command reads its bytes: a sequence of operations on
// one engine, each an op byte and then its fields, every field drawn by one
// of the pickers below. make_seeds.cc writes seeds in the same form.
//
// A picker's first byte mostly selects a usual value (a known unit, a time a
// little after the last one, a valid enumerator or a string of the
// dictionary) and otherwise a hostile one (INT64_MIN/MAX, an enumerator out of
// range, a string of invalid UTF-8 or over its limit, NULL).
#ifndef JSZB_TESTS_FUZZ_CAPI_OPS_H
#define JSZB_TESTS_FUZZ_CAPI_OPS_H

#include <cstdint>

namespace jszb_fuzz::ops {

enum Op : std::uint8_t {
  kSubmit = 0,
  kApply = 1,
  kDispatchRouted = 2,
  kAdvance = 3,
  kBegin = 4,
  kCommit = 5,
  kRollback = 6,
  kDeadlines = 7,
  kList = 8,
  kRoute = 9,
  kErase = 10,
  kSnapshot = 11,
  kOpCount = 12
};

// 2024-06-03 (Monday) 09:00 China time: the clock's start.
constexpr std::int64_t kClockStart = 1717376400000;

// time(): the first byte's low 4 bits.
enum TimePick : std::uint8_t {
  kSecondsLater = 0,  // 0..7: + u16 seconds
  kMinutesLater = 8,  // 8..10: + u16 minutes
  kSameTime = 11,
  kNearMin = 12,  // INT64_MIN + u8
  kNearMax = 13,  // INT64_MAX - u8
  kRawTime = 14,  // i64
  kEarlier = 15   // - u16 seconds
};

// enum_of(max): a byte below this is v % (max + 1); from it, a hostile value.
constexpr std::uint8_t kEnumHostile = 0xC0;
// unit(): a byte below this is kUnits[v % kUnitCount].
constexpr std::uint8_t kUnitHostile = 0xC0;
constexpr std::uint32_t kUnits[] = {
    110000000,   // the centre
    110105,      // 朝阳区
    110105007,   // 和平街街道
    110105026,   // 望京街道
    110105901,   // 朝阳市场监管局
    2105007039,  // 胜古庄社区居委会 (under 和平街街道)
    110000801,   // 自来水集团
    110101001,   // 东华门街道
};
constexpr std::uint32_t kUnitCount = sizeof kUnits / sizeof kUnits[0];

// str(): the first byte.
constexpr std::uint8_t kRawMax = 0xC0;     // below: that many % 64 raw bytes follow
constexpr std::uint8_t kDictFirst = 0xC0;  // 0xC0..0xDF: kDict[v - 0xC0]
constexpr std::uint8_t kStrNull = 0xE0;
constexpr std::uint8_t kStrEmpty = 0xE1;
constexpr std::uint8_t kTextAtLimit = 0xE2;    // 65536 bytes
constexpr std::uint8_t kTextOverLimit = 0xE3;  // 65537 bytes
constexpr std::uint8_t kNameAtLimit = 0xE4;    // 256 bytes
constexpr std::uint8_t kNameOverLimit = 0xE5;  // 257 bytes
constexpr std::uint8_t kBadUtf8First = 0xE6;   // 0xE6..0xEA: invalid UTF-8 of kinds
constexpr std::uint8_t kLongChinese = 0xEB;    // 400 x "朝" (1200 bytes)
constexpr const char* kDict[] = {
    "朝阳区",       "和平街街道", "望京街道", "东城区",   "东华门街道",  "胜古庄社区",
    "城乡建设",     "施工管理",   "夜间施工", "市场管理", "预付式消费",  "工地夜间施工扰民",
    "路灯不亮",     "12345-1",    "12345-2",  "张三",     "13800000000", "和平街1号",
    "朝阳",         "已处理",     "req-1",    "req-2",    "交通管理",    "噪音",
    "问题已经解决", "不满意",     "a",        "海淀区",   "八里庄街道",  "",
    "x/y",          "退费难",
};
constexpr std::uint32_t kDictCount = sizeof kDict / sizeof kDict[0];
static_assert(kDictCount == 32, "0xC0..0xDF");

// The payload's mask (u16): which fields the command sets.
enum PayloadField : std::uint16_t {
  kUnit = 1 << 0,
  kMode = 1 << 1,
  kCopyTo = 1 << 2,
  kUnitsList = 1 << 3,
  kReason = 1 << 4,
  kLevel = 1 << 5,
  kReplyFlags = 1 << 6,  // contacted, solved
  kVisit = 1 << 7,       // valid_visit, satisfaction, visit_method
  kUntil = 1 << 8,
  kOtherCase = 1 << 9,
  kText = 1 << 10,
  kEngineFields = 1 << 11,  // step, mark, action: the engine's own
  kRule = 1 << 12,
  kRequestId = 1 << 13,
};
// A unit list's count byte: below this, count % 5 units follow.
constexpr std::uint8_t kListNull = 0xFF;  // NULL with a count of 3
constexpr std::uint8_t kListOver = 0xFE;  // 65 units (over the limit of 64)

// case_id(): a byte below this is one of the ids handed out so far.
constexpr std::uint8_t kCaseHostile = 0xF0;

}  // namespace jszb_fuzz::ops

#endif  // JSZB_TESTS_FUZZ_CAPI_OPS_H
