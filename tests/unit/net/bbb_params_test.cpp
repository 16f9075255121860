#include <gtest/gtest.h>

#include "net/bbb_params.hpp"

using namespace gw::net;

namespace {

std::string key_of(const std::optional<api_error>& e) {
  return e ? e->key : std::string{"ok"};
}

std::string create_key(const std::string& qs) {
  return key_of(validate_create(*query::parse(qs)));
}

} // namespace

TEST(BbbParams, MeetingIdRules) {
  EXPECT_EQ(create_key("name=Room"), "missingParamMeetingID");
  EXPECT_EQ(create_key("meetingID=&name=Room"), "missingParamMeetingID");
  EXPECT_EQ(create_key("meetingID=a&name=Room"), "sizeError");
  EXPECT_EQ(create_key("meetingID=" + std::string(257, 'x') + "&name=Room"),
            "sizeError");
  EXPECT_EQ(create_key("meetingID=" + std::string(256, 'x') + "&name=Room"),
            "ok");
  EXPECT_EQ(create_key("meetingID=a,b&name=Room"), "validationError");
  EXPECT_EQ(create_key("meetingID=+ab&name=Room"), "validationError");
}

TEST(BbbParams, CreateNamePasswordsBridgeRecord) {
  EXPECT_EQ(create_key("meetingID=ab"), "nullError");
  EXPECT_EQ(create_key("meetingID=ab&name="), "emptyError");
  EXPECT_EQ(create_key("meetingID=ab&name=R&attendeePW=x"), "sizeError");
  EXPECT_EQ(create_key("meetingID=ab&name=Ro&attendeePW=x"), "invalidPassword");
  EXPECT_EQ(
    create_key("meetingID=ab&name=Ro&moderatorPW=" + std::string(65, 'p')),
    "invalidPassword");
  EXPECT_EQ(create_key("meetingID=ab&name=Ro&voiceBridge=abc"),
            "validationError");
  EXPECT_EQ(create_key("meetingID=ab&name=Ro&record=yes"), "validationError");
  EXPECT_EQ(create_key("meetingID=ab&name=Ro&record=TRUE"), "ok");
}

TEST(BbbParams, JoinRules) {
  auto key = [](const std::string& qs) {
    return key_of(validate_join(*query::parse(qs)));
  };
  EXPECT_EQ(key("meetingID=ab"), "missingParamFullName");
  EXPECT_EQ(key("meetingID=ab&fullName="), "missingParamFullName");
  EXPECT_EQ(key("meetingID=ab&fullName=Jo&createTime=x1"), "validationError");
  EXPECT_EQ(key("meetingID=ab&fullName=Jo&password=&role=Viewer"), "ok");
}

TEST(BbbParams, MetaNamesAndBooleans) {
  EXPECT_TRUE(is_valid_meta_name("bbb-origin"));
  EXPECT_TRUE(is_valid_meta_name("endCallbackUrl"));
  EXPECT_FALSE(is_valid_meta_name("foo_bar"));
  EXPECT_FALSE(is_valid_meta_name("1abc"));
  EXPECT_TRUE(is_bbb_boolean("FALSE"));
  EXPECT_TRUE(is_bbb_boolean("1"));
  EXPECT_FALSE(is_bbb_boolean("yes"));
  EXPECT_TRUE(is_true("TrUe"));
  EXPECT_FALSE(is_true("1"));
}
