#!/usr/bin/env python3
"""Sign requests with botocore's own SigV4 signers, for TrailWarden's differential tests.

Reads a JSON list of cases on stdin and prints a JSON list of results on stdout,
one per case, in order.

A case:
  {"service": "s3", "region": "us-east-1", "method": "GET",
   "scheme": "https", "host": "bucket.s3.us-east-1.amazonaws.com",
   "path": "/raw key, not yet encoded",
   "query": [["name", "value"], ...]   # raw pairs, or null for none
   "rawQuery": "already=encoded&bare"  # optional, appended as it is instead
   "headers": [["Name", "value"], ...], "body": "<base64>",
   "accessKeyID": "...", "secretAccessKey": "...", "sessionToken": null,
   "time": "20260101T120000Z"}

A result:
  {"url": "...", "canonicalRequest": "...", "stringToSign": "...",
   "headers": {"Authorization": "...", "X-Amz-Date": "...", ...}}

The URL is built as botocore's serializers build one: the path with
``percent_encode(path, safe='/~')`` and the query with
``percent_encode_sequence``.  Signing is ``SigV4Auth`` (``S3SigV4Auth`` for
s3) with the clock pinned to the case's time; nothing is patched but the clock.
"""

import base64
import datetime
import json
import sys

try:
    import botocore.auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    from botocore.utils import percent_encode, percent_encode_sequence
except ImportError as error:  # pragma: no cover - reported to the Swift test
    sys.stderr.write(f"botocore is not installed for {sys.executable}: {error}\n")
    sys.exit(3)

SIGNATURE_HEADERS = ("Authorization", "X-Amz-Date", "X-Amz-Security-Token", "X-Amz-Content-SHA256")


def sign(case):
    url = f"{case['scheme']}://{case['host']}{percent_encode(case['path'], safe='/~')}"
    if case.get("rawQuery") is not None:
        url += "?" + case["rawQuery"]
    elif case.get("query") is not None:
        url += "?" + percent_encode_sequence([tuple(pair) for pair in case["query"]])

    request = AWSRequest(method=case["method"], url=url, data=base64.b64decode(case["body"]))
    for name, value in case["headers"]:
        request.headers[name] = value  # appends: repeated names stay repeated

    credentials = Credentials(case["accessKeyID"], case["secretAccessKey"], case.get("sessionToken"))
    signer_class = botocore.auth.S3SigV4Auth if case["service"] == "s3" else botocore.auth.SigV4Auth
    signer = signer_class(credentials, case["service"], case["region"])

    captured = {}

    def capture(name):
        original = getattr(signer, name)

        def wrapper(*args):
            captured[name] = original(*args)
            return captured[name]

        setattr(signer, name, wrapper)

    capture("canonical_request")
    capture("string_to_sign")

    pinned = datetime.datetime.strptime(case["time"], "%Y%m%dT%H%M%SZ")
    original_clock = botocore.auth.get_current_datetime
    botocore.auth.get_current_datetime = lambda *args, **kwargs: pinned
    try:
        signer.add_auth(request)
    finally:
        botocore.auth.get_current_datetime = original_clock

    return {
        "url": url,
        "canonicalRequest": captured["canonical_request"],
        "stringToSign": captured["string_to_sign"],
        "headers": {name: request.headers[name] for name in SIGNATURE_HEADERS if name in request.headers},
    }


def main():
    cases = json.load(sys.stdin)
    json.dump([sign(case) for case in cases], sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
