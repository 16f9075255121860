// The one validation of node definitions (config file, fleet, admin API).
#include <gtest/gtest.h>

#include "core/validate.hpp"

using namespace gw;

namespace {

node_spec good() {
  return {"bbb-1.a_b", "https://bbb.example.org/bigbluebutton/", "s", 10, 1.5,
          "cordoned"};
}

std::string field_of(node_spec s) {
  node_config out;
  auto err = validate_node(s, out);
  return err ? err->field : "";
}

} // namespace

TEST(ValidateNode, AcceptsAValidSpecAndTypesIt) {
  node_config out;
  ASSERT_FALSE(validate_node(good(), out));
  EXPECT_EQ(out.id, "bbb-1.a_b");
  EXPECT_EQ(out.capacity, 10);
  EXPECT_DOUBLE_EQ(out.overcommit, 1.5);
  EXPECT_EQ(out.state, node_state::cordoned);
  EXPECT_EQ(spec_of(out).state, "cordoned");
}

TEST(ValidateNode, NamesTheFieldOfEachRule) {
  auto s = good();
  s.id = "";
  EXPECT_EQ(field_of(s), "id");
  s.id = std::string(65, 'a');
  EXPECT_EQ(field_of(s), "id");
  s = good();
  s.id = "a/b";
  EXPECT_EQ(field_of(s), "id");
  s = good();
  s.url = "ftp://x/";
  EXPECT_EQ(field_of(s), "url");
  s.url = "http://x/bigbluebutton/?q=1";
  EXPECT_EQ(field_of(s), "url");
  s = good();
  s.secret = "";
  EXPECT_EQ(field_of(s), "secret");
  s = good();
  s.capacity = 0;
  EXPECT_EQ(field_of(s), "capacity");
  s = good();
  s.overcommit = 0;
  EXPECT_EQ(field_of(s), "overcommit");
  s.overcommit = -1;
  EXPECT_EQ(field_of(s), "overcommit");
  s.overcommit = 1e308;
  EXPECT_EQ(field_of(s), "overcommit");
  s = good();
  s.capacity = max_capacity + 1;
  EXPECT_EQ(field_of(s), "capacity");
  s = good();
  s.secret = std::string(3 * 1024 * 1024, 'x');
  EXPECT_EQ(field_of(s), "secret");
  s.secret = "a\r\nb";
  EXPECT_EQ(field_of(s), "secret");
  s = good();
  s.url = "http://admin:pw@bbb.example.org/bigbluebutton/";
  EXPECT_EQ(field_of(s), "url");
  s = good();
  s.state = "asleep";
  EXPECT_EQ(field_of(s), "state");
  node_config out;
  EXPECT_EQ(validate_node(s, out)->text(),
            "state: must be enabled, cordoned, draining or disabled");
}

TEST(ValidateId, TenantIdsTakeNoDot) {
  EXPECT_TRUE(is_valid_id("acme-1_x", false));
  EXPECT_FALSE(is_valid_id("acme.x", false));
  EXPECT_TRUE(is_valid_id("acme.x", true));
  EXPECT_FALSE(is_valid_id("", true));
}
