#!/usr/bin/env python3
"""A fault-injecting HTTP proxy between TrailWarden and moto, for the fault tests.

Listens on 127.0.0.1 only and forwards every request to --upstream (default
TRAILWARDEN_MOTO_ENDPOINT) with the Host header rewritten (moto checks no
signature), unless a fault rule picks the request, in which case it answers
with the fault instead (or forwards and then spoils the answer).

Every request has a class, "SERVICE:OPERATION[:KIND]":
    sts:AssumeRole, sts:GetCallerIdentity   (Query protocol: the form's Action=)
    cloudtrail:DescribeTrails, organizations:ListAccounts, ...   (JSON: X-Amz-Target)
    account:listRegions                                        (REST-JSON: signing service, path)
    s3:ListObjectsV2, s3:GetObject:digest, s3:GetObject:log, s3:GetObject:other, s3:OTHER
A rule's "match" selects a class or a prefix of one ("s3", "s3:GetObject").

A rule (JSON; --fault RULE, repeatable, or POST /__fault__ {"faults": [RULE...]}):
    {"match": CLASS, "kind": KIND,
     "requests": [N, ...]        fault the Nth request of the matched class (1-based), or
     "firstRead": true           fault the first read of every distinct object (path), or
     "probability": P            fault each request with probability P (random from --seed),
     "limit": N                  at most N faults from this rule (optional),
     "seconds": S}               for stalls (capped by --max-stall)
KIND is one of:
    server-error   500 with the protocol's error document (InternalError / InternalFailure)
    throttle       S3 503 SlowDown, Query 400 Throttling, JSON 400 ThrottlingException
    reset          headers and half the body, then a TCP reset
    truncate       Content-Length of the whole body, half of it sent, then close
    overlong       Content-Length 16 bytes short of the body, the whole body sent, then close
    stall-headers  nothing for S seconds, then the real answer
    stall-body     headers and half the body, nothing for S seconds, then the rest
    html-200, html-404         an HTML error page with that status
    garbage-200, garbage-404   random bytes (from --seed) with that status
    corrupt        the real answer with its body's bytes flipped in the middle (same length)

GET /__stats__ answers {"requests": {CLASS: n}, "faults": {"KIND CLASS": n}, "injected": n}.
POST /__fault__ replaces the rules and resets the counters.

Prints the port on the first line of stdout (or writes it to --port-file). Exits by itself after --time-limit
seconds, and within a second of the process that started it.
"""
import argparse
import http.client
import http.server
import json
import os
import random
import signal
import socket
import struct
import threading
import time
import urllib.parse

HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade", "content-length"}
KINDS = {"server-error", "throttle", "reset", "truncate", "overlong", "stall-headers", "stall-body",
         "html-200", "html-404", "garbage-200", "garbage-404", "corrupt"}


def exit_with(pid):
    """Exits once process `pid` (by default the one that started this one) has gone;
    polled, because PR_SET_PDEATHSIG follows the starting thread, not the process."""
    def alive():
        try:
            os.kill(pid, 0)
            return True
        except ProcessLookupError:
            return False

    def watch():
        while alive():
            time.sleep(1)
        os._exit(0)
    threading.Thread(target=watch, daemon=True).start()


def classify(method, path, headers, body):
    """The request's class and protocol ("query", "json" or "s3")."""
    target = headers.get("X-Amz-Target")
    if target:
        operation = target.rsplit(".", 1)[-1]
        service = "organizations" if "Organizations" in target else "cloudtrail" if "CloudTrail" in target else target.split("_")[0].lower()
        return f"{service}:{operation}", "json"
    form = urllib.parse.parse_qs(body.decode("latin-1")) if method == "POST" else {}
    if "Action" in form:
        action = form["Action"][0]
        scope = headers.get("Authorization", "").split("Credential=")[-1].split("/")
        service = scope[3] if len(scope) > 3 else "sts"
        return f"{service}:{action}", "query"
    url = urllib.parse.urlsplit(path)
    scope = headers.get("Authorization", "").split("Credential=")[-1].split("/")
    if len(scope) > 3 and scope[3] != "s3":
        # A REST-JSON call of another service (the Account API's POST /listRegions).
        return f"{scope[3]}:{url.path.strip('/')}", "json"
    query = urllib.parse.parse_qs(url.query)
    parts = url.path.lstrip("/").split("/", 1)
    if method == "GET" and query.get("list-type") == ["2"]:
        return "s3:ListObjectsV2", "s3"
    if method == "GET" and len(parts) == 2 and parts[1]:
        key = urllib.parse.unquote(parts[1])
        kind = "digest" if "/CloudTrail-Digest/" in "/" + key else "log" if "/CloudTrail/" in "/" + key else "other"
        return f"s3:GetObject:{kind}", "s3"
    return f"s3:{method}", "s3"


def error_document(protocol, kind):
    """(status, content type, body) of a server error or throttling answer in the protocol's own form."""
    throttle = kind == "throttle"
    if protocol == "s3":
        code, status = ("SlowDown", 503) if throttle else ("InternalError", 500)
        body = f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code><Message>injected</Message><RequestId>fault</RequestId></Error>'
        return status, "application/xml", body.encode()
    if protocol == "query":
        code, status = ("Throttling", 400) if throttle else ("InternalFailure", 500)
        body = (f'<ErrorResponse><Error><Type>{"Sender" if throttle else "Receiver"}</Type><Code>{code}</Code>'
                f'<Message>injected</Message></Error><RequestId>fault</RequestId></ErrorResponse>')
        return status, "text/xml", body.encode()
    code, status = ("ThrottlingException", 400) if throttle else ("InternalFailure", 500)
    return status, "application/x-amz-json-1.1", json.dumps({"__type": code, "message": "injected"}).encode()


class Faults:
    """The rules, the counters, and the choice of which request to fault; thread-safe."""

    def __init__(self, rules, seed, max_stall):
        self.lock = threading.Lock()
        self.seed = seed
        self.max_stall = max_stall
        self.replace(rules)

    def replace(self, rules):
        for rule in rules:
            if rule.get("kind") not in KINDS or not isinstance(rule.get("match"), str):
                raise ValueError(f"bad fault rule {json.dumps(rule)}: needs \"match\" and a \"kind\" of {sorted(KINDS)}")
        with self.lock:
            self.rules = [dict(rule, fired=0) for rule in rules]
            self.requests = {}
            self.seen = {}
            self.faults = {}
            self.random = random.Random(self.seed)

    def choose(self, request_class, path):
        """The rule that faults this request, if any, counting both."""
        with self.lock:
            self.requests[request_class] = self.requests.get(request_class, 0) + 1
            chosen = None
            for index, rule in enumerate(self.rules):
                match = rule["match"]
                if request_class != match and not request_class.startswith(match + ":"):
                    continue
                count = self.seen[index] = self.seen.get(index, 0) + 1
                if chosen is not None or ("limit" in rule and rule["fired"] >= rule["limit"]):
                    continue
                if "requests" in rule:
                    picked = count in rule["requests"]
                elif rule.get("firstRead"):
                    reads = rule.setdefault("read", set())
                    picked = path not in reads
                    reads.add(path)
                else:
                    picked = self.random.random() < float(rule.get("probability", 0))
                if picked:
                    rule["fired"] += 1
                    chosen = rule
                    name = f"{rule['kind']} {request_class}"
                    self.faults[name] = self.faults.get(name, 0) + 1
            return chosen

    def garbage(self, size):
        with self.lock:
            return bytes(self.random.getrandbits(8) for _ in range(size))

    def stats(self):
        with self.lock:
            return {"requests": dict(self.requests), "faults": dict(self.faults), "injected": sum(self.faults.values())}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fault-proxy"

    def log_message(self, *args):
        pass

    def do_request(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if self.path.startswith("/__stats__"):
            return self.answer(200, "application/json", json.dumps(self.server.faults.stats()).encode())
        if self.path.startswith("/__fault__") and self.command == "POST":
            try:
                self.server.faults.replace(json.loads(body or b"{}").get("faults", []))
            except (ValueError, AttributeError) as error:
                return self.answer(400, "text/plain", str(error).encode())
            return self.answer(200, "application/json", b"{}")
        request_class, protocol = classify(self.command, self.path, self.headers, body)
        rule = self.server.faults.choose(request_class, urllib.parse.urlsplit(self.path).path)
        kind = rule["kind"] if rule else None
        stall = min(float(rule.get("seconds", 5)), self.server.faults.max_stall) if rule else 0
        if kind in ("server-error", "throttle"):
            return self.answer(*error_document(protocol, kind))
        if kind in ("html-200", "html-404"):
            page = b"<!DOCTYPE html>\n<html><head><title>Gateway</title></head><body><h1>Proxy error</h1><p>injected</p></body></html>\n"
            return self.answer(int(kind[-3:]), "text/html; charset=utf-8", page)
        if kind in ("garbage-200", "garbage-404"):
            return self.answer(int(kind[-3:]), "application/octet-stream", self.server.faults.garbage(512))
        if kind == "stall-headers":
            time.sleep(stall)
        status, headers, content = self.forward(body)
        if kind == "corrupt" and content:
            middle = len(content) // 2
            content = content[:middle] + bytes(b ^ 0xFF for b in content[middle:middle + 8]) + content[middle + 8:]
        if kind in ("reset", "truncate", "overlong", "stall-body"):
            return self.spoil(kind, status, headers, content, stall)
        self.answer(status, None, content, headers)

    do_GET = do_POST = do_PUT = do_HEAD = do_DELETE = do_request

    def forward(self, body):
        upstream = self.server.upstream
        connection = http.client.HTTPConnection(upstream.hostname, upstream.port, timeout=60)
        headers = {name: value for name, value in self.headers.items() if name.lower() not in HOP_BY_HOP and name.lower() != "host"}
        headers["Host"] = upstream.netloc
        if body or self.command in ("POST", "PUT"):
            headers["Content-Length"] = str(len(body))
        try:
            connection.request(self.command, self.path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
            kept = [(name, value) for name, value in response.getheaders() if name.lower() not in HOP_BY_HOP]
            return response.status, kept, content
        finally:
            connection.close()

    def answer(self, status, content_type, content, headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(content)

    def spoil(self, kind, status, headers, content, stall):
        """Sends the answer broken in the way `kind` names, then closes the connection."""
        self.close_connection = True
        half = len(content) // 2
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        declared = max(0, len(content) - 16) if kind == "overlong" else len(content)
        self.send_header("Content-Length", str(declared))
        self.send_header("Connection", "close")
        self.end_headers()
        try:
            if kind == "overlong":
                self.wfile.write(content)
            elif kind == "stall-body":
                self.wfile.write(content[:half])
                self.wfile.flush()
                time.sleep(stall)
                self.wfile.write(content[half:])
            else:
                self.wfile.write(content[:half])
                self.wfile.flush()
                if kind == "reset":
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    self.connection.close()
        except OSError:
            pass


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # a client that hung up on a stalled or spoiled answer


def close_inherited_descriptors():
    """Closes what the starting process leaked to us (other children's pipes): holding
    them would keep those children's readers from ever seeing the end of their output."""
    for name in os.listdir("/proc/self/fd"):
        if int(name) > 2:
            try:
                os.close(int(name))
            except OSError:
                pass


def main():
    close_inherited_descriptors()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--upstream", default=os.environ.get("TRAILWARDEN_MOTO_ENDPOINT"))
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--fault", action="append", default=[], type=json.loads, help="a fault rule as JSON (repeatable)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-stall", type=float, default=30.0, help="the longest any stall lasts, in seconds")
    parser.add_argument("--watch-pid", type=int, help="exit when this process exits (default: the parent)")
    parser.add_argument("--port-file", help="write the port here (atomically) instead of to stdout")
    parser.add_argument("--time-limit", type=float, default=300.0, help="exit after this many seconds")
    args = parser.parse_args()
    if not args.upstream or not args.upstream.startswith("http://127.0.0.1:"):
        parser.error("--upstream (or TRAILWARDEN_MOTO_ENDPOINT) must be http://127.0.0.1:PORT")
    exit_with(args.watch_pid or os.getppid())
    try:
        faults = Faults(args.fault, args.seed, args.max_stall)
    except ValueError as error:
        parser.error(str(error))
    server = Server(("127.0.0.1", args.port), Handler)
    server.upstream = urllib.parse.urlsplit(args.upstream)
    server.faults = faults
    threading.Thread(target=server.serve_forever, daemon=True).start()
    if args.port_file:
        with open(args.port_file + ".tmp", "w") as handle:
            handle.write(f"{server.server_address[1]}\n")
        os.rename(args.port_file + ".tmp", args.port_file)
    else:
        print(server.server_address[1], flush=True)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    stop.wait(args.time_limit)
    os._exit(0)


if __name__ == "__main__":
    main()
