#include "actors/console_actor.hpp"

#include <algorithm>
#include <memory>

#include <spdlog/spdlog.h>

#include "core/digest.hpp"

namespace gw {

namespace {

using self_ptr = console_actor::stateful_pointer<console_state>;

constexpr int64_t forget_after_ms = 15 * 60 * 1000;
constexpr int64_t max_wait_ms = 15 * 60 * 1000;

int64_t now_ms(self_ptr self) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
           self->clock().now().time_since_epoch())
    .count();
}

/// How long `f` must still wait at `now` (0: may try).
int64_t wait_for(const failures& f, int64_t now) {
  if (f.count < free_sign_in_failures || now - f.last_ms > forget_after_ms)
    return 0;
  int shift = std::min(f.count - free_sign_in_failures, 20);
  int64_t wait = std::min<int64_t>(int64_t{1000} << shift, max_wait_ms);
  return std::max<int64_t>(0, f.last_ms + wait - now);
}

void fail(failures& f, int64_t now) {
  if (now - f.last_ms > forget_after_ms)
    f.count = 0;
  ++f.count;
  f.last_ms = now;
}

// A hash of a password nobody has, so an unknown tenant costs the same.
const std::string& decoy_hash() {
  static const std::string h =
    "scrypt$16384$8$1$00000000000000000000000000000000$"
    "0000000000000000000000000000000000000000000000000000000000000000";
  return h;
}

} // namespace

console_actor::behavior_type
console_service(console_actor::stateful_pointer<console_state> self,
                password_actor passwords,
                std::chrono::milliseconds session_length) {
  self->state.passwords = std::move(passwords);
  self->state.session_length = session_length;
  self->delayed_send(self, std::chrono::minutes(1), atom::tick_v);
  return {
    [self](atom::verify, const std::string& tenant, const std::string& address,
           const std::string& password, const std::vector<std::string>& stored)
      -> caf::result<console_login> {
      auto& st = self->state;
      auto now = now_ms(self);
      auto wait = std::max(wait_for(st.by_tenant[tenant], now),
                           wait_for(st.by_address[address], now));
      if (wait > 0) {
        console_login refused;
        refused.retry_after_ms = wait;
        return refused;
      }
      auto rp = self->make_response_promise<console_login>();
      auto hashes =
        stored.empty() ? std::vector<std::string>{decoy_hash()} : stored;
      auto left = std::make_shared<std::size_t>(hashes.size());
      auto any = std::make_shared<bool>(false);
      auto known = !stored.empty();
      auto settle = [self, rp, tenant, address, left, any, known]() mutable {
        if (--*left > 0)
          return;
        auto& s = self->state;
        auto at = now_ms(self);
        auto who = tenant.empty() ? std::string{"the operator"} : tenant;
        console_login out;
        if (!*any || !known) {
          fail(s.by_tenant[tenant], at);
          fail(s.by_address[address], at);
          spdlog::info("console: failed sign-in for {} from {}", who, address);
          rp.deliver(out);
          return;
        }
        s.by_tenant.erase(tenant);
        s.by_address.erase(address);
        out.ok = true;
        out.token = random_hex(32);
        out.csrf = random_hex(32);
        s.sessions[out.token] = {
          console_session{tenant, out.csrf, tenant.empty()},
          at + s.session_length.count()};
        spdlog::info("console: {} signed in from {}", who, address);
        rp.deliver(out);
      };
      for (const auto& h : hashes)
        self
          ->request(st.passwords, std::chrono::seconds(10), atom::verify_v,
                    password, h)
          .then(
            [any, settle](bool ok) mutable {
              *any = *any || ok;
              settle();
            },
            [settle](caf::error&) mutable { settle(); });
      return rp;
    },
    [self](atom::lookup, const std::string& token) {
      auto& st = self->state;
      auto it = st.sessions.find(token);
      if (it == st.sessions.end())
        return console_session{};
      if (it->second.second <= now_ms(self)) {
        st.sessions.erase(it);
        return console_session{};
      }
      return it->second.first;
    },
    [self](atom::remove, const std::string& token) {
      self->state.sessions.erase(token);
    },
    [self](atom::tick) {
      auto& st = self->state;
      auto now = now_ms(self);
      for (auto it = st.sessions.begin(); it != st.sessions.end();)
        it = it->second.second <= now ? st.sessions.erase(it) : ++it;
      for (auto* m : {&st.by_tenant, &st.by_address})
        for (auto it = m->begin(); it != m->end();)
          it = now - it->second.last_ms > forget_after_ms ? m->erase(it) : ++it;
      self->delayed_send(self, std::chrono::minutes(1), atom::tick_v);
    },
  };
}

} // namespace gw
