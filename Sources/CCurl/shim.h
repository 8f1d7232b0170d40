#ifndef TRAILWARDEN_CCURL_SHIM_H
#define TRAILWARDEN_CCURL_SHIM_H
#include <curl/curl.h>
#include <errno.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>

/* curl_easy_setopt and curl_share_setopt are variadic,
   which Swift cannot call: one typed wrapper per argument type. */

static inline CURLcode trailwarden_easy_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode trailwarden_easy_setopt_pointer(CURL *handle, CURLoption option, const void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode trailwarden_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

/* CURLOPT_WRITEFUNCTION and CURLOPT_HEADERFUNCTION. */
static inline CURLcode trailwarden_easy_setopt_write_callback(CURL *handle, CURLoption option, curl_write_callback callback) {
    return curl_easy_setopt(handle, option, callback);
}

static inline CURLcode trailwarden_easy_setopt_xferinfo_callback(CURL *handle, curl_xferinfo_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, callback);
}

static inline CURLcode trailwarden_easy_setopt_debug_callback(CURL *handle, curl_debug_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_DEBUGFUNCTION, callback);
}

/* The socket of the transfer's connection, or CURL_SOCKET_BAD once it is closed. */
static inline curl_socket_t trailwarden_easy_active_socket(CURL *handle) {
    curl_socket_t socket = CURL_SOCKET_BAD;
    if(curl_easy_getinfo(handle, CURLINFO_ACTIVESOCKET, &socket) != CURLE_OK) return CURL_SOCKET_BAD;
    return socket;
}

static inline CURLSHcode trailwarden_share_setopt_long(CURLSH *share, CURLSHoption option, long value) {
    return curl_share_setopt(share, option, value);
}

static inline CURLSHcode trailwarden_share_setopt_pointer(CURLSH *share, CURLSHoption option, void *value) {
    return curl_share_setopt(share, option, value);
}

static inline CURLSHcode trailwarden_share_setopt_lock_callback(CURLSH *share, curl_lock_function callback) {
    return curl_share_setopt(share, CURLSHOPT_LOCKFUNC, callback);
}

static inline CURLSHcode trailwarden_share_setopt_unlock_callback(CURLSH *share, curl_unlock_function callback) {
    return curl_share_setopt(share, CURLSHOPT_UNLOCKFUNC, callback);
}

/* The multi interface, driven by curl_multi_socket_action from an epoll loop. */

typedef int (*trailwarden_socket_callback)(CURL *easy, curl_socket_t socket, int what, void *userp, void *socketp);
typedef int (*trailwarden_timer_callback)(CURLM *multi, long timeout_ms, void *userp);

static inline CURLMcode trailwarden_multi_setopt_pointer(CURLM *multi, CURLMoption option, void *value) {
    return curl_multi_setopt(multi, option, value);
}

static inline CURLMcode trailwarden_multi_setopt_socket_callback(CURLM *multi, trailwarden_socket_callback callback) {
    return curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, callback);
}

static inline CURLMcode trailwarden_multi_setopt_timer_callback(CURLM *multi, trailwarden_timer_callback callback) {
    return curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, callback);
}

/* The easy handle and result of a finished transfer: the message's data is a union. */
static inline CURL *trailwarden_multi_done(CURLMsg *message, CURLcode *result) {
    if(message->msg != CURLMSG_DONE) return NULL;
    *result = message->data.result;
    return message->easy_handle;
}

/* A loop's epoll set: curl's CURL_POLL_* interest in a socket (in, out, both, remove) becomes
   the socket's registration. epoll_event is packed on x86_64, so it stays on this side. */
static inline int trailwarden_epoll_watch(int epoll, int fd, int what) {
    if(what == CURL_POLL_REMOVE) return epoll_ctl(epoll, EPOLL_CTL_DEL, fd, NULL);
    struct epoll_event event = {0};
    event.events = ((what & CURL_POLL_IN) ? EPOLLIN : 0) | ((what & CURL_POLL_OUT) ? EPOLLOUT : 0);
    event.data.fd = fd;
    if(epoll_ctl(epoll, EPOLL_CTL_MOD, fd, &event) == 0) return 0;
    return errno == ENOENT ? epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &event) : -1;
}

/* Waits up to timeout_ms for at most 64 ready sockets; fills their descriptors and the CURL_CSELECT_*
   bits to hand to curl_multi_socket_action (an error or hang-up as both: curl's read or write finds it).
   The count, 0 when interrupted. */
static inline int trailwarden_epoll_wait(int epoll, int *fds, int *bits, int timeout_ms) {
    struct epoll_event events[64];
    int count = epoll_wait(epoll, events, 64, timeout_ms);
    if(count < 0) return 0;
    for(int i = 0; i < count; i++) {
        uint32_t ready = events[i].events;
        fds[i] = events[i].data.fd;
        bits[i] = (ready & (EPOLLERR | EPOLLHUP)) ? (CURL_CSELECT_IN | CURL_CSELECT_OUT)
            : (((ready & EPOLLIN) ? CURL_CSELECT_IN : 0) | ((ready & EPOLLOUT) ? CURL_CSELECT_OUT : 0));
    }
    return count;
}

#endif
