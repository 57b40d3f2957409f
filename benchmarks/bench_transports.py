#!/usr/bin/env python3
"""Read counterparties and orders through each transport from a stand-in.

Starts ``python -m onec_exchange.standin`` on 127.0.0.1 in a child process
(so the server's memory is not counted), then for each volume and protocol
reads every counterparty and every order page by page, printing records per
second and the client's peak traced memory. The peak should stay flat as the
volume grows: pages are streamed, not accumulated.

    python3 benchmarks/bench_transports.py --counterparties 20000 --orders 100000

The throughput pass runs without tracemalloc (which slows allocation down);
a second pass measures memory unless ``--no-memory`` is given.
"""

import argparse
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from onec_exchange.factory import make_transport
from onec_exchange.standin.process import spawn

LOGIN, PASSWORD = "bench", "bench"


def start_standin(profile, counterparties, orders):
    """A stand-in child process and its web server's base URL."""
    process, info = spawn(
        "--profile",
        profile,
        "--counterparties",
        str(counterparties),
        "--orders",
        str(orders),
        "--user",
        f"{LOGIN}:{PASSWORD}",
    )
    return process, info["odata"].split("/trade/")[0] + "/"


def read_all(transport, page_size):
    """Count records of both streams, keeping only the current page."""
    counted = 0
    for stream in (transport.iter_counterparties, transport.iter_orders):
        for page in stream(page_size=page_size):
            counted += len(page)
    return counted


def measure(base_url, protocol, profile, page_size, with_memory):
    transport = make_transport(
        protocol,
        base_url,
        "trade",
        profile,
        username=LOGIN,
        password=PASSWORD,
        timeout=300,
    )
    transport.check_connection()  # the WSDL is loaded outside the timing
    started = time.perf_counter()
    records = read_all(transport, page_size)
    seconds = time.perf_counter() - started
    peak = None
    if with_memory:
        tracemalloc.start()
        read_all(transport, page_size)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    transport.close()
    return records, seconds, peak


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--counterparties", type=int, default=20000)
    parser.add_argument("--orders", type=int, default=100000)
    parser.add_argument("--profile", default="ut11")
    parser.add_argument("--page-size", type=int, default=1000)
    parser.add_argument(
        "--scales",
        default="0.2,1",
        help="fractions of the volume to run (default 0.2,1)",
    )
    parser.add_argument("--protocols", default="odata,soap")
    parser.add_argument("--no-memory", action="store_true")
    args = parser.parse_args(argv)
    print(
        f"{'counterparties':>14} {'orders':>8} {'protocol':>8} {'records':>8} "
        f"{'seconds':>8} {'records/s':>10} {'peak MiB':>9}"
    )
    for scale in (float(value) for value in args.scales.split(",")):
        counterparties, orders = (
            int(args.counterparties * scale),
            int(args.orders * scale),
        )
        process, base_url = start_standin(args.profile, counterparties, orders)
        try:
            for protocol in args.protocols.split(","):
                records, seconds, peak = measure(
                    base_url, protocol, args.profile, args.page_size, not args.no_memory
                )
                peak_text = f"{peak / 2**20:9.1f}" if peak is not None else f"{'-':>9}"
                print(
                    f"{counterparties:>14} {orders:>8} {protocol:>8} {records:>8} "
                    f"{seconds:>8.1f} {records / seconds:>10.0f} {peak_text}",
                    flush=True,
                )
        finally:
            process.terminate()
            process.wait(timeout=30)


if __name__ == "__main__":
    main()
