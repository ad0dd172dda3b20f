# The cli is not part of regimen_lib: this test compiles the parser it tests.
target_sources(${RG_TEST} PRIVATE ${PROJECT_SOURCE_DIR}/src/cli/optimize_args.c)
target_include_directories(${RG_TEST} PRIVATE ${PROJECT_SOURCE_DIR}/src/cli)
