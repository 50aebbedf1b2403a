/* Bad input to the report functions of the C ABI (jszb_engine_report,
   jszb_engine_request_groups, jszb_engine_assess, the periods): each refused
   with its code and a message naming the field and its value, the outputs
   left empty; a valid period in which nothing happened gives a report marked
   empty. Strict C99 against jszb.h alone. Run one test by name:
   report_capi_test <name>. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "jszb/jszb.h"

#define OCT1 ((int64_t)1633017600000) /* 2021-10-01 00:00 China time */
#define HOUR ((int64_t)3600000)
#define DAY (24 * HOUR)

/* An engine under the built-in Beijing policy, with one request in 朝阳区
   received on 1 October. */
static jszb_engine* engine_with_a_request(void) {
  jszb_engine* e = NULL;
  jszb_policy* p = NULL;
  jszb_intake in = JSZB_INTAKE_INIT;
  uint64_t id = 0;
  int created = 0;
  OK(jszb_engine_open(NULL, &e));
  OK(jszb_policy_default(&p));
  OK(jszb_engine_set_policy(e, p));
  jszb_policy_free(p);
  in.time_ms = OCT1 + 9 * HOUR;
  in.actor.role = JSZB_ROLE_OPERATOR;
  in.actor.staff = 1001;
  in.channel = JSZB_CHANNEL_PHONE;
  in.channel_ref = "report-input-1";
  in.kind = JSZB_KIND_COMPLAINT;
  in.category[0] = "城乡建设";
  in.category[1] = "施工管理";
  in.content = "工地夜间施工扰民";
  in.district = "朝阳区";
  in.street = "和平街街道";
  OK(jszb_engine_submit(e, &in, &id, &created));
  return e;
}

static int message_has(const char* words) {
  return strstr(jszb_error_last()->message, words) != NULL;
}

/* The report of `o` in `format` is refused with `code`, naming `words`, and
 *out is left as it was. */
static void refused(jszb_engine* e, const jszb_report_options* o, int format, int code,
                    const char* words, int line) {
  char* text = (char*)1;
  int rc = jszb_engine_report(e, o, format, &text);
  if (rc != code || text != (char*)1 || !message_has(words)) {
    fprintf(stderr, "line %d: expected %d naming \"%s\", got %d: %s\n", line, code, words, rc,
            jszb_error_last()->message);
    failures++;
  }
}
#define REFUSED(o, format, code, words) refused(e, o, format, code, words, __LINE__)

/* The report of `o` in `format` is made and holds `words`. */
static int report_has(jszb_engine* e, const jszb_report_options* o, int format, const char* words) {
  char* text = NULL;
  int found = 0;
  OK(jszb_engine_report(e, o, format, &text));
  found = text != NULL && strstr(text, words) != NULL;
  if (!found) fprintf(stderr, "the report does not hold \"%s\":\n%s\n", words, text);
  jszb_free(text);
  return found;
}

static jszb_report_options day(int64_t from) {
  jszb_report_options o = JSZB_REPORT_OPTIONS_INIT;
  o.from_ms = from;
  o.until_ms = from + DAY;
  return o;
}

static void test_report_bad_input(void) {
  jszb_engine* e = engine_with_a_request();
  jszb_report_options o = day(OCT1);
  char* text = NULL;
  CHECK(report_has(e, &o, JSZB_REPORT_JSON, "\"empty\":false"));

  o.version = 0;
  REFUSED(&o, JSZB_REPORT_JSON, JSZB_E_INVALID, "options.version is 0");
  o.version = JSZB_REPORT_OPTIONS_VERSION + 1;
  REFUSED(&o, JSZB_REPORT_JSON, JSZB_E_INVALID, "this library knows versions 1..");
  o = day(OCT1);
  CHECK(o.min_visits == 10); /* version 2's default */
  o.min_visits = 0;
  REFUSED(&o, JSZB_REPORT_JSON, JSZB_E_INVALID, "min_visits is 0");
  o.version = 1; /* a version-1 caller gets the default whatever the field holds */
  CHECK(report_has(e, &o, JSZB_REPORT_JSON, "\"min_visits\":10"));
  o = day(OCT1);
  REFUSED(&o, 0, JSZB_E_INVALID, "format is 0");
  REFUSED(&o, JSZB_REPORT_HTML + 1, JSZB_E_INVALID, "format is 4");
  text = (char*)1;
  CHECK(jszb_engine_report(e, NULL, JSZB_REPORT_JSON, &text) == JSZB_E_INVALID && text == (char*)1);

  /* The period: reversed, empty, off the half-day edges, outside the years. */
  o.until_ms = OCT1 - DAY;
  REFUSED(&o, JSZB_REPORT_JSON, JSZB_E_INVALID, "the period ends before it starts");
  REFUSED(&o, JSZB_REPORT_CSV, JSZB_E_INVALID, "until_ms is 1632931200000 (2021-09-30 00:00)");
  o.until_ms = OCT1;
  REFUSED(&o, JSZB_REPORT_JSON, JSZB_E_INVALID, "the period is empty");
  o = day(OCT1 + HOUR);
  REFUSED(&o, JSZB_REPORT_JSON, JSZB_E_INVALID, "from_ms is 1633021200000 (2021-10-01 01:00");
  REFUSED(&o, JSZB_REPORT_JSON, JSZB_E_INVALID, "not on a half-day edge");
  o.from_ms = INT64_MIN;
  o.until_ms = INT64_MAX;
  REFUSED(&o, JSZB_REPORT_HTML, JSZB_E_INVALID, "from_ms is -9223372036854775808 ms: outside");
  o = day(OCT1);
  o.until_ms = INT64_MAX;
  REFUSED(&o, JSZB_REPORT_HTML, JSZB_E_INVALID, "until_ms is 9223372036854775807 ms: outside");

  /* Options out of range. */
  o = day(OCT1);
  o.top = -1;
  REFUSED(&o, JSZB_REPORT_JSON, JSZB_E_INVALID, "top is -1");
  o.top = 1000000;
  REFUSED(&o, JSZB_REPORT_JSON, JSZB_E_INVALID, "top is 1000000");
  o = day(OCT1);
  o.baseline_periods = 0;
  REFUSED(&o, JSZB_REPORT_JSON, JSZB_E_INVALID, "baseline_periods is 0");
  o.baseline_periods = 100;
  REFUSED(&o, JSZB_REPORT_JSON, JSZB_E_INVALID, "baseline_periods is 100");

  /* Districts: unknown, an alias, malformed. */
  o = day(OCT1);
  o.district = "不存在区";
  REFUSED(&o, JSZB_REPORT_JSON, JSZB_E_NOT_FOUND, "district \"不存在区\" is not a district");
  o.district = "朝阳";
  REFUSED(&o, JSZB_REPORT_JSON, JSZB_E_NOT_FOUND, "(\"朝阳区\")");
  o.district = "\xc3\x28";
  REFUSED(&o, JSZB_REPORT_JSON, JSZB_E_INVALID, "district is not valid UTF-8");
  o.district = "朝阳区";
  CHECK(report_has(e, &o, JSZB_REPORT_JSON, "\"received\":\"1\""));
  jszb_engine_close(e);
}

static void test_report_empty_period(void) {
  jszb_engine* e = engine_with_a_request();
  jszb_report_options o = day(OCT1 + 30 * DAY);
  CHECK(report_has(e, &o, JSZB_REPORT_JSON, "\"empty\":true"));
  CHECK(report_has(e, &o, JSZB_REPORT_JSON, "\"received\":\"0\""));
  CHECK(report_has(e, &o, JSZB_REPORT_CSV,
                   "received,previous_received,empty,previous_empty,time_zone,min_visits\n"));
  CHECK(report_has(e, &o, JSZB_REPORT_CSV, ",0,0,true,true,UTC+8,10\n"));
  CHECK(report_has(e, &o, JSZB_REPORT_HTML, "本期无数据。"));
  /* A known district with nothing in it, in a period the city has data. */
  o = day(OCT1);
  o.district = "海淀区";
  CHECK(report_has(e, &o, JSZB_REPORT_JSON, "\"empty\":true"));
  o.district = NULL;
  CHECK(report_has(e, &o, JSZB_REPORT_JSON, "\"empty\":false"));
  jszb_engine_close(e);
}

static void test_groups_bad_input(void) {
  jszb_engine* e = engine_with_a_request();
  jszb_engine* bare = NULL;
  jszb_request_group* groups = (jszb_request_group*)1;
  size_t count = 7;
  CHECK(jszb_engine_request_groups(e, OCT1, OCT1 - 1, NULL, &groups, &count) == JSZB_E_INVALID);
  CHECK(groups == (jszb_request_group*)1 && count == 7); /* no output on failure */
  CHECK(message_has("ends before it starts"));
  CHECK(jszb_engine_request_groups(e, OCT1, OCT1, "", &groups, &count) == JSZB_E_INVALID);
  CHECK(message_has("the period is empty"));
  CHECK(jszb_engine_request_groups(e, INT64_MIN, OCT1, NULL, &groups, &count) == JSZB_E_INVALID);
  CHECK(message_has("from_ms is -9223372036854775808 ms: outside the times jszb accepts"));
  groups = (jszb_request_group*)1;
  count = 7;
  CHECK(jszb_engine_request_groups(e, OCT1, OCT1 + DAY, "不存在区", &groups, &count) ==
        JSZB_E_NOT_FOUND);
  CHECK(groups == (jszb_request_group*)1 && count == 7);
  CHECK(message_has("不存在区"));
  {
    /* A message quotes what it was given, cut to 1 KiB at a character. */
    static char huge[3 * 2000 + 1];
    int k = 0;
    for (k = 0; k < 2000; ++k) memcpy(huge + 3 * k, "朝", 3);
    CHECK(jszb_engine_request_groups(e, OCT1, OCT1 + DAY, huge, &groups, &count) ==
          JSZB_E_NOT_FOUND);
    CHECK(strlen(jszb_error_last()->message) <= 1024);
    CHECK(message_has("…"));
  }
  CHECK(jszb_engine_request_groups(e, OCT1, OCT1 + DAY, "朝阳区", NULL, &count) == JSZB_E_INVALID);
  /* A valid period with nothing grouped: none. */
  OK(jszb_engine_request_groups(e, OCT1, OCT1 + DAY, "海淀区", &groups, &count));
  CHECK(groups == NULL && count == 0);
  /* Without a policy, no district is known. */
  OK(jszb_engine_open(NULL, &bare));
  CHECK(jszb_engine_request_groups(bare, OCT1, OCT1 + DAY, "朝阳区", &groups, &count) ==
        JSZB_E_NOT_FOUND);
  CHECK(message_has("no policy is loaded"));
  OK(jszb_engine_request_groups(bare, OCT1, OCT1 + DAY, NULL, &groups, &count));
  CHECK(count == 0);
  jszb_engine_close(bare);
  jszb_engine_close(e);
}

/* Submits one request in 朝阳区 on 1 October: street, category, address and
   content as given. */
static void submit(jszb_engine* e, int n, const char* street, const char* category2,
                   const char* address, const char* content) {
  jszb_intake in = JSZB_INTAKE_INIT;
  char ref[32];
  uint64_t id = 0;
  int created = 0;
  sprintf(ref, "groups-%d", n);
  in.time_ms = OCT1 + 9 * HOUR + n * 60000;
  in.actor.role = JSZB_ROLE_OPERATOR;
  in.actor.staff = 1001;
  in.channel = JSZB_CHANNEL_PHONE;
  in.channel_ref = ref;
  in.kind = JSZB_KIND_COMPLAINT;
  in.category[0] = "环境保护";
  in.category[1] = category2;
  in.content = content;
  in.address = address;
  in.district = "朝阳区";
  in.street = street;
  OK(jszb_engine_submit(e, &in, &id, &created));
}

/* Version 2 groups one matter across two streets and two categories, keeps
   the same words at another estate apart, and lists each group's streets
   and categories; a street scope splits the matter. */
static void test_groups_v2(void) {
  static const char* const said[] = {"工地没有苫盖，尘土飞扬", "渣土车进出带泥上路",
                                     "窗户不敢开，家具落满灰", "早上六点就开工，噪声扰民"};
  jszb_engine* e = engine_with_a_request();
  jszb_group_options o = JSZB_GROUP_OPTIONS_INIT;
  jszb_request_group_v2* groups = NULL;
  size_t count = 0, i = 0;
  int n = 0;
  for (n = 0; n < 12; ++n) {
    submit(e, n, n % 3 == 0 ? "和平街街道" : "望京街道", n % 2 == 0 ? "噪声污染" : "扬尘污染",
           "望京西园三区5号楼", said[(n / 2) % 4]);
  }
  for (n = 12; n < 22; ++n) {
    submit(e, n, "望京街道", "扬尘污染", "花家地北里小区", said[n % 4]);
  }
  o.from_ms = OCT1;
  o.until_ms = OCT1 + DAY;
  o.district = "朝阳区";
  OK(jszb_engine_request_groups_v2(e, &o, &groups, &count));
  CHECK(count == 2);
  if (count == 2) {
    CHECK(groups[0].size == 12 && groups[1].size == 10);
    CHECK(groups[0].street_count == 2 && strcmp(groups[0].streets[0], "望京街道") == 0 &&
          strcmp(groups[0].streets[1], "和平街街道") == 0);
    CHECK(groups[0].category_count == 2 &&
          strcmp(groups[0].categories[0], "环境保护/噪声污染") == 0 &&
          strcmp(groups[0].categories[1], "环境保护/扬尘污染") == 0);
    CHECK(groups[1].street_count == 1 && groups[1].category_count == 1);
    for (i = 1; i < groups[0].size; ++i) CHECK(groups[0].cases[i - 1] < groups[0].cases[i]);
  }
  jszb_free(groups);
  /* In a street's scope, 和平街街道's four reports are too few. */
  o.scope = JSZB_GROUP_SCOPE_STREET;
  o.min_size = 8;
  OK(jszb_engine_request_groups_v2(e, &o, &groups, &count));
  CHECK(count == 2);
  if (count == 2) CHECK(groups[0].size == 10 && groups[1].size == 8);
  jszb_free(groups);
  /* Bad options: refused, nothing out. */
  o = (jszb_group_options)JSZB_GROUP_OPTIONS_INIT;
  o.from_ms = OCT1;
  o.until_ms = OCT1 + DAY;
  /* Refused: the outputs are left as they were. */
  groups = (jszb_request_group_v2*)1;
  count = 7;
  CHECK(jszb_engine_request_groups_v2(e, NULL, &groups, &count) == JSZB_E_INVALID);
  CHECK(groups == (jszb_request_group_v2*)1 && count == 7);
  o.version = 99;
  CHECK(jszb_engine_request_groups_v2(e, &o, &groups, &count) == JSZB_E_INVALID);
  CHECK(message_has("options.version is 99"));
  o.version = JSZB_GROUP_OPTIONS_VERSION;
  o.group_version = 2;
  CHECK(jszb_engine_request_groups_v2(e, &o, &groups, &count) == JSZB_E_INVALID);
  CHECK(message_has("options.group_version is 2"));
  o.group_version = JSZB_REQUEST_GROUP_VERSION;
  o.scope = 9;
  CHECK(jszb_engine_request_groups_v2(e, &o, &groups, &count) == JSZB_E_INVALID);
  CHECK(message_has("group scope is 9"));
  o.scope = JSZB_GROUP_SCOPE_CITY;
  o.min_size = 1;
  CHECK(jszb_engine_request_groups_v2(e, &o, &groups, &count) == JSZB_E_INVALID);
  CHECK(message_has("options.min_size is 1"));
  o.min_size = 10;
  o.district = "不存在区";
  CHECK(jszb_engine_request_groups_v2(e, &o, &groups, &count) == JSZB_E_NOT_FOUND);
  CHECK(groups == (jszb_request_group_v2*)1 && count == 7);
  o.district = "\xff\xfe";
  CHECK(jszb_engine_request_groups_v2(e, &o, &groups, &count) == JSZB_E_INVALID);
  CHECK(message_has("not valid UTF-8"));
  jszb_engine_close(e);
}

static void test_assess_bad_input(void) {
  jszb_engine* e = engine_with_a_request();
  jszb_unit_score* scores = (jszb_unit_score*)1;
  jszb_rate_weights w = JSZB_RATE_WEIGHTS_INIT;
  size_t count = 7;
  CHECK(jszb_engine_assess(e, OCT1, OCT1 - DAY, NULL, &scores, &count) == JSZB_E_INVALID);
  CHECK(scores == (jszb_unit_score*)1 && count == 7); /* no output on failure */
  CHECK(message_has("the period ends before it starts"));
  CHECK(jszb_engine_assess(e, OCT1, OCT1, NULL, &scores, &count) == JSZB_E_INVALID);
  CHECK(message_has("the period is empty"));
  CHECK(jszb_engine_assess(e, OCT1, INT64_MAX, NULL, &scores, &count) == JSZB_E_INVALID);
  CHECK(message_has("until_ms is 9223372036854775807 ms: outside the times jszb accepts"));
  w.response = -1;
  CHECK(jszb_engine_assess(e, OCT1, OCT1 + DAY, &w, &scores, &count) == JSZB_E_INVALID);
  CHECK(message_has("weights.response is -1"));
  w.response = 0.1;
  w.satisfaction = HUGE_VAL;
  CHECK(jszb_engine_assess(e, OCT1, OCT1 + DAY, &w, &scores, &count) == JSZB_E_INVALID);
  CHECK(message_has("weights.satisfaction is inf"));
  w.response = w.resolution = w.satisfaction = 0;
  CHECK(jszb_engine_assess(e, OCT1, OCT1 + DAY, &w, &scores, &count) == JSZB_E_INVALID);
  CHECK(message_has("all 0"));
  w = (jszb_rate_weights)JSZB_RATE_WEIGHTS_INIT;
  w.version = 0;
  CHECK(jszb_engine_assess(e, OCT1, OCT1 + DAY, &w, &scores, &count) == JSZB_E_INVALID);
  CHECK(message_has("weights.version is 0"));
  /* A valid period with nothing counted: no scores. */
  OK(jszb_engine_assess(e, OCT1 + 30 * DAY, OCT1 + 31 * DAY, NULL, &scores, &count));
  CHECK(scores == NULL && count == 0);
  jszb_engine_close(e);
}

static void test_periods_bad_input(void) {
  int64_t from = 1, until = 2;
  CHECK(jszb_bulletin_day(2021, 2, 29, &from, &until) == JSZB_E_INVALID);
  CHECK(message_has("2021-02-29 is not a date"));
  CHECK(jszb_bulletin_day(2021, 9, 0, &from, &until) == JSZB_E_INVALID);
  CHECK(jszb_assessment_month(2021, 13, &from, &until) == JSZB_E_INVALID);
  CHECK(message_has("2021-13-01"));
  CHECK(jszb_assessment_month(1969, 12, &from, &until) == JSZB_E_INVALID);
  CHECK(jszb_assessment_month(10000, 1, &from, &until) == JSZB_E_INVALID);
  CHECK(from == 1 && until == 2); /* left as they were */
  CHECK(jszb_bulletin_day(2021, 9, 20, NULL, &until) == JSZB_E_INVALID);
  OK(jszb_bulletin_day(2021, 9, 20, &from, &until));
  CHECK(from == OCT1 - 11 * DAY - 12 * HOUR && until == from + DAY);
}

/* A report asked for with its orders, and one report object rendered again
   from its JSON: the same CSV and page as jszb_engine_report gives. */
static void test_report_orders_and_render(void) {
  jszb_engine* e = engine_with_a_request();
  jszb_report_options o = day(OCT1);
  char *json = NULL, *csv = NULL, *again = NULL;
  const char* bad = "{\"received\": \"x\"}";
  CHECK(o.with_orders == 0); /* version 3's default */
  o.with_orders = 1;
  OK(jszb_engine_report(e, &o, JSZB_REPORT_JSON, &json));
  OK(jszb_engine_report(e, &o, JSZB_REPORT_CSV, &csv));
  OK(jszb_report_render(json, strlen(json), JSZB_REPORT_CSV, &again));
  CHECK(strcmp(csv, again) == 0);
  jszb_free(again);
  again = (char*)1;
  CHECK(jszb_report_render(bad, strlen(bad), JSZB_REPORT_HTML, &again) == JSZB_E_INVALID &&
        again == (char*)1 && message_has("not a jszb.v1.Report"));
  CHECK(jszb_report_render(json, strlen(json), 9, &again) == JSZB_E_INVALID &&
        message_has("format is 9"));
  OK(jszb_report_render(json, strlen(json), JSZB_REPORT_HTML, &again));
  CHECK(strstr(again, "<section id=definitions") != NULL);
  jszb_free(again);
  jszb_free(csv);
  jszb_free(json);
  jszb_engine_close(e);
}

static const struct test tests[] = {
    {"report_bad_input", test_report_bad_input},
    {"report_empty_period", test_report_empty_period},
    {"groups_bad_input", test_groups_bad_input},
    {"groups_v2", test_groups_v2},
    {"assess_bad_input", test_assess_bad_input},
    {"periods_bad_input", test_periods_bad_input},
    {"report_orders_and_render", test_report_orders_and_render},
};

int main(int argc, char** argv) {
  return run_tests(tests, sizeof tests / sizeof tests[0], argc, argv);
}
