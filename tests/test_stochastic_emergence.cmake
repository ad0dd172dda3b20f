# The sanitizer pass looks for memory and UB errors, not accuracy: fewer replicates there
# (the 99% intervals widen with them).
if(RG_SANITIZE)
  target_compile_definitions(${RG_TEST} PRIVATE RG_STOCH_EMERGENCE_REPLICATES=400)
endif()
