# Count allocations around the kernel's time loop (docs/platform-notes.md: glibc has no malloc
# hooks; --wrap works under ASan and misses shared libraries, which the kernel does not call).
target_link_options(${RG_TEST} PRIVATE -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc)
