# Tests of the actors, the gateway and the real clients (need gw_core).
gw_test(actors_test
  SOURCES unit/actors/tenant_state_test.cpp unit/actors/tenant_view_test.cpp
          unit/actors/fleet_test.cpp
          unit/actors/tenant_actor_test.cpp unit/actors/node_actor_test.cpp
          unit/actors/store_actor_test.cpp unit/store/store_test.cpp
  LIBS gw_core gw_sim)

add_library(gw_test_harness STATIC integration/harness.cpp)
target_include_directories(gw_test_harness PUBLIC ${PROJECT_SOURCE_DIR})
target_link_libraries(gw_test_harness PUBLIC gw_proto PRIVATE gw_warnings)
target_compile_definitions(gw_test_harness PRIVATE
  BBBGATE_BINARY="$<TARGET_FILE:bbbgate>")

gw_test(integration_test
  SOURCES integration/gateway_api_test.cpp integration/sim_control_test.cpp
          integration/reservations_test.cpp integration/failover_test.cpp
          integration/admin_api_test.cpp
  LIBS gw_test_harness nlohmann_json::nlohmann_json)
add_dependencies(integration_test bbbgate)

# Real clients from npm (pinned by package-lock.json): installed by a ctest
# fixture, then run with node's test runner against `bbbgate demo`.
find_program(NPM_EXECUTABLE npm)
find_program(NODE_EXECUTABLE node)
if(NPM_EXECUTABLE AND NODE_EXECUTABLE)
  set(GW_CLIENTS_DIR ${CMAKE_CURRENT_SOURCE_DIR}/clients/node)
  add_test(NAME clients_npm_ci
    COMMAND ${NPM_EXECUTABLE} ci --no-audit --no-fund --silent
    WORKING_DIRECTORY ${GW_CLIENTS_DIR})
  set_tests_properties(clients_npm_ci PROPERTIES FIXTURES_SETUP npm_clients
    TIMEOUT 300)
  add_test(NAME clients_node
    COMMAND ${NODE_EXECUTABLE} --test clients.test.js
    WORKING_DIRECTORY ${GW_CLIENTS_DIR})
  set_tests_properties(clients_node PROPERTIES FIXTURES_REQUIRED npm_clients
    ENVIRONMENT "BBBGATE_BIN=$<TARGET_FILE:bbbgate>" TIMEOUT 120)
else()
  message(WARNING "node/npm not found: the real-client tests are skipped")
endif()
