#pragma once

#include <cstddef>
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
  xml_writer() = default;

  /// Starts with room for `expected` bytes (a document that outgrows it is
  /// still complete, only copied as it grows).
  explicit xml_writer(std::size_t expected);

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

  /// The document built so far (valid until the next write).
  std::string_view str() const {
    return {buf_.data(), len_};
  }

  /// Moves the document out (the writer is empty afterwards).
  std::string take();

private:
  /// Reserves `n` bytes at the end and returns where they start. The
  /// buffer is written in place (its size is its capacity; `len_` bytes are
  /// the document), so a piece costs no capacity check in std::string.
  char* room(std::size_t n) {
    if (buf_.size() - len_ < n)
      grow(n);
    auto* at = buf_.data() + len_;
    len_ += n;
    return at;
  }
  void grow(std::size_t n);
  void put(const char* p, std::size_t n);
  /// Appends `<name>` or `</name>`.
  void tag(std::string_view name, bool closing);

  std::string buf_;
  std::size_t len_ = 0;
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
