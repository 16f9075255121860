// The gateway in front of two sim nodes, driven over loopback HTTP.
// Numbers in comments refer to the checklist of docs/bbb-api.md §5.
#include <csignal>

#include <nlohmann/json.hpp>
#include <sys/wait.h>

#include "tests/integration/gateway_fixture.hpp"

using namespace gw::test;
using json = nlohmann::json;

namespace {

class Gateway : public GatewayFixture {};

bool contains(const std::string& s, const std::string& what) {
  return s.find(what) != std::string::npos;
}

} // namespace

TEST_F(Gateway, VersionRootAnswersEveryVariantWithoutChecksum) { // 1-3
  for (const char* path :
       {"/acme/bigbluebutton/api", "/acme/bigbluebutton/api/",
        "/acme/bigbluebutton/api/?&checksum=x",
        "/acme/bigbluebutton/api/?checksum=da39a3ee5e6b4b0d3255bfef95601890af"
        "d80709"}) {
    auto r = get(port(), path);
    EXPECT_EQ(r.status, 200u) << path;
    EXPECT_EQ(r.body, "<response><returncode>SUCCESS</returncode><version>2.0"
                      "</version><apiVersion>2.0</apiVersion><bbbVersion>"
                      "</bbbVersion></response>")
      << path;
    EXPECT_EQ(r.header("content-type").substr(0, 8), "text/xml");
  }
}

TEST_F(Gateway, HealthzAndUnknownTenant) {
  EXPECT_EQ(get(port(), "/healthz").status, 200u);
  auto r = get(port(), "/nobody/bigbluebutton/api/getMeetings?checksum=x");
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(el(r.body, "returncode"), "FAILED");
  EXPECT_EQ(el(r.body, "messageKey"), "unknownTenant");
}

TEST_F(Gateway, CreateJoinInfoEndThroughTheGateway) {
  auto c = create("acme", "room-1", "&meta_bbb-origin=Moodle");
  ASSERT_EQ(el(c.body, "returncode"), "SUCCESS") << c.body;
  EXPECT_EQ(el(c.body, "meetingID"), "room-1");
  EXPECT_EQ(el(c.body, "messageKey"), "");
  auto info = api("acme", "getMeetingInfo", "meetingID=room-1");
  EXPECT_EQ(el(info.body, "meetingID"), "room-1");
  EXPECT_EQ(el(info.body, "createTime"), el(c.body, "createTime"));
  EXPECT_EQ(el(info.body, "bbb-origin"), "Moodle"); // 47
  // Read by internal ID too (2.5+).
  auto by_internal = api("acme", "getMeetingInfo",
                         "meetingID=" + el(c.body, "internalMeetingID"));
  EXPECT_EQ(el(by_internal.body, "returncode"), "SUCCESS");
  // 56, 77: a 302 to the hosting node's join, re-signed with its secret.
  auto j = api("acme", "join",
               "meetingID=room-1&fullName=Jo+Ann&password=mp"
               "&userdata-bbb_x=1&createTime="
                 + el(c.body, "createTime"));
  ASSERT_EQ(j.status, 302u);
  auto loc = j.header("location");
  bool on1 = loc.rfind(node1_->url() + "api/join?", 0) == 0;
  bool on2 = loc.rfind(node2_->url() + "api/join?", 0) == 0;
  ASSERT_TRUE(on1 || on2) << loc;
  EXPECT_TRUE(contains(loc, "fullName=Jo+Ann&password=mp&userdata-bbb_x=1"));
  const auto& node = on1 ? *node1_ : *node2_;
  auto follow = get(node.port, loc.substr(loc.find("/bigbluebutton/")));
  EXPECT_EQ(follow.status, 302u) << follow.body;
  EXPECT_TRUE(contains(follow.header("location"), "sessionToken="));
  // 57: redirect=false passes the node's XML through.
  auto x = api("acme", "join",
               "meetingID=room-1&fullName=Jo&role=viewer&redirect=false");
  EXPECT_EQ(el(x.body, "messageKey"), "successfullyJoined");
  EXPECT_EQ(el(x.body, "meeting_id"), el(c.body, "internalMeetingID"));
  // 81-82
  EXPECT_EQ(
    el(api("acme", "isMeetingRunning", "meetingID=room-1").body, "running"),
    "false");
  auto hosted = json::parse(node.control("meetings"));
  ASSERT_EQ(hosted.size(), 1u);
  auto node_id = hosted[0]["meetingID"].get<std::string>();
  EXPECT_NE(node_id, "room-1"); // namespaced on the node
  node.control("attendee?meetingID=" + node_id
               + "&fullName=Ann&role=moderator");
  EXPECT_EQ(
    el(api("acme", "isMeetingRunning", "meetingID=room-1").body, "running"),
    "true");
  auto live = api("acme", "getMeetingInfo", "meetingID=room-1");
  EXPECT_EQ(el(live.body, "participantCount"), "1");
  EXPECT_EQ(el(live.body, "fullName"), "Ann");
  auto e = api("acme", "end", "meetingID=room-1&password=whatever");
  EXPECT_EQ(el(e.body, "messageKey"), "sentEndMeetingRequest"); // 78-79
  EXPECT_EQ(
    el(api("acme", "getMeetingInfo", "meetingID=room-1").body, "messageKey"),
    "notFound");
  EXPECT_EQ(el(api("acme", "end", "meetingID=room-1").body, "messageKey"),
            "notFound"); // 80
}

TEST_F(Gateway, DuplicateCreateGoesToTheHostingNode) { // 34-37, 119
  auto first = create("acme", "dup");
  auto again = api("acme", "create",
                   "meetingID=dup&name=Other+name&attendeePW=ap"
                   "&moderatorPW=mp");
  EXPECT_EQ(el(again.body, "messageKey"), "duplicateWarning");
  EXPECT_EQ(el(again.body, "createTime"), el(first.body, "createTime"));
  EXPECT_EQ(el(again.body, "internalMeetingID"),
            el(first.body, "internalMeetingID"));
  auto clash = api("acme", "create",
                   "meetingID=dup&name=Room&attendeePW=ap&moderatorPW=zz");
  EXPECT_EQ(el(clash.body, "messageKey"), "idNotUnique");
  auto nopw1 = api("acme", "create", "meetingID=nopw&name=Room");
  auto nopw2 = api("acme", "create", "meetingID=nopw&name=Room");
  EXPECT_EQ(el(nopw2.body, "messageKey"), "duplicateWarning");
  EXPECT_EQ(el(nopw2.body, "attendeePW"), el(nopw1.body, "attendeePW"));
}

TEST_F(Gateway, TenantsAreIsolated) {
  auto a = create("acme", "math-101");
  auto b = create("beta", "math-101");
  ASSERT_EQ(el(a.body, "returncode"), "SUCCESS");
  ASSERT_EQ(el(b.body, "returncode"), "SUCCESS");
  EXPECT_NE(el(a.body, "internalMeetingID"), el(b.body, "internalMeetingID"));
  EXPECT_EQ(el(b.body, "meetingID"), "math-101");
  // Each tenant sees its own meeting, and nothing of the other's.
  auto la = api("acme", "getMeetings", "");
  auto lb = api("beta", "getMeetings", "");
  EXPECT_EQ(el(la.body, "internalMeetingID"), el(a.body, "internalMeetingID"));
  EXPECT_EQ(el(lb.body, "internalMeetingID"), el(b.body, "internalMeetingID"));
  create("acme", "only-acme");
  EXPECT_FALSE(contains(api("beta", "getMeetings", "").body, "only-acme"));
  EXPECT_EQ(
    el(api("beta", "getMeetingInfo", "meetingID=only-acme").body, "messageKey"),
    "notFound");
  // Ending one leaves the other.
  api("beta", "end", "meetingID=math-101");
  EXPECT_EQ(
    el(api("acme", "getMeetingInfo", "meetingID=math-101").body, "returncode"),
    "SUCCESS");
  // No answer shows a node's secret or the namespacing prefix.
  for (const auto& r : {la.body, lb.body, a.body, b.body}) {
    EXPECT_FALSE(contains(r, "node-secret"));
    EXPECT_FALSE(contains(r, "-math-101"));
  }
  // A tenant's secret does not open another tenant's API.
  auto cross =
    get(port(), "/beta/bigbluebutton/api/getMeetings?"
                  + sign("getMeetings", "", "acme-secret", "sha256"));
  EXPECT_EQ(el(cross.body, "messageKey"), "checksumError");
}

TEST_F(Gateway, HostHeaderRoutesToTheTenant) {
  create("beta", "by-host");
  auto r = http(port(), "GET",
                "/bigbluebutton/api/getMeetings?"
                  + sign("getMeetings", "", "beta-secret", "sha256"),
                "", "", "bbb.beta.example:443");
  EXPECT_EQ(el(r.body, "meetingID"), "by-host");
}

TEST_F(Gateway, ChecksumRules) {
  // 4-5: all four algorithms; both of acme's secrets.
  for (const char* algo : {"sha1", "sha256", "sha384", "sha512"})
    EXPECT_EQ(el(get(port(), "/acme/bigbluebutton/api/getMeetings?"
                               + sign("getMeetings", "", "acme-secret", algo))
                   .body,
                 "returncode"),
              "SUCCESS")
      << algo;
  EXPECT_EQ(el(get(port(), "/acme/bigbluebutton/api/getMeetings?"
                             + sign("getMeetings", "", "acme-old"))
                 .body,
               "returncode"),
            "SUCCESS");
  // 10: beta allows only SHA-256 and SHA-512.
  EXPECT_EQ(el(get(port(), "/beta/bigbluebutton/api/getMeetings?"
                             + sign("getMeetings", "", "beta-secret", "sha1"))
                 .body,
               "messageKey"),
            "checksumError");
  auto bad = [&](const std::string& target) {
    return el(get(port(), "/acme/bigbluebutton/api/" + target).body,
              "messageKey");
  };
  std::string good = sign("getMeetingInfo", "meetingID=ab", "acme-secret");
  std::string upper = good;
  for (auto i = upper.find("checksum=") + 9; i < upper.size(); ++i)
    upper[i] = static_cast<char>(std::toupper(upper[i]));
  EXPECT_EQ(bad("getMeetingInfo?" + upper), "checksumError");     // 7
  EXPECT_EQ(bad("create?meetingID=ab&name=xy"), "checksumError"); // 8
  EXPECT_EQ(bad("getMeetingInfo?meetingID=ab&checksum="), "checksumError");
  EXPECT_EQ(bad("getMeetingInfo?" + good + "&checksum=abc"),
            "checksumError");                                            // 15
  EXPECT_EQ(bad("isMeetingRunning?" + good.substr(0)), "checksumError"); // 14
  EXPECT_EQ(
    bad("getMeetingInfo?checksum=" + std::string(50, 'a') + "&meetingID=ab"),
    "checksumError"); // 6
  // 11: checksum first.
  auto sum = good.substr(good.find("checksum="));
  EXPECT_EQ(bad("getMeetingInfo?" + sum + "&meetingID=ab"), "notFound");
  // 12: %20 vs + are different bytes.
  auto enc = sign("getMeetingInfo", "meetingID=a%20b", "acme-secret");
  EXPECT_EQ(bad("getMeetingInfo?" + enc), "notFound");
  auto plus = enc;
  plus.replace(plus.find("%20"), 3, "+");
  EXPECT_EQ(bad("getMeetingInfo?" + plus), "checksumError");
  // 13: parameters reordered after signing.
  auto two = sign("getMeetingInfo", "meetingID=ab&password=mp", "acme-secret");
  auto swapped = "password=mp&meetingID=ab" + two.substr(two.find("&checksum"));
  EXPECT_EQ(bad("getMeetingInfo?" + swapped), "checksumError");
  // 16: an unknown extra parameter is signed and ignored.
  EXPECT_EQ(el(get(port(), "/acme/bigbluebutton/api/getMeetings?"
                             + sign("getMeetings", "random=123", "acme-secret"))
                 .body,
               "returncode"),
            "SUCCESS");
  // 18: no bypass through presentationUploadExternalUrl.
  EXPECT_EQ(bad("create?meetingID=ab&name=xy&presentationUploadExternalUrl="
                "https%3A%2F%2Fx&checksum="
                + std::string(40, '0')),
            "checksumError");
  // 17: a bad checksum wins over a bad meetingID.
  EXPECT_EQ(bad("create?meetingID=&checksum=" + std::string(40, 'a')),
            "checksumError");
}

TEST_F(Gateway, BadInputGetsBbbAnswers) {
  auto key = [&](const std::string& call, const std::string& qs) {
    auto r = api("acme", call, qs);
    EXPECT_EQ(r.status, 200u);
    return el(r.body, "messageKey");
  };
  EXPECT_EQ(key("create", "meetingID=&name=Room"), "missingParamMeetingID");
  EXPECT_EQ(key("create", "meetingID=a&name=Room"), "sizeError");
  EXPECT_EQ(key("create", "meetingID=" + std::string(257, 'x') + "&name=Ro"),
            "sizeError");
  EXPECT_EQ(key("create", "meetingID=a,b&name=Room"), "validationError");
  EXPECT_EQ(key("create", "meetingID=ab&name=Room&attendeePW=x"),
            "invalidPassword");
  EXPECT_EQ(key("create", "meetingID=ab&name=Room&voiceBridge=abc"),
            "validationError");
  EXPECT_EQ(key("create", "meetingID=ab&name=Room&record=yes"),
            "validationError");
  EXPECT_EQ(key("create", "meetingID=ab"), "nullError");
  EXPECT_EQ(key("create", "meetingID=ab&name=Room&maxParticipants=-1"),
            "validationError");
  EXPECT_EQ(key("create", "meetingID=ab&name=Room&duration=ten"),
            "validationError");
  EXPECT_EQ(key("create", "meetingID=ab&name=Room"
                          "&deactivateBbbserverDefaultChatTexts=maybe"),
            "validationError");
  EXPECT_EQ(key("create", "meetingID=ab%ZZ&name=Room"), "validationError");
  EXPECT_EQ(key("isMeetingRunning", "meetingID="), "missingParamMeetingID");
  EXPECT_EQ(key("getMeetingInfo", "meetingID=nope"), "notFound");
  EXPECT_EQ(el(api("acme", "isMeetingRunning", "meetingID=0").body, "running"),
            "false"); // Greenlight's health check
  // Duplicated parameters: the first value counts, as in BBB.
  auto c = api("acme", "create", "meetingID=first&meetingID=second&name=Room");
  EXPECT_EQ(el(c.body, "meetingID"), "first");
  // 24-25: unknown calls and wrong case are 404.
  EXPECT_EQ(get(port(), "/acme/bigbluebutton/api/doesNotExist").status, 404u);
  EXPECT_EQ(get(port(), "/acme/bigbluebutton/api/Create").status, 404u);
  EXPECT_EQ(get(port(), "/acme/bigbluebutton/api/getDefaultConfigXML").status,
            404u);
  // 76
  EXPECT_EQ(http(port(), "POST",
                 "/acme/bigbluebutton/api/join?"
                   + sign("join", "meetingID=ab&fullName=x", "acme-secret"))
              .status,
            405u);
  // 64-66: join errors, as XML or as a redirect with errors=.
  EXPECT_EQ(key("join", "meetingID=nope&fullName=Jo&redirect=false"),
            "invalidMeetingIdentifier");
  auto redir = api("acme", "join",
                   "meetingID=nope&fullName=Jo&role=viewer"
                   "&errorRedirectUrl=https%3A%2F%2Fapp%2Ferr");
  EXPECT_EQ(redir.status, 302u);
  EXPECT_EQ(redir.header("location").rfind("https://app/err?errors=", 0), 0u);
  EXPECT_TRUE(contains(redir.header("location"), "invalidMeetingIdentifier"));
  EXPECT_EQ(key("join", "meetingID=ab&fullName=&redirect=false"),
            "missingParamFullName");
}

TEST_F(Gateway, BodiesAreForwardedByteForByteAndLimited) { // 20, 52
  std::string body = "<?xml version='1.0' encoding='UTF-8'?><modules><module "
                     "name='presentation'><document url='https://x/a.pdf?a=1"
                     "%26b=2' /></module></modules>";
  auto qs = sign("create", "meetingID=with-body&name=Room", "acme-secret");
  auto r = http(port(), "POST", "/acme/bigbluebutton/api/create?" + qs, body,
                "text/xml");
  ASSERT_EQ(el(r.body, "returncode"), "SUCCESS") << r.body;
  bool found = false;
  for (const auto* node : {node1_.get(), node2_.get()})
    for (const auto& call : json::parse(node->control("log")))
      if (call["call"] == "create" && call["method"] == "POST") {
        EXPECT_EQ(call["body"], body);
        EXPECT_EQ(call["contentType"], "text/xml");
        found = true;
      }
  EXPECT_TRUE(found);
  // Not XML at all: still forwarded; BBB itself decides.
  auto junk =
    http(port(), "POST",
         "/acme/bigbluebutton/api/create?"
           + sign("create", "meetingID=junk-body&name=Room", "acme-secret"),
         "<modules><unclosed>", "application/xml");
  EXPECT_EQ(el(junk.body, "returncode"), "SUCCESS");
  // Over the configured limit (64 KiB here): a FAILED answer, nothing made.
  auto big =
    http(port(), "POST",
         "/acme/bigbluebutton/api/create?"
           + sign("create", "meetingID=too-big&name=Room", "acme-secret"),
         std::string(70000, 'x'), "application/xml");
  EXPECT_EQ(big.status, 200u);
  EXPECT_EQ(el(big.body, "messageKey"), "bodyTooLarge");
  EXPECT_EQ(
    el(api("acme", "getMeetingInfo", "meetingID=too-big").body, "messageKey"),
    "notFound");
}

TEST_F(Gateway, PostFormWithSortedBodyChecksum) { // 19
  std::string body = "name=Form+Room&meetingID=form-1";
  // bbb-web 2.x: sorted parameters, URL-encoded values.
  auto sorted = "meetingID=form-1&name=Form+Room";
  auto sum = sign("create", sorted, "acme-secret");
  auto r = http(port(), "POST", "/acme/bigbluebutton/api/create",
                body + "&" + sum.substr(sum.find("checksum=")),
                "application/x-www-form-urlencoded");
  EXPECT_EQ(el(r.body, "returncode"), "SUCCESS") << r.body;
  EXPECT_EQ(el(r.body, "meetingID"), "form-1");
}

// Issue 11 (5): a POST-form create with 50 KB of metadata reached the node
// as a GET URL, which nodes refuse (414), so the client got
// noServerAvailable; a long GET create did the same.
TEST_F(Gateway, LargeCreatesReachTheNodeAsPostForms) {
  std::string meta(50000, 'm');
  std::string body = "meetingID=big-form&name=Big+Form&meta_notes=" + meta;
  // bbb-web 2.x's rule: the checksum over the sorted parameters.
  auto sorted =
    sign("create", "meetingID=big-form&meta_notes=" + meta + "&name=Big+Form",
         "acme-secret");
  auto r = http(port(), "POST", "/acme/bigbluebutton/api/create",
                body + "&" + sorted.substr(sorted.find("checksum=")),
                "application/x-www-form-urlencoded");
  ASSERT_EQ(el(r.body, "returncode"), "SUCCESS") << r.body;
  auto info = api("acme", "getMeetingInfo", "meetingID=big-form");
  EXPECT_EQ(el(info.body, "notes"), meta);
  EXPECT_EQ(el(info.body, "meetingName"), "Big Form");

  // A GET create of 10 KB: the node gets it as a POST form too.
  std::string long_meta(10000, 'g');
  auto g = api("acme", "create",
               "meetingID=big-get&name=Big+Get&meta_notes=" + long_meta);
  ASSERT_EQ(el(g.body, "returncode"), "SUCCESS") << g.body;
  EXPECT_EQ(
    el(api("acme", "getMeetingInfo", "meetingID=big-get").body, "notes"),
    long_meta);
  int forms = 0;
  for (const auto* node : {node1_.get(), node2_.get()})
    for (const auto& call : json::parse(node->control("log")))
      if (call["call"] == "create" && call["method"] == "POST"
          && call["contentType"] == "application/x-www-form-urlencoded")
        ++forms;
  EXPECT_EQ(forms, 2);
}

TEST_F(Gateway, NodeReceivesNamespacedIdsBookingAndTexts) {
  create("beta", "texts",
         "&welcome=Client+hi&maxParticipants=7&duration=45"
         "&deactivateBbbserverDefaultChatTexts=false");
  create("beta", "whitelabel",
         "&welcome=Only+mine"
         "&deactivateBbbserverDefaultChatTexts=true");
  json found = json::object();
  for (const auto* node : {node1_.get(), node2_.get()})
    for (const auto& call : json::parse(node->control("log")))
      if (call["call"] == "create")
        found[call["params"]["meetingID"].get<std::string>()] = call["params"];
  ASSERT_EQ(found.size(), 2u) << found.dump();
  for (auto& [node_id, params] : found.items()) {
    EXPECT_NE(node_id, "texts");
    EXPECT_EQ(params["duration"], "0");
    EXPECT_FALSE(params.contains("deactivateBbbserverDefaultChatTexts"));
    if (node_id.find("whitelabel") != std::string::npos) {
      EXPECT_EQ(params["welcome"], "Only mine");
      EXPECT_FALSE(params.contains("moderatorOnlyMessage"));
      EXPECT_EQ(params["maxParticipants"], "10"); // platform default
    } else {
      EXPECT_EQ(params["welcome"], "Beta hello<br><br>Client hi");
      // beta's own texts replace the platform's, which have a moderator
      // text beta does not.
      EXPECT_FALSE(params.contains("moderatorOnlyMessage"));
      EXPECT_EQ(params["maxParticipants"], "7");
    }
  }
  // acme has no texts of its own: the platform's, placeholders untouched.
  create("acme", "platform-texts", "&moderatorOnlyMessage=Mine");
  bool seen = false;
  for (const auto* node : {node1_.get(), node2_.get()})
    for (const auto& call : json::parse(node->control("log")))
      if (call["call"] == "create"
          && call["params"]["meetingID"].get<std::string>().find(
               "platform-texts")
               != std::string::npos) {
        seen = true;
        EXPECT_EQ(call["params"]["welcome"], "Platform hello %%DIALNUM%%");
        EXPECT_EQ(call["params"]["moderatorOnlyMessage"],
                  "Platform mods<br><br>Mine");
      }
  EXPECT_TRUE(seen);
  // The client sees its own duration back.
  EXPECT_EQ(
    el(api("beta", "getMeetingInfo", "meetingID=texts").body, "duration"),
    "45");
}

TEST_F(Gateway, PlacementSpreadsMeetingsOverNodes) {
  create("acme", "p1", "&maxParticipants=20");
  create("acme", "p2", "&maxParticipants=20");
  auto n1 = json::parse(node1_->control("meetings")).size();
  auto n2 = json::parse(node2_->control("meetings")).size();
  EXPECT_EQ(n1, 1u);
  EXPECT_EQ(n2, 1u);
  // 90: meetings on two nodes under one <meetings>, no messageKey.
  auto list = api("acme", "getMeetings", "").body;
  EXPECT_TRUE(contains(list, "<meetingID>p1</meetingID>"));
  EXPECT_TRUE(contains(list, "<meetingID>p2</meetingID>"));
  EXPECT_FALSE(contains(list, "messageKey"));
  // 30 more do not fit on either node (capacity 50, 20 used each)...
  auto full = create("acme", "p3", "&maxParticipants=31");
  EXPECT_EQ(el(full.body, "messageKey"), "noServerAvailable");
  // ...but 30 do.
  EXPECT_EQ(el(create("acme", "p4", "&maxParticipants=30").body, "returncode"),
            "SUCCESS");
}

TEST_F(Gateway, UnusableNodeAnswersBecomeFailedNotCrashes) {
  auto c = create("acme", "fragile");
  ASSERT_EQ(el(c.body, "returncode"), "SUCCESS");
  for (const auto* node : {node1_.get(), node2_.get()})
    node->control("fail?mode=garbage");
  auto info = api("acme", "getMeetingInfo", "meetingID=fragile");
  EXPECT_EQ(info.status, 200u);
  EXPECT_EQ(el(info.body, "returncode"), "FAILED");
  EXPECT_EQ(
    el(api("acme", "isMeetingRunning", "meetingID=fragile").body, "running"),
    "false");
  // A create finds no node that answers properly.
  EXPECT_EQ(el(create("acme", "nowhere").body, "messageKey"),
            "noServerAvailable");
  for (const auto* node : {node1_.get(), node2_.get()})
    node->control("fail?mode=html");
  EXPECT_EQ(
    el(api("acme", "getMeetingInfo", "meetingID=fragile").body, "returncode"),
    "FAILED");
  for (const auto* node : {node1_.get(), node2_.get()})
    node->control("fail?mode=none");
  EXPECT_EQ(
    el(api("acme", "getMeetingInfo", "meetingID=fragile").body, "returncode"),
    "SUCCESS");
  EXPECT_EQ(get(port(), "/healthz").status, 200u);
}

TEST_F(Gateway, KillNineAndRestartKeepsMeetingsAndRouting) {
  auto c = create("acme", "durable", "&maxParticipants=12");
  auto b = create("beta", "durable");
  ASSERT_EQ(el(c.body, "returncode"), "SUCCESS");
  auto before = api("acme", "join", "meetingID=durable&fullName=Jo&role=viewer")
                  .header("location");
  crash_and_restart();
  auto after = api("acme", "join", "meetingID=durable&fullName=Jo&role=viewer")
                 .header("location");
  EXPECT_EQ(after.substr(0, after.find("checksum=")),
            before.substr(0, before.find("checksum=")));
  auto again = create("acme", "durable");
  EXPECT_EQ(el(again.body, "messageKey"), "duplicateWarning");
  EXPECT_EQ(el(again.body, "createTime"), el(c.body, "createTime"));
  auto list = api("beta", "getMeetings", "");
  EXPECT_EQ(el(list.body, "internalMeetingID"),
            el(b.body, "internalMeetingID"));
  EXPECT_EQ(
    el(api("acme", "getMeetingInfo", "meetingID=durable").body, "maxUsers"),
    "12");
}

TEST_F(Gateway, StopsCleanlyOnSigterm) {
  create("acme", "before-stop");
  api("acme", "getMeetings", ""); // leaves no idle connection behind
  auto status = gateway_->proc.kill(SIGTERM);
  EXPECT_TRUE(WIFEXITED(status)) << gateway_->proc.output();
  EXPECT_EQ(WEXITSTATUS(status), 0);
  start_gateway();
  auto info = api("acme", "getMeetingInfo", "meetingID=before-stop");
  EXPECT_EQ(el(info.body, "returncode"), "SUCCESS")
    << info.body
    << gateway_->proc.wait_for("never", std::chrono::milliseconds(300))
    << gateway_->proc.output();
}

TEST_F(Gateway, GetMeetingsEmptyShape) { // 89
  EXPECT_EQ(api("acme", "getMeetings", "").body,
            "<response><returncode>SUCCESS</returncode><meetings/><messageKey>"
            "noMeetings</messageKey><message>no meetings were found on this "
            "server</message></response>");
}

TEST_F(Gateway, HostsAndTargetsAsRfc9112AllowsThem) {
  create("beta", "by-host-2");
  auto q = "/bigbluebutton/api/getMeetings?"
           + sign("getMeetings", "", "beta-secret", "sha256");
  // Host names compare without case and without a trailing dot.
  auto r = http(port(), "GET", q, "", "", "BBB.Beta.Example.:443");
  EXPECT_EQ(el(r.body, "meetingID"), "by-host-2") << r.body;
  // An absolute-form target is served; its authority is the host.
  auto a = http(port(), "GET", "http://bbb.beta.example" + q, "", "",
                "ignored.example");
  EXPECT_EQ(a.status, 200u);
  EXPECT_EQ(el(a.body, "meetingID"), "by-host-2") << a.body;
  auto h = http(port(), "GET", "http://127.0.0.1/healthz");
  EXPECT_EQ(h.status, 200u);
}

TEST_F(Gateway, MethodsBbbDoesNotAllowAreRefused) {
  for (const char* method : {"PUT", "DELETE", "PATCH"}) {
    auto r = http(port(), method,
                  "/acme/bigbluebutton/api/getMeetings?"
                    + sign("getMeetings", "", "acme-secret"));
    EXPECT_EQ(r.status, 405u) << method;
    EXPECT_EQ(r.header("allow"), "GET, POST") << method;
  }
  auto j =
    http(port(), "POST",
         "/acme/bigbluebutton/api/join?"
           + sign("join", "meetingID=x&fullName=A&role=viewer", "acme-secret"));
  EXPECT_EQ(j.status, 405u);
  EXPECT_EQ(j.header("allow"), "GET");
}

TEST_F(Gateway, RedirectTargetsCannotSplitTheResponseOrRunScript) {
  // A failing browser join with a CR/LF in its errorRedirectUrl: the
  // default page is used, and no header is injected.
  auto r = api("acme", "join",
               "meetingID=nowhere&fullName=A&role=viewer&errorRedirectUrl="
               "https%3A%2F%2Flms%2Fe%0D%0ASet-Cookie%3A%20sid%3Devil");
  ASSERT_EQ(r.status, 302u);
  EXPECT_EQ(r.header("set-cookie"), "");
  EXPECT_EQ(r.header("location").find("https://lms/e"), std::string::npos);
  auto js = api("acme", "join",
                "meetingID=nowhere&fullName=A&role=viewer&logoutURL="
                "javascript%3Aalert(1)");
  ASSERT_EQ(js.status, 302u);
  EXPECT_EQ(js.header("location").find("javascript"), std::string::npos);
  // A valid one is used.
  auto ok = api("acme", "join",
                "meetingID=nowhere&fullName=A&role=viewer&errorRedirectUrl="
                "https%3A%2F%2Flms%2Ferr");
  EXPECT_EQ(ok.header("location").rfind("https://lms/err?errors=", 0), 0u);
}

TEST_F(Gateway, TextThatXmlCannotCarryNeverBreaksGetMeetings) {
  // Invalid UTF-8 is refused with BBB's validationError...
  auto bad = api("acme", "create", "meetingID=utf&name=%FF%FE");
  EXPECT_EQ(el(bad.body, "messageKey"), "validationError") << bad.body;
  auto bad_id = api("acme", "create", "meetingID=%FF%FEx&name=Room");
  EXPECT_EQ(el(bad_id.body, "returncode"), "FAILED");
  // ...and characters XML forbids never reach a document.
  auto ok = api("acme", "create",
                "meetingID=ctl-room&name=Room%01One&meta_note=a%01b%0Bc");
  ASSERT_EQ(el(ok.body, "returncode"), "SUCCESS") << ok.body;
  auto list = api("acme", "getMeetings", "");
  EXPECT_EQ(el(list.body, "returncode"), "SUCCESS");
  EXPECT_EQ(list.body.find('\x01'), std::string::npos);
  EXPECT_EQ(list.body.find('\x0b'), std::string::npos);
  EXPECT_EQ(el(list.body, "note"), "abc");
}
