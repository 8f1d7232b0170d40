#!/usr/bin/env python3
"""A minimal, fast S3 and CloudTrail stand-in on 127.0.0.1, for benchmarks that must measure the client.

moto answers a few hundred GetObject a second on a small machine, whatever the client, so a benchmark
against it measures moto. This serves the same answers from memory at a few microseconds of CPU each:
one asyncio HTTP/1.1 server, keep-alive, no threads, with prebuilt GetObject answers.

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
import asyncio
import bisect
import ctypes
import datetime
import email.utils
import hashlib
import json
import os
import signal
import sys
import time
import urllib.parse
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
    """Every object in memory, each with its GetObject answer's header block prebuilt."""

    def __init__(self, root, public_keys):
        self.buckets = {}  # name -> sorted keys
        self.objects = {}  # (bucket, key) -> (header block without status line, body)
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
                self.objects[(bucket, key)] = (headers, body)
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
        self.events = []  # [time, account, +1 or -1, operation]

    def account_started(self, account, now, operation):
        self.events.append([now, account, 1, operation])
        entry = self.accounts.get(account)
        if entry is None:
            entry = self.accounts[account] = [{}, 0, 0.0, now, 0]
        entry[2] += entry[1] * (now - entry[3])
        entry[1] += 1
        entry[3] = now
        if entry[1] > entry[4]:
            entry[4] = entry[1]

    def arrived(self):
        now = time.monotonic()
        self.in_flight_seconds += self.in_flight * (now - self.changed)
        self.in_flight, self.changed = self.in_flight + 1, now
        return now

    def answered(self, operation, account, arrival):
        now = time.monotonic()
        self.in_flight_seconds += self.in_flight * (now - self.changed)
        self.in_flight, self.changed = self.in_flight - 1, now
        if operation is None:
            return
        self.events.append([now, account, -1, operation])
        entry = self.accounts[account]
        entry[2] += entry[1] * (now - entry[3])
        entry[1] -= 1
        entry[3] = now
        entry[0][operation] = entry[0].get(operation, 0) + 1
        if self.first is None or arrival < self.first:
            self.first = arrival
        counted = self.operations.setdefault(operation, {"count": 0, "first": arrival, "last": now})
        counted["count"] += 1
        counted["last"] = now

    def snapshot(self):
        now = time.monotonic()
        accounts = {account: {"operations": entry[0], "inFlightSeconds": entry[2] + entry[1] * (now - entry[3]), "peakInFlight": entry[4]}
                    for account, entry in self.accounts.items()}
        return {"operations": self.operations, "first": self.first, "now": now, "accounts": accounts,
                "inFlightSeconds": self.in_flight_seconds + self.in_flight * (now - self.changed)}


def caller_account(headers):
    """The account of an AssumeRole credential (ASIA + account) in the request's SigV4 Authorization; None otherwise."""
    authorization = headers.get(b"authorization", b"")
    start = authorization.find(b"Credential=ASIA")
    if start < 0:
        return None
    account = authorization[start + 15:start + 27]
    return account.decode() if len(account) == 12 and account.isdigit() else None


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

    def handle(self, method, target, headers, body):
        path, _, query_text = target.partition("?")
        self.caller = caller_account(headers)
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
        amz_target = headers.get(b"x-amz-target")
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
        kind = ":digest" if "/CloudTrail-Digest/" in key else ":log" if "/CloudTrail/" in key else ""
        self.count(("GetObject" if method == "GET" else "HeadObject") + kind, key_account(key))
        headers, content = found
        head = b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: %d\r\n%s\r\n" % (len(content), headers)
        return head if method == "HEAD" else head + content

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
            headers, content = self.world.objects[(bucket, key)]
            etag = headers[6:headers.index(b"\r\n")].decode()
            parts.append(f"<Contents><Key>{escape(key)}</Key><LastModified>2026-01-01T00:00:00.000Z</LastModified>"
                         f"<ETag>{escape(etag)}</ETag><Size>{len(content)}</Size><StorageClass>STANDARD</StorageClass></Contents>")
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


class Connection(asyncio.Protocol):
    """One keep-alive connection: requests are answered in order, each after the delay, none blocking another connection."""

    def __init__(self, service, delay):
        self.service, self.delay = service, delay
        self.buffer = b""
        self.transport = None
        self.waiting = False

    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data):
        self.buffer += data
        if not self.waiting:
            self.serve()

    def serve(self):
        while not self.waiting:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            lines = self.buffer[:end].split(b"\r\n")
            headers = {}
            for line in lines[1:]:
                name, _, value = line.partition(b":")
                headers[name.strip().lower()] = value.strip()
            length = int(headers.get(b"content-length", b"0"))
            if len(self.buffer) < end + 4 + length:
                return
            body = self.buffer[end + 4:end + 4 + length]
            self.buffer = self.buffer[end + 4 + length:]
            counters = self.service.counters
            arrival = counters.arrived()
            try:
                method, target, _ = lines[0].decode("latin-1").split(" ", 2)
                response = self.service.handle(method, target, headers, body)
            except Exception as error:  # a bad request gets an answer, not a dead server
                self.service.count("BadRequest")
                response = s3_error(400, b"Bad Request", "InvalidRequest", str(error), "")
            operation, account = self.service.operation, self.service.account
            if operation is not None:
                counters.account_started(account, arrival, operation)
            if self.delay > 0:
                self.waiting = True
                asyncio.get_running_loop().call_later(self.delay, self.answer, response, operation, account, arrival)
            else:
                self.answer(response, operation, account, arrival)

    def answer(self, response, operation, account, arrival):
        self.waiting = False
        self.service.counters.answered(operation, account, arrival)
        if not self.transport.is_closing():
            self.transport.write(response)
            if self.delay > 0:
                self.serve()


def die_with(pid):
    """Exits within a second of `pid`; when that is the parent, Linux also sends SIGTERM as it exits.
    (A --watch-pid started through a shell outlives the shell, its parent.)"""
    if pid == os.getppid():
        try:
            ctypes.CDLL("libc.so.6").prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        except OSError:
            pass

    async def watch():
        while True:
            await asyncio.sleep(1)
            try:
                os.kill(pid, 0)
            except OSError:
                os._exit(0)
    return watch()


async def serve(args):
    world = World(args.root, args.public_keys)
    service = Service(world)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: Connection(service, args.delay_ms / 1000.0), "127.0.0.1", args.port, backlog=1024)
    port = server.sockets[0].getsockname()[1]
    if args.port_file:
        with open(args.port_file + ".tmp", "w") as handle:
            handle.write(f"{port}\n")
        os.rename(args.port_file + ".tmp", args.port_file)
    else:
        print(port, flush=True)
    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    watcher = loop.create_task(die_with(args.watch_pid or os.getppid()))
    try:
        await asyncio.wait_for(stop.wait(), args.time_limit)
    except asyncio.TimeoutError:
        pass
    watcher.cancel()
    server.close()


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
    asyncio.run(serve(args))
    sys.exit(0)


if __name__ == "__main__":
    main()
