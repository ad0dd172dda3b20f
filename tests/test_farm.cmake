# Built without MPI (RG_MPI=OFF), the plain test_farm above is the farm's only test: one
# rank, in process (the serial src/parallel/serial), and nothing below is added.
if(NOT RG_MPI)
  return()
endif()
# test_farm's own reductions across ranks call MPI (the farm's are in src/parallel); it
# also runs under mpirun -np 1..4.
rg_test_mpi_ranks(${RG_TEST})

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
