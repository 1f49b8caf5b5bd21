#!/usr/bin/env bash
# What PostgreSQL itself can insert into the ledger's table on this machine, without Tally: 1,000,000
# pre-built rows (random client UUIDs, 10,000 accounts, random hashes; generated untimed into an UNLOGGED
# table) copied server-side into ledger_entries in durable transactions of 4,096 rows, three ways: with
# the seed's nine indexes, without the four random-keyed ones, and with the primary key only. No client,
# no JDBC, no balance updates: the server's ceiling for the entry rows alone.
#
#   scripts/pg-index-cost.sh "postgresql://postgres@localhost:5432/postgres"
#
# It creates and drops the database tally_index_cost on that server (needs CREATEDB and pgcrypto).
set -euo pipefail
url=${1:?usage: scripts/pg-index-cost.sh POSTGRES_URL}
root=$(cd "$(dirname "$0")/.." && pwd)
db_url=$(sed -E 's#^(postgres(ql)?://[^/?]*)(/[^?]*)?#\1/tally_index_cost#' <<<"$url")
psql -q -v ON_ERROR_STOP=1 "$url" -c "DROP DATABASE IF EXISTS tally_index_cost" -c "CREATE DATABASE tally_index_cost"
trap 'psql -q "$url" -c "DROP DATABASE IF EXISTS tally_index_cost" >/dev/null 2>&1 || true' EXIT
run() { psql -q -v ON_ERROR_STOP=1 "$db_url" "$@"; }
run -f "$root/tally-store/src/main/resources/db/migration/postgres/V1__ledger.sql" >/dev/null
run <<'SQL'
CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE UNLOGGED TABLE staging AS
WITH a AS (SELECT array_agg(gen_random_uuid()) AS ids FROM generate_series(1, 10000))
SELECT g::bigint AS seq, gen_random_uuid()::text AS transaction_id, 'TRANSFER'::text AS type, 'COMPLETED'::text AS status,
       a.ids[1 + floor(random() * 10000)::int] AS sender_id, a.ids[1 + floor(random() * 10000)::int] AS receiver_id,
       'EUR'::text AS currency, 1234::bigint AS amount_gross, 12::bigint AS tax_withheld, 1222::bigint AS amount_net,
       'TRANSFER_TAX'::text AS tax_kind, (1764000000000000 + g)::bigint AS created_at, 'api-key-1'::text AS actor,
       '192.168.1.100'::text AS ip_address, 'Mozilla/5.0 (X11; Linux x86_64)'::text AS user_agent,
       NULL::text AS reverses_transaction_id, gen_random_bytes(32) AS previous_hash, gen_random_bytes(32) AS current_hash
FROM generate_series(1, 1000000) g, a;
SQL
inserts=$(mktemp)
trap 'rm -f "$inserts"; psql -q "$url" -c "DROP DATABASE IF EXISTS tally_index_cost" >/dev/null 2>&1 || true' EXIT
for ((a = 1; a <= 1000000; a += 4096)); do
  b=$((a + 4095 > 1000000 ? 1000000 : a + 4095))
  echo "INSERT INTO ledger_entries SELECT * FROM staging WHERE seq BETWEEN $a AND $b;"
done > "$inserts"
measure() {
  run -c "TRUNCATE ledger_entries" -c "CHECKPOINT"
  local t0 t1
  t0=$(date +%s.%N)
  run -f "$inserts"
  t1=$(date +%s.%N)
  awk -v s="$t0" -v e="$t1" -v what="$1" 'BEGIN { printf "%-40s %6.1f s  %8.0f rows/s\n", what, e - s, 1000000 / (e - s) }'
}
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
measure "the seed's nine indexes"
run -c "DROP INDEX ledger_transaction_id_uq, ledger_sender_created_idx, ledger_receiver_created_idx, ledger_current_hash_uq"
measure "without the four random-keyed indexes"
run -c "DROP INDEX ledger_currency_type_idx, ledger_created_idx, ledger_status_idx, ledger_type_created_idx, ledger_reverses_uq"
measure "primary key only"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
