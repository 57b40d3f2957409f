"""Run a stand-in in a child process (tests of another process, benchmarks)."""

import json
import subprocess
import sys


def spawn(*cli_args):
    """Start ``python -m onec_exchange.standin --port 0 <cli_args>``.

    Returns ``(process, info)``: ``info`` is the JSON line the stand-in prints
    (``odata``, ``wsdl``, ``control`` URLs, ``profile``). Stop it with
    ``process.terminate()``.
    """
    process = subprocess.Popen(
        [sys.executable, "-m", "onec_exchange.standin", "--port", "0", *cli_args],
        stdout=subprocess.PIPE,
        text=True,
    )
    line = process.stdout.readline()
    if not line:
        process.wait(timeout=10)
        raise RuntimeError(f"the stand-in exited with code {process.returncode}")
    return process, json.loads(line)
