#!/usr/bin/env python3
"""A fault-injecting HTTP proxy for the S3 retry tests.

usage: fault_proxy.py PORT UPSTREAM_URL

Forwards every request to UPSTREAM_URL unchanged (Host header included, so SigV4 still
matches) unless a fault rule matches it first. Control endpoints (not forwarded):
  POST /__faults   JSON {"rules": [RULE...]} replaces the rules; each RULE has
                   "method" (or "*"), optional "path_contains", "count" (how many matching
                   requests it hits) and "action":
                     "status"   answer "status" (default 500) with an S3 <Error> "code"
                     "drop"     close the connection without answering
                     "truncate" forward, then send the headers and only half the body
                     "delay"    sleep "seconds" before answering (stalls the client)
  GET  /__stats    JSON {"requests": [[method, path, fault-or-null], ...]} since the last reset
  POST /__reset    clear rules and stats
"""
import http.client
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

UPSTREAM = urlparse(sys.argv[2])
LOCK = threading.Lock()
RULES = []
STATS = []


def take_rule(method, path):
    with LOCK:
        for rule in RULES:
            if rule.get("count", 1) <= 0:
                continue
            if rule.get("method", "*") not in ("*", method):
                continue
            if rule.get("path_contains", "") not in path:
                continue
            rule["count"] = rule.get("count", 1) - 1
            return rule
    return None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        sys.stderr.write("proxy: " + (fmt % args) + "\n")

    def _body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def _reply(self, status, body, content_type="application/json"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

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
        body = self._body()
        if self.path.startswith("/__"):
            return self._control(body)
        rule = take_rule(self.command, self.path)
        action = rule["action"] if rule else None
        with LOCK:
            STATS.append([self.command, self.path, action])
        if action == "status":
            code = rule.get("code", "InternalError")
            xml = (f"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code>"
                   f"<Message>injected by fault_proxy</Message></Error>").encode()
            return self._reply(rule.get("status", 500), xml, "application/xml")
        if action == "drop":
            self.close_connection = True
            self.connection.shutdown(2)
            return
        if action == "delay":
            time.sleep(rule.get("seconds", 5))
        status, headers, payload = self._forward(body)
        self.send_response(status)
        for name, value in headers:
            if name.lower() not in ("connection", "transfer-encoding", "content-length",
                                    "date", "server"):
                self.send_header(name, value)
        length = len(payload)
        if self.command == "HEAD":
            length = int(dict((k.lower(), v) for k, v in headers).get("content-length", 0))
        self.send_header("Content-Length", str(length))
        self.end_headers()
        if self.command == "HEAD":
            return
        if action == "truncate":
            self.wfile.write(payload[: len(payload) // 2])
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(2)
            return
        self.wfile.write(payload)

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
