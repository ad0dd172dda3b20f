# export_check.py parses the JSON/CSV test_export wrote (Python's json and csv modules) and
# compares them with the HDF5 file read by h5py. It only reads test_export's directory.
set_tests_properties(${RG_TEST} PROPERTIES FIXTURES_SETUP export_files)
set(RG_H5PY_MISSING 1)
if(EXISTS /usr/bin/python3)
  execute_process(COMMAND /usr/bin/python3 -c "import h5py" RESULT_VARIABLE RG_H5PY_MISSING
                  OUTPUT_QUIET ERROR_QUIET)
endif()
if(NOT RG_H5PY_MISSING)
  rg_test_scratch(rg_scratch export_json)
  add_test(NAME export_json
           COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/export_check.py
                   ${CMAKE_CURRENT_BINARY_DIR}/tmp_${RG_TEST}
           WORKING_DIRECTORY ${rg_scratch})
  set_tests_properties(export_json PROPERTIES FIXTURES_REQUIRED export_files TIMEOUT 60)
else()
  rg_test_tool_missing("/usr/bin/python3 with h5py (python3-h5py)" export_json)
endif()
