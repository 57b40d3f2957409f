"""``python -m onec_exchange.standin`` / ``onec-standin``: run a stand-in.

Listens on 127.0.0.1 unless told otherwise; prints the base URLs of the
OData interface, the WSDL and the control API, then serves until Ctrl+C.
"""

import argparse
import json
import sys
from datetime import date, datetime

from ..profiles import SHIPPED
from ..soap_contract import SERVICE
from . import StandIn


def build_parser():
    parser = argparse.ArgumentParser(
        prog="onec-standin",
        description="A 1C:Enterprise stand-in: OData standard interface and "
        f"the {SERVICE} SOAP service over reproducible demo data.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="default: 127.0.0.1")
    parser.add_argument("--port", type=int, default=8081, help="default: 8081")
    parser.add_argument("--publication", default="trade", help="default: trade")
    parser.add_argument(
        "--profile",
        default="ut11",
        help=f"one of {', '.join(SHIPPED)} or a profile JSON path (default: ut11)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--counterparties", type=int, default=200)
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument(
        "--payments", type=int, default=None, help="default: half the orders"
    )
    parser.add_argument(
        "--user",
        action="append",
        default=None,
        metavar="LOGIN:PASSWORD",
        help="a 1C user (repeatable); default: Администратор:пароль",
    )
    parser.add_argument("--soap-alias", default=SERVICE)
    parser.add_argument(
        "--start",
        type=date.fromisoformat,
        default=None,
        metavar="YYYY-MM-DD",
        help="the documents are dated over the year from this day "
        "(default: 2025-01-01; a demo wants the last year: a year ago)",
    )
    return parser


def parse_users(values):
    """``["login:password", ...]`` -> ``{login: password}``, or None."""
    if not values:
        return None
    users = {}
    for value in values:
        login, separator, password = value.partition(":")
        if not separator:
            raise SystemExit(f"--user needs LOGIN:PASSWORD, got {value!r}")
        users[login] = password
    return users


def main(argv=None):
    args = build_parser().parse_args(argv)
    standin = StandIn(
        args.profile,
        publication=args.publication,
        users=parse_users(args.user),
        seed=args.seed,
        counterparties=args.counterparties,
        orders=args.orders,
        payments=args.payments,
        soap_alias=args.soap_alias,
        start=datetime.combine(args.start, datetime.min.time()) if args.start else None,
    )
    url = standin.start(args.host, args.port)
    info = {
        "odata": f"{url}odata/standard.odata/",
        "wsdl": f"{url}ws/{args.soap_alias}.1cws?wsdl",
        "control": f"{url}_standin/state",
        "profile": standin.profile.name,
    }
    print(json.dumps(info, ensure_ascii=False), flush=True)
    try:
        standin.wait()
    except KeyboardInterrupt:
        pass
    finally:
        standin.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
