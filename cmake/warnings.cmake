# jszb_warnings: the warning flags every jszb target builds with.
add_library(jszb_warnings INTERFACE)
target_compile_options(jszb_warnings INTERFACE -Wall -Wextra $<$<BOOL:${JSZB_WERROR}>:-Werror>)
