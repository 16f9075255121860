#include <limits>

#include <gtest/gtest.h>

#include "net/xml.hpp"

using namespace gw::net;

TEST(Xml, EscapesAllFiveEntities) {
  EXPECT_EQ(xml_escape("<b>&\"'"), "&lt;b&gt;&amp;&quot;&apos;");
}

TEST(Xml, UnescapeRoundTripsAndDecodesNumericReferences) {
  EXPECT_EQ(xml_unescape(xml_escape("<b>&\"' x")), "<b>&\"' x");
  EXPECT_EQ(xml_unescape("&#228;&#x4F1A;"), "\xC3\xA4\xE4\xBC\x9A");
}

TEST(Xml, FailedDocumentHasFixedOrder) {
  EXPECT_EQ(failed_xml("notFound", "A & B"),
            "<response><returncode>FAILED</returncode><messageKey>notFound"
            "</messageKey><message>A &amp; B</message></response>");
}

TEST(Xml, FindsFirstElementText) {
  std::string doc = "<response><a>1</a><b>x&amp;y</b><a>2</a></response>";
  EXPECT_EQ(find_element(doc, "a"), "1");
  EXPECT_EQ(find_element(doc, "b"), "x&amp;y");
  EXPECT_EQ(find_element(doc, "c"), "");
}

TEST(Xml, EscapingCannotProduceIllFormedXml) {
  // Controls XML forbids are dropped, invalid UTF-8 replaced, U+FFFE gone.
  EXPECT_EQ(xml_escape(std::string("a\x01\x1f\tb\nc", 7)), "a\tb\nc");
  EXPECT_EQ(xml_escape("\xff\xfe"), "\xef\xbf\xbd\xef\xbf\xbd");
  EXPECT_EQ(xml_escape("\xc3\xa9\xef\xbf\xbe"), "\xc3\xa9");
  EXPECT_EQ(xml_escape("\xed\xa0\x80"), "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
  EXPECT_EQ(xml_escape("<&>\"'"), "&lt;&amp;&gt;&quot;&apos;");
}

TEST(Xml, WriterBuildsTheSameDocumentForEveryPieceSize) {
  // The writer copies short pieces with fixed-size moves (0-3, 4-7, 8-16
  // bytes) and grows its buffer in place: every size, across growth, must
  // give what plain concatenation gives.
  for (std::size_t expected :
       {std::size_t{0}, std::size_t{1}, std::size_t{300}}) {
    xml_writer w{expected};
    std::string want;
    for (std::size_t n = 0; n <= 40; ++n) {
      std::string name = "e" + std::string(n, 'n');
      std::string text(n, 'x');
      if (n > 2)
        text[n / 2] = '&';
      w.elem(name, text);
      want += "<" + name + ">" + xml_escape(text) + "</" + name + ">";
      w.elem(name, static_cast<long long>(n) - 20);
      want += "<" + name + ">" + std::to_string(static_cast<long long>(n) - 20)
              + "</" + name + ">";
      w.elem(name, n % 2 == 0).empty(name).raw(text);
      want += "<" + name + ">" + (n % 2 == 0 ? "true" : "false") + "</" + name
              + "><" + name + "/>" + text;
      ASSERT_EQ(w.str(), want) << "after pieces of " << n << " bytes";
    }
    w.elem("min", std::numeric_limits<long long>::min());
    want += "<min>" + std::to_string(std::numeric_limits<long long>::min())
            + "</min>";
    EXPECT_EQ(w.take(), want);
    EXPECT_EQ(w.str(), "");
  }
}
