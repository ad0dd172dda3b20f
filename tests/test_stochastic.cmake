# The sanitizer pass looks for memory and UB errors, not accuracy: fewer replicates there
# (the checks' intervals widen with them).
if(RG_SANITIZE)
  target_compile_definitions(${RG_TEST} PRIVATE RG_STOCH_REPLICATES=300)
endif()
