#include <gtest/gtest.h>

#include "core/ec.hpp"

using namespace gw;

TEST(Ec, TableHasOneRowPerCodeInOrder) {
  EXPECT_TRUE(ec_table_in_order());
}

TEST(Ec, KeysStatusesAndMessagesComeFromTheTable) {
  EXPECT_EQ(message_key(ec::not_enough_connections), "notEnoughConnections");
  EXPECT_EQ(message_key(ec::max_participants_exceeds_subscription),
            "maxParticipantsExceedsSubscription");
  EXPECT_EQ(message_key(ec::integration_api_disabled),
            "integrationApiDisabled");
  EXPECT_EQ(message_key(ec::no_server_available), "noServerAvailable");
  EXPECT_EQ(http_status(ec::already_exists), 409u);
  EXPECT_EQ(http_status(ec::has_meetings), 409u);
  EXPECT_EQ(http_status(ec::no_such_entity), 404u);
  EXPECT_EQ(http_status(ec::invalid_field), 400u);
  EXPECT_EQ(http_status(ec::unavailable), 503u);
  auto f = failure::of(ec::server_unavailable);
  EXPECT_EQ(f.code, ec::server_unavailable);
  EXPECT_EQ(f.message, "The server for this meeting is disabled/offline.");
}

TEST(Ec, AnUnknownCodeReadsAsInternalError) {
  EXPECT_EQ(message_key(static_cast<ec>(250)), "internalError");
}
