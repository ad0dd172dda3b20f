# The same launcher and sanitizer settings as test_recorder (tests/test_recorder.cmake).
include(${CMAKE_CURRENT_SOURCE_DIR}/test_recorder.cmake)
