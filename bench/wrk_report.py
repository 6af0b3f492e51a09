#!/usr/bin/env python3
"""Figures of a benchmark run, for bench/run.sh.

Each load is reported beside the server's own ceiling (GET /health/live under the same wrk
settings), as ratios, so that runs on different machines compare: a machine twice as fast moves
the absolute figures but should leave the ratios where they were.

    wrk_report.py record RESULTS --engine E --name N --threads T --connections C
                  --duration D --idle-kib K --peak-kib P [--ceiling] [--aim-rps X]
                  [--aim-p99-ms Y] [--aim-errors Z]  < wrk-output
        Echoes wrk's output, parses it (wrk run with --latency) and appends one JSON line to
        RESULTS, then prints a one-line summary with the ratios to the ceiling of the same
        engine, threads, connections and duration, when that was recorded first.
    wrk_report.py table RESULTS ENGINE
        Prints the markdown table of ENGINE's measurements, ready for bench/RESULTS.md.
"""

import argparse
import json
import re
import sys

UNITS_S = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}


def seconds(text):
    """A wrk duration such as `850.00us`, `4.81ms`, `1.02s` or `2.00m`, in seconds."""
    match = re.fullmatch(r"([0-9]+(?:\.[0-9]+)?)(us|ms|s|m|h)", text.strip())
    return float(match.group(1)) * UNITS_S[match.group(2)] if match else None


def parse_wrk(output):
    """Throughput, p50, p99 and error counts from the output of `wrk --latency`.

    Lines that are absent count as zero errors (wrk prints the error lines only when there are
    errors) or as an unknown figure (None) for throughput and latencies, e.g. when wrk failed.
    """
    figures = {"rps": None, "p50_s": None, "p99_s": None, "requests": None,
               "non_2xx": 0, "socket_errors": 0}
    for line in output.splitlines():
        line = line.strip()
        if match := re.match(r"Requests/sec:\s+([0-9.]+)", line):
            figures["rps"] = float(match.group(1))
        elif match := re.match(r"50(?:\.0+)?%\s+(\S+)$", line):
            figures["p50_s"] = seconds(match.group(1))
        elif match := re.match(r"99(?:\.0+)?%\s+(\S+)$", line):
            figures["p99_s"] = seconds(match.group(1))
        elif match := re.match(r"Non-2xx or 3xx responses:\s+([0-9]+)", line):
            figures["non_2xx"] = int(match.group(1))
        elif line.startswith("Socket errors:"):
            figures["socket_errors"] = sum(int(n) for n in re.findall(r"[a-z]+ ([0-9]+)", line))
        elif match := re.match(r"([0-9]+) requests in ", line):
            figures["requests"] = int(match.group(1))
    figures["errors"] = figures["non_2xx"] + figures["socket_errors"]
    return figures


def load(path):
    try:
        with open(path, encoding="utf-8") as results:
            return [json.loads(line) for line in results if line.strip()]
    except FileNotFoundError:
        return []


def ceiling_for(records, record):
    for other in records:
        if other.get("ceiling") and all(other[k] == record[k] for k in
                                        ("engine", "threads", "connections", "duration")):
            return other
    return None


def ratio(value, base):
    return value / base if value is not None and base else None


def fmt_rps(value):
    return "–" if value is None else f"{value:,.0f}"


def fmt_time(value):
    if value is None:
        return "–"
    if value < 1e-3:
        return f"{value * 1e6:.0f} µs"
    if value < 1.0:
        return f"{value * 1e3:.3g} ms"
    return f"{value:.3g} s"


def fmt_ratio(value):
    return "–" if value is None else f"{value:.3f}" if value < 0.1 else f"{value:.2f}"


def fmt_times(value):
    if value is None:
        return "–"
    return f"{value:.2f}×" if value < 1 else f"{value:.1f}×" if value < 100 else f"{value:.0f}×"


def fmt_mib(kib):
    return "–" if kib is None else f"{kib / 1024:.1f}"


def record(args):
    output = sys.stdin.read()
    sys.stdout.write("\n".join(output.splitlines()[:20]) + "\n")
    entry = {
        "engine": args.engine, "name": args.name, "ceiling": args.ceiling,
        "threads": args.threads, "connections": args.connections, "duration": args.duration,
        "idle_kib": args.idle_kib, "peak_kib": args.peak_kib,
        "aim_rps": args.aim_rps, "aim_p99_s": None if args.aim_p99_ms is None else args.aim_p99_ms / 1e3,
        "aim_errors": args.aim_errors,
    }
    entry.update(parse_wrk(output))
    records = load(args.results)
    with open(args.results, "a", encoding="utf-8") as results:
        results.write(json.dumps(entry) + "\n")
    ceiling = None if args.ceiling else ceiling_for(records, entry)
    line = (f"   => {fmt_rps(entry['rps'])} req/s, p50 {fmt_time(entry['p50_s'])}, "
            f"p99 {fmt_time(entry['p99_s'])}, {entry['errors']} errors, "
            f"RSS {fmt_mib(entry['idle_kib'])} MiB idle, {fmt_mib(entry['peak_kib'])} MiB peak")
    if ceiling:
        line += (f"; {fmt_ratio(ratio(entry['rps'], ceiling['rps']))} of the ceiling's req/s, "
                 f"p99 {fmt_times(ratio(entry['p99_s'], ceiling['p99_s']))} the ceiling's")
    if entry["rps"] is None:
        line += "; wrk's output could not be read"
    print(line)


def aim_cells(entry, ceiling):
    """The absolute aim, the aim as a ratio to this run's ceiling, and whether it is met."""
    absolute, relative, met = [], [], True
    if entry.get("aim_rps") is not None:
        absolute.append(f"≥ {entry['aim_rps']:,.0f} req/s")
        if ceiling and ceiling.get("rps"):
            relative.append(f"≥ {fmt_times(entry['aim_rps'] / ceiling['rps'])} ceiling req/s")
        met = met and entry["rps"] is not None and entry["rps"] >= entry["aim_rps"]
    if entry.get("aim_p99_s") is not None:
        absolute.append(f"p99 < {fmt_time(entry['aim_p99_s'])}")
        if ceiling and ceiling.get("p99_s"):
            relative.append(f"p99 < {fmt_times(entry['aim_p99_s'] / ceiling['p99_s'])} ceiling p99")
        met = met and entry["p99_s"] is not None and entry["p99_s"] < entry["aim_p99_s"]
    if entry.get("aim_errors") is not None:
        absolute.append(f"{entry['aim_errors']} errors" if entry["aim_errors"] else "0 errors")
        met = met and entry["errors"] <= entry["aim_errors"]
    if not absolute:
        return "", "", None
    return ", ".join(absolute), ", ".join(relative) or "–", met


def table(args):
    records = [r for r in load(args.results) if r["engine"] == args.engine]
    if not records:
        print(f"(no measurements for {args.engine})")
        return
    first = records[0]
    print(f"**{args.engine}**: wrk {first['threads']} threads, {first['duration']} per load; "
          "ceiling = `GET /health/live` at the same settings; RSS = the server's resident "
          "memory before the load and its peak during it (sampled every 100 ms)")
    print()
    print("| measurement | conns | aim | aim ÷ this run's ceiling | req/s | req/s ÷ ceiling "
          "| p50 | p99 | p99 ÷ ceiling p99 | errors | RSS idle / peak (MiB) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for entry in records:
        ceiling = entry if entry.get("ceiling") else ceiling_for(records, entry)
        aim, aim_ratio, met = aim_cells(entry, ceiling)
        rps_ratio = ratio(entry["rps"], ceiling["rps"]) if ceiling else None
        p99_ratio = ratio(entry["p99_s"], ceiling["p99_s"]) if ceiling else None
        rps, p99 = fmt_rps(entry["rps"]), fmt_time(entry["p99_s"])
        if met:
            if entry.get("aim_rps") is not None:
                rps = f"**{rps}**"
            if entry.get("aim_p99_s") is not None:
                p99 = f"**{p99}**"
        name = f"ceiling: {entry['name']}" if entry.get("ceiling") else entry["name"]
        print(f"| {name} | {entry['connections']} | {aim or '–'} | {aim_ratio or '–'} | {rps} "
              f"| {fmt_ratio(rps_ratio)} | {fmt_time(entry['p50_s'])} | {p99} "
              f"| {fmt_times(p99_ratio)} | {entry['errors']} "
              f"| {fmt_mib(entry['idle_kib'])} / {fmt_mib(entry['peak_kib'])} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    rec = commands.add_parser("record")
    rec.add_argument("results")
    rec.add_argument("--engine", required=True)
    rec.add_argument("--name", required=True)
    rec.add_argument("--ceiling", action="store_true")
    rec.add_argument("--threads", type=int, required=True)
    rec.add_argument("--connections", type=int, required=True)
    rec.add_argument("--duration", required=True)
    rec.add_argument("--idle-kib", type=lambda s: int(s) if s else None, default=None)
    rec.add_argument("--peak-kib", type=lambda s: int(s) if s else None, default=None)
    rec.add_argument("--aim-rps", type=float)
    rec.add_argument("--aim-p99-ms", type=float)
    rec.add_argument("--aim-errors", type=int)
    tab = commands.add_parser("table")
    tab.add_argument("results")
    tab.add_argument("engine")
    args = parser.parse_args()
    if args.command == "record":
        record(args)
    else:
        table(args)


if __name__ == "__main__":
    sys.exit(main())
