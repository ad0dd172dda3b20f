# Under AddressSanitizer the Debug build runs the reference many times slower: fewer random
# models (the count is RG_REF_MODELS, 200 by default) and one regimen per shipped problem.
if(RG_SANITIZE)
  set_tests_properties(${RG_TEST} PROPERTIES ENVIRONMENT "RG_REF_MODELS=50;RG_REF_FIRST_ONLY=1")
endif()
