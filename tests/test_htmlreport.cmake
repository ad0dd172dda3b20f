# test_htmlreport checks the JSON block of the page with json-c (libjson-c-dev). Every page it
# wrote is then parsed as strict XML by xmllint (libxml2-utils), and the browser test loads the
# page of its own short run in Debian's headless chromium (tests/htmlreport_browser.py):
# no console message, the member of the URL fragment shown with the values `regimen export`
# gives, and a screenshot of the size asked for that is not blank.
pkg_check_modules(JSONC REQUIRED IMPORTED_TARGET json-c)
target_link_libraries(${RG_TEST} PRIVATE PkgConfig::JSONC)
set_tests_properties(${RG_TEST} PROPERTIES FIXTURES_SETUP htmlreport_pages)
find_program(RG_XMLLINT xmllint)
if(RG_XMLLINT)
  rg_test_scratch(rg_scratch htmlreport_xml)
  add_test(NAME htmlreport_xml
           COMMAND sh -c "set -e; n=0; for f in \"$1\"/*.html; do \"$0\" --noout \"$f\"; n=$((n+1)); done; echo \"$n pages well-formed\"; [ $n -ge 3 ]"
                   ${RG_XMLLINT} ${CMAKE_CURRENT_BINARY_DIR}/tmp_${RG_TEST}
           WORKING_DIRECTORY ${rg_scratch})
  set_tests_properties(htmlreport_xml PROPERTIES FIXTURES_REQUIRED htmlreport_pages TIMEOUT 60)
else()
  rg_test_tool_missing("xmllint (libxml2-utils)" htmlreport_xml)
endif()
find_program(RG_CHROMIUM chromium)
if(RG_CHROMIUM AND EXISTS /usr/bin/python3)
  rg_test_scratch(rg_scratch htmlreport_browser)
  add_test(NAME htmlreport_browser
           COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/htmlreport_browser.py
                   $<TARGET_FILE:regimen> ${RG_CHROMIUM} ${PROJECT_SOURCE_DIR} ${rg_scratch}
           WORKING_DIRECTORY ${rg_scratch})
  set_tests_properties(htmlreport_browser PROPERTIES LABELS browser TIMEOUT 300)
else()
  rg_test_tool_missing("chromium and /usr/bin/python3 (chromium, python3)" htmlreport_browser)
endif()
