#!/usr/bin/env python3
"""Creates an IAM user with an access key allowed s3:* on a moto_server started with
INITIAL_NO_AUTH_ACTION_COUNT=3, so that moto verifies SigV4 signatures (and IAM policies)
of every later request. Makes exactly three requests; prints "ACCESS_KEY_ID SECRET".

usage: moto_iam_user.py ENDPOINT USER
"""
import json
import sys

import boto3

endpoint, user = sys.argv[1], sys.argv[2]
iam = boto3.client("iam", endpoint_url=endpoint, region_name="us-east-1",
                   aws_access_key_id="bootstrap", aws_secret_access_key="bootstrap")
iam.create_user(UserName=user)
key = iam.create_access_key(UserName=user)["AccessKey"]
policy = {"Version": "2012-10-17",
          "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
iam.put_user_policy(UserName=user, PolicyName="s3-all", PolicyDocument=json.dumps(policy))
print(key["AccessKeyId"], key["SecretAccessKey"])
