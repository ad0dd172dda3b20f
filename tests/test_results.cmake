# The file test_results writes is read back by h5py alone (no regimen code), when Debian's
# python3-h5py is installed (scripts/install-deps --tests).
set_tests_properties(${RG_TEST} PROPERTIES FIXTURES_SETUP results_file)
if(EXISTS /usr/bin/python3)
  execute_process(COMMAND /usr/bin/python3 -c "import h5py" RESULT_VARIABLE RG_H5PY_MISSING
                  OUTPUT_QUIET ERROR_QUIET)
  if(NOT RG_H5PY_MISSING)
    add_test(NAME results_h5py
             COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/results_h5py.py
                     ${CMAKE_CURRENT_BINARY_DIR}/tmp_${RG_TEST}/roundtrip.h5)
    set_tests_properties(results_h5py PROPERTIES FIXTURES_REQUIRED results_file TIMEOUT 60)
  endif()
endif()

# tools/plot-results draws both pictures from the fixture file (gnuplot from gnuplot-nox).
find_program(RG_GNUPLOT gnuplot)
if(RG_GNUPLOT)
  add_test(NAME plot_results
           COMMAND sh -c "rm -f \"$1\"-front.png \"$1\"-burden.png && REGIMEN=$2 $3 \"$1.h5\" && for p in front burden; do head -c 8 \"$1-$p.png\" | od -An -c | grep -q 'P   N   G' || exit 1; done"
                   plot ${CMAKE_CURRENT_BINARY_DIR}/tmp_${RG_TEST}/roundtrip $<TARGET_FILE:regimen>
                   ${PROJECT_SOURCE_DIR}/tools/plot-results)
  set_tests_properties(plot_results PROPERTIES FIXTURES_REQUIRED results_file TIMEOUT 60)
endif()
