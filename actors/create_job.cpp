#include "actors/create_job.hpp"

namespace gw {

create_job::~create_job() {
  if (on_placed)
    on_placed(nullptr);
  else if (reply)
    reply(create_result::fail(ec::internal_error,
                              "The meeting could not be created."));
}

void create_job::answer(create_result&& r) {
  auto fn = std::move(reply);
  reply = nullptr;
  if (fn)
    fn(std::move(r));
}

void create_job::placed(std::shared_ptr<const meeting_row> row) {
  auto fn = std::move(on_placed);
  on_placed = nullptr;
  if (fn)
    fn(std::move(row));
}

create_reply create_job::take_reply() {
  auto fn = std::move(reply);
  reply = nullptr;
  return fn;
}

} // namespace gw
