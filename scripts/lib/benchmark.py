"""Shared by scripts/benchmark-validate and scripts/benchmark-scan: run them, do not import this elsewhere.

Every figure is measured in the same run as the baseline it is compared with, and reported as a ratio:
the machine, its load and its cores change between runs, ratios much less.
"""
import glob
import gzip
import hashlib
import json
import multiprocessing
import os
import resource
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FAST_S3 = os.path.join(ROOT, "Tests", "Support", "fast_s3.py")


class Timed:
    """One child process's wall time, CPU time (user + system) and peak memory, and what it printed."""

    def __init__(self, command, env=None, check=None):
        started = time.monotonic()
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            process = subprocess.Popen(command, stdout=out, stderr=err, env=env)
            _, status, usage = os.wait4(process.pid, 0)
            self.wall = time.monotonic() - started
            out.seek(0)
            err.seek(0)
            self.stdout, self.stderr = out.read().decode(), err.read().decode()
        self.code = os.waitstatus_to_exitcode(status)
        self.cpu = usage.ru_utime + usage.ru_stime
        self.peak_mib = usage.ru_maxrss / 1024
        if check and check not in self.stdout:
            sys.exit(f"{command[0]} did not print {check!r}:\n{self.stdout[-2000:]}\n{self.stderr[-2000:]}")


def best(runs, measure):
    """The fastest of `runs` runs (the one least disturbed by the rest of the machine)."""
    return min((measure() for _ in range(runs)), key=lambda timed: timed.wall)


class FastS3:
    """Tests/Support/fast_s3.py serving a folder, stopped by `stop()` (and with this process)."""

    def __init__(self, root, delay_ms=0.0):
        port_file = tempfile.mktemp(suffix=".port")
        self.process = subprocess.Popen([sys.executable, FAST_S3, root, "--delay-ms", str(delay_ms), "--port-file", port_file],
                                        stdin=subprocess.DEVNULL)
        for _ in range(600):
            if os.path.exists(port_file):
                break
            if self.process.poll() is not None:
                sys.exit("fast_s3.py did not start")
            time.sleep(0.05)
        with open(port_file) as handle:
            self.endpoint = f"http://127.0.0.1:{handle.read().strip()}"
        os.remove(port_file)

    def counters(self):
        with urllib.request.urlopen(self.endpoint + "/_fast_s3/counters", timeout=30) as answer:
            return json.load(answer)

    def events(self):
        """Every counted request's start and answer so far: [time, account, +1 or -1, operation], in order."""
        with urllib.request.urlopen(self.endpoint + "/_fast_s3/events", timeout=60) as answer:
            return json.load(answer)["events"]

    def reset(self):
        """Forgets the counts and events so far (between runs, with nothing in flight)."""
        urllib.request.urlopen(self.endpoint + "/_fast_s3/reset", timeout=30).close()

    def cpu(self):
        """The server's own CPU seconds so far, from /proc."""
        with open(f"/proc/{self.process.pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self):
        self.process.terminate()
        self.process.wait()


def world_objects(root, trail_name):
    """The digest files of one trail in a simulated world's folder, and the log files they list."""
    digests = sorted(path for path in glob.glob(os.path.join(root, "*", "**", "CloudTrail-Digest", "**", "*.json.gz"), recursive=True)
                     if f"_CloudTrail-Digest_us-east-1_{trail_name}_" in os.path.basename(path))
    logs = set()
    for path in digests:
        with open(path, "rb") as handle:
            for log in json.loads(gzip.decompress(handle.read())).get("logFiles", []):
                logs.add(os.path.join(root, log["s3Bucket"], log["s3Object"]))
    return digests, sorted(logs)


def _inflate_and_hash(path):
    """The CPU seconds it took to read, gunzip and SHA-256 one file."""
    started = time.process_time()
    with open(path, "rb") as handle:
        hashlib.sha256(gzip.decompress(handle.read())).digest()
    return time.process_time() - started


def gunzip_sha256(paths, processes):
    """(wall seconds, CPU seconds) to read, gunzip and SHA-256 every file, on `processes` worker processes
    started beforehand (so that start-up is not counted)."""
    with multiprocessing.Pool(processes) as pool:
        pool.map(_inflate_and_hash, paths[:processes])  # warm up
        started = time.monotonic()
        cpu = sum(pool.map(_inflate_and_hash, paths, chunksize=max(1, len(paths) // (processes * 8))))
        wall = time.monotonic() - started
    return wall, cpu


def curl_all(urls, parallel, work):
    """Fetches every URL with one curl process, `parallel` transfers at once; returns its Timed."""
    config = os.path.join(work, "curl.cfg")
    with open(config, "w") as handle:
        for url in urls:
            handle.write(f'url = "{url}"\noutput = "/dev/null"\n')
    timed = Timed(["curl", "--silent", "--fail", "--parallel", "--parallel-max", str(parallel), "--config", config])
    if timed.code != 0:
        sys.exit(f"curl failed: {timed.stderr[-500:]}")
    return timed


def objects_validated(text):
    """The digests and log files a `trailwarden validate` text report counts (its "N/M ... files valid" lines)."""
    return sum(int(line.split("/", 1)[1].split(" ", 1)[0]) for line in text.splitlines()
               if line.endswith(" files valid") and "/" in line and line.split("/", 1)[0].isdigit())


def verdict(met):
    return "met" if met else "NOT met"


def resource_limits():
    """Room for hundreds of connections."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 8192)), hard))


def object_request(operation):
    """Whether a fast_s3 operation is one the scan's request budget gates (object reads and listings)."""
    return operation.startswith("GetObject") or operation.startswith("ListObjects")


class SlotShares:
    """Who held the object requests in flight over a scan, from fast_s3's events, around one (large) account.

    `contended` is the time from the first object request to the last answer of any other account (while the others
    still had requests to make); `tail` the time after it, when only `large` had any. Over each: the mean requests in
    flight in all and of `large`; over `contended`, also `large`'s fair share of the cap: `cap` split evenly among the
    accounts with work at each moment (an account has work from its first object request to its last answer)."""

    def __init__(self, events, large, cap):
        events = sorted((e for e in events if object_request(e[3])), key=lambda e: e[0])
        first, last = {}, {}
        for time, account, delta, _ in events:
            first.setdefault(account, time)
            last[account] = time
        self.start, self.end = events[0][0], events[-1][0]
        self.split = max((t for a, t in last.items() if a != large), default=self.start)
        bounds = sorted((first[a], last[a]) for a in first)
        area = {"contended": [0.0, 0.0, 0.0], "tail": [0.0, 0.0, 0.0]}  # all, large, fair slots of large
        total = held = 0
        self.peak = 0
        previous = self.start
        for time, account, delta, _ in events:
            if time > previous:
                window = area["contended" if previous < self.split else "tail"]
                span = time - previous
                with_work = sum(1 for f, l in bounds if f <= previous < l) or 1
                window[0] += total * span
                window[1] += held * span
                window[2] += cap / with_work * span
                previous = time
            total += delta
            if account == large:
                held += delta
                self.peak = max(self.peak, held)
        self.contended_seconds = self.split - self.start
        self.tail_seconds = self.end - self.split
        seconds = lambda name: max(self.contended_seconds if name == "contended" else self.tail_seconds, 1e-9)
        self.contended_mean, self.contended_large, self.fair_slots = (v / seconds("contended") for v in area["contended"])
        self.tail_mean, self.tail_large, _ = (v / seconds("tail") for v in area["tail"])
        self.mean = (area["contended"][0] + area["tail"][0]) / max(self.end - self.start, 1e-9)
