# An independent reference of the model (tests/model_reference.py, plain Python RK4) against
# `regimen simulate`, one ctest per regimen and growth law.
if(EXISTS /usr/bin/python3)
  foreach(case "fixed;logistic" "adaptive;logistic" "dm;logistic" "fixed;gompertz" "dm;gompertz")
    list(GET case 0 pol)
    list(GET case 1 growth)
    add_test(NAME model_reference_${pol}_${growth}
             COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/model_reference.py
                     $<TARGET_FILE:regimen> ${CMAKE_CURRENT_BINARY_DIR}/tmp_model_reference
                     ${pol} ${growth})
    set_tests_properties(model_reference_${pol}_${growth} PROPERTIES TIMEOUT 120)
  endforeach()
endif()
