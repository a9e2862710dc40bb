#!/usr/bin/env python3
"""Runs every gcloud command in the docs through the installed gcloud's own argument parser.

    python3 .ci/gcloud-docs/check.py README.md docs/deploy.md terraform/README.md
    python3 .ci/gcloud-docs/check.py --self-test

Commands are read from the fenced sh/bash/shell code blocks of the given Markdown files (joined
continuation lines, inside $(...) too), placeholders (P, R, TRIGGER, $SUB, ...) are replaced with
sample values, and each command runs for real against a loopback stub: a throwaway
CLOUDSDK_CONFIG, auth/disable_credentials, and api_endpoint_overrides/* for every API pointing at
a 127.0.0.1 server that answers a finished, empty operation to everything. gcloud exits 2 on an
unknown command, group, flag or flag value (its argparse layer); that fails the check. What a
stub cannot satisfy (missing response fields, no token) fails later, with exit 1, and passes.
"""
import concurrent.futures
import http.server
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time

APIS = [
    "artifactregistry", "bigquery", "cloudbuild", "cloudfunctions", "cloudresourcemanager",
    "cloudscheduler", "datafusion", "eventarc", "iam", "logging", "pubsub", "run",
    "serviceusage", "storage", "iamcredentials",
]
PROJECT = "my-project"
SAMPLES = [
    # (pattern, replacement): whole placeholder tokens as the docs write them.
    (r"\$\{?SUB\}?", "projects/my-project/subscriptions/eventarc-sub"),
    (r"\$\{?sa\}?", "fusion-cancel-http"),
    (r"\$\{?t\}?", "fusion-cancel-outcomes"),
    (r"\$\{?p\}?", PROJECT),
    (r"\$\{?PROJECT_NUMBER\}?", "123456789012"),
    (r"(?<![A-Za-z0-9_$-])P(?![A-Za-z0-9_-])", PROJECT),
    (r"(?<![A-Za-z0-9_$-])R(?![A-Za-z0-9_-])", "us-central1"),
    (r"(?<![A-Za-z0-9_$-])PROJECT_NUMBER(?![A-Za-z0-9_-])", "123456789012"),
    (r"(?<![A-Za-z0-9_$-])TRIGGER(?![A-Za-z0-9_-])", "fusion-cancel-bulk-abc123"),
    (r"(?<![A-Za-z0-9_$-])EMAIL(?![A-Za-z0-9_-])", "build@my-project.iam.gserviceaccount.com"),
    (r"(?<![A-Za-z0-9_$-])OP(?![A-Za-z0-9_-])", "op-1"),
]
# Also parse-time failures that gcloud reports with exit 1: a resource argument that cannot be
# completed (e.g. describe without --location) or a flag value of the wrong shape.
PARSE_ERRORS = re.compile(
    r"unrecognized arguments|Invalid choice|argument [^ ]+: |must be specified|is not a valid"
    r"|expected one argument|not properly specified|Error parsing \[|Failed to find attribute"
)


def code_blocks(text):
    """The bodies of fenced code blocks labelled sh, bash, shell or console (list items too)."""
    return re.findall(r"^[ \t]*```(?:sh|bash|shell|console)[ \t]*\n(.*?)^[ \t]*```", text, re.S | re.M)


def commands(block):
    """Every gcloud invocation in a shell snippet, as text (continuations joined)."""
    text = re.sub(r"\\\n\s*", " ", block)
    out = []
    for line in text.split("\n"):
        i = 0
        while True:
            m = re.compile(r"(?<![\w./-])gcloud\s").search(line, i)
            if not m:
                break
            end = scan(line, m.start())
            out.append(line[m.start():end].strip())
            i = m.start() + 6
    return out


def scan(line, start):
    """End of the simple command starting at `start`: quote- and $()-aware."""
    depth, i, quote = 0, start, None
    while i < len(line):
        c = line[i]
        if quote:
            if c == "\\" and quote == '"':
                i += 1
            elif c == quote:
                quote = None
            elif c == "$" and quote == '"' and line[i + 1:i + 2] == "(":
                depth += 1
                i += 1
        elif c in "'\"":
            quote = c
        elif c == "$" and line[i + 1:i + 2] == "(":
            depth += 1
            i += 1
        elif c == ")":
            if depth == 0:
                return i
            depth -= 1
        elif depth == 0 and (c in "|;&`" or (c == "#" and line[i - 1].isspace())):
            return i
        i += 1
    return i


def argv(command, source_dir):
    """The command as gcloud's argv, placeholders replaced, nested $(...) flattened to a sample."""
    text = re.sub(r"\$\((?:[^()]|\([^()]*\))*\)", "sample-value", command)
    for pattern, value in SAMPLES:
        text = re.sub(pattern, value, text)
    args = shlex.split(text, comments=True)
    return args


class Stub(http.server.BaseHTTPRequestHandler):
    """Answers every request with a finished, empty long-running operation."""

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        body = json.dumps({"name": "operations/stub", "done": True, "response": {}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _answer

    def log_message(self, *args):
        pass


def run_all(cmds, gcloud="gcloud", workers=3):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Stub)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    config = tempfile.mkdtemp(prefix="gcloud-docs-config-")
    source = tempfile.mkdtemp(prefix="gcloud-docs-source-")
    # The working directory: a one-file source tree for --source=. and the env files the docs
    # write before deploying.
    with open(os.path.join(source, "pom.xml"), "w") as f:
        f.write("<project/>\n")
    for name in ("env.yaml", "env-bulk.yaml"):
        with open(os.path.join(source, name), "w") as f:
            f.write("MAX_WAIT: 60s\n")
    env = dict(os.environ, CLOUDSDK_CONFIG=config, CLOUDSDK_CORE_DISABLE_PROMPTS="1")
    env.pop("CLOUDSDK_AUTH_ACCESS_TOKEN", None)
    # The properties `gcloud config set` would write, written at once (one gcloud start each
    # would cost seconds).
    os.makedirs(os.path.join(config, "configurations"))
    with open(os.path.join(config, "active_config"), "w") as f:
        f.write("default")
    with open(os.path.join(config, "configurations", "config_default"), "w") as f:
        f.write("[auth]\ndisable_credentials = true\n")
        f.write(f"[core]\nproject = {PROJECT}\ndisable_usage_reporting = true\n")
        f.write("[component_manager]\ndisable_update_check = true\n")
        f.write("[api_endpoint_overrides]\n" + "".join(f"{api} = {base}\n" for api in APIS))
    check_config = subprocess.run([gcloud, "config", "get", "api_endpoint_overrides/pubsub"], env=env,
                                  capture_output=True, text=True)
    if check_config.stdout.strip() != base:
        raise SystemExit(f"gcloud-docs: the throwaway config was not read: {check_config.stderr}")

    def one(item):
        where, cmd = item
        try:
            args = argv(cmd, source)
        except ValueError as e:
            return where, cmd, 2, f"cannot split: {e}"
        p = subprocess.run([gcloud] + args[1:] + ["--quiet"], env=env, capture_output=True, text=True,
                           timeout=120, stdin=subprocess.DEVNULL, cwd=source)
        return where, cmd, p.returncode, (p.stderr or p.stdout).strip()

    try:
        with concurrent.futures.ThreadPoolExecutor(workers) as pool:
            return list(pool.map(one, cmds))
    finally:
        server.shutdown()
        shutil.rmtree(config, ignore_errors=True)
        shutil.rmtree(source, ignore_errors=True)


def collect(files):
    cmds = []
    for f in files:
        with open(f, encoding="utf-8") as fh:
            for block in code_blocks(fh.read()):
                for c in commands(block):
                    cmds.append((f, c))
    return cmds


def error_line(output):
    return next((l for l in output.splitlines() if l.startswith("ERROR:")), "")


def rejected(code, output):
    """Whether gcloud refused the command line itself (not what the stub answered)."""
    return code == 2 or bool(PARSE_ERRORS.search(error_line(output)))


def check(files):
    started = time.monotonic()
    cmds = collect(files)
    if not cmds:
        print("gcloud-docs: no gcloud command found in " + ", ".join(files))
        return 1
    failed = 0
    for where, cmd, code, output in run_all(cmds):
        if rejected(code, output):
            failed += 1
            print(f"gcloud-docs: FAIL {where}: {cmd}\n  {error_line(output) or code}")
        else:
            print(f"gcloud-docs: ok   {where}: {cmd[:100]}")
    print(f"gcloud-docs: {len(cmds)} commands in {time.monotonic() - started:.1f} s")
    print(f"gcloud-docs: {len(cmds) - failed} passed, {failed} failed")
    return 1 if failed else 0


def self_test():
    """The broken fixture's every command must fail, the good one's pass."""
    here = os.path.dirname(os.path.abspath(__file__))
    bad = collect([os.path.join(here, "fixtures", "broken.md")])
    good = collect([os.path.join(here, "fixtures", "good.md")])
    results = run_all(bad + good)
    failures = 0
    for (where, cmd, code, output) in results:
        expected = where.endswith("broken.md")
        ok = rejected(code, output) == expected
        failures += 0 if ok else 1
        print(f"gcloud-docs self-test: {'ok  ' if ok else 'FAIL'} {'rejects' if expected else 'accepts'} {cmd} (exit {code})")
    print(f"gcloud-docs self-test: {len(results) - failures} passed, {failures} failed")
    return 1 if failures or len(bad) < 4 else 0


if __name__ == "__main__":
    if sys.argv[1:] == ["--self-test"]:
        sys.exit(self_test())
    sys.exit(check(sys.argv[1:]))
