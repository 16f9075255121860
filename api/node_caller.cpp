#include "api/node_caller.hpp"

#include <boost/asio/post.hpp>
#include <boost/beast/http/verb.hpp>

namespace gw::api {

node_response to_node_response(net::client_response&& r) {
  node_response out;
  if (r.ec)
    out.error = r.ec.message();
  out.status = r.status;
  out.body = std::move(r.body);
  return out;
}

node_caller make_node_caller(net::io_pool& pool, net::io_pool* background) {
  auto* p = &pool;
  return [p, background](int shard, std::shared_ptr<const node_info> node,
                         node_request req, node_done done) {
    auto* target = shard >= 0 && static_cast<std::size_t>(shard) < p->size()
                     ? &p->shard(static_cast<std::size_t>(shard))
                   : shard == background_shard && background != nullptr
                     ? &background->shard(0)
                     : &p->next();
    boost::asio::post(target->ioc, [target, node = std::move(node),
                                    req = std::move(req),
                                    done = std::move(done)]() mutable {
      namespace http = boost::beast::http;
      target->client->request(node->ep,
                              req.post ? http::verb::post : http::verb::get,
                              std::move(req.target), std::move(req.body),
                              std::move(req.content_type), req.timeout,
                              [done = std::move(done), metrics = node->metrics](
                                net::client_response&& r) {
                                metrics->count_call(!r.ec, r.status);
                                done(to_node_response(std::move(r)));
                              });
    });
  };
}

web_caller make_web_caller(net::io_pool& pool) {
  auto* p = &pool;
  return [p](url_parts ep, node_request req, node_done done) {
    auto* target = &p->next();
    boost::asio::post(target->ioc,
                      [target, ep = std::move(ep), req = std::move(req),
                       done = std::move(done)]() mutable {
                        namespace http = boost::beast::http;
                        target->client->request(
                          ep, req.post ? http::verb::post : http::verb::get,
                          std::move(req.target), std::move(req.body),
                          std::move(req.content_type), req.timeout,
                          [done = std::move(done)](net::client_response&& r) {
                            done(to_node_response(std::move(r)));
                          },
                          req.headers);
                      });
  };
}

} // namespace gw::api
