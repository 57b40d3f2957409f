"""The checkout, printing, running commands, and their environment."""

import os
import secrets
import socket
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# one run's files and databases: two runs at once (in one checkout, or
# against one PostgreSQL from two machines) never share a name
RUN_ID = f"{os.getpid()}_{secrets.token_hex(3)}"
RUN_DIR = ROOT / ".test-run" / RUN_ID


def say(msg):
    print(f"[run_tests] {msg}", flush=True)


def run(cmd, **kwargs):
    say("$ " + " ".join(str(c) for c in cmd))
    return subprocess.run([str(c) for c in cmd], check=False, **kwargs)


def run_logged(cmd, log, **kwargs):
    """Run ``cmd`` with its output appended to ``log`` (for parts that run
    beside others, so that their outputs do not interleave)."""
    with log.open("a", encoding="utf-8") as out:
        out.write("$ " + " ".join(str(c) for c in cmd) + "\n")
        out.flush()
        return subprocess.run(
            [str(c) for c in cmd],
            check=False,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            **kwargs,
        )


def probe(python, code):
    """What ``python -c code`` prints, or ``""`` when it fails or cannot run."""
    try:
        done = subprocess.run(
            [python, "-c", code],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except OSError:
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def test_env(**extra):
    env = {**os.environ, **extra}
    # the exchange package is imported from this checkout, not from site-packages
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])
    )
    return env


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
