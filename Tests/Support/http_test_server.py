#!/usr/bin/env python3
"""HTTP/1.1 keep-alive test server for TrailWarden's HTTP tests (standard library only).

Binds 127.0.0.1 on a free port, prints the port alone on the first line of
stdout, then serves until it is killed or its standard input closes (so it
never outlives the test process that started it). With arguments
`--tls CERT_PEM KEY_PEM` it serves HTTPS with that certificate instead.

Routes, chosen by path (query parameters in brackets):
  /echo...              any method: JSON {method, path, headers: [[name, value]...],
                        body_base64}; HEAD gets the headers only
  /bytes [n, idle_close_ms]
                        n bytes, byte i being i % 251, with Content-Length; with
                        idle_close_ms, the server closes the connection if no
                        next request arrives within that time
  /chunked [n, trailer] the same bytes with chunked encoding, and an
                        X-Checksum trailer when trailer=1
  /status [code, retry_after]
                        that status with an XML error document (SlowDown)
  /html-error           502 with an HTML page
  /big-error [n]        500 with an n-byte body
  /redirect             302 to /echo
  /informational        a 103 interim response, then 200
  /stall [seconds]      promises 1000 bytes, sends 100, sleeps, then closes
  /truncated            promises 1000 bytes, sends 500, then closes
  /truncated-chunked    one chunk, then closes without the last chunk
  /slow-first-byte [ms] waits, then answers 200 "late"
  /stats                JSON {connections, max_in_flight}: TCP connections
                        accepted and most requests handled at once so far
  /count-connections    JSON {connections}
  /hook [name, fail, status]
                        records the request under name; answers `status` (500
                        when absent) to the first `fail` requests of that name,
                        then 200 "ok"
  /hook-log [name]      JSON [{method, path, headers, body_base64, status}...]:
                        the requests /hook recorded under name, in order
  /overlong [n]         promises n bytes and sends n + 10 in one write
  /raw-head             200 "raw" with header lines written as bytes: padded names and values,
                        a tab, an empty value, UTF-8 with a no-break space, an obsolete folded line
  /s3/BUCKET/FAULT-N-TAG
                        an S3 GetObject of "object FAULT-N-TAG" * 50 (ETag its MD5,
                        x-amz-meta-connection the connection's number) whose first N
                        answers have FAULT: html404, nosuchkey, nosuchbucket, garbage
                        (wrong bytes), etag, sha256 (wrong values), short, long (bytes
                        fewer or more than Content-Length), reset (RST mid-body); kms
                        sends a non-MD5 ETag with SSE-KMS, composite a composite
                        checksum, sha256ok a right x-amz-checksum-sha256
"""

import base64
import hashlib
import socket
import struct
import json
import os
import signal
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

PATTERN = bytes(range(251)) * 261  # 65,511 bytes: a whole number of 251-byte periods


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.connections = 0
        self.in_flight = 0
        self.max_in_flight = 0

    def request_started(self):
        with self.lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)

    def request_ended(self):
        with self.lock:
            self.in_flight -= 1


STATS = Stats()


class Hooks:
    """The requests /hook received, by name, for tests of webhook senders."""

    def __init__(self):
        self.lock = threading.Lock()
        self.requests = {}


HOOKS = Hooks()
S3_FAULTS = Hooks()


def pattern_bytes(n):
    """Yields n bytes of the i % 251 pattern in pieces of at most 65,511 bytes."""
    while n > 0:
        piece = PATTERN[: min(n, len(PATTERN))]
        n -= len(piece)
        yield piece


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self):
        super().setup()
        with STATS.lock:
            STATS.connections += 1
            self.connection_number = STATS.connections

    def log_message(self, format, *args):
        pass

    def do_GET(self):
        self.dispatch()

    do_HEAD = do_PUT = do_POST = do_DELETE = do_PATCH = do_GET

    def dispatch(self):
        STATS.request_started()
        try:
            url = urlsplit(self.path)
            query = {name: values[-1] for name, values in parse_qs(url.query).items()}
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            route = "echo" if url.path.startswith("/echo") else "s3" if url.path.startswith("/s3/") else url.path.strip("/").replace("-", "_")
            handler = getattr(self, "route_" + route, None)
            if handler is None:
                self.respond(404, b"no such route\n", "text/plain")
            else:
                handler(query, body)
        finally:
            STATS.request_ended()

    def respond(self, status, body, content_type, extra_headers=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in extra_headers:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def respond_json(self, value):
        self.respond(200, json.dumps(value).encode(), "application/json")

    def route_echo(self, query, body):
        self.respond_json({
            "method": self.command,
            "path": self.path,
            "headers": [[name, value] for name, value in self.headers.items()],
            "body_base64": base64.b64encode(body).decode(),
        })

    def route_hook(self, query, body):
        with HOOKS.lock:
            received = HOOKS.requests.setdefault(query.get("name", ""), [])
            failing = len(received) < int(query.get("fail", "0"))
            status = int(query.get("status", "500")) if failing else 200
            received.append({
                "method": self.command,
                "path": self.path,
                "headers": [[name, value] for name, value in self.headers.items()],
                "body_base64": base64.b64encode(body).decode(),
                "status": status,
            })
        self.respond(status, b"failed\n" if failing else b"ok\n", "text/plain")

    def route_hook_log(self, query, body):
        with HOOKS.lock:
            snapshot = list(HOOKS.requests.get(query.get("name", ""), []))
        self.respond_json(snapshot)

    def route_bytes(self, query, body):
        n = int(query.get("n", "0"))
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(n))
        self.end_headers()
        if self.command != "HEAD":
            for piece in pattern_bytes(n):
                self.wfile.write(piece)
        if "idle_close_ms" in query:
            self.connection.settimeout(int(query["idle_close_ms"]) / 1000)

    def route_chunked(self, query, body):
        n = int(query.get("n", "0"))
        trailer = query.get("trailer") == "1"
        self.send_response(200)
        self.send_header("Transfer-Encoding", "chunked")
        if trailer:
            self.send_header("Trailer", "X-Checksum")
        self.end_headers()
        for piece in pattern_bytes(n):
            self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
        self.wfile.write(b"0\r\n" + (b"X-Checksum: abc\r\n" if trailer else b"") + b"\r\n")

    def route_status(self, query, body):
        extra = [("Retry-After", query["retry_after"])] if "retry_after" in query else []
        document = b"<?xml version=\"1.0\"?><Error><Code>SlowDown</Code><Message>Reduce your request rate.</Message></Error>"
        self.respond(int(query.get("code", "500")), document, "application/xml", extra)

    def route_html_error(self, query, body):
        self.respond(502, b"<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html")

    def route_big_error(self, query, body):
        self.respond(500, b"e" * int(query.get("n", "0")), "text/plain")

    def route_redirect(self, query, body):
        self.respond(302, b"moved\n", "text/plain", [("Location", "/echo")])

    def route_informational(self, query, body):
        self.wfile.write(b"HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n")
        self.respond(200, b"final\n", "text/plain", [("X-Final", "yes")])

    def route_stall(self, query, body):
        self.send_response(200)
        self.send_header("Content-Length", "1000")
        self.end_headers()
        self.wfile.write(b"s" * 100)
        self.wfile.flush()
        time.sleep(float(query.get("seconds", "60")))
        self.close_connection = True

    def route_truncated(self, query, body):
        self.send_response(200)
        self.send_header("Content-Length", "1000")
        self.end_headers()
        self.wfile.write(b"t" * 500)
        self.close_connection = True

    def route_truncated_chunked(self, query, body):
        self.send_response(200)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self.wfile.write(b"a\r\n0123456789\r\n")
        self.close_connection = True

    def route_slow_first_byte(self, query, body):
        time.sleep(int(query.get("ms", "1000")) / 1000)
        self.respond(200, b"late\n", "text/plain")

    def route_overlong(self, query, body):
        n = int(query.get("n", "100"))
        self.send_response(200)
        self.send_header("Content-Length", str(n))
        self.end_headers()
        self.wfile.write(PATTERN[:n] + b"X" * 10)

    def route_raw_head(self, query, body):
        self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n"
                         b"X-Padded :  \t value with  inner  spaces \t\r\n"
                         b"X-Empty:\r\n"
                         b"X-Utf8: \xc2\xa0caf\xc3\xa9\xc2\xa0 \r\n"
                         b"X-Folded: first\r\n \t second part\r\n"
                         b"X-Colons: a:b:c\r\n\r\nraw")

    def route_s3(self, query, body):
        key = urlsplit(self.path).path.split("/", 3)[3]
        fault, count, _ = (key.split("-", 2) + ["0", ""])[:3]
        with S3_FAULTS.lock:
            seen = S3_FAULTS.requests.get(key, 0)
            S3_FAULTS.requests[key] = seen + 1
        faulty = seen < int(count)
        content = ("object " + key).encode() * 50
        headers = [("ETag", '"%s"' % hashlib.md5(content).hexdigest()), ("x-amz-meta-connection", str(self.connection_number))]
        if fault == "kms":
            headers = [("ETag", '"%s"' % ("0" * 32)), ("x-amz-server-side-encryption", "aws:kms")]
        elif fault == "composite":
            headers = [("ETag", '"abc-2"'), ("x-amz-checksum-sha256", base64.b64encode(b"x" * 32).decode() + "-2")]
        elif fault == "sha256ok":
            headers.append(("x-amz-checksum-sha256", base64.b64encode(hashlib.sha256(content).digest()).decode()))
        if not faulty:
            return self.respond(200, content, "binary/octet-stream", headers)
        if fault == "html404":
            return self.respond(404, b"<html><body><h1>404 Not Found</h1>nginx</body></html>", "text/html")
        if fault in ("nosuchkey", "nosuchbucket"):
            code = "NoSuchKey" if fault == "nosuchkey" else "NoSuchBucket"
            return self.respond(404, b"<Error><Code>%s</Code><Message>gone</Message></Error>" % code.encode(), "application/xml")
        if fault == "garbage":
            return self.respond(200, b"g" * len(content), "binary/octet-stream", headers)
        if fault == "etag":
            return self.respond(200, content, "binary/octet-stream", [("ETag", '"%s"' % hashlib.md5(b"other").hexdigest())])
        if fault == "sha256":
            return self.respond(200, content, "binary/octet-stream", headers + [("x-amz-checksum-sha256", base64.b64encode(b"\0" * 32).decode())])
        self.send_response(200)
        self.send_header("Content-Length", str(len(content)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if fault == "long":
            self.wfile.write(content + b"extra bytes")
        elif fault == "reset":
            self.wfile.write(content[: len(content) // 2])
            self.wfile.flush()
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
        else:
            self.wfile.write(content[: len(content) // 2])
            self.close_connection = True

    def route_stats(self, query, body):
        with STATS.lock:
            snapshot = {"connections": STATS.connections, "max_in_flight": STATS.max_in_flight}
        self.respond_json(snapshot)

    def route_count_connections(self, query, body):
        with STATS.lock:
            snapshot = {"connections": STATS.connections}
        self.respond_json(snapshot)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024


def exit_when_stdin_closes():
    sys.stdin.buffer.read()
    os._exit(0)


def main():
    # A child inherits its spawning thread's signal mask, which may block SIGTERM.
    signal.pthread_sigmask(signal.SIG_SETMASK, set())
    server = Server(("127.0.0.1", 0), Handler)
    if sys.argv[1:2] == ["--tls"]:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(sys.argv[2], sys.argv[3])
        server.socket = context.wrap_socket(server.socket, server_side=True)
    print(server.server_address[1], flush=True)
    threading.Thread(target=exit_when_stdin_closes, daemon=True).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
