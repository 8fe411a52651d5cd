"""The PostgreSQL warehouse: connection resolution and the embedded default server."""
