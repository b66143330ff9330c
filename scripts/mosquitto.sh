#!/usr/bin/env bash
# Starts (or stops) a throwaway Mosquitto broker for the fleet tests on 127.0.0.1, with a password file
# (user wafer, password wafer-test) and persistence, so retained messages survive a stop/start.
#   scripts/mosquitto.sh start   -> prints the broker URL (mqtt://USER:PASSWORD@127.0.0.1:PORT) on its last line
#   scripts/mosquitto.sh stop
set -euo pipefail
port=${WAFER_TEST_MQTT_PORT:-51883}
user=wafer
password=wafer-test
data=/tmp/wafer-test-mqtt-$port
command -v mosquitto >/dev/null || [ -x /usr/sbin/mosquitto ] || { echo "mosquitto not found: install the mosquitto package" >&2; exit 1; }
bin=$(command -v mosquitto || echo /usr/sbin/mosquitto)

running() { [ -f "$data/mosquitto.pid" ] && kill -0 "$(cat "$data/mosquitto.pid")" 2>/dev/null; }
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; }

case "${1:-start}" in
  start)
    if ! running; then
      mkdir -p "$data"
      if [ ! -f "$data/mosquitto.conf" ]; then
        : >"$data/passwords"
        mosquitto_passwd -b "$data/passwords" "$user" "$password"
        chmod 600 "$data/passwords"
        cat >"$data/mosquitto.conf" <<EOF
listener $port 127.0.0.1
allow_anonymous false
password_file $data/passwords
persistence true
persistence_location $data/
pid_file $data/mosquitto.pid
log_dest file $data/mosquitto.log
max_packet_size 2097152
EOF
        # as root, mosquitto drops to its own user: let that user own the broker's files
        if [ "$(id -u)" = 0 ]; then
          if id mosquitto >/dev/null 2>&1; then chown -R mosquitto "$data"; else echo "user root" >>"$data/mosquitto.conf"; fi
        fi
      fi
      "$bin" -c "$data/mosquitto.conf" -d
      for _ in $(seq 1 100); do listening && break; sleep 0.1; done
      listening || { echo "mosquitto did not start listening on 127.0.0.1:$port (see $data/mosquitto.log)" >&2; exit 1; }
    fi
    echo "mqtt://$user:$password@127.0.0.1:$port"
    ;;
  stop)
    if running; then
      pid=$(cat "$data/mosquitto.pid")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
    ;;
esac
