// Fuzzes the reading of BBB XML: a node's answer to create, its
// getMeetings (the poll), its getRecordings, any answer's tree, and the
// escaping that writes client text into XML. Whatever the bytes, no crash, and
// - the inner XML of a parsed answer parses again (it is re-escaped),
// - any text escaped into an element parses, so no input can make an answer
//   ill-formed.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/node_call.hpp"
#include "net/node_api.hpp"
#include "net/recording_xml.hpp"
#include "net/xml.hpp"
#include "net/xml_reader.hpp"
#include "tests/fuzz/fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);

  std::string escaped = "<response><returncode>SUCCESS</returncode><m>"
                        + gw::net::xml_escape(in) + "</m></response>";
  FUZZ_CHECK(gw::net::bbb_answer::parse(escaped) != nullptr);

  gw::node_response res;
  res.status = 200;
  res.body = std::string(in);
  (void)gw::net::read_create_answer(res);
  (void)gw::net::parse_poll(res);
  (void)gw::net::read_node_recordings(res);

  if (auto answer = gw::net::bbb_answer::parse(in)) {
    std::string again =
      "<response>" + gw::net::inner_xml(answer->root()) + "</response>";
    auto reparsed = gw::net::bbb_answer::parse(again);
    FUZZ_CHECK(reparsed != nullptr);
    // Equal up to what escaping replaces (invalid UTF-8, forbidden
    // characters), which it does the same way twice.
    FUZZ_CHECK(gw::net::xml_escape(reparsed->text("returncode"))
               == gw::net::xml_escape(answer->text("returncode")));
  }
  return 0;
}
