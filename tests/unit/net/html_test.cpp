// The console's one escaping place (net/html.hpp): text values are
// escaped, rendered fragments are not, unknown names render as nothing.
#include <gtest/gtest.h>

#include "net/html.hpp"

using namespace gw::net;

TEST(Html, EscapesTheFiveCharacters) {
  EXPECT_EQ(html_escape(R"(<a href="x" onclick='y'>&</a>)"),
            "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
  EXPECT_EQ(html_escape("plain ü"), "plain ü");
}

TEST(Html, TemplatesEscapeTextAndKeepFragments) {
  auto inner = render_html("<b>{{v}}</b>", {{"v", std::string{"<i>"}}});
  EXPECT_EQ(inner.text, "<b>&lt;i&gt;</b>");
  auto outer =
    render_html(R"(<p title="{{t}}">{{inner}}{{missing}}</p>)",
                {{"t", std::string{"\"quoted\""}}, {"inner", inner}});
  EXPECT_EQ(outer.text, "<p title=\"&quot;quoted&quot;\"><b>&lt;i&gt;</b></p>");
  // A value that looks like a placeholder is not expanded again.
  EXPECT_EQ(render_html("{{a}}",
                        {{"a", std::string{"{{b}}"}}, {"b", std::string{"no"}}})
              .text,
            "{{b}}");
  EXPECT_EQ(render_html("open {{ only", {}).text, "open {{ only");
}
