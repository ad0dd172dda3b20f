# The farm's tests also run under mpirun with 1 to 4 ranks (more ranks than this machine's
# cores: --oversubscribe), as root where CI runs them (Open MPI's allow-run-as-root pair).
# The plain test_farm above runs without mpirun (a singleton MPI_Init).
set(RG_MPI_TEST_ENV "OMPI_ALLOW_RUN_AS_ROOT=1;OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1")
foreach(np 1 2 3 4)
  add_test(NAME ${RG_TEST}_np${np}
    COMMAND ${MPIEXEC_EXECUTABLE} ${MPIEXEC_NUMPROC_FLAG} ${np} --oversubscribe
            ${MPIEXEC_PREFLAGS} $<TARGET_FILE:${RG_TEST}> ${MPIEXEC_POSTFLAGS})
  set_tests_properties(${RG_TEST}_np${np} PROPERTIES
    TIMEOUT 300 LABELS "mpi" ENVIRONMENT "${RG_MPI_TEST_ENV}" PROCESSORS ${np})
endforeach()
