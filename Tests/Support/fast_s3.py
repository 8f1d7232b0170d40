#!/usr/bin/env python3
"""A minimal, fast S3 and CloudTrail stand-in on 127.0.0.1, for benchmarks that must measure the client.

moto answers a few hundred GetObject a second on a small machine, whatever the client, so a benchmark
against it measures moto. This serves the same answers from memory at about 30 us of CPU each, most of it the
kernel's (TCP on loopback, waking up): one epoll HTTP/1.1 server, keep-alive, no threads, with prebuilt GetObject answers.

It serves, path-style (http://127.0.0.1:PORT/BUCKET/KEY), without checking signatures:
  S3   GetObject and HeadObject (Content-Length, ETag = MD5, Last-Modified, x-amz-meta-*), NoSuchKey and
       NoSuchBucket; ListObjectsV2 (prefix, start-after, continuation-token, max-keys, delimiter);
       ListObjects (marker, prefix, max-keys, delimiter), which `aws cloudtrail validate-logs` uses;
       GetBucketLocation; HeadBucket (x-amz-bucket-region).
  JSON CloudTrail DescribeTrails, GetTrail, ListTrails, GetTrailStatus, ListPublicKeys (filtered by
       validity as AWS does); Organizations DescribeOrganization and ListAccounts (20 a page, as AWS);
       Account ListRegions (REST-JSON POST /listRegions).
  STS  AssumeRole (any role: credentials for its account) and GetCallerIdentity, for `trailwarden scan`.
  EC2  DescribeRegions: the world's source regions.
  GET /_fast_s3/counters: per operation (GetObject split into :digest and :log), the requests answered, when
       the first arrived and when the last was answered (time.monotonic() seconds); and, over all requests, the
       first arrival and the integral of requests in flight over time (its mean over a window is the mean in flight).
       Under "accounts", the same per account: the requests per operation, the integral of that account's requests
       in flight and their peak. An object request (GetObject, a listing) counts for the account its key or prefix
       names (AWSLogs/[ORG-ID/]ACCOUNT/...), any other request for the caller's account.
  GET /_fast_s3/events: every counted request's start and answer in order, as [time, account, +1 or -1, operation]
       (time.monotonic() seconds): what in flight was at any moment, per account (which the integrals above cannot tell:
       who held the slots while the other accounts still had requests to make).
  GET /_fast_s3/reset: forgets every count and event so far, so that one server can measure several runs apart.

An organization: the accounts are those of the manifest's chains, the management account the owner of its
organization trail. A caller is known by its access key, ASIA + account as AssumeRole hands them out; each
account sees its own trails and the organization's trails (as shadow trails), and a caller with other
credentials (the scanner's own) sees every trail and lists the organization.

It is seeded from a folder laid out as `trailwarden simulate --out file://ROOT` writes one (ROOT/BUCKET/KEY,
user metadata in KEY.metadata.json): the trails come from ROOT/trailwarden-world.json and the keys
from ROOT/public-keys.json when they are there (or --public-keys FILE).

--delay-ms holds every answer that long without blocking any other request: a stand-in for S3's round trip.

Prints the port on the first line of stdout (or writes it to --port-file). Exits on SIGTERM or SIGINT, after
--time-limit seconds if given, and within a second of --watch-pid's exit (default: the parent's).
"""
import argparse
import bisect
import collections
import ctypes
import datetime
import email.utils
import gc
import hashlib
import json
import os
import select
import signal
import socket
import sys
import time
import urllib.parse
from time import monotonic
from xml.sax.saxutils import escape

METADATA_SUFFIX = ".metadata.json"
XML_HEAD = b'<?xml version="1.0" encoding="UTF-8"?>\n'
S3_NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/"
STS_NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/"


def epoch(value):
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)):
        return float(value)
    parsed = datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=datetime.timezone.utc)
    return parsed.timestamp()


def iso(seconds):
    return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def answer(status, reason, body, content_type, extra=b""):
    return (b"HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %d\r\nx-amz-request-id: fast-s3\r\n%s\r\n"
            % (status, reason, content_type, len(body), extra)) + body


def xml_answer(body, status=200, reason=b"OK"):
    return answer(status, reason, XML_HEAD + body.encode(), b"application/xml")


def json_answer(value, status=200, reason=b"OK"):
    return answer(status, reason, json.dumps(value).encode(), b"application/x-amz-json-1.1")


def s3_error(status, reason, code, message, resource):
    return xml_answer(f"<Error><Code>{code}</Code><Message>{escape(message)}</Message><Resource>{escape(resource)}</Resource>"
                      f"<RequestId>fast-s3</RequestId></Error>", status, reason)


def json_error(code, message):
    return json_answer({"__type": code, "message": message}, 400, b"Bad Request")


class World:
    """Every object in memory, each with its GetObject and HeadObject answers prebuilt."""

    def __init__(self, root, public_keys):
        self.buckets = {}  # name -> sorted keys
        # (bucket, key) -> (ETag and metadata header lines, size, GET answer, HEAD answer, their operations, key's account)
        self.objects = {}
        self.targets = {}  # b"/BUCKET/KEY" -> the same, for the keys a request names as they are (no quoting)
        self.regions = {}
        self.trails = []
        self.organization_id = None
        self.management = "000000000000"
        self.accounts = []
        self.source_regions = []
        modified = email.utils.formatdate(usegmt=True).encode()
        for bucket in sorted(os.listdir(root)):
            if os.path.isdir(os.path.join(root, bucket)):
                self.load_bucket(root, bucket, modified)
        manifest_path = os.path.join(root, "trailwarden-world.json")
        if os.path.exists(manifest_path):
            with open(manifest_path, "rb") as handle:
                self.load_trails(json.load(handle))
        keys_path = public_keys or os.path.join(root, "public-keys.json")
        self.keys = []
        if os.path.exists(keys_path):
            with open(keys_path, "rb") as handle:
                self.keys = json.load(handle)["PublicKeyList"]

    def load_bucket(self, root, bucket, modified):
        keys = []
        top = os.path.join(root, bucket)
        for folder, _, files in os.walk(top):
            for name in files:
                if name.endswith(METADATA_SUFFIX):
                    continue
                path = os.path.join(folder, name)
                key = os.path.relpath(path, top).replace(os.sep, "/")
                with open(path, "rb") as handle:
                    body = handle.read()
                metadata = {}
                if os.path.exists(path + METADATA_SUFFIX):
                    with open(path + METADATA_SUFFIX, "rb") as handle:
                        metadata = json.load(handle)
                headers = b"ETag: \"%s\"\r\nLast-Modified: %s\r\n" % (hashlib.md5(body).hexdigest().encode(), modified)
                for meta_name, value in sorted(metadata.items()):
                    headers += b"x-amz-meta-%s: %s\r\n" % (meta_name.encode(), value.encode())
                head = b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: %d\r\n%s\r\n" % (len(body), headers)
                kind = ":digest" if "/CloudTrail-Digest/" in key else ":log" if "/CloudTrail/" in key else ""
                stored = (headers, len(body), head + body, head, "GetObject" + kind, "HeadObject" + kind, key_account(key))
                self.objects[(bucket, key)] = stored
                target = f"/{bucket}/{key}"
                if target.isascii() and "%" not in target and "?" not in target:  # the target as a client sends it, unquoted
                    self.targets[target.encode()] = stored
                keys.append(key)
        self.buckets[bucket] = sorted(keys)

    def load_trails(self, manifest):
        seen = set()
        accounts, regions = set(), set()
        for world_chain in manifest.get("chains", []):
            chain = world_chain["chain"]
            arn = world_chain["trailARN"]
            home = arn.split(":")[3]
            accounts.add(chain["accountID"])
            regions.add(chain["sourceRegion"])
            self.regions.setdefault(chain["bucket"], home)
            if chain.get("organizationID"):
                self.organization_id = chain["organizationID"]
            if world_chain.get("isOrganizationTrail"):
                self.management = arn.split(":")[4]
            if arn in seen:
                continue
            seen.add(arn)
            trail = {"Name": arn.split("/", 1)[1], "S3BucketName": chain["bucket"], "TrailARN": arn, "HomeRegion": home,
                     "IsMultiRegionTrail": True, "IsOrganizationTrail": bool(world_chain.get("isOrganizationTrail")),
                     "LogFileValidationEnabled": True, "IncludeGlobalServiceEvents": True}
            if chain.get("prefix"):
                trail["S3KeyPrefix"] = chain["prefix"]
            self.trails.append(trail)
        self.accounts = sorted(accounts)
        self.source_regions = sorted(regions)

    def trails_of(self, caller):
        """The trails `caller` sees: its own and the organization's; every trail to an unknown caller."""
        if caller is None:
            return self.trails
        member = caller in self.accounts
        return [t for t in self.trails if t["TrailARN"].split(":")[4] == caller or (member and t["IsOrganizationTrail"])]

    def keys_between(self, start, end):
        listed = []
        for entry in self.keys:
            valid_from, valid_to = epoch(entry.get("ValidityStartTime")), epoch(entry.get("ValidityEndTime"))
            if (valid_from is None or valid_from <= end) and (valid_to is None or valid_to >= start):
                item = {"Value": entry["Value"], "Fingerprint": entry["Fingerprint"]}
                if valid_from is not None:
                    item["ValidityStartTime"] = valid_from
                if valid_to is not None:
                    item["ValidityEndTime"] = valid_to
                listed.append(item)
        return listed


class Counters:
    """What was asked, when, and how many requests were in flight over time."""

    def __init__(self):
        self.operations = {}
        self.accounts = {}  # account -> [operations, in flight, in-flight seconds, last change, peak]
        self.first = None
        self.in_flight = 0
        self.in_flight_seconds = 0.0
        self.changed = time.monotonic()
        self.events = []  # (time, account, +1 or -1, operation)

    def arrived(self, now):
        self.in_flight_seconds += self.in_flight * (now - self.changed)
        self.in_flight += 1
        self.changed = now

    def account_started(self, account, now, operation):
        self.events.append((now, account, 1, operation))
        entry = self.accounts.get(account)
        if entry is None:
            entry = self.accounts[account] = [{}, 0, 0.0, now, 0]
        entry[2] += entry[1] * (now - entry[3])
        entry[1] += 1
        entry[3] = now
        if entry[1] > entry[4]:
            entry[4] = entry[1]

    def answered(self, operation, account, arrival, now):
        self.in_flight_seconds += self.in_flight * (now - self.changed)
        self.in_flight -= 1
        self.changed = now
        if operation is None:
            return
        self.events.append((now, account, -1, operation))
        entry = self.accounts[account]
        entry[2] += entry[1] * (now - entry[3])
        entry[1] -= 1
        entry[3] = now
        operations = entry[0]
        operations[operation] = operations.get(operation, 0) + 1
        if self.first is None or arrival < self.first:
            self.first = arrival
        counted = self.operations.get(operation)
        if counted is None:
            counted = self.operations[operation] = {"count": 0, "first": arrival, "last": now}
        counted["count"] += 1
        counted["last"] = now

    def snapshot(self):
        now = time.monotonic()
        accounts = {account: {"operations": entry[0], "inFlightSeconds": entry[2] + entry[1] * (now - entry[3]), "peakInFlight": entry[4]}
                    for account, entry in self.accounts.items()}
        return {"operations": self.operations, "first": self.first, "now": now, "accounts": accounts,
                "inFlightSeconds": self.in_flight_seconds + self.in_flight * (now - self.changed)}


def caller_account(authorization):
    """The account of an AssumeRole credential (ASIA + account) in a SigV4 Authorization header; None otherwise."""
    start = authorization.find(b"Credential=ASIA")
    if start < 0:
        return None
    account = authorization[start + 15:start + 27]
    return account.decode() if len(account) == 12 and account.isdigit() else None


def header(block, lowered, name):
    """The value of the last `name` header (b"\\r\\nname:", lower case) in a request's header block, stripped; b"" if none.
    `lowered` is the block in lower case, to find the name in; the value comes from `block`, as sent."""
    start = lowered.rfind(name)
    if start < 0:
        return b""
    start += len(name)
    return block[start:block.index(b"\r\n", start)].strip()


def key_account(key):
    """The account a CloudTrail key or prefix names (AWSLogs/[ORG-ID/]ACCOUNT/...), or None."""
    start = key.find("AWSLogs/")
    if start < 0:
        return None
    parts = key[start + 8:].split("/", 2)
    account = parts[1] if parts[0].startswith("o-") and len(parts) > 1 else parts[0]
    return account if len(account) == 12 else None


class Service:
    """Turns one request into its operation's name and its answer's bytes."""

    def __init__(self, world):
        self.world = world
        self.counters = Counters()
        self.operation = None
        self.caller = None
        self.account = None

    def count(self, operation, account=None):
        self.operation = operation
        self.account = account or self.caller or "caller"

    def handle(self, method, target, authorization, amz_target, body):
        path, _, query_text = target.partition("?")
        self.caller = caller_account(authorization)
        if path == "/_fast_s3/counters":
            self.count(None)
            return json_answer(self.counters.snapshot())
        if path == "/_fast_s3/events":
            self.count(None)
            return json_answer({"events": self.counters.events})
        if path == "/_fast_s3/reset":
            self.count(None)
            self.counters = Counters()
            self.counters.in_flight = 1  # this request, answered on the new counters
            return json_answer({})
        if amz_target:
            return self.json_call(amz_target.decode().rsplit(".", 1)[-1], body)
        if method == "POST" and path == "/listRegions":
            self.count("ListRegions")
            return answer(200, b"OK", json.dumps({"Regions": [{"RegionName": region, "RegionOptStatus": "ENABLED_BY_DEFAULT"}
                                                               for region in self.world.source_regions]}).encode(), b"application/json")
        query = dict(urllib.parse.parse_qsl(query_text, keep_blank_values=True))
        if method == "POST" and path == "/":
            return self.query_call(dict(urllib.parse.parse_qsl(body.decode(), keep_blank_values=True)))
        bucket, _, key = urllib.parse.unquote(path[1:]).partition("/")
        if method not in ("GET", "HEAD"):
            self.count("Unsupported")
            return s3_error(501, b"Not Implemented", "NotImplemented", f"{method} is not served here", path)
        if not bucket:
            self.count("Unsupported")
            return s3_error(501, b"Not Implemented", "NotImplemented", "ListBuckets is not served here", path)
        if bucket not in self.world.buckets:
            self.count("NoSuchBucket")
            return s3_error(404, b"Not Found", "NoSuchBucket", "The specified bucket does not exist", "/" + bucket)
        if key:
            return self.get_object(method, bucket, key)
        if method == "HEAD":
            self.count("HeadBucket")
            region = self.world.regions.get(bucket, "us-east-1").encode()
            return b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nx-amz-bucket-region: %s\r\n\r\n" % region
        if "location" in query:
            self.count("GetBucketLocation")
            region = self.world.regions.get(bucket, "us-east-1")
            constraint = "" if region == "us-east-1" else region
            return xml_answer(f'<LocationConstraint xmlns="{S3_NAMESPACE}">{constraint}</LocationConstraint>')
        return self.list_objects(bucket, query)

    def get_object(self, method, bucket, key):
        found = self.world.objects.get((bucket, key))
        if found is None:
            self.count("NoSuchKey")
            return s3_error(404, b"Not Found", "NoSuchKey", "The specified key does not exist.", f"/{bucket}/{key}")
        _, _, get_answer, head_answer, get_operation, head_operation, account = found
        if method == "GET":
            self.count(get_operation, account)
            return get_answer
        self.count(head_operation, account)
        return head_answer

    def list_objects(self, bucket, query):
        version2 = query.get("list-type") == "2"
        prefix, delimiter = query.get("prefix", ""), query.get("delimiter", "")
        self.count("ListObjectsV2" if version2 else "ListObjects", key_account(prefix))
        limit = max(0, min(1000, int(query.get("max-keys", "1000") or 1000)))
        after = query.get("continuation-token") or query.get("start-after", "") if version2 else query.get("marker", "")
        keys = self.world.buckets[bucket]
        index = bisect.bisect_right(keys, after) if after else bisect.bisect_left(keys, prefix)
        contents, prefixes, last, truncated = [], [], None, False
        while index < len(keys) and keys[index].startswith(prefix):
            if len(contents) + len(prefixes) >= limit:
                truncated = True
                break
            key = keys[index]
            cut = key.find(delimiter, len(prefix)) if delimiter else -1
            if cut >= 0:
                common = key[:cut + len(delimiter)]
                prefixes.append(common)
                last = common
                index = bisect.bisect_left(keys, common + "\U0010ffff")
                continue
            contents.append(key)
            last = key
            index += 1
        parts = [f'<ListBucketResult xmlns="{S3_NAMESPACE}"><Name>{escape(bucket)}</Name><Prefix>{escape(prefix)}</Prefix>',
                 f"<MaxKeys>{limit}</MaxKeys><IsTruncated>{'true' if truncated else 'false'}</IsTruncated>"]
        if delimiter:
            parts.append(f"<Delimiter>{escape(delimiter)}</Delimiter>")
        if version2:
            parts.append(f"<KeyCount>{len(contents) + len(prefixes)}</KeyCount>")
            if truncated:
                parts.append(f"<NextContinuationToken>{escape(last)}</NextContinuationToken>")
        elif truncated and delimiter:
            parts.append(f"<NextMarker>{escape(last)}</NextMarker>")
        for key in contents:
            headers, size = self.world.objects[(bucket, key)][:2]
            etag = headers[6:headers.index(b"\r\n")].decode()
            parts.append(f"<Contents><Key>{escape(key)}</Key><LastModified>2026-01-01T00:00:00.000Z</LastModified>"
                         f"<ETag>{escape(etag)}</ETag><Size>{size}</Size><StorageClass>STANDARD</StorageClass></Contents>")
        parts.extend(f"<CommonPrefixes><Prefix>{escape(common)}</Prefix></CommonPrefixes>" for common in prefixes)
        parts.append("</ListBucketResult>")
        return xml_answer("".join(parts))

    def query_call(self, parameters):
        action = parameters.get("Action", "")
        self.count(action or "Unsupported")
        if action == "AssumeRole":
            role = parameters.get("RoleArn", "arn:aws:iam::000000000000:role/unknown")
            account, name = role.split(":")[4], role.rsplit("/", 1)[-1]
            session = parameters.get("RoleSessionName", "session")
            expiration = iso(time.time() + 3600)
            return xml_answer(f'<AssumeRoleResponse xmlns="{STS_NAMESPACE}"><AssumeRoleResult><Credentials>'
                              f"<AccessKeyId>ASIA{account}</AccessKeyId><SecretAccessKey>fast-s3</SecretAccessKey>"
                              f"<SessionToken>fast-s3-{account}</SessionToken><Expiration>{expiration}</Expiration></Credentials>"
                              f"<AssumedRoleUser><Arn>arn:aws:sts::{account}:assumed-role/{escape(name)}/{escape(session)}</Arn>"
                              f"<AssumedRoleId>AROA{account}:{escape(session)}</AssumedRoleId></AssumedRoleUser></AssumeRoleResult>"
                              f"<ResponseMetadata><RequestId>fast-s3</RequestId></ResponseMetadata></AssumeRoleResponse>")
        if action == "GetCallerIdentity":
            account = self.caller or "000000000000"
            arn = f"arn:aws:sts::{account}:assumed-role/fast-s3/session" if self.caller else "arn:aws:iam::000000000000:user/benchmark"
            return xml_answer(f'<GetCallerIdentityResponse xmlns="{STS_NAMESPACE}"><GetCallerIdentityResult>'
                              f"<Arn>{arn}</Arn><UserId>AIDAFASTS3</UserId><Account>{account}</Account>"
                              "</GetCallerIdentityResult><ResponseMetadata><RequestId>fast-s3</RequestId></ResponseMetadata></GetCallerIdentityResponse>")
        if action == "DescribeRegions":
            items = "".join(f"<item><regionName>{region}</regionName><regionEndpoint>ec2.{region}.amazonaws.com</regionEndpoint>"
                            "<optInStatus>opt-in-not-required</optInStatus></item>" for region in self.world.source_regions)
            return xml_answer(f'<DescribeRegionsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>fast-s3</requestId>'
                              f"<regionInfo>{items}</regionInfo></DescribeRegionsResponse>")
        return s3_error(400, b"Bad Request", "InvalidAction", f"{action} is not served here", "/")

    def json_call(self, operation, body):
        self.count(operation)
        try:
            parameters = json.loads(body or b"{}")
        except ValueError:
            return json_error("SerializationException", "the body is not JSON")
        if operation in ("DescribeTrails", "ListTrails"):
            names = parameters.get("trailNameList") or []
            trails = [t for t in self.world.trails_of(self.caller) if not names or t["TrailARN"] in names or t["Name"] in names]
            if operation == "ListTrails":
                return json_answer({"Trails": [{"TrailARN": t["TrailARN"], "Name": t["Name"], "HomeRegion": t["HomeRegion"]} for t in trails]})
            return json_answer({"trailList": trails})
        if operation == "GetTrail":
            name = parameters.get("Name")
            trail = next((t for t in self.world.trails_of(self.caller) if name in (t["TrailARN"], t["Name"])), None)
            return json_answer({"Trail": trail}) if trail else json_error("TrailNotFoundException", f"Unknown trail: {name}")
        if operation == "GetTrailStatus":
            now = time.time()
            return json_answer({"IsLogging": True, "LatestDeliveryTime": now, "LatestDigestDeliveryTime": now, "StartLoggingTime": 0})
        if operation == "ListPublicKeys":
            start = epoch(parameters.get("StartTime")) or 0.0
            end = epoch(parameters.get("EndTime")) or 4102444800.0
            return json_answer({"PublicKeyList": self.world.keys_between(start, end)})
        if operation == "DescribeOrganization" and self.world.organization_id:
            organization, management = self.world.organization_id, self.world.management
            return json_answer({"Organization": {"Id": organization, "Arn": f"arn:aws:organizations::{management}:organization/{organization}",
                                                 "MasterAccountId": management, "FeatureSet": "ALL"}})
        if operation == "ListAccounts" and self.world.organization_id:
            start = int(parameters.get("NextToken") or 0)
            page = self.world.accounts[start:start + min(20, int(parameters.get("MaxResults") or 20))]
            listed = {"Accounts": [{"Id": account, "Name": f"account-{account}", "Status": "ACTIVE", "Email": f"{account}@example.com",
                                    "Arn": f"arn:aws:organizations::{self.world.management}:account/{self.world.organization_id}/{account}"}
                                   for account in page]}
            if start + len(page) < len(self.world.accounts):
                listed["NextToken"] = str(start + len(page))
            return json_answer(listed)
        return json_error("UnknownOperationException", f"{operation} is not served here")


class Connection:
    """One keep-alive connection: its socket, the bytes read and not yet served, and the bytes its socket did not take."""
    __slots__ = ("socket", "fd", "buffer", "waiting", "unsent", "closed")

    def __init__(self, sock):
        self.socket, self.fd = sock, sock.fileno()
        self.buffer = b""
        self.waiting = False  # an answer is held back: the next request waits for it
        self.unsent = b""
        self.closed = False


class Server:
    """One thread, one epoll: requests on a keep-alive connection are answered in order, each after the delay, none
    blocking another connection. The held answers wait in one queue in the order they are due (the delay is the same
    for every answer, so the order they were made in), and the poll wakes for the first: the answers due together go
    out in one pass. (Over asyncio the same work cost more per request: a handle and a callback per read and
    per timer, and a 256 KiB buffer per read, which glibc maps and unmaps each time.)"""

    def __init__(self, service, delay, listener):
        self.service, self.delay, self.listener = service, delay, listener
        self.epoll = select.epoll()
        self.epoll.register(listener.fileno(), select.EPOLLIN)
        self.connections = {}  # fd -> Connection
        self.pending = collections.deque()  # (due, connection, response, operation, account, arrival)

    def run(self, deadline, watched):
        """Serves until `deadline` (monotonic seconds, or None), checking every second that `watched` still runs."""
        pending, connections, listen_fd, poll = self.pending, self.connections, self.listener.fileno(), self.epoll.poll
        check = monotonic() + 1.0 if deadline is None else min(monotonic() + 1.0, deadline)
        while True:
            now = monotonic()
            if now >= check:
                if deadline is not None and now >= deadline:
                    return
                try:
                    os.kill(watched, 0)
                except OSError:
                    os._exit(0)
                check = now + 1.0 if deadline is None else min(now + 1.0, deadline)
            wake = min(pending[0][0], check) if pending else check
            for fd, mask in poll(max(0.0, wake - now)):
                if fd == listen_fd:
                    self.accept()
                    continue
                connection = connections.get(fd)
                if connection is None:
                    continue
                if mask & select.EPOLLOUT:
                    self.flush(connection)
                if mask & ~select.EPOLLOUT:
                    self.read(connection)
            if pending and pending[0][0] <= monotonic():
                self.send_due()

    def accept(self):
        while True:
            try:
                sock, _ = self.listener.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as error:  # out of descriptors, say: the client retries
                print(f"fast_s3: accept: {error}", file=sys.stderr)
                return
            sock.setblocking(False)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            connection = Connection(sock)
            self.connections[connection.fd] = connection
            self.epoll.register(connection.fd, select.EPOLLIN)

    def close(self, connection):
        if not connection.closed:
            connection.closed = True
            del self.connections[connection.fd]
            self.epoll.unregister(connection.fd)
            connection.socket.close()

    def read(self, connection):
        try:
            data = connection.socket.recv(65536)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:
            self.close(connection)
            return
        connection.buffer = connection.buffer + data if connection.buffer else data
        if not connection.waiting:
            self.serve(connection)

    def write(self, connection, response):
        if connection.closed:
            return
        if connection.unsent:
            connection.unsent += response
            return
        try:
            sent = connection.socket.send(response)
        except (BlockingIOError, InterruptedError):
            sent = 0
        except OSError:
            self.close(connection)
            return
        if sent < len(response):
            connection.unsent = response[sent:]
            self.epoll.modify(connection.fd, select.EPOLLIN | select.EPOLLOUT)

    def flush(self, connection):
        try:
            sent = connection.socket.send(connection.unsent)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            self.close(connection)
            return
        connection.unsent = connection.unsent[sent:]
        if not connection.unsent:
            self.epoll.modify(connection.fd, select.EPOLLIN)

    def serve(self, connection):
        """Answers the whole requests in the buffer, up to the first one held back by the delay."""
        service, delay = self.service, self.delay
        buffer = connection.buffer
        while buffer:
            end = buffer.find(b"\r\n\r\n")
            if end < 0:
                break
            line_end = buffer.find(b"\r\n")
            block = buffer[line_end:end + 2]  # every header line, each after a CRLF and before the next
            lowered = block.lower()
            try:
                length = int(header(block, lowered, b"\r\ncontent-length:") or b"0") if b"\r\ncontent-length:" in lowered else 0
            except ValueError as error:  # the request's end cannot be told: the connection goes
                print(f"fast_s3: {error}; closing the connection", file=sys.stderr)
                self.close(connection)
                return
            stop = end + 4 + length
            if len(buffer) < stop:
                break
            line = buffer[:line_end]
            body = buffer[end + 4:stop]
            buffer = buffer[stop:]
            counters = service.counters
            arrival = monotonic()
            counters.arrived(arrival)
            found = None
            if b"\r\nx-amz-target:" not in lowered:  # an object's GET or HEAD: its prebuilt answer
                start = 4 if line.startswith(b"GET ") else 5 if line.startswith(b"HEAD ") else 0
                space = line.find(b" ", start) if start else -1
                if space > 0:
                    found = service.world.targets.get(line[start:space])
            if found is not None:
                response, operation = (found[2], found[4]) if start == 4 else (found[3], found[5])
                account = found[6] or caller_account(header(block, lowered, b"\r\nauthorization:")) or "caller"
            else:
                try:
                    method, target, _ = line.decode("latin-1").split(" ", 2)
                    response = service.handle(method, target, header(block, lowered, b"\r\nauthorization:"),
                                              header(block, lowered, b"\r\nx-amz-target:"), body)
                except Exception as error:  # a bad request gets an answer, not a dead server
                    service.count("BadRequest")
                    response = s3_error(400, b"Bad Request", "InvalidRequest", str(error), "")
                operation, account = service.operation, service.account
            if operation is not None:
                counters.account_started(account, arrival, operation)
            if delay > 0:
                connection.waiting = True
                self.pending.append((monotonic() + delay, connection, response, operation, account, arrival))
                break
            service.counters.answered(operation, account, arrival, monotonic())
            self.write(connection, response)
        connection.buffer = buffer

    def send_due(self):
        """Sends every answer due (all at this moment), then serves the requests that waited behind them."""
        pending, counters = self.pending, self.service.counters
        now = monotonic()
        waited = []
        while pending and pending[0][0] <= now:
            _, connection, response, operation, account, arrival = pending.popleft()
            counters.answered(operation, account, arrival, now)
            connection.waiting = False
            self.write(connection, response)
            if connection.buffer and not connection.closed:
                waited.append(connection)
        for connection in waited:
            self.serve(connection)


class Stop(Exception):
    """SIGTERM or SIGINT."""


def stop(signum, frame):
    raise Stop()


def serve(args):
    world = World(args.root, args.public_keys)
    gc.freeze()  # the world is there for good: no collection need walk it again
    gc.disable()  # and the server makes no reference cycles: the tuples of every request would only start collections
    service = Service(world)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", args.port))
    listener.listen(1024)
    listener.setblocking(False)
    port = listener.getsockname()[1]
    server = Server(service, args.delay_ms / 1000.0, listener)
    watched = args.watch_pid or os.getppid()
    if watched == os.getppid():  # Linux sends SIGTERM as the parent exits (a --watch-pid started through a shell outlives it)
        try:
            ctypes.CDLL("libc.so.6").prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        except OSError:
            pass
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, stop)
    if args.port_file:
        with open(args.port_file + ".tmp", "w") as handle:
            handle.write(f"{port}\n")
        os.rename(args.port_file + ".tmp", args.port_file)
    else:
        print(port, flush=True)
    try:
        server.run(None if args.time_limit is None else monotonic() + args.time_limit, watched)
    except Stop:
        pass
    listener.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", help="the folder to serve: ROOT/BUCKET/KEY, as `trailwarden simulate --out file://ROOT` writes")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--public-keys", help="ListPublicKeys JSON (default ROOT/public-keys.json)")
    parser.add_argument("--delay-ms", type=float, default=0.0, help="hold every answer this long")
    parser.add_argument("--port-file", help="write the port here (atomically) instead of to stdout")
    parser.add_argument("--watch-pid", type=int, help="exit when this process exits (default: the parent)")
    parser.add_argument("--time-limit", type=float, help="exit after this many seconds")
    args = parser.parse_args()
    if not os.path.isdir(args.root):
        parser.error(f"{args.root}: not a folder")
    serve(args)
    sys.exit(0)


if __name__ == "__main__":
    main()
