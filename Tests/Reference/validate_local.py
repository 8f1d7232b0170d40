#!/usr/bin/env python3
"""Run the AWS CLI's own ``cloudtrail validate-logs`` against a local store.

What this is
------------
A test harness for TrailWarden.  It executes the *installed* AWS CLI (v1,
``awscli``) exactly as ``aws cloudtrail validate-logs`` would run -- the real
CLI driver, argument parser, ``CloudTrailValidateLogs`` command, digest
traverser, signature validator, output and exit-code logic -- but with the
three AWS service clients the command creates (S3, CloudTrail, Organizations)
replaced by in-process fakes that read a local directory.

Why
---
TrailWarden's Swift tests use it as a reference oracle for golden and
differential tests: generate a world on disk, run both TrailWarden and this
script, and compare stdout, stderr and the exit code byte for byte -- offline,
with no AWS account, credentials, network or moto.

Nothing in awscli's validation code is modified.  The only patches are:

* ``awscli.customizations.cloudtrail.validation.create_nested_client`` returns
  the fakes below instead of real botocore clients;
* ``CloudTrailValidateLogs.handle_args`` is wrapped only to *observe* the
  ``--trail-arn`` value (the fake ``describe_trails`` echoes it back);
* with ``--now``, ``validation.get_current_datetime`` returns a pinned time
  (it is only used when ``--end-time`` is omitted).

Local store format (TrailWarden's offline-archive format)
---------------------------------------------------------
* Object ``s3://BUCKET/KEY`` is the file ``ROOT/BUCKET/KEY``.
* Its S3 user metadata (lower-case names, without ``x-amz-meta-``) is the JSON
  object in ``ROOT/BUCKET/KEY.metadata.json``; no sidecar = no metadata.
  Files ending in ``.metadata.json`` are never objects.
* A missing file is S3's ``NoSuchKey``; a missing ``ROOT/BUCKET`` directory is
  S3's ``NoSuchBucket`` (raised by GetBucketLocation, which the reference
  calls before touching any bucket).
* ``list_objects`` returns keys in byte order, ``> Marker``, starting with
  ``Prefix``, 1000 per page, through botocore's real paginator.

Usage
-----
    python3 validate_local.py --store ROOT [--public-keys FILE]...
        [--region R] [--trail-bucket B] [--trail-prefix P]
        [--organization-id O] [--now ISO8601]
        -- <aws cloudtrail validate-logs arguments>

``--public-keys FILE`` (repeatable) is the JSON printed by
``aws cloudtrail list-public-keys`` (``{"PublicKeyList": [...]}``; validity
times as epoch seconds or ISO 8601).  The fake ``list_public_keys`` returns
the keys whose validity interval overlaps the requested [StartTime, EndTime]
(inclusive; a missing bound is open-ended).

``--region`` is the CLI's global ``--region``; the reference uses it as the
trail's source region.  When omitted the CLI passes ``None`` and the reference
falls back to the region in the trail ARN.

``--trail-bucket``/``--trail-prefix``/``--organization-id`` define the single
trail returned by the fake ``describe_trails`` (only consulted when
``--s3-bucket`` is not given).  Without ``--trail-bucket`` the trail list is
empty, so the reference reports "A trail could not be found for ARN".
``--organization-id`` marks the trail as an organization trail and is what
``describe_organization`` returns.

``--now`` pins "now" for runs without ``--end-time``.

stdout, stderr and the exit status are those of ``aws cloudtrail
validate-logs``: 0 all valid, 1 something invalid, 255 for an exception
escaping the command (printed by the CLI driver as "\\n<message>\\n" on
stderr), 2 for argument-parsing errors.  Problems with the harness's own
inputs (bad public-key file, unreadable sidecar) exit with 3 and a message
prefixed "validate_local.py:".

Standard library + the installed awscli/botocore (and their dependencies
jmespath/dateutil) only.
"""

import argparse
import bisect
import datetime
import io
import json
import os
import sys

# The CLI must not see the caller's AWS configuration: no profiles, config
# files, credentials, plugins, history or region from the environment.
for _name in list(os.environ):
    if _name.startswith('AWS_'):
        del os.environ[_name]
os.environ['AWS_CONFIG_FILE'] = os.devnull
os.environ['AWS_SHARED_CREDENTIALS_FILE'] = os.devnull
os.environ['AWS_EC2_METADATA_DISABLED'] = 'true'
# Same tweak as the `aws` entry-point script.
if os.environ.get('LC_CTYPE', '') == 'UTF-8':
    os.environ['LC_CTYPE'] = 'en_US.UTF-8'

import awscli.clidriver  # noqa: E402
import botocore.session  # noqa: E402
from awscli.customizations.cloudtrail import validation  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402
from botocore.paginate import Paginator  # noqa: E402
from dateutil import parser as date_parser  # noqa: E402
from dateutil import tz  # noqa: E402

METADATA_SUFFIX = '.metadata.json'
PROG = 'validate_local.py'


class HarnessError(BaseException):
    """A problem with the harness's inputs, not with the data validated.

    Derives from BaseException so that neither the reference's broad
    ``except Exception`` handlers nor the CLI driver can swallow it.
    """


def _client_error(code, message, operation, status, **extra):
    error = {'Code': code, 'Message': message}
    error.update(extra)
    return ClientError(
        {
            'Error': error,
            'ResponseMetadata': {'HTTPStatusCode': status},
        },
        operation,
    )


def _parse_time(value):
    """Epoch seconds (number or numeric string) or ISO 8601 -> aware UTC."""
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return datetime.datetime.fromtimestamp(value, tz.tzutc())
    if isinstance(value, str):
        try:
            return datetime.datetime.fromtimestamp(float(value), tz.tzutc())
        except ValueError:
            pass
        parsed = date_parser.parse(value)
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=tz.tzutc())
        return parsed
    raise ValueError(f'unsupported time value {value!r}')


def _as_utc(value):
    if value.tzinfo is None:
        return value.replace(tzinfo=tz.tzutc())
    return value


# --------------------------------------------------------------------------
# Fake S3
# --------------------------------------------------------------------------


class LocalS3Client:
    """The subset of the botocore S3 client used by validate-logs."""

    def __init__(self, root, region_name):
        self._root = root
        self.region_name = region_name
        self._listing_cache = {}
        session = botocore.session.get_session()
        self._paginator_config = session.get_paginator_model(
            's3'
        ).get_paginator('ListObjects')
        self._list_objects_model = session.get_service_model(
            's3'
        ).operation_model('ListObjects')

    # -- helpers ----------------------------------------------------------

    def _bucket_dir(self, bucket, operation):
        path = os.path.join(self._root, bucket)
        if not bucket or '/' in bucket or bucket in ('.', '..') or (
            not os.path.isdir(path)
        ):
            raise _client_error(
                'NoSuchBucket',
                'The specified bucket does not exist',
                operation,
                404,
                BucketName=bucket,
            )
        return path

    def _object_path(self, bucket_dir, key):
        parts = key.split('/')
        if (
            key.endswith(METADATA_SUFFIX)
            or any(part in ('', '.', '..') for part in parts)
        ):
            return None
        path = os.path.join(bucket_dir, *parts)
        return path if os.path.isfile(path) else None

    def _sorted_keys(self, bucket, bucket_dir):
        if bucket not in self._listing_cache:
            keys = []
            for dirpath, dirnames, filenames in os.walk(bucket_dir):
                rel = os.path.relpath(dirpath, bucket_dir)
                base = '' if rel == '.' else rel.replace(os.sep, '/') + '/'
                for name in filenames:
                    if not name.endswith(METADATA_SUFFIX):
                        keys.append(base + name)
            # Code-point order of str == byte order of UTF-8 (S3's order).
            keys.sort()
            self._listing_cache[bucket] = keys
        return self._listing_cache[bucket]

    # -- API --------------------------------------------------------------

    def get_bucket_location(self, Bucket):
        self._bucket_dir(Bucket, 'GetBucketLocation')
        return {'LocationConstraint': None}

    def list_objects(self, Bucket, Prefix='', Marker='', MaxKeys=1000,
                     **_ignored):
        bucket_dir = self._bucket_dir(Bucket, 'ListObjects')
        keys = self._sorted_keys(Bucket, bucket_dir)
        start = bisect.bisect_right(keys, Marker) if Marker else 0
        page = []
        truncated = False
        for key in keys[start:]:
            if Prefix and not key.startswith(Prefix):
                if key > Prefix:
                    break  # sorted: no later key can carry the prefix
                continue
            if len(page) == MaxKeys:
                truncated = True
                break
            page.append(key)
        response = {
            'IsTruncated': truncated,
            'Marker': Marker,
            'Name': Bucket,
            'Prefix': Prefix,
            'MaxKeys': MaxKeys,
        }
        if page:
            response['Contents'] = [
                {
                    'Key': key,
                    'Size': os.path.getsize(
                        os.path.join(bucket_dir, *key.split('/'))
                    ),
                    'StorageClass': 'STANDARD',
                }
                for key in page
            ]
        return response

    def get_paginator(self, operation_name):
        if operation_name != 'list_objects':
            raise NotImplementedError(
                f'{PROG}: fake S3 cannot paginate {operation_name}'
            )
        return Paginator(
            self.list_objects, self._paginator_config,
            self._list_objects_model,
        )

    def get_object(self, Bucket, Key, **_ignored):
        bucket_dir = self._bucket_dir(Bucket, 'GetObject')
        path = self._object_path(bucket_dir, Key)
        if path is None:
            raise _client_error(
                'NoSuchKey',
                'The specified key does not exist.',
                'GetObject',
                404,
                Key=Key,
            )
        with open(path, 'rb') as f:
            body = f.read()
        metadata = {}
        sidecar = path + METADATA_SUFFIX
        if os.path.isfile(sidecar):
            try:
                with open(sidecar, 'rb') as f:
                    loaded = json.loads(f.read().decode('utf-8'))
            except (OSError, ValueError) as e:
                raise HarnessError(f'unreadable metadata sidecar {sidecar}: {e}')
            if not isinstance(loaded, dict):
                raise HarnessError(
                    f'metadata sidecar {sidecar} is not a JSON object'
                )
            metadata = {str(k): str(v) for k, v in loaded.items()}
        return {
            'Body': io.BytesIO(body),
            'ContentLength': len(body),
            'Metadata': metadata,
        }


# --------------------------------------------------------------------------
# Fake CloudTrail / Organizations
# --------------------------------------------------------------------------


class LocalCloudTrailClient:
    def __init__(self, world, region_name):
        self._world = world
        self.region_name = region_name

    def list_public_keys(self, StartTime=None, EndTime=None, **_ignored):
        start = _as_utc(StartTime) if StartTime is not None else None
        end = _as_utc(EndTime) if EndTime is not None else None
        selected = []
        for key in self._world.public_keys:
            key_start = key.get('ValidityStartTime')
            key_end = key.get('ValidityEndTime')
            if end is not None and key_start is not None and key_start > end:
                continue
            if start is not None and key_end is not None and key_end < start:
                continue
            selected.append(dict(key))
        return {'PublicKeyList': selected}

    def describe_trails(self, **_ignored):
        world = self._world
        if world.trail_bucket is None:
            return {'trailList': []}
        trail = {
            'Name': (world.trail_arn or '').split('/')[-1],
            'TrailARN': world.trail_arn,
            'S3BucketName': world.trail_bucket,
            'LogFileValidationEnabled': True,
            'IsOrganizationTrail': world.organization_id is not None,
        }
        if world.trail_prefix is not None:
            trail['S3KeyPrefix'] = world.trail_prefix
        return {'trailList': [trail]}


class LocalOrganizationsClient:
    def __init__(self, world, region_name):
        self._world = world
        self.region_name = region_name

    def describe_organization(self, **_ignored):
        if self._world.organization_id is None:
            raise _client_error(
                'AWSOrganizationsNotInUseException',
                'Your account is not a member of an organization.',
                'DescribeOrganization',
                400,
            )
        return {'Organization': {'Id': self._world.organization_id}}


class World:
    """Everything the fakes know, plus the client factory to inject."""

    def __init__(self, store, public_keys, trail_bucket, trail_prefix,
                 organization_id):
        self.store = store
        self.public_keys = public_keys
        self.trail_bucket = trail_bucket
        self.trail_prefix = trail_prefix
        self.organization_id = organization_id
        self.trail_arn = None  # filled in from the command's parsed args

    def create_client(self, session, service_name, region_name=None,
                      **_ignored):
        if service_name == 's3':
            return LocalS3Client(self.store, region_name)
        if service_name == 'cloudtrail':
            return LocalCloudTrailClient(self, region_name)
        if service_name == 'organizations':
            return LocalOrganizationsClient(self, region_name)
        raise HarnessError(f'unexpected client requested: {service_name}')


def load_public_keys(paths):
    keys = []
    for path in paths:
        try:
            with open(path, 'rb') as f:
                data = json.loads(f.read().decode('utf-8'))
            entries = data['PublicKeyList']
            for entry in entries:
                if 'Value' not in entry or 'Fingerprint' not in entry:
                    raise ValueError('entry without Value/Fingerprint')
                key = dict(entry)
                for field in ('ValidityStartTime', 'ValidityEndTime'):
                    if key.get(field) is not None:
                        key[field] = _parse_time(key[field])
                    else:
                        key.pop(field, None)
                keys.append(key)
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise HarnessError(f'bad public key file {path}: {e!r}')
    return keys


class _HarnessArgumentParser(argparse.ArgumentParser):
    """argparse, but harness usage errors exit 3 (the CLI itself uses 2)."""

    def error(self, message):
        self.print_usage(sys.stderr)
        self.exit(3, f'{PROG}: error: {message}\n')


def parse_args(argv):
    if '--' in argv:
        split = argv.index('--')
        own, passthrough = argv[:split], argv[split + 1:]
    else:
        own, passthrough = argv, []
    parser = _HarnessArgumentParser(
        prog=PROG,
        usage=f'{PROG} --store ROOT [--public-keys FILE]... [--region R] '
              '[--trail-bucket B] [--trail-prefix P] [--organization-id O] '
              '[--now ISO8601] -- <validate-logs arguments>',
        description='Run awscli\'s cloudtrail validate-logs against a '
                    'local store.',
        allow_abbrev=False,
    )
    parser.add_argument('--store', required=True)
    parser.add_argument('--public-keys', action='append', default=[])
    parser.add_argument('--region')
    parser.add_argument('--trail-bucket')
    parser.add_argument('--trail-prefix')
    parser.add_argument('--organization-id')
    parser.add_argument('--now')
    args = parser.parse_args(own)
    if not os.path.isdir(args.store):
        parser.error(f'--store {args.store} is not a directory')
    return args, passthrough


def run(argv):
    args, passthrough = parse_args(argv)
    world = World(
        store=args.store,
        public_keys=load_public_keys(args.public_keys),
        trail_bucket=args.trail_bucket,
        trail_prefix=args.trail_prefix,
        organization_id=args.organization_id,
    )

    validation.create_nested_client = world.create_client

    original_handle_args = validation.CloudTrailValidateLogs.handle_args

    def handle_args(self, parsed):
        world.trail_arn = parsed.trail_arn
        return original_handle_args(self, parsed)

    validation.CloudTrailValidateLogs.handle_args = handle_args

    if args.now is not None:
        try:
            pinned = _parse_time(args.now).astimezone(tz.tzutc())
        except (ValueError, OverflowError) as e:
            raise HarnessError(f'bad --now value {args.now!r}: {e}')

        def get_current_datetime(remove_tzinfo=True):
            return pinned.replace(tzinfo=None) if remove_tzinfo else pinned

        validation.get_current_datetime = get_current_datetime

    cli_args = []
    if args.region is not None:
        cli_args += ['--region', args.region]
    cli_args += ['cloudtrail', 'validate-logs'] + passthrough
    # argparse derives the program name in usage errors from argv[0].
    sys.argv[0] = 'aws'
    driver = awscli.clidriver.create_clidriver()
    return driver.main(cli_args)


def main():
    try:
        rc = run(sys.argv[1:])
    except HarnessError as e:
        sys.stdout.flush()
        sys.stderr.write(f'{PROG}: {e}\n')
        rc = 3
    sys.stdout.flush()
    sys.stderr.flush()
    return rc


if __name__ == '__main__':
    sys.exit(main())
