#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gw::net {

/// Metadata as name/value pairs (names lowercased, as BBB keeps them).
using metadata_list = std::vector<std::pair<std::string, std::string>>;

/// True for a create parameter naming a recording-ready callback:
/// `meta_<anything>-recording-ready-url`, in any case (bbb-, bn- for
/// Moodle, canvas-, ...).
bool is_recording_ready_param(std::string_view name);

/// The gateway's own recording-ready URL for one meeting, put into every
/// create as `meta_bbb-recording-ready-url`: it names the tenant and the
/// client's meetingID and carries the client's own callback URLs (key
/// without `meta_`, lowercased; URL), so that the node's recording
/// metadata alone tells the gateway where to relay and what to show.
std::string recording_ready_url(const std::string& public_url,
                                const std::string& tenant,
                                const std::string& meeting_id,
                                const metadata_list& client_urls);

/// True for `meta_analytics-callback-url` in any case.
bool is_analytics_param(std::string_view name);

/// The gateway's own learning-analytics URL for one meeting, put into a
/// create instead of the client's `meta_analytics-callback-url` (which it
/// carries, like recording_ready_url).
std::string analytics_callback_url(const std::string& public_url,
                                   const std::string& tenant,
                                   const std::string& meeting_id,
                                   const std::string& client_url);

/// One of the gateway's callback URLs, read back.
struct gateway_callback {
  /// The path after `/_gw/callback/`: "end", "recording" or "analytics".
  std::string kind;
  std::string tenant;
  std::string meeting_id;
  /// The client's own URLs by (lowercased) metadata key.
  metadata_list client_urls;
};

/// Reads a gateway callback URL (one starting with `own_prefix`, i.e.
/// `public_url + "/_gw/"`); nullopt for anything else.
std::optional<gateway_callback>
read_gateway_callback(std::string_view url, std::string_view own_prefix);

/// The metadata as the client gave it: every value that is a gateway URL
/// is replaced by the client's own URLs it carries (under their keys, where
/// the key is not there already) or left out.
metadata_list client_metadata(const metadata_list& node_metadata,
                              std::string_view own_prefix);

/// The same on a `<metadata>` element of a node's XML answer
/// (getMeetingInfo).
std::string restore_client_metadata(std::string body,
                                    std::string_view own_prefix);

} // namespace gw::net
