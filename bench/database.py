"""The bench database: created on first use, so `make bench` needs nothing prepared."""

import environ


def _server(url: str):
    """(psycopg2 connection to the server's `postgres` database, database name), or None for
    backends other than PostgreSQL (SQLite creates its file itself)."""
    config = environ.Env.db_url_config(url)
    if "postgresql" not in config["ENGINE"]:
        return None
    import psycopg2

    connection = psycopg2.connect(
        dbname="postgres",
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
    )
    connection.autocommit = True  # CREATE/DROP DATABASE cannot run inside a transaction
    return connection, config["NAME"]


def ensure_database(url: str, *, recreate: bool = False) -> str | None:
    """Create the PostgreSQL database named in `url` if it does not exist (dropping it first
    when `recreate`); return a message saying what was done, or None."""
    server = _server(url)
    if server is None:
        return None
    from psycopg2 import sql

    connection, name = server
    done = []
    try:
        with connection.cursor() as cursor:
            if recreate:
                # FORCE (PostgreSQL 13+): a leftover session must not block the drop.
                cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
                done.append("dropped")
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if not cursor.fetchone():
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                done.append("created")
    finally:
        connection.close()
    return f"Database {name!r} {' and '.join(done)}." if done else None
