#include "actors/messages.hpp"

#include <caf/message.hpp>

namespace gw {

failure failure_of(const caf::error& err) {
  if (err.category() == caf::atom("gw")) {
    failure f;
    f.code = static_cast<ec>(err.code());
    const auto& ctx = err.context();
    if (ctx.match_elements<std::string>())
      f.message = ctx.get_as<std::string>(0);
    else
      f.message = std::string{default_message(f.code)};
    return f;
  }
  return failure::of(ec::unavailable);
}

caf::error make_error(const failure& f) {
  return caf::make_error(f.code, f.message);
}

} // namespace gw
