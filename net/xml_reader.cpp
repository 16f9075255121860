#include "net/xml_reader.hpp"

#include "net/xml.hpp"

namespace gw::net {

namespace {

void append_element(const xml_node& n, std::string& out);

void append_children(const xml_node& n, std::string& out) {
  for (auto* c = n.first_node(); c != nullptr; c = c->next_sibling()) {
    if (c->type() == rapidxml::node_element)
      append_element(*c, out);
    else if (c->type() == rapidxml::node_data
             || c->type() == rapidxml::node_cdata)
      xml_escape_to(out, std::string_view(c->value(), c->value_size()));
  }
}

void append_element(const xml_node& n, std::string& out) {
  std::string_view name(n.name(), n.name_size());
  out.push_back('<');
  out.append(name);
  for (auto* a = n.first_attribute(); a != nullptr; a = a->next_attribute()) {
    out.push_back(' ');
    out.append(a->name(), a->name_size());
    out.append("=\"");
    xml_escape_to(out, std::string_view(a->value(), a->value_size()));
    out.push_back('"');
  }
  out.push_back('>');
  append_children(n, out);
  out.append("</");
  out.append(name);
  out.push_back('>');
}

} // namespace

std::unique_ptr<bbb_answer> bbb_answer::parse(std::string_view body) {
  std::unique_ptr<bbb_answer> a{new bbb_answer};
  a->buf_.assign(body.begin(), body.end());
  a->buf_.push_back('\0');
  try {
    a->doc_.parse<0>(a->buf_.data());
  } catch (const rapidxml::parse_error&) {
    return nullptr;
  }
  auto* root = a->doc_.first_node();
  if (root == nullptr
      || std::string_view(root->name(), root->name_size()) != "response"
      || child(*root, "returncode") == nullptr)
    return nullptr;
  a->root_ = root;
  return a;
}

std::string bbb_answer::text(std::string_view name) const {
  return child_text(*root_, name);
}

const xml_node* child(const xml_node& parent, std::string_view name) {
  for (auto* n = parent.first_node(); n != nullptr; n = n->next_sibling())
    if (n->type() == rapidxml::node_element
        && std::string_view(n->name(), n->name_size()) == name)
      return n;
  return nullptr;
}

std::string child_text(const xml_node& parent, std::string_view name) {
  auto* n = child(parent, name);
  if (n == nullptr)
    return {};
  // The text of an element is its data (and CDATA) children, in order.
  std::string out;
  for (auto* c = n->first_node(); c != nullptr; c = c->next_sibling())
    if (c->type() == rapidxml::node_data || c->type() == rapidxml::node_cdata)
      out.append(c->value(), c->value_size());
  return out;
}

std::string inner_xml(const xml_node& node) {
  std::string out;
  append_children(node, out);
  return out;
}

} // namespace gw::net
