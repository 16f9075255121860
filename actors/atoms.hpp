#pragma once

#include <caf/type_id.hpp>

// The one type-ID block of bbbgate: every atom the actors exchange.
CAF_BEGIN_TYPE_ID_BLOCK(gw, caf::first_custom_type_id)

  // -- tenant actor ------------------------------------------------------
  CAF_ADD_ATOM(gw, gw::atom, create, "create")
  CAF_ADD_ATOM(gw, gw::atom, answer, "answer")
  CAF_ADD_ATOM(gw, gw::atom, ended, "ended")
  CAF_ADD_ATOM(gw, gw::atom, lapse, "lapse")
  CAF_ADD_ATOM(gw, gw::atom, stats, "stats")
  CAF_ADD_ATOM(gw, gw::atom, vanished, "vanished")
  CAF_ADD_ATOM(gw, gw::atom, flush, "flush")
  CAF_ADD_ATOM(gw, gw::atom, unsaved, "unsaved")

  // -- node and fleet actors ---------------------------------------------
  CAF_ADD_ATOM(gw, gw::atom, commit, "commit")
  CAF_ADD_ATOM(gw, gw::atom, release, "release")
  CAF_ADD_ATOM(gw, gw::atom, load, "load")
  CAF_ADD_ATOM(gw, gw::atom, place, "place")
  CAF_ADD_ATOM(gw, gw::atom, nodes, "nodes")
  CAF_ADD_ATOM(gw, gw::atom, lookup, "lookup")
  CAF_ADD_ATOM(gw, gw::atom, tick, "tick")
  CAF_ADD_ATOM(gw, gw::atom, polled, "polled")
  CAF_ADD_ATOM(gw, gw::atom, add, "add")
  CAF_ADD_ATOM(gw, gw::atom, update, "update")
  CAF_ADD_ATOM(gw, gw::atom, remove, "remove")

  // -- store actor -------------------------------------------------------
  CAF_ADD_ATOM(gw, gw::atom, put, "put")
  CAF_ADD_ATOM(gw, gw::atom, erase, "erase")
  CAF_ADD_ATOM(gw, gw::atom, fetch, "fetch")

CAF_END_TYPE_ID_BLOCK(gw)
