# Built without MPI (RG_MPI=OFF), the plain test_farm above is the farm's only test: one
# rank, in process (the serial src/parallel/serial), and nothing below is added.
if(NOT RG_MPI)
  return()
endif()
# test_farm's own reductions across ranks call MPI (the farm's are in src/parallel).
target_link_libraries(${RG_TEST} PRIVATE MPI::MPI_C)
target_compile_definitions(${RG_TEST} PRIVATE RG_HAVE_MPI=1)
# The farm's tests also run under mpirun with 1 to 4 ranks (more ranks than this machine's
# cores: --oversubscribe), as root where CI runs them (Open MPI's allow-run-as-root pair).
# The plain test_farm above runs without mpirun (a singleton MPI_Init). It is labelled
# nosan: under ASan, LeakSanitizer's tracer crashes (signal 11) at exit of an Open MPI
# singleton; the same tests run under mpirun -np 1..4 in the sanitizer build.
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

# regimen optimize under mpirun (tests/farm_cli.cmake).
add_test(NAME ${RG_TEST}_optimize_cli
  COMMAND ${CMAKE_COMMAND} -DREGIMEN=$<TARGET_FILE:regimen> -DMPIEXEC=${MPIEXEC_EXECUTABLE}
          "-DPROBLEMS=${PROJECT_SOURCE_DIR}/problems/benchmarks/zdt1.cfg$<SEMICOLON>${PROJECT_SOURCE_DIR}/problems/example.cfg"
          -DWORK=${CMAKE_CURRENT_BINARY_DIR}/tmp_${RG_TEST}_cli
          -P ${CMAKE_CURRENT_SOURCE_DIR}/farm_cli.cmake)
set_tests_properties(${RG_TEST}_optimize_cli PROPERTIES TIMEOUT 300 LABELS "mpi" PROCESSORS 4)
rg_test_starts_mpi(${RG_TEST}_optimize_cli)

# A killed or stopped worker ends the job; the watchdog's checkpoint resumes identically
# (tests/farm_faults.sh; the watchdog's floor is lowered to 2 s through REGIMEN_WORKER_TIMEOUT).
add_test(NAME ${RG_TEST}_faults
    COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/farm_faults.sh $<TARGET_FILE:regimen>
            ${MPIEXEC_EXECUTABLE} ${PROJECT_SOURCE_DIR}/problems/benchmarks/zdt1.cfg
            ${CMAKE_CURRENT_BINARY_DIR}/tmp_${RG_TEST}_faults)
set_tests_properties(${RG_TEST}_faults PROPERTIES
  TIMEOUT 120 LABELS "mpi" ENVIRONMENT "${RG_MPI_TEST_ENV}" PROCESSORS 3)
rg_test_starts_mpi(${RG_TEST}_faults)
