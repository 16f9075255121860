#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <rapidxml/rapidxml.hpp>

namespace gw::net {

using xml_node = rapidxml::xml_node<char>;

/// A node's BBB answer read with rapidxml (entities decoded): elements are
/// found by their place in the tree, never by searching text, so metadata
/// named like a BBB element (`meta_meeting`, `meta_returncode`) cannot be
/// mistaken for one.
class bbb_answer {
public:
  /// Parses `body`; null unless it is well-formed XML whose root is
  /// `<response>` with a `<returncode>` child.
  static std::unique_ptr<bbb_answer> parse(std::string_view body);

  bbb_answer(const bbb_answer&) = delete;
  bbb_answer& operator=(const bbb_answer&) = delete;

  /// The root element `<response>`.
  const xml_node& root() const {
    return *root_;
  }

  /// The text of the root's child `name` (empty when there is none).
  std::string text(std::string_view name) const;

private:
  bbb_answer() = default;
  std::vector<char> buf_;
  rapidxml::xml_document<char> doc_;
  const xml_node* root_ = nullptr;
};

/// Returns the first child element `name` of `parent`, or null.
const xml_node* child(const xml_node& parent, std::string_view name);

/// Returns the decoded text of `parent`'s child element `name` (empty when
/// there is none).
std::string child_text(const xml_node& parent, std::string_view name);

/// Calls `f(node)` for every child element of `parent` named `name`.
template <class F>
void for_each_child(const xml_node& parent, std::string_view name, F&& f) {
  for (auto* n = parent.first_node(); n != nullptr; n = n->next_sibling())
    if (n->type() == rapidxml::node_element
        && std::string_view(n->name(), n->name_size()) == name)
      f(*n);
}

/// Returns the children of `node` as compact XML (escaped again).
std::string inner_xml(const xml_node& node);

} // namespace gw::net
