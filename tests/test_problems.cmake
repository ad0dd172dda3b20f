# test_problems runs the library checks; the short optimisation of every problem (through
# `regimen optimize`) is its own ctest entry so that its failure is reported on its own. Only
# that entry writes files (into the executable's RG_TEST_TMPDIR, also its working directory).
rg_test_scratch(rg_scratch ${RG_TEST})
add_test(NAME test_problems_optimize COMMAND ${RG_TEST} optimize WORKING_DIRECTORY ${rg_scratch})
set_tests_properties(test_problems_optimize PROPERTIES TIMEOUT 300)
