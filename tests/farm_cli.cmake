# `regimen optimize` on the farm, end to end (run by ctest with cmake -P; see
# test_farm.cmake): the final front is bit-identical for a run without mpirun and for
# mpirun -np 1, 2, 3, 4 (oversubscribed, as root), also with --chunk; the runs print no
# warnings; an unreadable problem stops every rank with exit status 2 and one message.
# Inputs: REGIMEN, MPIEXEC, PROBLEMS (a ;-list of problem files), WORK (a scratch dir).
set(ENV{OMPI_ALLOW_RUN_AS_ROOT} 1)
set(ENV{OMPI_ALLOW_RUN_AS_ROOT_CONFIRM} 1)
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
foreach(problem ${PROBLEMS})
get_filename_component(stem ${problem} NAME_WE)
if(stem STREQUAL "zdt1")
  set(args optimize ${problem} --seed 11 --generations 12 --population 20 --quiet)
else() # a tumour problem: a few evaluations only
  set(args optimize ${problem} --seed 11 --generations 2 --population 8 --quiet)
endif()

execute_process(COMMAND ${REGIMEN} ${args} --front ${WORK}/${stem}-serial.csv
        --out ${WORK}/${stem}-serial.h5
  WORKING_DIRECTORY ${WORK} RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "serial run failed (${rc}): ${err}")
endif()
file(READ ${WORK}/${stem}-serial.csv serial)

foreach(run "1" "2" "3" "4" "3;--chunk;1" "4;--chunk;7")
  set(extra ${run})
  list(POP_FRONT extra np)
  string(REPLACE ";" "" tag "${run}")
  execute_process(
    COMMAND ${MPIEXEC} -np ${np} --oversubscribe ${REGIMEN} ${args} ${extra}
            --front ${WORK}/${stem}-np${tag}.csv --out ${WORK}/${stem}-np${tag}.h5
    WORKING_DIRECTORY ${WORK} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "mpirun -np ${np} ${extra} failed (${rc}): ${err}")
  endif()
  if(NOT "${out}${err}" STREQUAL "")
    message(FATAL_ERROR "mpirun -np ${np} ${extra} printed:\n${out}${err}")
  endif()
  file(READ ${WORK}/${stem}-np${tag}.csv front)
  if(NOT front STREQUAL serial)
    message(FATAL_ERROR "${stem}: mpirun -np ${np} ${extra}: the front differs from the serial run")
  endif()
endforeach()
message(STATUS "${stem}: fronts identical for serial and mpirun -np 1..4 (chunks auto, 1, 7)")
endforeach()

execute_process(
  COMMAND ${MPIEXEC} -np 3 --oversubscribe ${REGIMEN} optimize ${WORK}/missing.cfg
  WORKING_DIRECTORY ${WORK} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 2)
  message(FATAL_ERROR "unreadable problem under mpirun: exit ${rc}, expected 2\n${err}")
endif()
string(REGEX MATCHALL "missing.cfg: cannot open" hits "${err}")
list(LENGTH hits n)
if(NOT n EQUAL 1)
  message(FATAL_ERROR "expected the message once, got ${n} times:\n${err}")
endif()
