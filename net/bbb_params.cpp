#include "net/bbb_params.hpp"

#include <cctype>

namespace gw::net {

std::string sanitize(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F)
      continue;
    out.push_back(c);
  }
  auto first = out.find_first_not_of(" \t");
  if (first == std::string::npos)
    return {};
  auto last = out.find_last_not_of(" \t");
  return out.substr(first, last - first + 1);
}

std::optional<api_error> check_meeting_id(const std::string* id) {
  if (id == nullptr)
    return api_error{"missingParamMeetingID",
                     "You must specify a meeting ID for the meeting."};
  if (id->empty())
    return api_error{"missingParamMeetingID", "You must provide a meeting ID"};
  auto len = utf8_length(*id);
  if (len < 2 || len > 256)
    return api_error{"sizeError",
                     "Meeting ID must be between 2 and 256 characters"};
  if (id->find(',') != std::string::npos)
    return api_error{"validationError", "Meeting ID cannot contain ','"};
  if (sanitize(*id) != *id || !is_valid_utf8(*id))
    return api_error{"validationError", "Invalid meeting ID"};
  return std::nullopt;
}

std::optional<api_error> check_password(const std::string* pw) {
  if (pw == nullptr || pw->empty())
    return std::nullopt;
  auto len = utf8_length(*pw);
  if (len < 2 || len > 64)
    return api_error{"invalidPassword", "Invalid password"};
  return std::nullopt;
}

std::string ascii_lower(std::string_view s) {
  std::string out{s};
  for (auto& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool is_bbb_boolean(std::string_view s) {
  auto l = ascii_lower(s);
  return l == "true" || l == "false" || l == "0" || l == "1";
}

bool is_true(std::string_view s) {
  return ascii_lower(s) == "true";
}

bool is_digits(std::string_view s) {
  if (s.empty())
    return false;
  for (char c : s)
    if (c < '0' || c > '9')
      return false;
  return true;
}

bool is_valid_meta_name(std::string_view name) {
  if (name.empty() || !std::isalpha(static_cast<unsigned char>(name[0])))
    return false;
  for (char c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-')
      return false;
  return true;
}

namespace {

/// One input policy for every client string: a value that is not UTF-8 is
/// refused (BBB's own pages and XML could not show it).
std::optional<api_error> check_utf8(const query& q) {
  for (const auto& p : q.params())
    if (!is_valid_utf8(p.value) || !is_valid_utf8(p.name))
      return api_error{"validationError",
                       "Parameter '" + p.name + "' is not valid UTF-8."};
  return std::nullopt;
}

} // namespace

std::optional<api_error> validate_create(const query& q) {
  if (auto err = check_utf8(q))
    return err;
  if (auto err = check_meeting_id(q.get("meetingID")))
    return err;
  auto name = q.get("name");
  if (name == nullptr)
    return api_error{"nullError", "You must provide a meeting name"};
  if (name->empty())
    return api_error{"emptyError", "You must provide a meeting name"};
  auto len = utf8_length(sanitize(*name));
  if (len < 2 || len > 256)
    return api_error{"sizeError",
                     "Meeting name must be between 2 and 256 characters"};
  if (auto err = check_password(q.get("attendeePW")))
    return err;
  if (auto err = check_password(q.get("moderatorPW")))
    return err;
  if (auto vb = q.get("voiceBridge"); vb && !vb->empty() && !is_digits(*vb))
    return api_error{"validationError",
                     "Voice bridge must be an integral value"};
  if (auto rec = q.get("record"); rec && !rec->empty() && !is_bbb_boolean(*rec))
    return api_error{"validationError",
                     "Record must be a boolean value (true or false)"};
  return std::nullopt;
}

std::optional<api_error> validate_join(const query& q) {
  if (auto err = check_utf8(q))
    return err;
  auto full_name = q.get("fullName");
  if (full_name == nullptr || full_name->empty())
    return api_error{"missingParamFullName", "You must provide your name"};
  if (auto err = check_meeting_id(q.get("meetingID")))
    return err;
  if (auto err = check_password(q.get("password")))
    return err;
  for (const char* key : {"guest", "auth"})
    if (auto v = q.get(key); v && !v->empty() && !is_bbb_boolean(*v))
      return api_error{"validationError",
                       std::string{"Parameter '"} + key
                         + "' must be a boolean value (true or false)"};
  if (auto ct = q.get("createTime"); ct && !ct->empty() && !is_digits(*ct))
    return api_error{"validationError", "Value must be an integral number"};
  return std::nullopt;
}

api_error checksum_error(bool missing) {
  if (missing)
    return {"checksumError", "You must provide the checksum"};
  return {"checksumError", "Checksums do not match"};
}

api_error not_found_error() {
  return {"notFound", "A meeting with that ID does not exist"};
}

} // namespace gw::net
