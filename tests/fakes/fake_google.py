#!/usr/bin/env python3
"""A fake of the Google APIs gdx talks to, on loopback, for the tests and benchmarks.

usage: fake_google.py --scenario FILE [--port N] [--port-file FILE]

One HTTP/1.1 origin (keep-alive, chunked and gzip on request) plays every Google host: the
OAuth token and authorization endpoints, the Search Console searchAnalytics query and the
Business Profile account, location and performance APIs. Its behaviour comes from a scenario
(JSON; documented in docs/google.md) and can be replaced at run time. Every request is logged
for the tests to read.

Endpoints
  POST /token                                  refresh_token, JWT bearer, authorization_code grants
  GET  /o/oauth2/v2/auth                       consent: 302 to redirect_uri?code=fake-code&state=...
  POST /webmasters/v3/sites/{site}/searchAnalytics/query
  GET  /v1/accounts                             Business Profile accounts (pageSize <= 20, pageToken)
  GET  /v1/accounts/{id}/locations             locations (readMask, pageSize 1..100, pageToken)
  GET  /v1/locations/{id}:getDailyMetricsTimeSeries | :fetchMultiDailyMetricsTimeSeries
  POST /v4/accounts/{id}/locations:reportInsights   always 404 (the retired API)
  GET  /__admin/requests                       {"requests": [...]} since the last reset
  GET  /__admin/gbp_values?location=&start=&end=   the daily values the fake serves
  POST /__admin/reset | /__admin/expire_tokens | /__admin/clock {"now"} | /__admin/scenario
       | /__admin/shutdown

A new API family is one handler each in ROUTES.
Only the standard library is used; JWT signatures are checked with the openssl CLI.
"""
import argparse
import base64
import datetime as dt
import gzip
import hashlib
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

LOCK = threading.Lock()
STATE = {}  # scenario, tokens, log, clock; replaced as a whole by load_scenario

SEARCH_DIMENSIONS = ("date", "query", "country", "device", "page", "searchappearance", "hour")
COUNTRIES = ("can", "usa", "gbr")
DEVICES = ("DESKTOP", "MOBILE", "TABLET")
SEARCH_SCOPES = ("https://www.googleapis.com/auth/webmasters.readonly",
                 "https://www.googleapis.com/auth/webmasters")
IGNORED_QUERY = {"alt", "prettyPrint", "fields", "quotaUser", "key", "$.xgafv"}


class Reply(Exception):
    """Ends a handler with this answer."""

    def __init__(self, status, body, headers=None):
        super().__init__(status)
        self.status, self.body, self.headers = status, body, headers or {}


def parse_time(text):
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def load_scenario(scenario, base_dir):
    STATE.clear()
    STATE.update(scenario=scenario, base_dir=base_dir, tokens={}, issued=0, log=[],
                 fault_seen={}, fault_used={}, codes={}, page_cache={},
                 rotated={}, clock_base=parse_time(scenario.get("now", "2026-05-20T12:00:00-07:00")),
                 clock_start=time.time())


def now():
    return STATE["clock_base"] + (time.time() - STATE["clock_start"])


def today():
    return dt.datetime.fromtimestamp(now(), dt.timezone(dt.timedelta(hours=-7))).date()


def google_error(status, message, status_text, reason=None):
    err = {"code": status, "message": message, "status": status_text}
    if reason:
        err["errors"] = [{"message": message, "domain": "global", "reason": reason}]
    return {"error": err}


# ----------------------------------------------------------------------------- OAuth

def oauth():
    return STATE["scenario"].get("oauth", {})


def token_error(status, error, description):
    raise Reply(status, {"error": error, "error_description": description})


def issue_token(client_id, scopes, refresh_token=None):
    STATE["issued"] += 1
    token = "fake-at-%d" % STATE["issued"]
    ttl = int(oauth().get("access_token_ttl_s", 3600))
    STATE["tokens"][token] = {"scopes": list(scopes), "expires": now() + ttl, "client_id": client_id}
    body = {"access_token": token, "expires_in": ttl - 1, "token_type": "Bearer",
            "scope": " ".join(scopes)}
    if refresh_token is not None:
        body["refresh_token"] = refresh_token
    return body


def check_client(form):
    clients = oauth().get("clients", [])
    cid, secret = form.get("client_id", ""), form.get("client_secret", "")
    if not any(c["client_id"] == cid and c.get("client_secret") == secret for c in clients):
        token_error(401, "invalid_client", "Unauthorized")
    return cid


def grant_refresh(form):
    cid = check_client(form)
    rt = form.get("refresh_token", "")
    rt = STATE["rotated"].get(rt, rt)  # a rotated-away token stays valid in this fake
    entry = next((r for r in oauth().get("refresh_tokens", []) if r["token"] == rt), None)
    if entry is None or entry.get("revoked"):
        token_error(400, "invalid_grant", "Token has been expired or revoked.")
    new_rt = None
    if oauth().get("rotate_refresh_token"):
        new_rt = "%s-r%d" % (entry["token"], STATE["issued"] + 1)
        STATE["rotated"][new_rt] = entry["token"]
    return issue_token(cid, entry.get("scopes", list(SEARCH_SCOPES[:1])), new_rt)


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def verify_rs256(pub_pem_file, signed, signature):
    with tempfile.TemporaryDirectory() as d:
        data, sig = os.path.join(d, "data"), os.path.join(d, "sig")
        with open(data, "wb") as f:
            f.write(signed)
        with open(sig, "wb") as f:
            f.write(signature)
        r = subprocess.run(["openssl", "dgst", "-sha256", "-verify", pub_pem_file, "-signature", sig,
                            data], capture_output=True)
        return r.returncode == 0


def grant_jwt(form, host):
    parts = form.get("assertion", "").split(".")
    if len(parts) != 3:
        token_error(400, "invalid_grant", "Invalid JWT: malformed assertion.")
    try:
        header = json.loads(b64url_decode(parts[0]))
        claims = json.loads(b64url_decode(parts[1]))
        signature = b64url_decode(parts[2])
    except ValueError:
        token_error(400, "invalid_grant", "Invalid JWT: malformed assertion.")
    if header.get("alg") != "RS256":
        token_error(400, "invalid_grant", "Invalid JWT: unsupported algorithm.")
    account = next((a for a in oauth().get("service_accounts", [])
                    if a["client_email"] == claims.get("iss")), None)
    if account is None:
        token_error(400, "invalid_grant", "Invalid grant: account not found")
    pem = os.path.join(STATE["base_dir"], account["public_key_pem_file"])
    if not verify_rs256(pem, (parts[0] + "." + parts[1]).encode(), signature):
        token_error(400, "invalid_grant", "Invalid JWT Signature.")
    if claims.get("aud") not in ("http://%s/token" % host, "https://oauth2.googleapis.com/token"):
        token_error(400, "invalid_grant", "Invalid JWT: wrong audience.")
    iat, exp, t = claims.get("iat", 0), claims.get("exp", 0), now()
    if exp <= t or exp - iat > 3600 or iat > t + 300:
        token_error(400, "invalid_grant", "Invalid JWT: Token must be a short-lived token (60 minutes) "
                    "and in a reasonable timeframe. Check your iat and exp values in the JWT claim.")
    requested = claims.get("scope", "").split()
    allowed = account.get("scopes", requested)
    return issue_token(claims["iss"], [s for s in requested if s in allowed])


def grant_code(form):
    cid = check_client(form)
    code = STATE["codes"].pop(form.get("code", ""), None)
    if code is None and form.get("code") == "fake-code":
        code = {"redirect_uri": form.get("redirect_uri", ""), "scopes": list(SEARCH_SCOPES[:1])}
    if code is None or code["redirect_uri"] != form.get("redirect_uri"):
        token_error(400, "invalid_grant", "Malformed auth code.")
    challenge = code.get("code_challenge")
    if challenge is not None:
        verifier = form.get("code_verifier", "")
        computed = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
        if computed.decode() != challenge:
            token_error(400, "invalid_grant", "Invalid code verifier.")
    rt = oauth().get("authorization_refresh_token", "rt-from-code")
    return issue_token(cid, code["scopes"], rt)


def handle_token(req, match):
    if not req.headers.get("Content-Type", "").startswith("application/x-www-form-urlencoded"):
        token_error(400, "invalid_request", "Content-Type must be application/x-www-form-urlencoded")
    form = {k: v[0] for k, v in parse_qs(req.body.decode(), keep_blank_values=True).items()}
    grant = form.get("grant_type")
    if grant == "refresh_token":
        return 200, grant_refresh(form)
    if grant == "urn:ietf:params:oauth:grant-type:jwt-bearer":
        return 200, grant_jwt(form, req.headers.get("Host", ""))
    if grant == "authorization_code":
        return 200, grant_code(form)
    token_error(400, "unsupported_grant_type", "Invalid grant_type: %s" % grant)


def handle_authorize(req, match):
    q = {k: v[0] for k, v in req.query.items()}
    for name in ("client_id", "redirect_uri", "response_type", "scope"):
        if name not in q:
            raise Reply(400, {"error": "invalid_request", "error_description": "missing " + name})
    code = "code-%d" % (len(STATE["codes"]) + 1)
    STATE["codes"][code] = {"redirect_uri": q["redirect_uri"], "scopes": q["scope"].split(),
                            "code_challenge": q.get("code_challenge")}
    target = q["redirect_uri"] + "?" + urlencode({"code": code, "state": q.get("state", ""),
                                                  "scope": q["scope"]})
    raise Reply(302, b"", {"Location": target})


def require_token(req, scopes):
    auth = req.headers.get("Authorization", "")
    token = auth[7:] if auth.startswith("Bearer ") else None
    entry = STATE["tokens"].get(token)
    if entry is None or entry["expires"] <= now():
        raise Reply(401, google_error(401, "Request had invalid authentication credentials.",
                                      "UNAUTHENTICATED"),
                    {"WWW-Authenticate": 'Bearer realm="https://accounts.google.com/", '
                                         'error="invalid_token"'})
    if not any(s in entry["scopes"] for s in scopes):
        raise Reply(403, google_error(403, "Request had insufficient authentication scopes.",
                                      "PERMISSION_DENIED", "insufficientPermissions"))


# ----------------------------------------------------------------------------- Search Console

def search():
    return STATE["scenario"].get("search_console", {})


def site_root(site):
    return "https://%s/" % site[len("sc-domain:"):] if site.startswith("sc-domain:") else site


def generated_rows(site, day, count):
    root = site_root(site)
    rows = []
    for i in range(count):
        clicks = (count - i) % 97
        impressions = clicks + 10 + i % 5
        rows.append({"date": day, "query": "q%d" % i, "country": COUNTRIES[i % 3],
                     "device": DEVICES[i % 3], "page": "%sp%d" % (root, i), "clicks": clicks,
                     "impressions": impressions, "ctr": clicks / impressions,
                     "position": 1 + (i % 50) / 4})
    return rows


def explicit_rows(spec, day):
    rows = spec.get("rows")
    if rows is None:
        with open(os.path.join(STATE["base_dir"], spec["rows_file"])) as f:
            rows = json.load(f)
    out = []
    for r in rows:
        keys = r["keys"]
        row = dict(zip(("date", "query", "country", "device", "page"), keys))
        row["date"] = row.get("date") or day
        row.update({k: r[k] for k in ("clicks", "impressions", "ctr", "position") if k in r})
        out.append(row)
    return out


def day_rows(site, cfg, day, data_state):
    """The stored rows of one day, capped and filtered as Google does."""
    key = (site, day)
    cached = STATE["page_cache"].get(key)
    if cached is not None:
        return cached
    spec = cfg.get("days", {}).get(day) or cfg.get("every_day")
    rows = []
    d = dt.date.fromisoformat(day)
    age = (today() - d).days
    fresh_enough = age >= int(search().get("final_lag_days", 2)) or data_state == "all"
    if spec and fresh_enough and age <= int(search().get("retention_days", 486)):
        if "generate" in spec:
            rows = generated_rows(site, day, int(spec["generate"]["count"]))
        else:
            rows = explicit_rows(spec, day)
    rows = rows[:int(search().get("max_rows_per_day", 50000))]
    STATE["page_cache"][key] = rows
    return rows


def bad_request(message):
    raise Reply(400, google_error(400, message, "INVALID_ARGUMENT", "badRequest"))


def handle_search_query(req, match):
    require_token(req, SEARCH_SCOPES)
    site = unquote(match.group(1))
    cfg = search().get("sites", {}).get(site)
    if cfg is None or cfg.get("permission") == "none":
        raise Reply(403, google_error(403, "User does not have sufficient permission for site '%s'. "
                                      "See also: https://support.google.com/webmasters/answer/2451999."
                                      % site, "PERMISSION_DENIED", "forbidden"))
    try:
        body = json.loads(req.body or b"null")
        assert isinstance(body, dict)
    except (ValueError, AssertionError):
        bad_request("Invalid JSON payload received.")
    try:
        start = dt.date.fromisoformat(body["startDate"])
        end = dt.date.fromisoformat(body["endDate"])
    except (KeyError, TypeError, ValueError):
        bad_request("startDate and endDate must be YYYY-MM-DD")
    if start > end:
        bad_request("startDate must not be after endDate")
    row_limit, start_row = body.get("rowLimit", 1000), body.get("startRow", 0)
    if not isinstance(row_limit, int) or not 1 <= row_limit <= 25000:
        bad_request("rowLimit must be between 1 and 25000")
    if not isinstance(start_row, int) or start_row < 0:
        bad_request("startRow must be non-negative")
    dims = [str(d).lower() for d in body.get("dimensions", [])]
    if len(set(dims)) != len(dims) or any(d not in SEARCH_DIMENSIONS for d in dims):
        bad_request("invalid dimensions")
    aggregation = str(body.get("aggregationType", "auto")).lower()
    if aggregation not in ("auto", "byproperty", "bypage", "by_property", "by_page",
                           "bynewsshowcasepanel", "by_news_showcase_panel"):
        bad_request("invalid aggregationType")
    if aggregation in ("byproperty", "by_property") and "page" in dims:
        bad_request("aggregationType byProperty is not supported with a page dimension")
    data_state = str(body.get("dataState", "final")).lower()

    rows = []
    d = start
    while d <= end and len(rows) < start_row + row_limit:
        rows.extend(day_rows(site, cfg, d.isoformat(), data_state))
        d += dt.timedelta(days=1)
    page = rows[start_row:start_row + row_limit]
    limit = req.fault.get("truncate_rows") if req.fault else None
    if limit is not None:
        page = page[:limit]
    out = {"responseAggregationType": "byPage"}
    if page:
        out["rows"] = [{"keys": [r[k] for k in dims], "clicks": r["clicks"],
                        "impressions": r["impressions"], "ctr": r["ctr"], "position": r["position"]}
                       for r in page]
    return 200, out


# ----------------------------------------------------------------------------- Business Profile

GBP_SCOPES = ("https://www.googleapis.com/auth/business.manage",)
DAILY_METRICS = ("BUSINESS_IMPRESSIONS_DESKTOP_MAPS", "BUSINESS_IMPRESSIONS_DESKTOP_SEARCH",
                 "BUSINESS_IMPRESSIONS_MOBILE_MAPS", "BUSINESS_IMPRESSIONS_MOBILE_SEARCH",
                 "BUSINESS_CONVERSATIONS", "BUSINESS_DIRECTION_REQUESTS", "CALL_CLICKS",
                 "WEBSITE_CLICKS", "BUSINESS_BOOKINGS", "BUSINESS_FOOD_ORDERS",
                 "BUSINESS_FOOD_MENU_CLICKS")
RANGE_PARTS = [(side, part) for side in ("start", "end") for part in ("year", "month", "day")]


def gbp():
    return STATE["scenario"].get("gbp", {})


def gbp_error(status, message, status_text):
    raise Reply(status, google_error(status, message, status_text))


def page_token(offset):
    return base64.urlsafe_b64encode(("offset:%d" % offset).encode()).decode()


def page_offset(req):
    """The offset a pageToken stands for (0 without one); 400 for a token we never gave out."""
    token = req.query.get("pageToken", [""])[0]
    if not token:
        return 0
    try:
        text = base64.urlsafe_b64decode(token.encode()).decode()
        assert text.startswith("offset:")
        return int(text[len("offset:"):])
    except (ValueError, AssertionError, UnicodeDecodeError):
        gbp_error(400, "Invalid page token.", "INVALID_ARGUMENT")


def page_size(req, default, maximum, clamp):
    text = req.query.get("pageSize", [""])[0]
    if not text:
        return default
    try:
        size = int(text)
    except ValueError:
        gbp_error(400, "Invalid value at 'page_size' (TYPE_INT32), \"%s\"" % text,
                  "INVALID_ARGUMENT")
    if clamp:
        return max(1, min(size, maximum))
    if not 1 <= size <= maximum:
        gbp_error(400, "Page size must be between 1 and %d." % maximum, "INVALID_ARGUMENT")
    return size


def paged(req, items, key, default, maximum, clamp, extra=None):
    offset, size = page_offset(req), page_size(req, default, maximum, clamp)
    out = dict(extra or {})
    chunk = items[offset:offset + size]
    if chunk:
        out[key] = chunk
    if offset + size < len(items):
        out["nextPageToken"] = page_token(offset + size)
    return out


def handle_accounts(req, match):
    require_token(req, GBP_SCOPES)
    return 200, paged(req, gbp().get("accounts", []), "accounts", 20, 20, True)


def account_locations(account):
    """The stored locations of an account: listed, or generated ({"generate": {"count", "first_id"}})."""
    spec = gbp().get("locations", {}).get(account)
    if isinstance(spec, dict) and "generate" in spec:
        g = spec["generate"]
        first = int(g.get("first_id", 1000))
        title = g.get("title", "Service BC Centre %d")
        return [{"name": "locations/%d" % (first + i), "title": title % (first + i),
                 "storefrontAddress": {"locality": "Victoria"}} for i in range(int(g["count"]))]
    return spec


def handle_locations(req, match):
    require_token(req, GBP_SCOPES)
    account = "accounts/" + match.group(1)
    if "readMask" not in req.query:
        gbp_error(400, "Request contains an invalid argument: read_mask is required.",
                  "INVALID_ARGUMENT")
    if account in gbp().get("hidden_accounts", []):
        gbp_error(403, "The caller does not have permission", "PERMISSION_DENIED")
    locations = account_locations(account)
    if locations is None:
        gbp_error(404, "Requested entity was not found.", "NOT_FOUND")
    fields = [f.strip() for f in req.query["readMask"][0].split(",") if f.strip()]
    masked = [{k: loc[k] for k in fields if k in loc} for loc in locations]
    return 200, paged(req, masked, "locations", 10, 100, False, {"totalSize": len(locations)})


def generated_value(location, day, metric):
    """Deterministic daily values 0..36; about one in seven is 0 (left out of the answer)."""
    number = int(re.sub(r"\D", "", location) or 0)
    index = DAILY_METRICS.index(metric)
    if (number + day.toordinal() + index) % 7 == 0:
        return 0
    return (number * 31 + day.toordinal() * 7 + index * 13) % 37


def metric_value(location, day, metric):
    explicit = gbp().get("metrics", {}).get(location)
    if explicit is not None:
        return int(explicit.get(day.isoformat(), {}).get(metric, 0))
    if gbp().get("generate_metrics", True):
        return generated_value(location, day, metric)
    return 0


def query_value(req, *spellings):
    for name in spellings:
        if name in req.query:
            return req.query[name][0]
    return None


def daily_range(req):
    """Both ends of dailyRange, in camelCase, snake_case or a mix of the two."""
    parts = {}
    for side, part in RANGE_PARTS:
        names = ["%s.%s.%s" % (r, d, part) for r in ("dailyRange", "daily_range")
                 for d in ("%sDate" % side, "%s_date" % side)]
        text = query_value(req, *names)
        if text is None:
            gbp_error(400, "Request contains an invalid argument: daily_range.%s_date.%s is "
                      "required." % (side, part), "INVALID_ARGUMENT")
        try:
            parts[(side, part)] = int(text)
        except ValueError:
            gbp_error(400, "Invalid value '%s'" % text, "INVALID_ARGUMENT")
    try:
        start = dt.date(parts[("start", "year")], parts[("start", "month")], parts[("start", "day")])
        end = dt.date(parts[("end", "year")], parts[("end", "month")], parts[("end", "day")])
    except ValueError:
        gbp_error(400, "Request contains an invalid argument: invalid date.", "INVALID_ARGUMENT")
    if start > end:
        gbp_error(400, "Request contains an invalid argument: start date is after end date.",
                  "INVALID_ARGUMENT")
    if (end - start).days > int(gbp().get("max_range_days", 550)):
        gbp_error(400, "Request contains an invalid argument: the range exceeds 18 months.",
                  "INVALID_ARGUMENT")
    return start, end


def check_metric(name):
    if name not in DAILY_METRICS:
        gbp_error(400, "Invalid value at 'daily_metric' (type.googleapis.com/google.businessprofile"
                  ".performance.v1.DailyMetric), \"%s\"" % name, "INVALID_ARGUMENT")


def time_series(location, metric, start, end):
    values = []
    d = start
    while d <= end:
        entry = {"date": {"year": d.year, "month": d.month, "day": d.day}}
        v = metric_value(location, d, metric)
        if v:
            entry["value"] = str(v)  # int64 as a string; left out when 0
        values.append(entry)
        d += dt.timedelta(days=1)
    return {"datedValues": values}


def performance_location(match):
    location = "locations/" + match.group(1)
    if location in gbp().get("not_found", []):
        gbp_error(404, "Requested entity was not found.", "NOT_FOUND")
    return location


def handle_get_daily(req, match):
    require_token(req, GBP_SCOPES)
    location = performance_location(match)
    metric = query_value(req, "dailyMetric", "daily_metric")
    if metric is None:
        gbp_error(400, "Request contains an invalid argument: daily_metric is required.",
                  "INVALID_ARGUMENT")
    check_metric(metric)
    start, end = daily_range(req)
    return 200, {"timeSeries": time_series(location, metric, start, end)}


def handle_fetch_multi(req, match):
    require_token(req, GBP_SCOPES)
    location = performance_location(match)
    metrics = req.query.get("dailyMetrics", []) + req.query.get("daily_metrics", [])
    if not metrics:
        gbp_error(400, "Request contains an invalid argument: daily_metrics is required.",
                  "INVALID_ARGUMENT")
    for m in metrics:
        check_metric(m)
    if len(set(metrics)) != len(metrics):
        gbp_error(400, "Request contains an invalid argument: a daily metric is repeated.",
                  "INVALID_ARGUMENT")
    start, end = daily_range(req)
    series = [{"dailyMetric": m, "timeSeries": time_series(location, m, start, end)}
              for m in metrics]
    split = gbp().get("split_outer", False)
    if split is True or (isinstance(split, list) and location in split):
        outer = [{"dailyMetricTimeSeries": [s]} for s in series]
    else:
        outer = [{"dailyMetricTimeSeries": series}]
    return 200, {"multiDailyMetricTimeSeries": outer}


def gbp_values(query):
    """{date: {metric: value}} of a location over [start, end], as the API serves them."""
    location = query["location"][0]
    start = dt.date.fromisoformat(query["start"][0])
    end = dt.date.fromisoformat(query["end"][0])
    out = {}
    d = start
    while d <= end:
        out[d.isoformat()] = {m: metric_value(location, d, m) for m in DAILY_METRICS}
        d += dt.timedelta(days=1)
    return out


def handle_v4_insights(req, match):
    raise Reply(404, google_error(404, "Requested entity was not found.", "NOT_FOUND"))


# ----------------------------------------------------------------------------- faults

def subset(want, have):
    if isinstance(want, dict):
        return isinstance(have, dict) and all(k in have and subset(v, have[k]) for k, v in want.items())
    return want == have


def rule_matches(rule, req):
    m = rule.get("match", {})
    if m.get("method", req.command) != req.command:
        return False
    if "path_regex" in m and not re.search(m["path_regex"], req.path_only):
        return False
    if "body_contains" in m:
        try:
            if not subset(m["body_contains"], json.loads(req.body or b"null")):
                return False
        except ValueError:
            return False
    if "query_contains" in m and not subset(m["query_contains"],
                                            {k: v[0] for k, v in req.query.items()}):
        return False
    return True


def take_fault(req):
    """The first rule that matches and still applies. `nth` counts every request the rule's
    match selects (1-based), whether or not an earlier rule answered it; `times` caps uses."""
    chosen = None
    for index, rule in enumerate(STATE["scenario"].get("faults", [])):
        if not rule_matches(rule, req):
            continue
        seen = STATE["fault_seen"][index] = STATE["fault_seen"].get(index, 0) + 1
        if chosen is not None:
            continue
        m = rule.get("match", {})
        used = STATE["fault_used"].get(index, 0)
        if "nth" in m and seen not in m["nth"]:
            continue
        if "times" in m and used >= m["times"]:
            continue
        STATE["fault_used"][index] = used + 1
        chosen = rule.get("id", "fault-%d" % index), rule.get("respond", {})
    return chosen or (None, None)


# ----------------------------------------------------------------------------- HTTP

ROUTES = [
    ("POST", re.compile(r"^/token$"), handle_token),
    ("GET", re.compile(r"^/o/oauth2/v2/auth$"), handle_authorize),
    ("POST", re.compile(r"^/webmasters/v3/sites/([^/]+)/searchAnalytics/query$"), handle_search_query),
    ("GET", re.compile(r"^/v1/accounts$"), handle_accounts),
    ("GET", re.compile(r"^/v1/accounts/([^/]+)/locations$"), handle_locations),
    ("GET", re.compile(r"^/v1/locations/([^/:]+):getDailyMetricsTimeSeries$"), handle_get_daily),
    ("GET", re.compile(r"^/v1/locations/([^/:]+):fetchMultiDailyMetricsTimeSeries$"),
     handle_fetch_multi),
    ("POST", re.compile(r"^/v4/accounts/[^/]+/locations:reportInsights$"), handle_v4_insights),
]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def do_GET(self):
        self.handle_one()

    def do_POST(self):
        self.handle_one()

    def read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            data = b""
            while True:
                size = int(self.rfile.readline().strip(), 16)
                if size == 0:
                    self.rfile.readline()
                    return data
                data += self.rfile.read(size)
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def handle_one(self):
        self.body = self.read_body()
        parts = urlsplit(self.path)
        self.path_only = parts.path
        self.raw_query = parts.query
        self.query = {k: v for k, v in parse_qs(parts.query, keep_blank_values=True).items()
                      if k not in IGNORED_QUERY}
        if self.path_only.startswith("/__admin/"):
            return self.admin()
        with LOCK:
            fault_id, self.fault = take_fault(self)
            entry = self.log_entry(fault_id)
            respond = self.fault or {}
            if respond.get("expire_tokens"):
                for t in STATE["tokens"].values():
                    t["expires"] = 0
            status, body, headers = self.route() if "status" not in respond else (
                respond["status"], respond.get("json", respond.get("body_raw", "")), {})
            headers.update(respond.get("headers", {}))
        if respond.get("delay_ms"):
            time.sleep(respond["delay_ms"] / 1000)
        if respond.get("close_without_response"):
            entry["status"] = 0
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        data = body if isinstance(body, bytes) else (
            body.encode() if isinstance(body, str) else json.dumps(body).encode())
        entry["status"], entry["response_bytes"] = status, len(data)
        entry["response_framing"] = self.send(status, data, headers, respond)

    def route(self):
        for method, pattern, handler in ROUTES:
            match = pattern.match(self.path_only)
            if match and method == self.command:
                try:
                    status, body = handler(self, match)
                    return status, body, {}
                except Reply as r:
                    return r.status, r.body, dict(r.headers)
        return 404, google_error(404, "Not found: %s %s" % (self.command, self.path_only),
                                 "NOT_FOUND"), {}

    def send(self, status, data, headers, respond):
        """Sends the answer; returns how it was framed ({"content-encoding", "transfer-encoding"})."""
        content_type = respond.get("content_type", "application/json; charset=UTF-8")
        framing = {}
        if respond.get("gzip") and "gzip" in self.headers.get("Accept-Encoding", ""):
            data = gzip.compress(data)
            headers["Content-Encoding"] = framing["content-encoding"] = "gzip"
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        for k, v in headers.items():
            self.send_header(k, v)
        if respond.get("chunked"):
            framing["transfer-encoding"] = "chunked"
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for i in range(0, len(data), 4096):
                chunk = data[i:i + 4096]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            self.wfile.write(b"0\r\n\r\n")
            return framing
        cut = respond.get("truncate_after_bytes")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if cut is not None:
            self.wfile.write(data[:cut])
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return framing
        self.wfile.write(data)
        return framing

    def log_entry(self, fault_id):
        auth = self.headers.get("Authorization", "")
        entry = {"seq": len(STATE["log"]) + 1, "time": time.time(), "method": self.command,
                 "path": self.path_only, "raw_query": self.raw_query, "query": self.query,
                 "headers": {"authorization": auth[7:] if auth.startswith("Bearer ") else auth,
                             "content-type": self.headers.get("Content-Type", ""),
                             "accept-encoding": self.headers.get("Accept-Encoding", ""),
                             "user-agent": self.headers.get("User-Agent", "")},
                 "body": self.body.decode("utf-8", "replace"), "matched_fault": fault_id,
                 "status": None, "response_bytes": 0, "response_framing": {}}
        if not STATE["scenario"].get("log_bodies", True):
            entry["body"] = ""
        STATE["log"].append(entry)
        return entry

    def admin(self):
        name = self.path_only[len("/__admin/"):]
        with LOCK:
            if name == "requests":
                out = {"requests": STATE["log"]}
            elif name == "gbp_values":
                out = gbp_values(self.query)
            elif name == "reset":
                STATE.update(log=[], fault_seen={}, fault_used={})
                out = {}
            elif name == "expire_tokens":
                for t in STATE["tokens"].values():
                    t["expires"] = 0
                out = {}
            elif name == "clock":
                STATE.update(clock_base=parse_time(json.loads(self.body)["now"]),
                             clock_start=time.time())
                out = {}
            elif name == "scenario":
                load_scenario(json.loads(self.body), STATE["base_dir"])
                out = {}
            elif name == "shutdown":
                threading.Thread(target=SERVER.shutdown).start()
                out = {}
            else:
                out = None
        self.send(200 if out is not None else 404, json.dumps(out or {}).encode(), {}, {})


def main():
    global SERVER
    p = argparse.ArgumentParser()
    p.add_argument("--scenario", required=True)
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--port-file")
    args = p.parse_args()
    with open(args.scenario) as f:
        load_scenario(json.load(f), os.path.dirname(os.path.abspath(args.scenario)))
    ThreadingHTTPServer.daemon_threads = True
    SERVER = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    port = SERVER.server_address[1]
    if args.port_file:
        with open(args.port_file + ".tmp", "w") as f:
            f.write(str(port))
        os.rename(args.port_file + ".tmp", args.port_file)
    print("PORT=%d" % port, flush=True)
    import signal
    signal.signal(signal.SIGTERM, lambda *a: threading.Thread(target=SERVER.shutdown).start())
    SERVER.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
