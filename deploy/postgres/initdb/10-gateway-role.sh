#!/bin/sh
# Runs once, when the postgres container initialises its empty data volume: creates the login
# role of the MCP gateway. The migrate service (`akmatori migrate --gateway-role
# akmatori_gateway`) grants it exactly what the gateway needs, after every migration.
set -eu
: "${GATEWAY_DB_PASSWORD:?set GATEWAY_DB_PASSWORD in .env}"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v password="$GATEWAY_DB_PASSWORD" <<'SQL'
create role akmatori_gateway login password :'password';
SQL
