# The farm's split genomes (tests/test_farm_parts.c): without mpirun (one rank, in process)
# and under mpirun -np 1 to 4, as test_farm. Built without MPI only the plain run is added.
if(NOT RG_MPI)
  return()
endif()
rg_test_mpi_ranks(${RG_TEST})
