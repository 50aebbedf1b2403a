// Open311 GeoReport v2: the writer, the state table, services from the
// Beijing policy, requests from cases, and a POST read as an intake.
#include "interchange/open311.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "fixture.h"
#include "interchange/open311_reader.h"
#include "interchange/open311_states.h"
#include "interchange/open311_submit.h"
#include "interchange/open311_writer.h"
#include "policy/policy.h"

namespace jszb::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
namespace o = core::open311;

TEST(Open311Writer, EscapesJsonAndXml) {
  EXPECT_EQ(o::json_escape("a\"b\\c\n\x01"), "a\\\"b\\\\c\\n\\u0001");
  EXPECT_EQ(o::xml_escape("<a & 'b'>\"\x01"), "&lt;a &amp; &apos;b&apos;&gt;&quot;\xEF\xBF\xBD");
  std::vector<o::Record> r = {
      {o::text("k", "v<"), o::number("n", "1.5"), o::null("z"), o::boolean("b", true)}};
  EXPECT_EQ(o::write_records(r, o::Format::kJson, "rs", "r"),
            "[{\"k\":\"v<\",\"n\":1.5,\"z\":null,\"b\":true}]\n");
  EXPECT_EQ(o::write_records(r, o::Format::kXml, "rs", "r"),
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
            "<rs><r><k>v&lt;</k><n>1.5</n><z/><b>true</b></r></rs>\n");
}

TEST(Open311Reader, ReadsWhatTheWriterWrites) {
  std::vector<o::Record> r = {{o::text("a", "x<&>\"'y\n"), o::null("b"), o::number("c", "1.5")},
                              {o::text("a", "二")}};
  for (o::Format f : {o::Format::kJson, o::Format::kXml}) {
    auto read = o::read_requests(o::write_records(r, f, "service_requests", "request"), f);
    ASSERT_TRUE(read.ok()) << read.status();
    ASSERT_EQ(read->size(), 2u);
    EXPECT_EQ((*read)[0].fields.at("a"), "x<&>\"'y\n");
    EXPECT_EQ((*read)[0].fields.count("b"), 0u);
    EXPECT_EQ((*read)[0].fields.at("c"), "1.5");
    EXPECT_EQ((*read)[1].fields.at("a"), "二");
  }
  auto refs = o::read_requests(
      "<service_requests><request><a>&#20108;&#x4E8C;</a></request></service_requests>",
      o::Format::kXml);
  ASSERT_TRUE(refs.ok()) << refs.status();
  EXPECT_EQ((*refs)[0].fields.at("a"), "二二");
  EXPECT_EQ((*refs)[0].where, "request 1 (line 1)");
  for (std::string_view bad : {"<service_requests>\n<request><a>&nope;</a></request>",
                               "<service_requests>\n<request><a><b/></a></request>",
                               "<service_requests>\n<other/>", "<service_requests>\n<request>"}) {
    auto st = o::read_requests(bad, o::Format::kXml).status();
    EXPECT_THAT(std::string(st.message()), HasSubstr("line 2")) << bad;
  }
}

TEST(Open311States, OneRowPerStateInOrder) {
  const auto& table = o::state_mappings();
  for (int i = 0; i < kStateCount; ++i) {
    EXPECT_EQ(static_cast<int>(table[i].state), i + 1);
    EXPECT_FALSE(table[i].fixmystreet.empty());
    EXPECT_EQ(table[i].closed, core::is_finished(table[i].state)) << i + 1;
  }
  EXPECT_EQ(o::status(State::kHandling), "open");
  EXPECT_EQ(o::status(State::kClosed), "closed");
}

TEST(Open311Services, FromTheCatalogue) {
  auto policy = core::Policy::beijing();
  std::vector<o::Service> s = o::services(*policy);
  ASSERT_FALSE(s.empty());
  const o::Service* water = o::find_service(s, "公共服务/供水");
  ASSERT_NE(water, nullptr);
  EXPECT_EQ(water->name, "供水");
  EXPECT_EQ(water->group, "公共服务");
  EXPECT_FALSE(water->description.empty());
  EXPECT_EQ(o::find_service(s, "公共服务/供水/停水"), water);
  EXPECT_EQ(o::find_service(s, "公共服务/供水停水"), nullptr);
  EXPECT_EQ(o::find_service(s, "公共服务"), nullptr);
  std::string xml = o::render_services(s, o::Format::kXml);
  EXPECT_THAT(xml, HasSubstr("<service><service_code>公共服务/供水</service_code>"));
}

class Open311Engine : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(e.load_policy(core::Policy::beijing()).ok()); }
  absl::StatusOr<CaseId> post(std::string_view body, o::Content c = o::Content::kForm) {
    auto sub = o::parse_submission(body, c, kT0, o::services(*e.policy()));
    if (!sub.ok()) return sub.status();
    auto r = e.submit((*sub)->intake);
    if (!r.ok()) return r.status();
    return r->id;
  }
  std::string error_of(std::string_view body, o::Content c = o::Content::kForm) {
    auto sub = o::parse_submission(body, c, kT0, o::services(*e.policy()));
    return sub.ok() ? "" : std::string(sub.status().message());
  }
  Engine e;
};

TEST_F(Open311Engine, FormPostBecomesAnIntake) {
  absl::StatusOr<CaseId> id = post(
      "api_key=k&service_code=%E5%85%AC%E5%85%B1%E6%9C%8D%E5%8A%A1%2F%E4%BE%9B%E6%B0%B4"
      "&lat=39.9216&long=116.4431&description=no+water&first_name=%E4%B8%89"
      "&last_name=%E5%BC%A0&phone=13900000000");
  ASSERT_TRUE(id.ok()) << id.status();
  const core::Case* c = e.find(*id);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->intake->category[0], "公共服务");
  EXPECT_EQ(c->intake->category[1], "供水");
  EXPECT_EQ(c->intake->content, "no water");
  EXPECT_EQ(c->intake->contact.name, "张三");
  EXPECT_EQ(c->intake->contact.phone, "13900000000");
  EXPECT_EQ(c->intake->channel, Channel::kWeb);
  EXPECT_TRUE(c->intake->location.has_point);
  EXPECT_DOUBLE_EQ(c->intake->location.lat, 39.9216);
}

TEST_F(Open311Engine, JsonPostBecomesAnIntake) {
  absl::StatusOr<CaseId> id = post(
      R"({"service_code":"公共服务/供电","address_string":"望京西园三区","description":"停电",)"
      R"("email":"a@example.org","first_name":"Ann","last_name":"Lee","lat":null})",
      o::Content::kJson);
  ASSERT_TRUE(id.ok()) << id.status();
  const core::Case* c = e.find(*id);
  EXPECT_EQ(c->intake->location.address, "望京西园三区");
  EXPECT_EQ(c->intake->contact.name, "Ann Lee");
  EXPECT_EQ(c->intake->contact.phone, "a@example.org");
}

TEST_F(Open311Engine, BadPostsNameTheField) {
  const std::string water =
      "service_code=%E5%85%AC%E5%85%B1%E6%9C%8D%E5%8A%A1%2F%E4%BE%9B%E6%B0%B4";
  EXPECT_THAT(error_of("description=x&lat=1&long=2"), HasSubstr("service_code is required"));
  EXPECT_THAT(error_of("service_code=nope&description=x&lat=1&long=2"),
              HasSubstr("service_code \"nope\" is not a service"));
  EXPECT_THAT(error_of(water + "&description=x"), HasSubstr("a location is required"));
  EXPECT_THAT(error_of(water + "&description=x&lat=1"), HasSubstr("lat is given without long"));
  EXPECT_THAT(error_of(water + "&description=x&lat=91&long=2"), HasSubstr("lat is \"91\""));
  EXPECT_THAT(error_of(water + "&lat=1&long=2"), HasSubstr("description is required"));
  EXPECT_THAT(error_of(water + "&description=x&lat=1&long=2&color=red"),
              HasSubstr("color is not a field"));
  EXPECT_THAT(error_of(water + "&description=x&description=y&lat=1&long=2"),
              HasSubstr("description is given twice"));
  EXPECT_THAT(error_of(water + "&description=%ZZ"), HasSubstr("bad percent-escape"));
  EXPECT_THAT(error_of(water + "&description=%FF&lat=1&long=2"),
              HasSubstr("description is not valid UTF-8"));
  EXPECT_THAT(error_of("{\"service_code\": [1]}", o::Content::kJson),
              HasSubstr("service_code must be a string"));
  EXPECT_THAT(error_of("[1,2]", o::Content::kJson), HasSubstr("body is not a JSON object"));
  EXPECT_THAT(error_of(water + "&description=x&lat=1&long=2&first_name=" + std::string(200, 'a')),
              HasSubstr("first_name is 200 bytes long"));
  EXPECT_EQ(e.case_count(), 0u);
}

TEST_F(Open311Engine, RequestsLeavePersonalDataOutUnlessAsked) {
  CaseId id = submit(e, "r1");
  (void)id;
  CaseId other = case_in_state(e, State::kClosed, "r2");
  o::Query q;
  absl::StatusOr<std::string> json = o::requests(e, q, o::Format::kJson);
  ASSERT_TRUE(json.ok()) << json.status();
  EXPECT_THAT(*json, Not(HasSubstr("王女士")));
  EXPECT_THAT(*json, Not(HasSubstr("13800000000")));
  EXPECT_THAT(*json, Not(HasSubstr("和平东街公交站旁")));
  EXPECT_THAT(*json, HasSubstr("\"address\":\"朝阳区和平街街道和平东街社区\""));
  EXPECT_THAT(*json, HasSubstr("\"requested_datetime\":\"2021-09-18T16:00:00+08:00\""));
  EXPECT_THAT(*json, HasSubstr("\"status\":\"open\""));
  EXPECT_THAT(*json, HasSubstr("\"status\":\"closed\""));
  q.with_personal = true;
  json = o::requests(e, q, o::Format::kJson);
  ASSERT_TRUE(json.ok());
  EXPECT_THAT(*json, HasSubstr("王女士"));
  EXPECT_THAT(*json, HasSubstr("和平东街公交站旁"));

  q = o::Query();
  q.status = o::StatusFilter::kClosed;
  json = o::requests(e, q, o::Format::kXml);
  ASSERT_TRUE(json.ok());
  EXPECT_THAT(*json, HasSubstr(absl::StrCat("<service_request_id>", other, "<")));
  EXPECT_THAT(*json, Not(HasSubstr("<status>open</status>")));

  q = o::Query();
  q.id = 999;
  EXPECT_EQ(o::requests(e, q, o::Format::kJson).status().code(), absl::StatusCode::kNotFound);
  q.id = 0;
  q.service_code = "a/b/c/d";
  EXPECT_THAT(std::string(o::requests(e, q, o::Format::kJson).status().message()),
              HasSubstr("at most 3"));
  q.service_code = "城乡建设";
  q.limit = 1;
  json = o::requests(e, q, o::Format::kJson);
  ASSERT_TRUE(json.ok());
  EXPECT_EQ(std::count(json->begin(), json->end(), '{'), 1);
}

}  // namespace
}  // namespace jszb::testing
