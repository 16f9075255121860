#include "actors/password_actor.hpp"

#include "core/password.hpp"

namespace gw {

password_actor::behavior_type password_service() {
  return {
    [](atom::hash, const std::string& password) {
      return hash_password(password);
    },
    [](atom::verify, const std::string& password, const std::string& stored) {
      return verify_password(password, stored);
    },
  };
}

} // namespace gw
