#pragma once

#include <string>
#include <string_view>

#include "core/create.hpp"
#include "core/meeting.hpp"
#include "core/node.hpp"
#include "net/xml.hpp"

namespace gw::net {

/// Returns true when `body` is well-formed XML whose root is `<response>`
/// with a `<returncode>` child (checked with rapidxml).
bool is_bbb_response(std::string_view body);

/// Returns the decoded text of the first element `name`, or empty.
std::string element_text(std::string_view xml, std::string_view name);

/// Replaces the text of every `<meetingID>` element equal to the node's
/// meeting ID with the client's, so answers show the tenant its own IDs.
std::string rewrite_meeting_id(std::string body,
                               const std::string& node_meeting_id,
                               const std::string& client_meeting_id);

/// Replaces the text of the first element `name` with `text` (escaped).
std::string replace_element(std::string body, std::string_view name,
                            std::string_view text);

/// Removes the child `<name>...</name>` of `<metadata>` (gateway-injected).
std::string remove_metadata(std::string body, std::string_view name);

/// Renders what a create came to as the client must see it: the gateway's
/// failure, or the node's answer in the client's meetingID, with the
/// duration, createTime and createDate the client was told.
std::string render_create(const create_result& r);

/// Writes one `<meeting>` body (getMeetings) from the gateway's own state:
/// the stored meeting plus what the last poll of its node showed (`live`
/// may be null: nobody there yet, as far as the gateway knows).
void write_meeting(xml_writer& w, const meeting_row& row,
                   const live_meeting* live);

} // namespace gw::net
