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
