#!/usr/bin/env python3
"""Arranges and inspects state in the moto emulator for TrailWarden's tests.

The product never needs these calls (creating organizations, trails, queues,
reading metrics back), so they are made here with boto3 rather than added to
TrailWarden's AWS layer. Every command prints one JSON document.

    moto_admin.py ENDPOINT assume-role ACCOUNT [ROLE]     -> credentials
    moto_admin.py ENDPOINT create-organization            -> {"Id":..., "Accounts":[...]}
    moto_admin.py ENDPOINT create-account NAME            -> {"Id":...}
    moto_admin.py ENDPOINT create-accounts STEM N         -> {"Ids":[...]}: N accounts named STEM-1..STEM-N
    moto_admin.py ENDPOINT close-account ID               -> {}: the account becomes SUSPENDED
    moto_admin.py ENDPOINT register-delegated-administrator ACCOUNT [SERVICE] -> {}: for SERVICE
                                                             (default cloudtrail.amazonaws.com), as the management account
    moto_admin.py ENDPOINT enable-region REGION           -> {}: the Account API's EnableRegion (DisableRegion with
    moto_admin.py ENDPOINT disable-region REGION             disable-region), for the credentials' account
    moto_admin.py ENDPOINT refuse-account-api ACCOUNT true|false -> {}: the account's Account API calls answer
                                                             AccessDeniedException (moto_server.py), or no longer
    moto_admin.py ENDPOINT create-bucket BUCKET [REGION]  -> {}
    moto_admin.py ENDPOINT create-trail NAME BUCKET PREFIX REGION ORG(true|false) [MULTI(true|false)] -> the trail
    moto_admin.py ENDPOINT stop-logging NAME REGION       -> {}
    moto_admin.py ENDPOINT subscribed-queue TOPIC_NAME REGION -> {"TopicArn":..., "QueueUrl":...}
    moto_admin.py ENDPOINT receive QUEUE_URL REGION       -> [messages]: every message waiting
    moto_admin.py ENDPOINT metrics NAMESPACE REGION       -> [{"MetricName", "Dimensions", "Values", "Timestamps"}]
    moto_admin.py ENDPOINT securityhub-findings REGION    -> [findings]: GetFindings, every page, as imported
    moto_admin.py ENDPOINT event-queue BUS REGION         -> {"QueueUrl":...}: a rule on BUS (created unless "default")
                                                             sending every event of source "trailwarden" to a new queue

Credentials come from the environment (AWS_ACCESS_KEY_ID, ...), so a test
can act as any account by assuming a role first.

`metrics` reads moto_server.py's /_trailwarden/metric-data rather than
GetMetricData, which in moto matches metrics across namespaces and, for a
metric without dimensions, sums in the values of every dimension: it lists
each distinct name and dimension set once, with its values in the order sent.
"""
import json
import sys
import urllib.parse
import urllib.request

import boto3


def client(endpoint, service, region="us-east-1"):
    return boto3.client(service, endpoint_url=endpoint, region_name=region)


def main(argv):
    endpoint, command, args = argv[1], argv[2], argv[3:]
    if command == "assume-role":
        role = args[1] if len(args) > 1 else "TrailWardenAudit"
        answer = client(endpoint, "sts").assume_role(RoleArn=f"arn:aws:iam::{args[0]}:role/{role}", RoleSessionName="tests")
        credentials = answer["Credentials"]
        result = {key: credentials[key] for key in ("AccessKeyId", "SecretAccessKey", "SessionToken")}
    elif command == "create-organization":
        organizations = client(endpoint, "organizations")
        try:
            organization = organizations.create_organization(FeatureSet="ALL")["Organization"]
        except organizations.exceptions.AlreadyInOrganizationException:
            organization = organizations.describe_organization()["Organization"]
        result = {"Id": organization["Id"], "MasterAccountId": organization["MasterAccountId"]}
    elif command == "create-account":
        status = client(endpoint, "organizations").create_account(AccountName=args[0], Email=f"{args[0]}@example.com")
        result = {"Id": status["CreateAccountStatus"]["AccountId"]}
    elif command == "create-accounts":
        organizations = client(endpoint, "organizations")
        result = {"Ids": [organizations.create_account(AccountName=f"{args[0]}-{n}", Email=f"{args[0]}-{n}@example.com")
                          ["CreateAccountStatus"]["AccountId"] for n in range(1, int(args[1]) + 1)]}
    elif command == "close-account":
        client(endpoint, "organizations").close_account(AccountId=args[0])
        result = {}
    elif command == "register-delegated-administrator":
        service = args[1] if len(args) > 1 else "cloudtrail.amazonaws.com"
        client(endpoint, "organizations").register_delegated_administrator(AccountId=args[0], ServicePrincipal=service)
        result = {}
    elif command in ("enable-region", "disable-region"):
        account = client(endpoint, "account")
        (account.enable_region if command == "enable-region" else account.disable_region)(RegionName=args[0])
        result = {}
    elif command == "refuse-account-api":
        query = urllib.parse.urlencode({"account": args[0], "refuse": args[1]})
        urllib.request.urlopen(urllib.request.Request(f"{endpoint}/_trailwarden/account-api?{query}", method="POST")).read()
        result = {}
    elif command == "create-bucket":
        region = args[1] if len(args) > 1 else "us-east-1"
        s3 = client(endpoint, "s3", region)
        settings = {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
        try:
            s3.create_bucket(Bucket=args[0], **settings)
        except s3.exceptions.BucketAlreadyOwnedByYou:
            pass
        result = {}
    elif command == "create-trail":
        name, bucket, prefix, region, organization = args[:5]
        multi_region = (args[5] if len(args) > 5 else "true") == "true"
        trail = client(endpoint, "cloudtrail", region).create_trail(
            Name=name, S3BucketName=bucket, S3KeyPrefix=prefix, IsMultiRegionTrail=multi_region,
            IsOrganizationTrail=organization == "true", EnableLogFileValidation=True)
        trail.pop("ResponseMetadata", None)
        client(endpoint, "cloudtrail", region).start_logging(Name=name)
        result = trail
    elif command == "stop-logging":
        client(endpoint, "cloudtrail", args[1]).stop_logging(Name=args[0])
        result = {}
    elif command == "subscribed-queue":
        topic_name, region = args
        sns, sqs = client(endpoint, "sns", region), client(endpoint, "sqs", region)
        topic = sns.create_topic(Name=topic_name)["TopicArn"]
        queue = sqs.create_queue(QueueName=topic_name + "-queue")["QueueUrl"]
        queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)
        result = {"TopicArn": topic, "QueueUrl": queue}
    elif command == "receive":
        sqs = client(endpoint, "sqs", args[1])
        result = []
        while True:
            answer = sqs.receive_message(QueueUrl=args[0], MaxNumberOfMessages=10, WaitTimeSeconds=1)
            messages = answer.get("Messages", [])
            if not messages:
                break
            for message in messages:
                result.append(json.loads(message["Body"]))
                sqs.delete_message(QueueUrl=args[0], ReceiptHandle=message["ReceiptHandle"])
    elif command == "metrics":
        namespace, region = args
        query = urllib.parse.urlencode({"namespace": namespace, "region": region})
        with urllib.request.urlopen(f"{endpoint}/_trailwarden/metric-data?{query}") as answer:
            values = json.load(answer)
        metrics = {}
        for value in values:
            dimensions = sorted(value["Dimensions"], key=lambda d: d["Name"])
            metric = metrics.setdefault((value["MetricName"], json.dumps(dimensions)), {
                "MetricName": value["MetricName"], "Dimensions": dimensions, "Values": [], "Timestamps": []})
            metric["Values"].append(value["Value"])
            metric["Timestamps"].append(value["Timestamp"])
        result = list(metrics.values())
    elif command == "securityhub-findings":
        securityhub = client(endpoint, "securityhub", args[0])
        result, token = [], None
        while True:
            page = securityhub.get_findings(**({"NextToken": token} if token else {}))
            result += page["Findings"]
            token = page.get("NextToken")
            if not token:
                break
    elif command == "event-queue":
        bus, region = args
        events, sqs = client(endpoint, "events", region), client(endpoint, "sqs", region)
        if bus != "default":
            events.create_event_bus(Name=bus)
        name = f"trailwarden-{bus}"
        queue = sqs.create_queue(QueueName=name + "-queue")["QueueUrl"]
        queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        events.put_rule(Name=name, EventBusName=bus, EventPattern=json.dumps({"source": ["trailwarden"]}))
        events.put_targets(Rule=name, EventBusName=bus, Targets=[{"Id": "queue", "Arn": queue_arn}])
        result = {"QueueUrl": queue}
    else:
        raise SystemExit(f"moto_admin.py: unknown command {command}")
    print(json.dumps(result, default=str))


if __name__ == "__main__":
    main(sys.argv)
