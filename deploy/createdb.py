"""Create the PostgreSQL database named by a URL if it does not exist (deploy/prod.sh prepare)."""

import sys
from urllib.parse import urlparse

import psycopg


def main(url: str) -> None:
    name = urlparse(url).path.lstrip("/")
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        if not connection.execute("select 1 from pg_database where datname = %s", [name]).fetchone():
            connection.execute(f'create database "{name}"')


if __name__ == "__main__":
    main(sys.argv[1])
