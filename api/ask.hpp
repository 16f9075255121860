#pragma once

#include <chrono>
#include <utility>

#include <boost/asio/post.hpp>
#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/expected.hpp>

namespace gw::api {

/// Sends a request to `dest` without blocking the calling (io) thread and
/// runs `on_done(caf::expected<T>)` on the executor `ex`. A one-shot asker
/// actor per call: for rare calls (admin API), not for hot paths.
template <class T, class Handle, class Executor, class OnDone, class... Ts>
void ask(caf::actor_system& sys, Handle dest, Executor ex,
         std::chrono::milliseconds timeout, OnDone on_done, Ts... xs) {
  sys.spawn([=](caf::event_based_actor* self) {
    self->request(dest, timeout, xs...)
      .then(
        [=](T value) {
          boost::asio::post(ex, [=] { on_done(caf::expected<T>{value}); });
        },
        [=](caf::error& err) {
          boost::asio::post(ex, [=] { on_done(caf::expected<T>{err}); });
        });
  });
}

} // namespace gw::api
