option(GW_WERROR "Treat warnings as errors" OFF)
set(GW_SANITIZE "" CACHE STRING "Sanitizers to build with (e.g. address,undefined)")

add_library(gw_warnings INTERFACE)
target_compile_options(gw_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
  -Wold-style-cast -Wnon-virtual-dtor -Woverloaded-virtual)
if(GW_WERROR)
  target_compile_options(gw_warnings INTERFACE -Werror)
endif()
if(GW_SANITIZE)
  add_compile_options(-fsanitize=${GW_SANITIZE} -fno-omit-frame-pointer)
  add_link_options(-fsanitize=${GW_SANITIZE})
endif()

# libFuzzer builds (clang): everything is instrumented for coverage and runs
# under ASan+UBSan; the harnesses in tests/fuzz link the fuzzer's main.
option(GW_FUZZ "Build the libFuzzer harnesses (needs clang)" OFF)
if(GW_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "GW_FUZZ needs clang: CC=clang CXX=clang++ cmake ...")
  endif()
  # UBSan stays recoverable so that tests/ubsan.supp can silence CAF's own
  # header (the tests run in this tree too); the fuzzers halt on the first
  # finding through UBSAN_OPTIONS (tests/fuzz/run.sh).
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined
    -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
