#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "core/ec.hpp"

namespace gw {

/// What a create came to, as the tenant actor tells its caller: a failure
/// of the gateway's own, or the node's answer (its SUCCESS, or its own
/// FAILED such as idNotUnique) still in the node's IDs, with what is needed
/// to show it to the client in the client's IDs. The API layer renders it.
struct create_result {
  /// code none: `node_answer` holds the node's document.
  failure error{ec::none, {}};
  std::string node_answer;
  std::string meeting_id;
  std::string node_meeting_id;
  /// The duration to show (the client's own, or the running meeting's).
  std::string client_duration;
  /// The createTime to show, when it differs from the node's (the meeting
  /// moved since the client was first told; 0: the node's).
  int64_t shown_create_time = 0;
  /// Likewise its createDate (empty: the node's).
  std::string shown_create_date;

  bool failed() const {
    return error.code != ec::none;
  }

  static create_result fail(ec code, std::string message) {
    create_result r;
    r.error = {code, std::move(message)};
    return r;
  }
};

/// Answers a create's caller. Called exactly once, on whichever thread
/// knows the outcome (an actor's, or the store's after the commit); it may
/// only post to an io thread or send messages.
using create_reply = std::function<void(create_result&&)>;

/// Calls a function once: with the value given, or with `fallback` when
/// destroyed uncalled (the actor holding it died, a queue was dropped), so
/// a caller always gets an answer.
template <class T>
class reply_once {
public:
  reply_once(std::function<void(T&&)> fn, T fallback)
    : fn_(std::move(fn)), fallback_(std::move(fallback)) {}
  ~reply_once() {
    if (fn_)
      fn_(std::move(fallback_));
  }
  reply_once(const reply_once&) = delete;
  reply_once& operator=(const reply_once&) = delete;

  void operator()(T&& value) {
    auto fn = std::move(fn_);
    fn_ = nullptr;
    if (fn)
      fn(std::move(value));
  }

  bool pending() const {
    return static_cast<bool>(fn_);
  }

private:
  std::function<void(T&&)> fn_;
  T fallback_;
};

} // namespace gw
