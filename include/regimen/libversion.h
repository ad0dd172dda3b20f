/* regimen: the versions of the libraries that io keeps to itself (HDF5, libconfig), for
 * `regimen version`. */
#ifndef REGIMEN_LIBVERSION_H
#define REGIMEN_LIBVERSION_H

#include <stddef.h>

/* Writes the linked HDF5 library's version, "1.10.8" say, into buf (cap bytes, truncated).
 * Returns buf. */
const char *rg_libversion_hdf5(char *buf, size_t cap);

/* Writes the libconfig version regimen was built with, "1.5" say, into buf (cap bytes,
 * truncated). Returns buf. */
const char *rg_libversion_libconfig(char *buf, size_t cap);

#endif
