# With MPI, test_parallel starts a singleton MPI job (no mpirun); labelled nosan for the
# reason given in tests/test_farm.cmake.
if(RG_MPI)
  target_compile_definitions(${RG_TEST} PRIVATE RG_HAVE_MPI=1)
  set_tests_properties(${RG_TEST} PROPERTIES LABELS "nosan")
endif()
