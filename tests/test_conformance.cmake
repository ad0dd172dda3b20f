# An independent reference of the model (tests/model_reference.py, plain Python RK4) against
# `regimen simulate`, one ctest per regimen and growth law (about 3 s each), each up to the end
# of the evaluation (progression), and three over the whole horizon (`whole`: no progression,
# so the dosed dynamics and the emergence hazard are compared for 60 days). Each writes its
# problem file and CSV into a scratch directory of its own, so they run in parallel.
set(rg_reference_tests)
foreach(case "fixed;logistic" "adaptive;logistic" "dm;logistic" "fixed;gompertz" "dm;gompertz")
  list(GET case 0 pol)
  list(GET case 1 growth)
  list(APPEND rg_reference_tests model_reference_${pol}_${growth})
endforeach()
list(APPEND rg_reference_tests model_reference_fixed_logistic_whole
     model_reference_adaptive_logistic_whole model_reference_dm_gompertz_whole)
if(EXISTS /usr/bin/python3)
  foreach(t ${rg_reference_tests})
    string(REGEX MATCH "^model_reference_([a-z]+)_([a-z]+)_?([a-z]*)$" _ ${t})
    rg_test_scratch(rg_scratch ${t})
    add_test(NAME ${t}
             COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/model_reference.py
                     $<TARGET_FILE:regimen> ${rg_scratch} ${CMAKE_MATCH_1} ${CMAKE_MATCH_2}
                     ${CMAKE_MATCH_3}
             WORKING_DIRECTORY ${rg_scratch})
    set_tests_properties(${t} PROPERTIES TIMEOUT 120)
  endforeach()
else()
  rg_test_tool_missing(/usr/bin/python3 ${rg_reference_tests})
endif()
