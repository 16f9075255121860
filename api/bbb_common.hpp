#pragma once

// What the files of the BBB API share (api/bbb_*.cpp, api/callbacks.cpp).
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "api/bbb_answers.hpp"
#include "api/bbb_api.hpp"
#include "net/io_pool.hpp"
#include "net/node_api.hpp"
#include "net/query.hpp"

namespace gw::api {

/// How long a node may take to answer a proxied call.
constexpr auto node_timeout = std::chrono::seconds(10);

struct bbb_api::call_ctx {
  net::http_request req;
  net::io_shard* shard = nullptr;
  net::responder respond;
  std::shared_ptr<const tenant_entry> tenant;
  std::string call;
  net::query q;
  /// Live data was refreshed for this call already (getMeetings).
  bool refreshed = false;
};

/// For the recording calls that check their parameters before the
/// checksum (publish/update/deleteRecordings, the text-track calls): the
/// answer when one is missing, in the form bbb-web gives it.
std::optional<net::http_response>
recording_presence_error(const std::string& call, std::string_view query);

} // namespace gw::api
