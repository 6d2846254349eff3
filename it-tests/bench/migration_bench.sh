#!/usr/bin/env bash
# Migration figures: one mailbox (EpostMigrationIT's "mover": 371 messages in 7 folders, ~4 MB, flags, keywords,
# dates, some 270 KB attachments) written three ways, each timed:
#   migration  the migration task copies it from Dovecot into an ePOST peer (deploy/bin/epost-migrate)
#   append     a plain IMAP APPEND client (legacy_fill.py) writes it into an ePOST peer
#   stock      the same APPEND client writes it into stock James 3.8.1 (epost-ring up --stock, memory backend)
# One Dovecot (as EpostMigrationIT configures it), one 1-peer ePOST ring and one stock James, all on loopback.
# A harness, not a test: prints one line per way and leaves everything stopped.
# usage: it-tests/bench/migration_bench.sh [DIR (default /tmp/migration-bench)] [BASE_PORT (default 36200)]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DIR=${1:-/tmp/migration-bench}
BASE=${2:-36200}
IMAP=$((BASE + 700)) LMTP=$((BASE + 701))
RES=$ROOT/it-tests/src/test/resources
SPEC='{"tag": "mover", "folders": [{"name": "INBOX", "count": 150}, {"name": "Sent Messages", "count": 60},
 {"name": "Drafts", "count": 6}, {"name": "Deleted Messages", "count": 20}, {"name": "Junk", "count": 15},
 {"name": "Archive/2023", "count": 80}, {"name": "Archive/2024", "count": 40}]}'

rm -rf "$DIR" && mkdir -p "$DIR/dovecot/mail" "$DIR/dovecot/run" && chmod 777 "$DIR/dovecot" "$DIR/dovecot/mail"
D=$DIR/dovecot
printf 'bench@epost.test:{PLAIN}bench-legacy::::::\n' > "$D/passwd"
cat > "$D/dovecot.conf" <<EOF
base_dir = $D/run
state_dir = $D/state
instance_name = epost-bench-$IMAP
protocols = imap lmtp
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
default_login_user = dovenull
default_internal_user = dovecot
mail_uid = dovecot
mail_gid = dovecot
first_valid_uid = 1
mail_location = maildir:$D/mail/%d/%n
log_path = $D/dovecot.log
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $D/passwd
}
userdb {
  driver = passwd-file
  args = username_format=%u $D/passwd
  default_fields = uid=dovecot gid=dovecot home=$D/mail/%d/%n
}
namespace inbox {
  inbox = yes
  separator = /
  mailbox "Sent Messages" {
    special_use = \\Sent
  }
  mailbox Junk {
    special_use = \\Junk
  }
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $IMAP
  }
  inet_listener imaps {
    port = 0
  }
}
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = $LMTP
  }
}
EOF
/usr/sbin/dovecot -F -c "$D/dovecot.conf" > "$D/out" 2>&1 &
DOVECOT=$!
stop() {
  "$ROOT/deploy/bin/epost-ring" down --data "$DIR/epost" > /dev/null 2>&1 || true
  "$ROOT/deploy/bin/epost-ring" down --data "$DIR/stock" > /dev/null 2>&1 || true
  kill "$DOVECOT" 2> /dev/null || true
}
trap stop EXIT
sleep 2
python3 "$RES/legacy_fill.py" 127.0.0.1 "$IMAP" bench@epost.test bench-legacy "$SPEC" > "$DIR/fill.json"

"$ROOT/deploy/bin/epost-ring" up --peers 1 --data "$DIR/epost" --base-port "$BASE" > /dev/null
curl -sf -H 'Content-Type: application/json' -X PUT "http://127.0.0.1:$BASE/users/bench@epost.test" -d '{"password":"bench-epost"}'
curl -sf -H 'Content-Type: application/json' -X PUT "http://127.0.0.1:$BASE/users/append@epost.test" -d '{"password":"append-epost"}'
echo bench-legacy > "$DIR/password"
"$ROOT/deploy/bin/epost-migrate" --webadmin "http://127.0.0.1:$BASE" --user bench@epost.test --host 127.0.0.1 \
  --port "$IMAP" --tls none --password-file "$DIR/password" 2> /dev/null | head -1 | sed 's/^/migration: /'
python3 "$RES/legacy_fill.py" 127.0.0.1 $((BASE + 43)) append@epost.test append-epost "$SPEC" starttls \
  | python3 -c 'import json,sys; d=json.load(sys.stdin); print("append into ePOST: %d messages (%d bytes) in %.1f s, %.1f messages/s" % (d["appended"], d["bytes"], d["seconds"], d["appended"] / d["seconds"]))'
"$ROOT/deploy/bin/epost-ring" down --data "$DIR/epost" > /dev/null

"$ROOT/deploy/bin/epost-ring" up --stock --peers 1 --data "$DIR/stock" --base-port $((BASE + 400)) > /dev/null
PASSWORD=$("$ROOT/deploy/bin/epost-ring" status --json --data "$DIR/stock" | python3 -c 'import json,sys; print(json.load(sys.stdin)["password"])')
python3 "$RES/legacy_fill.py" 127.0.0.1 $((BASE + 443)) alice@epost.test "$PASSWORD" "$SPEC" starttls \
  | python3 -c 'import json,sys; d=json.load(sys.stdin); print("append into stock James: %d messages (%d bytes) in %.1f s, %.1f messages/s" % (d["appended"], d["bytes"], d["seconds"], d["appended"] / d["seconds"]))'
