/* jszb_<struct>_init, the INIT macros as functions for FFIs: the same
   defaults, refusals named, and an older version's struct not overrun. Run one
   test by name: struct_init_test <name>; ctest registers each name. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "jszb/jszb.h"

#define FILL 0xAB   /* what a struct holds before it is initialised */
#define CANARY 0xCD /* the bytes past an older version's end */

/* Every byte written, and equal to the macro's (padding included: both are
   static, so their padding is zero). */
#define CHECK_DEFAULTS(type, init_fn, MACRO, VERSION) \
  do {                                                \
    static const type expected = MACRO;               \
    type s;                                           \
    memset(&s, FILL, sizeof s);                       \
    OK(init_fn(&s, VERSION));                         \
    CHECK(memcmp(&s, &expected, sizeof s) == 0);      \
    CHECK(s.version == VERSION);                      \
  } while (0)

static void test_defaults_equal_macros(void) {
  CHECK_DEFAULTS(jszb_engine_options, jszb_engine_options_init, JSZB_ENGINE_OPTIONS_INIT,
                 JSZB_ENGINE_OPTIONS_VERSION);
  CHECK_DEFAULTS(jszb_intake, jszb_intake_init, JSZB_INTAKE_INIT, JSZB_INTAKE_VERSION);
  CHECK_DEFAULTS(jszb_command, jszb_command_init, JSZB_COMMAND_INIT, JSZB_COMMAND_VERSION);
  CHECK_DEFAULTS(jszb_case_filter, jszb_case_filter_init, JSZB_CASE_FILTER_INIT,
                 JSZB_CASE_FILTER_VERSION);
  CHECK_DEFAULTS(jszb_store_options, jszb_store_options_init, JSZB_STORE_OPTIONS_INIT,
                 JSZB_STORE_OPTIONS_VERSION);
  CHECK_DEFAULTS(jszb_rate_weights, jszb_rate_weights_init, JSZB_RATE_WEIGHTS_INIT,
                 JSZB_RATE_WEIGHTS_VERSION);
  CHECK_DEFAULTS(jszb_report_options, jszb_report_options_init, JSZB_REPORT_OPTIONS_INIT,
                 JSZB_REPORT_OPTIONS_VERSION);
  CHECK_DEFAULTS(jszb_group_options, jszb_group_options_init, JSZB_GROUP_OPTIONS_INIT,
                 JSZB_GROUP_OPTIONS_VERSION);
  CHECK_DEFAULTS(jszb_unit_orders_options, jszb_unit_orders_options_init,
                 JSZB_UNIT_ORDERS_OPTIONS_INIT, JSZB_UNIT_ORDERS_OPTIONS_VERSION);
  CHECK_DEFAULTS(jszb_theme, jszb_theme_init, JSZB_THEME_INIT, JSZB_THEME_VERSION);
  CHECK_DEFAULTS(jszb_theme_task, jszb_theme_task_init, JSZB_THEME_TASK_INIT,
                 JSZB_THEME_TASK_VERSION);
  CHECK_DEFAULTS(jszb_verify_options, jszb_verify_options_init, JSZB_VERIFY_OPTIONS_INIT,
                 JSZB_VERIFY_OPTIONS_VERSION);
  CHECK_DEFAULTS(jszb_what_if_options, jszb_what_if_options_init, JSZB_WHAT_IF_OPTIONS_INIT,
                 JSZB_WHAT_IF_OPTIONS_VERSION);
  CHECK_DEFAULTS(jszb_theme_trend_options, jszb_theme_trend_options_init,
                 JSZB_THEME_TREND_OPTIONS_INIT, JSZB_THEME_TREND_OPTIONS_VERSION);
}

/* The field values, spelled out for a few (the memcmp above says it for all). */
static void test_defaults_by_field(void) {
  jszb_engine_options eo;
  jszb_report_options ro;
  jszb_rate_weights w;
  jszb_theme_task t;
  jszb_theme_trend_options tt;
  jszb_group_options g;
  jszb_command c;
  OK(jszb_engine_options_init(&eo, JSZB_ENGINE_OPTIONS_VERSION));
  CHECK(eo.max_extensions == 1);
  OK(jszb_report_options_init(&ro, JSZB_REPORT_OPTIONS_VERSION));
  CHECK(ro.top == 20 && ro.baseline_periods == 4 && ro.min_visits == 10 && ro.with_orders == 0);
  CHECK(ro.district == NULL && ro.from_ms == 0 && ro.until_ms == 0);
  OK(jszb_rate_weights_init(&w, JSZB_RATE_WEIGHTS_VERSION));
  CHECK(w.response == 0.1 && w.resolution == 0.5 && w.satisfaction == 0.4);
  OK(jszb_theme_task_init(&t, JSZB_THEME_TASK_VERSION));
  CHECK(t.state == JSZB_TASK_OPEN && t.title == NULL);
  OK(jszb_theme_trend_options_init(&tt, JSZB_THEME_TREND_OPTIONS_VERSION));
  CHECK(tt.period == JSZB_THEME_MONTH && tt.before == 3 && tt.after == 3);
  OK(jszb_group_options_init(&g, JSZB_GROUP_OPTIONS_VERSION));
  CHECK(g.scope == JSZB_GROUP_SCOPE_DISTRICT && g.min_size == 10);
  CHECK(g.group_version == JSZB_REQUEST_GROUP_VERSION);
  OK(jszb_command_init(&c, JSZB_COMMAND_VERSION));
  CHECK(c.kind == 0 && c.payload.text == NULL && c.payload.request_id == NULL);
}

/* Refused with JSZB_E_INVALID, naming the struct and the versions known, and
   nothing written. */
#define CHECK_REFUSED(type, init_fn, VERSION, known)           \
  do {                                                         \
    type s;                                                    \
    unsigned char before[sizeof(type)];                        \
    memset(&s, FILL, sizeof s);                                \
    memcpy(before, &s, sizeof s);                              \
    CHECK(init_fn(&s, 0) == JSZB_E_INVALID);                   \
    CHECK(strstr(jszb_error_last()->message, #type) != NULL);  \
    CHECK(strstr(jszb_error_last()->message, known) != NULL);  \
    CHECK(init_fn(&s, (VERSION) + 1) == JSZB_E_INVALID);       \
    CHECK(strstr(jszb_error_last()->message, #type) != NULL);  \
    CHECK(init_fn(&s, 0xFFFFFFFFu) == JSZB_E_INVALID);         \
    CHECK(memcmp(&s, before, sizeof s) == 0);                  \
    CHECK(init_fn(NULL, VERSION) == JSZB_E_INVALID);           \
    CHECK(strstr(jszb_error_last()->message, "NULL") != NULL); \
    CHECK(jszb_error_last()->code == JSZB_E_INVALID);          \
  } while (0)

static void test_refusals(void) {
  CHECK_REFUSED(jszb_engine_options, jszb_engine_options_init, JSZB_ENGINE_OPTIONS_VERSION,
                "version 1");
  CHECK_REFUSED(jszb_intake, jszb_intake_init, JSZB_INTAKE_VERSION, "version 1");
  CHECK_REFUSED(jszb_command, jszb_command_init, JSZB_COMMAND_VERSION, "versions 1..3");
  CHECK_REFUSED(jszb_case_filter, jszb_case_filter_init, JSZB_CASE_FILTER_VERSION, "versions 1..2");
  CHECK_REFUSED(jszb_store_options, jszb_store_options_init, JSZB_STORE_OPTIONS_VERSION,
                "versions 1..2");
  CHECK_REFUSED(jszb_rate_weights, jszb_rate_weights_init, JSZB_RATE_WEIGHTS_VERSION, "version 1");
  CHECK_REFUSED(jszb_report_options, jszb_report_options_init, JSZB_REPORT_OPTIONS_VERSION,
                "versions 1..3");
  CHECK_REFUSED(jszb_group_options, jszb_group_options_init, JSZB_GROUP_OPTIONS_VERSION,
                "version 1");
  CHECK_REFUSED(jszb_unit_orders_options, jszb_unit_orders_options_init,
                JSZB_UNIT_ORDERS_OPTIONS_VERSION, "version 1");
  CHECK_REFUSED(jszb_theme, jszb_theme_init, JSZB_THEME_VERSION, "version 1");
  CHECK_REFUSED(jszb_theme_task, jszb_theme_task_init, JSZB_THEME_TASK_VERSION, "version 1");
  CHECK_REFUSED(jszb_theme_trend_options, jszb_theme_trend_options_init,
                JSZB_THEME_TREND_OPTIONS_VERSION, "version 1");
  CHECK_REFUSED(jszb_verify_options, jszb_verify_options_init, JSZB_VERIFY_OPTIONS_VERSION,
                "version 1");
  CHECK_REFUSED(jszb_what_if_options, jszb_what_if_options_init, JSZB_WHAT_IF_OPTIONS_VERSION,
                "version 1");
}

/* An older version's struct ends where the next version's first field
   starts: a buffer of that size with canary bytes after it. Init of that
   version writes the buffer (the macro's values, its own version) and not one
   byte of the canary. */
#define CHECK_OLD_VERSION(type, init_fn, MACRO, version_, old_size)                              \
  do {                                                                                           \
    static const type expected = MACRO;                                                          \
    union {                                                                                      \
      type s;                                                                                    \
      unsigned char bytes[sizeof(type) + 16];                                                    \
    } u;                                                                                         \
    size_t i_, size_ = (old_size), untouched_ = 0;                                               \
    unsigned version_copy_;                                                                      \
    CHECK(size_ < sizeof(type));                                                                 \
    memset(u.bytes, FILL, size_);                                                                \
    memset(u.bytes + size_, CANARY, sizeof u.bytes - size_);                                     \
    OK(init_fn(&u.s, version_));                                                                 \
    for (i_ = size_; i_ < sizeof u.bytes; i_++) untouched_ += u.bytes[i_] == CANARY;             \
    CHECK(untouched_ == sizeof u.bytes - size_);                                                 \
    memcpy(&version_copy_, u.bytes, sizeof version_copy_);                                       \
    CHECK(version_copy_ == (version_));                                                          \
    CHECK(memcmp(u.bytes + sizeof(unsigned), (const unsigned char*)&expected + sizeof(unsigned), \
                 size_ - sizeof(unsigned)) == 0);                                                \
  } while (0)

static void test_older_versions_not_overrun(void) {
  /* jszb_command: version 2 added payload.step, mark, action and rule; 3 payload.request_id. */
  CHECK_OLD_VERSION(jszb_command, jszb_command_init, JSZB_COMMAND_INIT, 1,
                    offsetof(jszb_command, payload) + offsetof(jszb_payload, step));
  CHECK_OLD_VERSION(jszb_command, jszb_command_init, JSZB_COMMAND_INIT, 2,
                    offsetof(jszb_command, payload) + offsetof(jszb_payload, request_id));
  /* jszb_case_filter: version 2 added district .. due_until_ms. */
  CHECK_OLD_VERSION(jszb_case_filter, jszb_case_filter_init, JSZB_CASE_FILTER_INIT, 1,
                    offsetof(jszb_case_filter, district));
  /* jszb_report_options: version 2 added min_visits, 3 with_orders. */
  CHECK_OLD_VERSION(jszb_report_options, jszb_report_options_init, JSZB_REPORT_OPTIONS_INIT, 1,
                    offsetof(jszb_report_options, min_visits));
  CHECK_OLD_VERSION(jszb_report_options, jszb_report_options_init, JSZB_REPORT_OPTIONS_INIT, 2,
                    offsetof(jszb_report_options, with_orders));
  /* jszb_store_options: version 2 added accept_lost_events. */
  CHECK_OLD_VERSION(jszb_store_options, jszb_store_options_init, JSZB_STORE_OPTIONS_INIT, 1,
                    offsetof(jszb_store_options, accept_lost_events));
}

/* The current version writes the struct and nothing after it. */
#define CHECK_NO_OVERRUN(type, init_fn, VERSION)                                            \
  do {                                                                                      \
    union {                                                                                 \
      type s;                                                                               \
      unsigned char bytes[sizeof(type) + 16];                                               \
    } u;                                                                                    \
    size_t i_, untouched_ = 0;                                                              \
    memset(u.bytes, CANARY, sizeof u.bytes);                                                \
    OK(init_fn(&u.s, VERSION));                                                             \
    for (i_ = sizeof(type); i_ < sizeof u.bytes; i_++) untouched_ += u.bytes[i_] == CANARY; \
    CHECK(untouched_ == 16);                                                                \
  } while (0)

static void test_current_versions_not_overrun(void) {
  CHECK_NO_OVERRUN(jszb_engine_options, jszb_engine_options_init, JSZB_ENGINE_OPTIONS_VERSION);
  CHECK_NO_OVERRUN(jszb_intake, jszb_intake_init, JSZB_INTAKE_VERSION);
  CHECK_NO_OVERRUN(jszb_command, jszb_command_init, JSZB_COMMAND_VERSION);
  CHECK_NO_OVERRUN(jszb_case_filter, jszb_case_filter_init, JSZB_CASE_FILTER_VERSION);
  CHECK_NO_OVERRUN(jszb_store_options, jszb_store_options_init, JSZB_STORE_OPTIONS_VERSION);
  CHECK_NO_OVERRUN(jszb_rate_weights, jszb_rate_weights_init, JSZB_RATE_WEIGHTS_VERSION);
  CHECK_NO_OVERRUN(jszb_report_options, jszb_report_options_init, JSZB_REPORT_OPTIONS_VERSION);
  CHECK_NO_OVERRUN(jszb_group_options, jszb_group_options_init, JSZB_GROUP_OPTIONS_VERSION);
  CHECK_NO_OVERRUN(jszb_unit_orders_options, jszb_unit_orders_options_init,
                   JSZB_UNIT_ORDERS_OPTIONS_VERSION);
  CHECK_NO_OVERRUN(jszb_theme, jszb_theme_init, JSZB_THEME_VERSION);
  CHECK_NO_OVERRUN(jszb_theme_task, jszb_theme_task_init, JSZB_THEME_TASK_VERSION);
  CHECK_NO_OVERRUN(jszb_theme_trend_options, jszb_theme_trend_options_init,
                   JSZB_THEME_TREND_OPTIONS_VERSION);
  CHECK_NO_OVERRUN(jszb_verify_options, jszb_verify_options_init, JSZB_VERIFY_OPTIONS_VERSION);
  CHECK_NO_OVERRUN(jszb_what_if_options, jszb_what_if_options_init, JSZB_WHAT_IF_OPTIONS_VERSION);
}

/* What an older caller initialises, the engine accepts: a version-1 command
   and a version-1 case filter, initialised by the functions, do their work. */
static void test_older_versions_accepted(void) {
  jszb_engine* e = NULL;
  jszb_intake in;
  jszb_command c;
  jszb_case_filter f;
  uint64_t id = 0, *ids = NULL;
  size_t n = 0;
  OK(jszb_engine_open(NULL, &e));
  OK(jszb_intake_init(&in, JSZB_INTAKE_VERSION));
  in.time_ms = (int64_t)1632009600000;
  in.actor.role = JSZB_ROLE_OPERATOR;
  in.channel = JSZB_CHANNEL_PHONE;
  in.channel_ref = "init-1";
  in.kind = JSZB_KIND_HELP;
  in.category[0] = "城乡建设";
  in.content = "路灯不亮";
  OK(jszb_engine_submit(e, &in, &id, NULL));
  OK(jszb_command_init(&c, 1));
  c.kind = JSZB_CMD_DISPATCH;
  c.case_id = id;
  c.time_ms = in.time_ms + 60000;
  c.actor.role = JSZB_ROLE_DISPATCHER;
  c.payload.unit = 110105007u;
  OK(jszb_engine_apply(e, &c));
  OK(jszb_case_filter_init(&f, 1));
  f.state = JSZB_STATE_DISPATCHED;
  OK(jszb_engine_list_cases(e, &f, &ids, &n));
  CHECK(n == 1 && ids != NULL && ids[0] == id);
  jszb_free(ids);
  jszb_engine_close(e);
}

static const struct test tests[] = {
    {"defaults_equal_macros", test_defaults_equal_macros},
    {"defaults_by_field", test_defaults_by_field},
    {"refusals", test_refusals},
    {"older_versions_not_overrun", test_older_versions_not_overrun},
    {"current_versions_not_overrun", test_current_versions_not_overrun},
    {"older_versions_accepted", test_older_versions_accepted},
};

int main(int argc, char** argv) {
  return run_tests(tests, sizeof tests / sizeof tests[0], argc, argv);
}
