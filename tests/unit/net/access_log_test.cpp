// The access log: lines from several io threads, written whole by its own
// thread, escaped so that no field can forge another or break a line.
#include <string>

#include <fcntl.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "net/access_log.hpp"

using namespace gw::net;

namespace {

/// Reads what the log wrote to a pipe.
class pipe_reader {
public:
  pipe_reader() {
    EXPECT_EQ(::pipe(fds_), 0);
    ::fcntl(fds_[0], F_SETFL, O_NONBLOCK);
  }
  ~pipe_reader() {
    ::close(fds_[0]);
    ::close(fds_[1]);
  }
  int write_end() const {
    return fds_[1];
  }
  std::string read_all() {
    std::string out;
    char buf[4096];
    ssize_t n;
    while ((n = ::read(fds_[0], buf, sizeof buf)) > 0)
      out.append(buf, static_cast<std::size_t>(n));
    return out;
  }

private:
  int fds_[2] = {-1, -1};
};

access_entry entry(std::string_view meeting) {
  access_entry e;
  e.tenant = "acme";
  e.call = "create";
  e.meeting_id = meeting;
  e.status = 200;
  e.returncode = "SUCCESS";
  e.microseconds = 42;
  return e;
}

} // namespace

TEST(AccessLog, LinesFromEveryShardAreWrittenWhole) {
  pipe_reader out;
  access_log log{2, "text", out.write_end()};
  log.write(0, entry("room-1"));
  log.write(1, entry("room-2"));
  log.flush();
  auto text = out.read_all();
  EXPECT_NE(text.find("] [access] tenant=acme call=create meetingID=room-1 "
                      "status=200 returncode=SUCCESS messageKey= us=42\n"),
            std::string::npos)
    << text;
  EXPECT_NE(text.find("meetingID=room-2 "), std::string::npos) << text;
  EXPECT_EQ(text[0], '[');
}

TEST(AccessLog, JsonLinesParseAndNoFieldBreaksOut) {
  pipe_reader out;
  access_log log{1, "json", out.write_end()};
  log.write(0, entry("a b\"c\\d\n{x}"));
  log.flush();
  auto text = out.read_all();
  ASSERT_FALSE(text.empty());
  ASSERT_EQ(text.back(), '\n');
  auto j = nlohmann::json::parse(text.substr(0, text.size() - 1));
  EXPECT_EQ(j["logger"], "access");
  EXPECT_EQ(j["level"], "info");
  EXPECT_EQ(j["msg"],
            "tenant=acme call=create meetingID=a%20b%22c%5Cd%0A%7Bx%7D "
            "status=200 returncode=SUCCESS messageKey= us=42");
}

TEST(AccessLog, ManyLinesAreAllWrittenInOrderPerShard) {
  pipe_reader out;
  {
    access_log log{1, "text", out.write_end()};
    for (int i = 0; i < 500; ++i)
      log.write(0, entry("m" + std::to_string(i)));
    log.flush();
    auto text = out.read_all();
    std::size_t at = 0;
    for (int i = 0; i < 500; ++i) {
      auto next = text.find("meetingID=m" + std::to_string(i) + " ", at);
      ASSERT_NE(next, std::string::npos) << i;
      at = next;
    }
    EXPECT_EQ(log.dropped(), 0u);
  }
}

TEST(AccessLog, AnOutputThatFallsBehindDropsAndCounts) {
  pipe_reader out;
  // Nothing may wait: every line after the first is dropped until written.
  access_log log{1, "text", out.write_end(), 0};
  for (int i = 0; i < 10; ++i)
    log.write(0, entry("m"));
  EXPECT_GE(log.dropped(), 1u);
  log.flush();
  EXPECT_FALSE(out.read_all().empty());
}
