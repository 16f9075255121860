#pragma once

#include <map>
#include <string>
#include <string_view>
#include <variant>

namespace gw::net {

/// HTML escaping in one place: every value the console shows goes through
/// here (`&<>"'` become entities), so user data never becomes markup.
std::string html_escape(std::string_view text);

/// A fragment of markup made by a template (trusted: its own values were
/// escaped when it was rendered).
struct html {
  std::string text;
};

/// A template value: text (escaped when put in) or a rendered fragment.
using html_value = std::variant<std::string, html>;

/// Renders `tmpl`, replacing each `{{name}}` with `values[name]`: text is
/// escaped, fragments go in as they are. A name without a value renders as
/// nothing. The only way the console builds pages.
html render_html(std::string_view tmpl,
                 const std::map<std::string, html_value>& values);

} // namespace gw::net
