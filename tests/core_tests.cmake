# Tests of the actors, the gateway and the real clients (need gw_core).
gw_test(actors_test
  SOURCES unit/actors/tenant_state_test.cpp unit/actors/fleet_test.cpp
          unit/actors/tenant_actor_test.cpp unit/store/store_test.cpp
  LIBS gw_core gw_sim)

add_library(gw_test_harness STATIC integration/harness.cpp)
target_include_directories(gw_test_harness PUBLIC ${PROJECT_SOURCE_DIR})
target_link_libraries(gw_test_harness PUBLIC gw_proto PRIVATE gw_warnings)
target_compile_definitions(gw_test_harness PRIVATE
  BBBGATE_BINARY="$<TARGET_FILE:bbbgate>")

gw_test(integration_test
  SOURCES integration/gateway_api_test.cpp integration/sim_control_test.cpp
  LIBS gw_test_harness nlohmann_json::nlohmann_json)
add_dependencies(integration_test bbbgate)
