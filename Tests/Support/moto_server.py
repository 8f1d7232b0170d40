#!/usr/bin/env python3
"""Starts moto, the AWS emulator, on 127.0.0.1 for TrailWarden's tests.

moto's CloudTrail ListTrails names only the trails visible in the region asked, so
this makes it name every trail of the account, as AWS does (docs/scan.md's trail
discovery rests on it).

moto lacks CloudTrail ListPublicKeys, which validation needs, so this adds it:
the keys are read from every *.json file in --public-keys-dir (the JSON that
`aws cloudtrail list-public-keys` and `trailwarden simulate` write), merged by
fingerprint, and filtered by validity as AWS does; a key's Value is its DER
in base64, as AWS sends it.

moto's Organizations lists no accounts to a delegated administrator; this answers a
registered delegated administrator (RegisterDelegatedAdministrator, any service, CloudTrail's
cloudtrail.amazonaws.com added) with
its organization's ListAccounts, paged as for the management account, and refuses any
other member account with AccessDeniedException, as AWS does (an account in no
organization gets AWSOrganizationsNotInUseException).

moto lacks the Account API's ListRegions: this adds it (POST /listRegions, body
{"MaxResults", "NextToken", "RegionOptStatusContains"}, answering {"Regions":
[{"RegionName", "RegionOptStatus"}], "NextToken"}), with EnableRegion and
DisableRegion to opt an account in or out of a region. The regions are those EC2
DescribeRegions knows, in the partition of the call; a region EC2 lists as
opt-in-not-required is ENABLED_BY_DEFAULT, any other DISABLED until enabled
(ENABLED at once: AWS passes through ENABLING). EC2 DescribeRegions answers with the
same opt-in status per account. POST /_trailwarden/account-api?account=ID&refuse=true
(or false) makes every Account API call of that account answer AccessDeniedException,
as an SCP denying account:* would.

GET /_trailwarden/metric-data?namespace=N&region=R answers every CloudWatch
value stored in that namespace and region as JSON [{MetricName, Dimensions,
Value, Unit, Timestamp}], in the order received: moto's GetMetricData
matches metrics across namespaces and ignores dimensions when a query has
none, so tests read exact values here.

With --latency-ms, every request is held that long before moto answers: a
stand-in for S3's round trip, so that benchmarks measure a client's
parallelism rather than the emulator's speed.

Prints the port on the first line of stdout, then serves until SIGTERM or
SIGINT; it also dies with the process that started it.
"""
import argparse
import ctypes
import datetime
import glob
import json
import os
import signal
import threading
import time


def die_with_parent():
    """Linux only: SIGTERM this process when the process that started it exits."""
    try:
        ctypes.CDLL("libc.so.6").prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def epoch(value):
    if value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).replace("Z", "+00:00")
    parsed = datetime.datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=datetime.timezone.utc)
    return parsed.timestamp()


def load_keys(directory):
    merged = {}
    for path in sorted(glob.glob(os.path.join(directory, "*.json"))):
        try:
            with open(path, "rb") as handle:
                entries = json.load(handle)["PublicKeyList"]
        except (OSError, ValueError, KeyError):
            continue
        for entry in entries:
            start, end = epoch(entry.get("ValidityStartTime")), epoch(entry.get("ValidityEndTime"))
            known = merged.get(entry["Fingerprint"])
            if known:
                start = None if start is None or known["start"] is None else min(start, known["start"])
                end = None if end is None or known["end"] is None else max(end, known["end"])
            merged[entry["Fingerprint"]] = {"value": entry["Value"], "start": start, "end": end}
    return merged


def install_list_public_keys(directory):
    from moto.cloudtrail.responses import CloudTrailResponse

    def list_public_keys(self):
        start = epoch(self._get_param("StartTime")) or 0.0
        end = epoch(self._get_param("EndTime")) or 4102444800.0
        keys = []
        for fingerprint, key in load_keys(directory).items():
            if (key["start"] is None or key["start"] <= end) and (key["end"] is None or key["end"] >= start):
                item = {"Value": key["value"], "Fingerprint": fingerprint}
                if key["start"] is not None:
                    item["ValidityStartTime"] = key["start"]
                if key["end"] is not None:
                    item["ValidityEndTime"] = key["end"]
                keys.append(item)
        return json.dumps({"PublicKeyList": keys})

    CloudTrailResponse.list_public_keys = list_public_keys


def install_list_trails():
    """moto's ListTrails answers only the trails visible in the region asked; AWS's names
    every trail of the account, wherever it is homed, with its HomeRegion."""
    from moto.cloudtrail.models import cloudtrail_backends
    from moto.cloudtrail.responses import CloudTrailResponse

    def list_trails(self):
        trails = [trail for backend in cloudtrail_backends[self.current_account].values() for trail in backend.trails.values()]
        return json.dumps({"Trails": [trail.short() for trail in trails]})

    CloudTrailResponse.list_trails = list_trails


def install_list_accounts_page_size():
    """AWS's ListAccounts answers at most 20 accounts a page; moto's 100 would hide paging."""
    from moto.organizations.utils import PAGINATION_MODEL

    PAGINATION_MODEL["list_accounts"]["limit_default"] = 20


def install_delegated_administrator_list_accounts():
    """A delegated administrator may list its organization's accounts; other members may not."""
    from moto.organizations.exceptions import AWSOrganizationsNotInUseException, OrganizationsClientError
    from moto.organizations.models import FakeDelegatedAdministrator, organizations_backends
    from moto.organizations.responses import OrganizationsResponse

    # CloudTrail's own delegated administrator, the one an organization's trail auditor is.
    FakeDelegatedAdministrator.SUPPORTED_SERVICES.append("cloudtrail.amazonaws.com")

    def list_accounts(self):
        backend = self.organizations_backend
        if backend.org is None:
            membership = organizations_backends.master_accounts.get(self.current_account)
            if membership is None:
                raise AWSOrganizationsNotInUseException
            backend = organizations_backends[membership[0]][membership[1]]
            if not any(admin.account.id == self.current_account for admin in backend.admins):
                raise OrganizationsClientError("AccessDeniedException", "You don't have permissions to access this resource.")
        accounts, next_token = backend.list_accounts(max_results=self._get_int_param("MaxResults"),
                                                     next_token=self._get_param("NextToken"))
        return json.dumps({"Accounts": accounts, "NextToken": next_token})

    OrganizationsResponse.list_accounts = list_accounts


# (account, region) -> "ENABLED" or "DISABLED", as EnableRegion and DisableRegion left it.
REGION_OPT_STATUS = {}
# Accounts whose Account API calls are refused.
ACCOUNT_API_REFUSED = set()


def partition_of(region):
    return "aws-cn" if region.startswith("cn-") else "aws-us-gov" if region.startswith("us-gov-") else "aws"


def region_opt_status(account, region):
    """The Account API's status of `region` for `account`, from EC2's list and the overrides."""
    if (account, region.name) in REGION_OPT_STATUS:
        return REGION_OPT_STATUS[(account, region.name)]
    return "ENABLED_BY_DEFAULT" if region.opt_in_status == "opt-in-not-required" else "DISABLED"


def install_account_regions():
    """ListRegions, EnableRegion and DisableRegion; DescribeRegions with the same opt-in status."""
    from moto.account import urls
    from moto.account.responses import AccountResponse
    from moto.core.exceptions import JsonRESTError
    from moto.core.responses import ActionResult, EmptyResult
    from moto.ec2.models.availability_zones_and_regions import Region, RegionsAndZonesBackend
    from moto.ec2.responses.availability_zones_and_regions import AvailabilityZonesAndRegions

    class AccessDenied(JsonRESTError):
        code = 403

    for operation in ("listRegions", "enableRegion", "disableRegion"):
        urls.url_paths["{0}/%s$" % operation] = AccountResponse.dispatch

    def refuse_if_asked(self):
        if self.current_account in ACCOUNT_API_REFUSED:
            raise AccessDenied("AccessDeniedException", "User is not authorized to perform: account:* with an explicit deny")

    def known(self, name):
        region = next((r for r in RegionsAndZonesBackend.regions if r.name == name and partition_of(r.name) == self.partition), None)
        if region is None:
            raise JsonRESTError("ValidationException", f"{name} is not a region of the partition")
        return region

    def list_regions(self):
        refuse_if_asked(self)
        wanted = self._get_param("RegionOptStatusContains") or []
        regions = [{"RegionName": region.name, "RegionOptStatus": region_opt_status(self.current_account, region)}
                   for region in RegionsAndZonesBackend.regions if partition_of(region.name) == self.partition]
        regions = [region for region in regions if not wanted or region["RegionOptStatus"] in wanted]
        start = int(self._get_param("NextToken") or 0)
        size = int(self._get_param("MaxResults") or 20)
        result = {"Regions": regions[start:start + size]}
        if start + size < len(regions):
            result["NextToken"] = str(start + size)
        return ActionResult(result)

    def setting(status):
        def handle(self):
            refuse_if_asked(self)
            region = known(self, self._get_param("RegionName"))
            if region.opt_in_status == "opt-in-not-required":
                raise JsonRESTError("ValidationException", f"{region.name} is enabled by default and cannot be changed")
            REGION_OPT_STATUS[(self.current_account, region.name)] = status
            return EmptyResult()
        return handle

    AccountResponse.list_regions = list_regions
    AccountResponse.enable_region = setting("ENABLED")
    AccountResponse.disable_region = setting("DISABLED")

    def describe_regions(self):
        self.error_on_dryrun()
        names = self._get_param("RegionNames", [])
        regions = []
        for region in self.ec2_backend.describe_regions(names):
            status = region_opt_status(self.current_account, region)
            opt_in = {"ENABLED_BY_DEFAULT": "opt-in-not-required", "ENABLED": "opted-in"}.get(status, "not-opted-in")
            regions.append(Region(region.name, region.endpoint, opt_in))
        return ActionResult({"Regions": regions})

    AvailabilityZonesAndRegions.describe_regions = describe_regions


def utc(moment):
    """moto keeps UTC times without a zone; says so."""
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.timezone.utc)


def with_account_api_refusal(app):
    """WSGI middleware answering POST /_trailwarden/account-api?account=ID&refuse=true|false."""
    from urllib.parse import parse_qs

    def handle(environ, start_response):
        if environ.get("PATH_INFO") != "/_trailwarden/account-api":
            return app(environ, start_response)
        query = {name: values[-1] for name, values in parse_qs(environ.get("QUERY_STRING", "")).items()}
        if query.get("refuse") == "true":
            ACCOUNT_API_REFUSED.add(query.get("account"))
        else:
            ACCOUNT_API_REFUSED.discard(query.get("account"))
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", "2")])
        return [b"{}"]
    return handle


def with_metric_data(app):
    """WSGI middleware answering /_trailwarden/metric-data from moto's CloudWatch backends."""
    from urllib.parse import parse_qs

    from moto.cloudwatch.models import cloudwatch_backends

    def handle(environ, start_response):
        if environ.get("PATH_INFO") != "/_trailwarden/metric-data":
            return app(environ, start_response)
        query = {name: values[-1] for name, values in parse_qs(environ.get("QUERY_STRING", "")).items()}
        values = []
        # dict's own methods, so that looking does not create backends.
        for regions in dict.values(cloudwatch_backends):
            backend = dict.get(regions, query.get("region"))
            for datum in backend.metric_data if backend else []:
                if datum.namespace == query.get("namespace"):
                    values.append({"MetricName": datum.name, "Value": float(datum.value), "Unit": datum.unit,
                                   "Timestamp": utc(datum.timestamp).isoformat(),
                                   "Dimensions": [{"Name": d.name, "Value": d.value} for d in datum.dimensions]})
        body = json.dumps(values).encode()
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
        return [body]
    return handle


def delayed(app, seconds):
    """WSGI middleware that answers every request `seconds` late."""
    def handle(environ, start_response):
        time.sleep(seconds)
        return app(environ, start_response)
    return handle


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--public-keys-dir", required=True)
    parser.add_argument("--latency-ms", type=float, default=0.0)
    args = parser.parse_args()
    die_with_parent()
    os.makedirs(args.public_keys_dir, exist_ok=True)
    install_list_public_keys(args.public_keys_dir)
    install_list_trails()
    install_list_accounts_page_size()
    install_delegated_administrator_list_accounts()
    install_account_regions()

    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
    from werkzeug.serving import make_server

    app = with_account_api_refusal(with_metric_data(DomainDispatcherApplication(create_backend_app)))
    if args.latency_ms > 0:
        app = delayed(app, args.latency_ms / 1000.0)
    server = make_server("127.0.0.1", args.port, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(server.server_address[1], flush=True)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    stop.wait()
    server.shutdown()


if __name__ == "__main__":
    main()
