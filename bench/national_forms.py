#!/usr/bin/env python3
"""The statistics benchmark: national forms 1 and 3 for a 12-month and a 3-month period,
timed through the API (filled from the tallies kept as cases move), through the API with
`recount=true` (counted from the records by the server), and as a from-scratch SQL recount
of the same figures run on the database itself, in the same run on the same machine.

    python3 bench/national_forms.py URL TOKEN ORGANIZATION_ID DATABASE_URL [RUNS]

Requests are sent one at a time (no concurrency), after one warm-up: RUNS times from the
tallies, RUNS // 6 times (at least 3) for each recount; p50 and p99 are of those runs (with
few runs, p99 is the slowest). The SQL recount's totals are compared with the API's total row: the
run fails if they differ. Prints a markdown table for bench/RESULTS.md.
"""

import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

URL, TOKEN, ORG, DATABASE = sys.argv[1:5]
RUNS = int(sys.argv[5]) if len(sys.argv) > 5 else 30
# A recount reads every case of the period: fewer runs of it, so that the run stays short.
RECOUNT_RUNS = max(3, RUNS // 6)

# Form 1 from scratch: every case in hand in the period, by field, form, place and provider
# kind, with the seven columns.
FORM_1 = """
SELECT field, form, place, COALESCE(provider_kind, 'none'),
  COUNT(*),
  SUM(CASE WHEN accepted_on < '{f}' THEN 1 ELSE 0 END),
  SUM(CASE WHEN accepted_on >= '{f}' AND transferred_from_case_id IS NOT NULL THEN 1 ELSE 0 END),
  SUM(CASE WHEN accepted_on >= '{f}' AND transferred_from_case_id IS NULL THEN 1 ELSE 0 END),
  SUM(CASE WHEN closed_on BETWEEN '{f}' AND '{t}' AND transferred_to_org_id IS NULL THEN 1 ELSE 0 END),
  SUM(CASE WHEN closed_on BETWEEN '{f}' AND '{t}' AND transferred_to_org_id IS NOT NULL THEN 1 ELSE 0 END),
  SUM(CASE WHEN closed_on IS NULL OR closed_on > '{t}' THEN 1 ELSE 0 END)
FROM cases
WHERE deleted_at IS NULL AND accepted_on <= '{t}' AND (closed_on IS NULL OR closed_on >= '{f}')
GROUP BY 1, 2, 3, 4
"""

# Form 3 from scratch: one person-time per case accepted in the period, by the case's
# values, the person's gender and first proven category.
FORM_3 = """
SELECT c.field, c.form, c.place, COALESCE(c.provider_kind, 'none'),
  COALESCE(r.gender, 'none'), COALESCE(r.statistical_category, 'none'), COUNT(*)
FROM cases c JOIN recipients r ON r.id = c.recipient_id
WHERE c.deleted_at IS NULL AND c.accepted_on BETWEEN '{f}' AND '{t}'
  AND (c.transferred_from_case_id IS NULL OR NOT EXISTS (
    SELECT 1 FROM cases s WHERE s.id = c.transferred_from_case_id
      AND s.deleted_at IS NULL AND s.accepted_on IS NOT NULL))
GROUP BY 1, 2, 3, 4, 5, 6
"""


def api(path):
    request = urllib.request.Request(URL + path, headers={"Authorization": "Bearer " + TOKEN})
    with urllib.request.urlopen(request, timeout=600) as response:
        return json.load(response)


def timed(call):
    started = time.perf_counter()
    result = call()
    return (time.perf_counter() - started) * 1000, result


def percentiles(samples):
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return statistics.median(ordered), p99


def sql_runner():
    """A function that runs a query RUNS times and answers (milliseconds each, last rows)."""
    if DATABASE.startswith("sqlite://"):
        db = sqlite3.connect(DATABASE[len("sqlite://"):])

        def run(query):
            times, rows = [], None
            db.execute(query).fetchall()  # warm-up
            for _ in range(RECOUNT_RUNS):
                ms, rows = timed(lambda: db.execute(query).fetchall())
                times.append(ms)
            return times, rows

        return run

    def run(query):
        # One psql session runs the query RUNS + 1 times with \\timing; its own timings are
        # the server's round trips, without starting a process per query.
        with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as script:
            script.write("\\timing on\n\\pset format unaligned\n\\pset tuples_only on\n")
            for _ in range(RECOUNT_RUNS + 1):
                script.write(query.strip() + ";\n")
        out = subprocess.run(
            ["psql", DATABASE, "-X", "-q", "-f", script.name],
            check=True, capture_output=True, text=True,
        ).stdout
        os.unlink(script.name)
        times = [float(line.split()[1]) for line in out.splitlines() if line.startswith("Time:")]
        last = out.split("Time:")[-2].splitlines()
        rows = [tuple(line.split("|")) for line in last[1:] if "|" in line]
        return times[1:], rows

    return run


def main():
    sql = sql_runner()
    # The ceiling: the server's cheapest answer (no database, no authorization), sent the
    # same way, one at a time.
    api_ceiling = []
    for _ in range(RUNS + 1):
        started = time.perf_counter()
        urllib.request.urlopen(URL + "/health/live", timeout=60).read()
        api_ceiling.append((time.perf_counter() - started) * 1000)
    ceiling, _ = percentiles(api_ceiling[1:])
    lines = [
        f"Ceiling: GET /health/live one at a time, p50 {ceiling:.2f} ms.",
        "",
        "| figure | API, tallies: p50 / p99 | tallies p50 ÷ ceiling p50 | API, recount: p50 / p99 | SQL recount: p50 / p99 | SQL recount ÷ tallies (p50) |",
        "|---|---|---|---|---|---|",
    ]
    failed = False
    for form, number, query in (("tt02-2011-bm1", 1, FORM_1), ("tt02-2011-bm3", 3, FORM_3)):
        for period in ("2025-Y", "2025-3M"):
            path = f"/api/v1/statistics/forms/{form}?organization_id={ORG}&period={period}"
            results = {}
            for mode, suffix in (("tallies", ""), ("recount", "&recount=true")):
                api(path + suffix)  # warm-up
                samples, table = [], None
                for _ in range(RUNS if mode == "tallies" else RECOUNT_RUNS):
                    ms, table = timed(lambda: api(path + suffix))
                    samples.append(ms)
                expected = "tallies" if mode == "tallies" else "records"
                if table["counted_from"] != expected:
                    sys.exit(f"{form} {period}: counted from {table['counted_from']}, not {expected}")
                results[mode] = (percentiles(samples), table)
            f, t = results["tallies"][1]["from"], results["tallies"][1]["to"]
            times, rows = sql(query.format(f=f, t=t))
            sql_p50, sql_p99 = percentiles(times)
            total = results["tallies"][1]["rows"][0]["cells"]
            if number == 1:
                recounted = [sum(int(r[i]) for r in rows) for i in range(4, 11)]
                agree = recounted == total
            else:
                recounted = sum(int(r[6]) for r in rows)
                agree = recounted == total[0]
            if results["tallies"][1]["rows"] != results["recount"][1]["rows"] or not agree:
                failed = True
                print(f"!! {form} {period}: tallies {total}, SQL recount {recounted}", file=sys.stderr)
            (tp50, tp99), (rp50, rp99) = results["tallies"][0], results["recount"][0]
            lines.append(
                f"| national form {number}, {period} ({f} to {t}; total {total[0]:,}) "
                f"| {tp50:.1f} / {tp99:.1f} ms | {tp50 / ceiling:.1f}× | {rp50:.0f} / {rp99:.0f} ms "
                f"| {sql_p50:.0f} / {sql_p99:.0f} ms | {sql_p50 / tp50:.1f}× |"
            )
    print("\n".join(lines))
    if failed:
        sys.exit("the figures differ")
    print("\nThe tallies' figures, the server's recount and the SQL recount agree.")


main()
