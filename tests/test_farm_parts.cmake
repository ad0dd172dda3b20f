# The farm's split genomes (tests/test_farm_parts.c): without mpirun (one rank, in process)
# and under mpirun -np 1 to 4, oversubscribed, as test_farm.cmake runs test_farm. Built
# without MPI only the plain run is added.
if(NOT RG_MPI)
  return()
endif()
target_link_libraries(${RG_TEST} PRIVATE MPI::MPI_C)
target_compile_definitions(${RG_TEST} PRIVATE RG_HAVE_MPI=1)
# nosan: LeakSanitizer's tracer crashes at exit of an Open MPI singleton (test_farm.cmake);
# the same tests run under mpirun in the sanitizer build.
set_tests_properties(${RG_TEST} PROPERTIES LABELS "nosan")
set(RG_MPI_TEST_ENV "OMPI_ALLOW_RUN_AS_ROOT=1;OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1")
foreach(np 1 2 3 4)
  add_test(NAME ${RG_TEST}_np${np}
    COMMAND ${MPIEXEC_EXECUTABLE} ${MPIEXEC_NUMPROC_FLAG} ${np} --oversubscribe
            ${MPIEXEC_PREFLAGS} $<TARGET_FILE:${RG_TEST}> ${MPIEXEC_POSTFLAGS})
  set_tests_properties(${RG_TEST}_np${np} PROPERTIES
    TIMEOUT 300 LABELS "mpi" ENVIRONMENT "${RG_MPI_TEST_ENV}" PROCESSORS ${np})
endforeach()
rg_test_starts_mpi(${RG_TEST} ${RG_TEST}_np1 ${RG_TEST}_np2 ${RG_TEST}_np3 ${RG_TEST}_np4)
