#ifndef TRAILWARDEN_CZLIB_SHIM_H
#define TRAILWARDEN_CZLIB_SHIM_H
#include <zlib.h>

/// zlib's inflateInit2/deflateInit2 are macros, which Swift cannot import.
static inline int trailwarden_inflate_init_gzip(z_streamp stream) {
    return inflateInit2(stream, 15 + 16);
}
static inline int trailwarden_deflate_init_gzip(z_streamp stream, int level) {
    return deflateInit2(stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
}
#endif
