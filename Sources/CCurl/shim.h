#ifndef TRAILWARDEN_CCURL_SHIM_H
#define TRAILWARDEN_CCURL_SHIM_H
#include <curl/curl.h>
#endif
