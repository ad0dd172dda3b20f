# The file test_results writes is read back by h5py alone (no regimen code), when Debian's
# python3-h5py is installed (scripts/install-deps --tests). It only reads that file.
set_tests_properties(${RG_TEST} PROPERTIES FIXTURES_SETUP results_file)
set(RG_H5PY_MISSING 1)
if(EXISTS /usr/bin/python3)
  execute_process(COMMAND /usr/bin/python3 -c "import h5py" RESULT_VARIABLE RG_H5PY_MISSING
                  OUTPUT_QUIET ERROR_QUIET)
endif()
if(NOT RG_H5PY_MISSING)
  rg_test_scratch(rg_scratch results_h5py)
  add_test(NAME results_h5py
           COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/results_h5py.py
                   ${CMAKE_CURRENT_BINARY_DIR}/tmp_${RG_TEST}/roundtrip.h5
           WORKING_DIRECTORY ${rg_scratch})
  set_tests_properties(results_h5py PROPERTIES FIXTURES_REQUIRED results_file TIMEOUT 60)
else()
  rg_test_tool_missing("/usr/bin/python3 with h5py (python3-h5py)" results_h5py)
endif()

# tools/plot-results draws both pictures from the fixture file (gnuplot from gnuplot-nox),
# into its own scratch directory (--prefix; TMPDIR for the script's temporary files).
find_program(RG_GNUPLOT gnuplot)
if(RG_GNUPLOT)
  rg_test_scratch(rg_scratch plot_results)
  add_test(NAME plot_results
           COMMAND sh -c "rm -f \"$1\"-front.png \"$1\"-burden.png && REGIMEN=$2 TMPDIR=$4 $3 \"$5\" --prefix \"$1\" && for p in front burden; do head -c 8 \"$1-$p.png\" | od -An -c | grep -q 'P   N   G' || exit 1; done"
                   plot ${rg_scratch}/roundtrip $<TARGET_FILE:regimen>
                   ${PROJECT_SOURCE_DIR}/tools/plot-results ${rg_scratch}
                   ${CMAKE_CURRENT_BINARY_DIR}/tmp_${RG_TEST}/roundtrip.h5
           WORKING_DIRECTORY ${rg_scratch})
  set_tests_properties(plot_results PROPERTIES FIXTURES_REQUIRED results_file TIMEOUT 60)
else()
  rg_test_tool_missing("gnuplot (gnuplot-nox)" plot_results)
endif()
