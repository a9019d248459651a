#!/usr/bin/env python3
"""A minimal EC2 instance metadata service (IMDSv2 only) for the credentials tests.

usage: fake_imds.py PORT ROLE ACCESS_KEY SECRET_KEY SESSION_TOKEN

PUT /latest/api/token needs X-aws-ec2-metadata-token-ttl-seconds and returns a token;
every GET needs that token in X-aws-ec2-metadata-token (else 401, like IMDSv2 enforced).
"""
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT, ROLE, KEY, SECRET, SESSION = sys.argv[1:6]
TOKEN = "fake-imds-token-42"
BASE = "/latest/meta-data/iam/security-credentials/"


class Handler(BaseHTTPRequestHandler):
    def _reply(self, status, body):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_PUT(self):
        if self.path != "/latest/api/token":
            return self._reply(404, "")
        if not self.headers.get("X-aws-ec2-metadata-token-ttl-seconds"):
            return self._reply(400, "missing ttl header")
        return self._reply(200, TOKEN)

    def do_GET(self):
        if self.headers.get("X-aws-ec2-metadata-token") != TOKEN:
            return self._reply(401, "")
        if self.path == BASE:
            return self._reply(200, ROLE)
        if self.path == BASE + ROLE:
            return self._reply(200, json.dumps({
                "Code": "Success", "Type": "AWS-HMAC", "AccessKeyId": KEY,
                "SecretAccessKey": SECRET, "Token": SESSION,
                "Expiration": "2099-01-01T00:00:00Z", "LastUpdated": "2024-01-01T00:00:00Z"}))
        return self._reply(404, "")


if __name__ == "__main__":
    ThreadingHTTPServer(("127.0.0.1", int(PORT)), Handler).serve_forever()
