# test_check parses `regimen check --json` output with json-c (Debian libjson-c-dev,
# installed by scripts/install-deps --tests) and reads problem files with libconfig.
pkg_check_modules(JSONC REQUIRED IMPORTED_TARGET json-c)
target_link_libraries(${RG_TEST} PRIVATE PkgConfig::JSONC PkgConfig::LIBCONFIG)
