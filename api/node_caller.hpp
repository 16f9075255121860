#pragma once

#include "core/node_call.hpp"
#include "net/http_client.hpp"
#include "net/io_pool.hpp"

namespace gw::api {

/// Returns a node's answer as the actors see it (no Beast types).
node_response to_node_response(net::client_response&& r);

/// The production node caller: posts each request to an io shard (the one
/// asked for, or the next in turn; background_shard: `background`'s first,
/// when given), whose keep-alive client sends it with the request's own
/// timeout; `done` runs on that io thread.
node_caller make_node_caller(net::io_pool& pool,
                             net::io_pool* background = nullptr);

/// The production web caller (clients' callback URLs): the next io shard's
/// client sends it.
web_caller make_web_caller(net::io_pool& pool);

} // namespace gw::api
