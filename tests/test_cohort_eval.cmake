# A cohort problem on the farm (docs/model.md section 13): the shipped default_cohort
# problem's front is bit-identical without mpirun and under mpirun -np 1..4 with automatic
# chunks and chunks of 1 and 7 (tests/farm_cli.cmake): each genome is one work item that
# runs every patient in the cohort's order.
if(NOT RG_MPI)
  return()
endif()
add_test(NAME ${RG_TEST}_farm_cli
  COMMAND ${CMAKE_COMMAND} -DREGIMEN=$<TARGET_FILE:regimen> -DMPIEXEC=${MPIEXEC_EXECUTABLE}
          -DPROBLEMS=${PROJECT_SOURCE_DIR}/problems/default_cohort.cfg
          -DWORK=${CMAKE_CURRENT_BINARY_DIR}/tmp_${RG_TEST}_farm_cli
          -P ${CMAKE_CURRENT_SOURCE_DIR}/farm_cli.cmake)
set_tests_properties(${RG_TEST}_farm_cli PROPERTIES TIMEOUT 300 LABELS "mpi" PROCESSORS 4)
rg_test_starts_mpi(${RG_TEST}_farm_cli)
