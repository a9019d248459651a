#!/usr/bin/env python3
"""boto3 as an independent S3 client for the tests.

usage: s3_check.py ENDPOINT COMMAND ARGS...
  create-bucket BUCKET          create (ignore "already exists")
  sha256 BUCKET KEY             print "<hex sha256> <size>" of the object
  put BUCKET KEY TEXT           upload TEXT
  put-many BUCKET PREFIX N      upload N small objects PREFIX00000.. (body = key), in parallel
  uploads BUCKET                print the number of unfinished multipart uploads
  sse BUCKET KEY                print the object's server-side encryption (HEAD), or "none"
"""
import hashlib
import sys
from concurrent.futures import ThreadPoolExecutor

import boto3
from botocore.config import Config


def main():
    endpoint, command, args = sys.argv[1], sys.argv[2], sys.argv[3:]
    s3 = boto3.client("s3", endpoint_url=endpoint,
                      config=Config(s3={"addressing_style": "path"}, max_pool_connections=16))
    if command == "create-bucket":
        try:
            s3.create_bucket(Bucket=args[0])
        except (s3.exceptions.BucketAlreadyOwnedByYou, s3.exceptions.BucketAlreadyExists):
            pass
    elif command == "sha256":
        body = s3.get_object(Bucket=args[0], Key=args[1])["Body"].read()
        print(hashlib.sha256(body).hexdigest(), len(body))
    elif command == "put":
        s3.put_object(Bucket=args[0], Key=args[1], Body=args[2].encode())
    elif command == "put-many":
        bucket, prefix, n = args[0], args[1], int(args[2])
        keys = [f"{prefix}{i:05d}" for i in range(n)]
        with ThreadPoolExecutor(16) as pool:
            list(pool.map(lambda k: s3.put_object(Bucket=bucket, Key=k, Body=k.encode()), keys))
    elif command == "sse":
        print(s3.head_object(Bucket=args[0], Key=args[1]).get("ServerSideEncryption", "none"))
    elif command == "uploads":
        print(len(s3.list_multipart_uploads(Bucket=args[0]).get("Uploads", [])))
    else:
        sys.exit(f"unknown command {command}")


if __name__ == "__main__":
    main()
