#ifndef TRAILWARDEN_CLIBCRYPTO_SHIM_H
#define TRAILWARDEN_CLIBCRYPTO_SHIM_H
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/pem.h>
#include <openssl/err.h>
#include <openssl/hmac.h>
#endif
