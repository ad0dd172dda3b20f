# test_problems runs the library checks; the short optimisation of every problem (through
# `regimen optimize`) is its own ctest entry so that its failure is reported on its own.
add_test(NAME test_problems_optimize COMMAND ${RG_TEST} optimize)
set_tests_properties(test_problems_optimize PROPERTIES TIMEOUT 300)
