#!/usr/bin/env python3
"""The portal's side of the intake benchmark.

    python3 bench/portal.py setup URL ADMIN_TOKEN          # prints: token org procedure head
    python3 bench/portal.py follow URL TOKEN AFTER STOP_FILE OUT_FILE

`setup` registers the benchmark's portal client (a service client made by the data centre,
as an operator would) and answers its token, the organization the dossiers go to (Hà Nội's
centre), the request for legal aid's procedure code, and the feed's head. `follow` reads the
feed after AFTER as the portal would while the intake runs, until STOP_FILE exists and the
feed is read to its end, timing each read; then it checks that the positions it saw are
contiguous and that no dossier code was filed twice, and writes a markdown summary to
OUT_FILE. Exits non-zero when a check fails.
"""

import json
import os
import statistics
import sys
import time
import urllib.error
import urllib.parse
import urllib.request


def call(url, method, path, token=None, body=None, form=None):
    headers = {}
    data = None
    if token:
        headers["Authorization"] = "Bearer " + token
    if body is not None:
        headers["Content-Type"] = "application/json"
        data = json.dumps(body).encode()
    if form is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        data = urllib.parse.urlencode(form).encode()
    request = urllib.request.Request(url + path, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")


def ok(what, status, body, expected=200):
    if status != expected:
        sys.exit(f"{what}: {status} {body}")
    return body


def setup(url, admin):
    me = ok("me", *call(url, "GET", "/api/v1/me", admin))
    client_id = f"bench-portal-{int(time.time())}"
    made = ok("service client", *call(url, "POST", "/api/v1/service-clients", admin,
                                      {"client_id": client_id, "name": "Cổng DVC (benchmark)",
                                       "role": "portal", "organization_id": me["organization"]["id"]}), 201)
    secret = made["client_secret"]
    token = ok("portal token", *call(url, "POST", "/api/v1/auth/token", form={
        "grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}))["access_token"]
    orgs = ok("organizations", *call(url, "GET", "/api/v1/organizations?kind=center&page_size=100", token))
    org = next(o["id"] for o in orgs["items"] if o.get("province_code") == "ha_noi")
    procedures = ok("procedures", *call(url, "GET", "/api/v1/portal/procedures", token))
    procedure = next(p["code"] for p in procedures if p["kind"] == "legal_aid_request" and p["active"])
    head = 0
    while True:
        page = ok("feed", *call(url, "GET", f"/api/v1/portal/feed?after={head}&limit=1000", token))
        head = page["next_cursor"]
        if not page["more"]:
            break
    print(token, org, procedure, head)


def follow(url, token, after, stop_file, out_file):
    cursor, positions, codes, times = after, [], {}, []
    while True:
        stopping = os.path.exists(stop_file)
        started = time.perf_counter()
        page = ok("feed", *call(url, "GET", f"/api/v1/portal/feed?after={cursor}&limit=500", token))
        times.append((time.perf_counter() - started) * 1000)
        for entry in page["entries"]:
            positions.append(entry["position"])
            if entry["step"] == "submit":
                codes[entry["dossier_code"]] = codes.get(entry["dossier_code"], 0) + 1
        cursor = page["next_cursor"]
        if stopping and not page["more"]:
            break
        if not page["entries"]:
            time.sleep(0.05)
    contiguous = positions == list(range(after + 1, after + 1 + len(positions)))
    duplicates = sum(1 for n in codes.values() if n > 1)
    times.sort()
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    with open(out_file, "w") as out:
        out.write(f"| feed read while intake runs | {len(times)} reads | p50 {statistics.median(times):.1f} ms "
                  f"| p99 {p99:.1f} ms | {len(positions)} entries, {'no gap' if contiguous else 'GAPS'} "
                  f"| {len(codes)} dossiers, {duplicates} duplicates |\n")
    if not contiguous or duplicates:
        sys.exit("the feed had a gap or a dossier was filed twice")


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "setup":
        setup(*args)
    elif command == "follow":
        follow(args[0], args[1], int(args[2]), args[3], args[4])
    else:
        sys.exit(__doc__)
