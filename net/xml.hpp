#pragma once

#include <string>
#include <string_view>

namespace gw::net {

/// Appends `text` to `out`, escaped for XML text and attribute values.
void xml_escape_to(std::string& out, std::string_view text);

/// Returns `text` escaped for XML.
std::string xml_escape(std::string_view text);

/// Builds compact XML documents the way bbb-web prints them (no declaration).
class xml_writer {
public:
  /// Opens `<name>`.
  xml_writer& open(std::string_view name);

  /// Closes `</name>`.
  xml_writer& close(std::string_view name);

  /// Writes `<name>text</name>` with `text` escaped.
  xml_writer& elem(std::string_view name, std::string_view text);

  /// Writes `<name>true</name>` or `<name>false</name>`.
  xml_writer& elem(std::string_view name, bool value);

  /// Writes `<name>N</name>`.
  xml_writer& elem(std::string_view name, long long value);

  /// Writes `<name/>`.
  xml_writer& empty(std::string_view name);

  /// Appends already-formed XML.
  xml_writer& raw(std::string_view xml);

  /// Returns the document built so far.
  const std::string& str() const {
    return out_;
  }

  /// Moves the document out.
  std::string take() {
    return std::move(out_);
  }

private:
  std::string out_;
};

/// Returns BBB's single-form error document.
std::string failed_xml(std::string_view key, std::string_view message);

/// Returns the text between `<name>` and `</name>` of the first such element
/// (raw, still escaped), or an empty view.
std::string_view find_element(std::string_view xml, std::string_view name);

/// Returns `text` with the five predefined XML entities and numeric character
/// references decoded.
std::string xml_unescape(std::string_view text);

} // namespace gw::net
