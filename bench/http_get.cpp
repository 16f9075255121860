#include "bench/http_get.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

namespace gw::bench {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

std::string http_get(uint16_t port, const std::string& target,
                     unsigned* status) {
  asio::io_context ioc;
  asio::ip::tcp::socket socket{ioc};
  beast::error_code ec;
  socket.connect({asio::ip::make_address("127.0.0.1"), port}, ec);
  if (ec)
    return {};
  http::request<http::empty_body> req{http::verb::get, target, 11};
  req.set(http::field::host, "127.0.0.1");
  http::write(socket, req, ec);
  beast::flat_buffer buf;
  http::response<http::string_body> res;
  http::read(socket, buf, res, ec);
  if (ec)
    return {};
  if (status != nullptr)
    *status = res.result_int();
  return res.body();
}

} // namespace gw::bench
