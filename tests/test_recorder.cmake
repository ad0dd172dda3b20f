# test_recorder also resumes a run under mpirun on another number of ranks (it starts
# mpirun itself, with --oversubscribe and the allow-run-as-root pair); MPI build only.
if(RG_MPI AND MPIEXEC_EXECUTABLE)
  target_compile_definitions(${RG_TEST} PRIVATE RG_MPIEXEC="${MPIEXEC_EXECUTABLE}")
  set_tests_properties(${RG_TEST} PROPERTIES PROCESSORS 2)
endif()
# Under AddressSanitizer, Open MPI's exit-time leaks are matched by tests/lsan.supp only with
# the slow unwinder (see tests/test_farm.cmake).
if(RG_SANITIZE)
  set_tests_properties(${RG_TEST} PROPERTIES
    ENVIRONMENT_MODIFICATION "ASAN_OPTIONS=string_append::fast_unwind_on_malloc=0")
endif()
