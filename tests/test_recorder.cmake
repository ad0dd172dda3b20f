# test_recorder also resumes a run under mpirun on another number of ranks (it starts
# mpirun itself, with --oversubscribe and the allow-run-as-root pair); MPI build only.
if(RG_MPI AND MPIEXEC_EXECUTABLE)
  target_compile_definitions(${RG_TEST} PRIVATE RG_MPIEXEC="${MPIEXEC_EXECUTABLE}")
  set_tests_properties(${RG_TEST} PROPERTIES PROCESSORS 2)
endif()
rg_test_starts_mpi(${RG_TEST})
