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
