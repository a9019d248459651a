#!/usr/bin/env python3
"""A fault-injecting HTTP proxy for the S3 retry tests.

usage: fault_proxy.py PORT UPSTREAM_URL [--verify ACCESS_KEY:SECRET]

Forwards every request to UPSTREAM_URL unchanged (Host header included, so SigV4 still
matches) unless a fault rule matches it first.

With --verify the proxy is also a strict SigV4 checker (neither moto nor s3rver 3.7.1 check
signatures for every key): it recomputes each request's signature with botocore's
S3SigV4Auth the way S3 does - from the *decoded* path and query, re-encoded canonically -
and answers 403 InvalidAccessKeyId / SignatureDoesNotMatch / XAmzContentSHA256Mismatch
(or AccessDenied when unsigned) instead of forwarding. So a client that signs one form of
a key and sends another, or encodes a byte differently from S3, is caught.

Control endpoints (not forwarded):
  POST /__faults   JSON {"rules": [RULE...]} replaces the rules; each RULE has
                   "method" (or "*"), optional "path_contains", optional "header" (the
                   request must carry that header) with optional "header_value" (and have
                   exactly that value), "count" (how many matching requests it hits) and
                   "action":
                     "status"   answer "status" (default 500) with an S3 <Error> "code"
                     "drop"     close the connection without answering
                     "truncate" forward, then send the headers and only half the body
                     "reset"    forward, then send the headers and half the body, then reset
                                the connection (TCP RST, not a clean close)
                     "reset_upload"  read half of the request body, then reset the connection
                                (nothing is forwarded)
                     "stall_body"    forward, send the headers and half the body, then stall
                                for "seconds" and close (the client's stall timeout must fire)
                     "short_length"  forward, but declare a Content-Length "bytes" (default 7)
                                below the body's and send the whole body: a client that trusts
                                the header sees a shorter object and no error
                     "long_length"   forward, but declare a Content-Length "bytes" (default 7)
                                above the body's, send the body and close
                     "error_200"     answer 200 with an S3 <Error> "code" (default
                                InternalError) after "padding" spaces (as S3 does for
                                CopyObject and CompleteMultipartUpload that fail once
                                started); nothing is forwarded, so the operation did not happen
                     "lose_answer"   forward (the operation happens), then close the
                                connection without answering
                     "delay"    sleep "seconds" before answering (stalls the client)
  GET  /__stats    JSON {"requests": [[method, path, fault-or-null], ...]} since the last reset
  POST /__reset    clear rules and stats
"""
import hashlib
import http.client
import json
import socket
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote, unquote, unquote_to_bytes, urlparse

UPSTREAM = urlparse(sys.argv[2])
VERIFY = None  # (access key, secret) with --verify
if len(sys.argv) > 4 and sys.argv[3] == "--verify":
    VERIFY = tuple(sys.argv[4].split(":", 1))
LOCK = threading.Lock()
RULES = []
STATS = []


def between(text, first, second):
    return text.partition(first)[2].partition(second)[0]


def canonical_path_and_query(raw):
    """The canonical URI and query of a request target, computed as S3 does: decode, then
    encode every byte except A-Z a-z 0-9 - . _ ~ (and '/' in the path)."""
    path, _, query = raw.partition("?")
    cpath = quote(unquote_to_bytes(path), safe="/~")
    pairs = []
    for pair in query.split("&") if query else []:
        k, _, v = pair.partition("=")
        pairs.append((quote(unquote(k), safe="-_.~"), quote(unquote(v), safe="-_.~")))
    cquery = "&".join(f"{k}={v}" for k, v in sorted(pairs))
    return cpath + ("?" + cquery if cquery else "")


def signature_error(method, raw_path, headers, body):
    """None when the request is signed correctly for VERIFY, else (S3 error code, message)."""
    from botocore.auth import S3SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    auth = headers.get("Authorization", "")
    if not auth.startswith("AWS4-HMAC-SHA256 "):
        return "AccessDenied", "request is not signed with AWS4-HMAC-SHA256"
    scope = between(auth, "Credential=", ",").split("/")
    if scope[0] != VERIFY[0]:
        return "InvalidAccessKeyId", "unknown access key"
    declared = headers.get("x-amz-content-sha256")
    if declared is None:
        return "InvalidRequest", "missing x-amz-content-sha256"
    if declared != "UNSIGNED-PAYLOAD" and declared != hashlib.sha256(body).hexdigest():
        return "XAmzContentSHA256Mismatch", "x-amz-content-sha256 does not match the body"
    signed = between(auth, "SignedHeaders=", ",").split(";")
    if "host" not in signed:
        return "AccessDenied", "host is not signed"
    request = AWSRequest(method=method, url=canonical_path_and_query(raw_path), data=body,
                         headers={k: v for k, v in headers.items() if k.lower() in signed})
    request.context["timestamp"] = headers.get("X-Amz-Date", "")
    signer = S3SigV4Auth(Credentials(VERIFY[0], VERIFY[1]), scope[3], scope[2])
    canonical = signer.canonical_request(request)
    expected = signer.signature(signer.string_to_sign(request, canonical), request)
    if between(auth, "Signature=", ",") != expected:
        sys.stderr.write("proxy: signature mismatch; canonical request was:\n" + canonical + "\n")
        return "SignatureDoesNotMatch", "the request signature does not match"
    return None


def take_rule(method, path, headers):
    with LOCK:
        for rule in RULES:
            if rule.get("count", 1) <= 0:
                continue
            if rule.get("method", "*") not in ("*", method):
                continue
            if rule.get("path_contains", "") not in path:
                continue
            if "header" in rule and headers.get(rule["header"]) is None:
                continue
            if "header_value" in rule and headers.get(rule["header"]) != rule["header_value"]:
                continue
            rule["count"] = rule.get("count", 1) - 1
            return rule
    return None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        sys.stderr.write("proxy: " + (fmt % args) + "\n")

    def _body(self, limit=None):
        n = int(self.headers.get("Content-Length") or 0)
        if limit is not None:
            n = min(n, limit)
        return self.rfile.read(n) if n else b""

    def _reset(self):
        """Ends the connection with a TCP RST (SO_LINGER 0), as a crashed peer or a middlebox
        does, instead of a clean FIN."""
        self.wfile.flush()
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        self.connection.close()

    def _reply(self, status, body, content_type="application/json"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status, code, message):
        xml = (f"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code>"
               f"<Message>{message}</Message></Error>").encode()
        return self._reply(status, xml, "application/xml")

    def _control(self, body):
        global RULES, STATS
        if self.path == "/__faults":
            with LOCK:
                RULES = json.loads(body)["rules"]
            return self._reply(200, b"{}")
        if self.path == "/__stats":
            with LOCK:
                return self._reply(200, json.dumps({"requests": STATS}).encode())
        if self.path == "/__reset":
            with LOCK:
                RULES, STATS = [], []
            return self._reply(200, b"{}")
        return self._reply(404, b"{}")

    def _handle(self):
        if self.path.startswith("/__"):
            return self._control(self._body())
        rule = take_rule(self.command, self.path, self.headers)
        action = rule["action"] if rule else None
        with LOCK:
            STATS.append([self.command, self.path, action])
        if action == "reset_upload":
            self._body(int(self.headers.get("Content-Length") or 0) // 2)
            return self._reset()
        body = self._body()
        if action == "error_200":
            xml = (" " * rule.get("padding", 0) + "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                   f"<Error><Code>{rule.get('code', 'InternalError')}</Code>"
                   "<Message>injected by fault_proxy</Message></Error>").encode()
            return self._reply(200, xml, "application/xml")
        if action == "status":
            return self._error(rule.get("status", 500), rule.get("code", "InternalError"),
                               "injected by fault_proxy")
        if VERIFY:
            failure = signature_error(self.command, self.path, self.headers, body)
            if failure:
                return self._error(403, *failure)
        if action == "drop":
            self.close_connection = True
            self.connection.shutdown(2)
            return
        if action == "delay":
            time.sleep(rule.get("seconds", 5))
        status, headers, payload = self._forward(body)
        if action == "lose_answer":
            self.close_connection = True
            self.connection.shutdown(2)
            return
        self.send_response(status)
        for name, value in headers:
            if name.lower() not in ("connection", "transfer-encoding", "content-length",
                                    "date", "server"):
                self.send_header(name, value)
        length = len(payload)
        if self.command == "HEAD":
            length = int(dict((k.lower(), v) for k, v in headers).get("content-length", 0))
        if action == "short_length":
            length = max(0, length - rule.get("bytes", 7))
        if action == "long_length":
            length += rule.get("bytes", 7)
        self.send_header("Content-Length", str(length))
        self.end_headers()
        if self.command == "HEAD":
            return
        if action in ("truncate", "reset", "stall_body"):
            self.wfile.write(payload[: len(payload) // 2])
            self.wfile.flush()
            if action == "reset":
                return self._reset()
            if action == "stall_body":
                time.sleep(rule.get("seconds", 5))
            self.close_connection = True
            self.connection.shutdown(2)
            return
        self.wfile.write(payload)
        if action in ("short_length", "long_length"):
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(2)

    def _forward(self, body):
        conn = http.client.HTTPConnection(UPSTREAM.hostname, UPSTREAM.port, timeout=30)
        try:
            conn.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
            for name, value in self.headers.items():
                if name.lower() not in ("connection", "content-length"):
                    conn.putheader(name, value)
            conn.putheader("Content-Length", str(len(body)))
            conn.endheaders(body)
            res = conn.getresponse()
            return res.status, res.getheaders(), res.read()
        finally:
            conn.close()

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _handle


if __name__ == "__main__":
    server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
    server.daemon_threads = True
    server.serve_forever()
