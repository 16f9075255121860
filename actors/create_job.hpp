#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "actors/interfaces.hpp"
#include "core/create.hpp"
#include "core/node_call.hpp"
#include "net/query.hpp"

namespace gw {

/// A validated create call travelling through the tenant actor. Built by the
/// API layer; only the tenant actor changes it afterwards. It carries no
/// HTTP: the outcome goes to `reply` (a create) or `on_placed` (a join whose
/// meeting had to move), and a job dropped unanswered (its actor died)
/// answers internalError, or "not placed", when destroyed.
struct create_job {
  create_job() = default;
  create_job(const create_job&) = delete;
  create_job& operator=(const create_job&) = delete;
  ~create_job();

  /// The client's meetingID.
  std::string meeting_id;
  /// The client's parameters (checksum already verified).
  net::query q;
  /// The POST body (modules XML), forwarded byte for byte.
  std::string body;
  std::string content_type;
  /// Connections to book and to send as maxParticipants.
  int64_t max_participants = 0;
  /// Booking length in API minutes.
  int64_t duration_minutes = 0;
  /// The client's own duration value, echoed in answers.
  std::string client_duration = "0";
  /// `deactivateBbbserverDefaultChatTexts=true`: send only client texts.
  bool only_client_texts = false;
  /// The io shard whose pool calls the nodes (the caller's own).
  int shard = any_shard;
  /// Answers the create's caller (exactly once: see answer()).
  create_reply reply;

  // -- set by the tenant actor ------------------------------------------
  /// Secret part of the gateway's end callback URL for this meeting.
  std::string callback_nonce;
  placement candidates;
  std::size_t next_candidate = 0;
  std::string node_meeting_id;
  /// The meeting already running under this ID (duplicate create).
  std::shared_ptr<const meeting_row> existing;
  /// The meeting being moved to another node (failover).
  std::shared_ptr<const meeting_row> relocating;

  // -- failover of a join -------------------------------------------------
  /// Set by the API layer when a join found its meeting's node unusable.
  bool join_failover = false;
  /// The node the join found unusable.
  std::string stale_node;
  /// Called with the meeting's (new) row once it runs on a usable node, or
  /// with null when it could not be moved; answers the join.
  std::function<void(std::shared_ptr<const meeting_row>)> on_placed;

  /// Answers the caller with `r` (later calls do nothing).
  void answer(create_result&& r);

  /// Tells a waiting join where the meeting runs now (null: nowhere).
  void placed(std::shared_ptr<const meeting_row> row);

  /// Hands the reply to whoever answers later (the store's commit hook);
  /// the job no longer answers on destruction.
  create_reply take_reply();
};

/// A node's answer to a create the tenant actor sent.
struct node_outcome {
  create_job_ptr job;
  node_ref node;
  node_response res;
};

} // namespace gw
