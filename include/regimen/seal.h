/* regimen: the integrity seal of results files and checkpoints.
 *
 * HDF5's own checksums cover parts of its metadata only; the variable-length strings of the
 * global heap, the raw data of contiguous datasets and most headers of a 1.8-format file are
 * read unchecked, and a flipped byte there can crash libhdf5 or be taken as a value. So every
 * file regimen writes with HDF5 starts with a user block of RG_SEAL_BLOCK bytes (HDF5 skips
 * it when it opens the file; h5py and h5dump read the file unchanged) that holds, little-
 * endian:
 *
 *   offset  0  8 bytes  magic "\x89RGSEAL\n"
 *   offset  8  uint32   format version of the file
 *   offset 12  uint32   CRC-32 (ISO 3309, as zlib's crc32) of every byte after the block
 *   offset 16  uint64   number of bytes after the block
 *   offset 24  uint32   CRC-32 of bytes 0 to 23 (the block's own fields)
 *   the rest zero.
 *
 * A reader checks the seal before libhdf5 sees the file (rg_seal_check), so a damaged,
 * truncated or extended file is refused with a message instead of being parsed. The seal is
 * written after HDF5 has closed the temporary file and before it is moved into place
 * (rg_seal_write), so a file never appears under its final name unsealed. */
#ifndef REGIMEN_SEAL_H
#define REGIMEN_SEAL_H

#include <stddef.h>
#include <stdint.h>

#include "regimen/status.h"

enum { RG_SEAL_BLOCK = 512 };

/* CRC-32 of n bytes continuing crc (start with 0), as zlib's crc32(). */
uint32_t rg_seal_crc32(uint32_t crc, const void *data, size_t n);

/* Fills the first RG_SEAL_BLOCK bytes of a file image of size bytes (size >= RG_SEAL_BLOCK)
 * with the seal of format `version`. */
void rg_seal_image(unsigned char *image, size_t size, uint32_t version);

/* Fills the user block of the closed HDF5 file at path (created with a user block of
 * RG_SEAL_BLOCK bytes) with the seal of format `version`. RG_EIO on a read or write error,
 * with a message naming path in diag (may be NULL). */
int rg_seal_write(const char *path, uint32_t version, rg_diag *diag);

/* Checks the seal of the file at path for format `version`: RG_OK, RG_EIO when it cannot be
 * read, RG_EFORMAT when it is foreign, damaged, truncated or of another version. why (cap
 * bytes) receives what is wrong, without the path. */
int rg_seal_check(const char *path, uint32_t version, char *why, size_t cap);

#endif
