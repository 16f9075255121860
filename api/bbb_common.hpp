#pragma once

// What the files of the BBB API share (api/bbb_*.cpp, api/callbacks.cpp).
#include <chrono>
#include <memory>
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

} // namespace gw::api
