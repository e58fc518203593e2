#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# The packages on a real machine: installs the .deb files in DEBS_DIR with dpkg, checks what they installed
# (jar, unit, system user, directories, enabled unit), starts the installed manifest service and the installed
# agent from the ExecStart= of their installed units (there is no systemd in CI, so the command line is run here
# as the unit's User=, in its WorkingDirectory=, with its Environment=) with a configuration written as puppet
# renders it, checks that the agent reports to the manifest and deploys the commit the manifest names, then
# reinstalls, removes and purges the packages and checks what is left.
#
# Usage: test.sh DEBS_DIR
#
# Needs root (CI runs as root; elsewhere it re-runs itself through sudo -n). Changes the machine: it refuses to
# start when a Lockstep package or its files are already there, runs one at a time (flock), and puts back what it
# changed. Prints "packaging: N passed, M failed" last and exits non-zero on any failure.
set -euo pipefail

[[ $# -eq 1 ]] || { sed -n '/^# Usage:/p' "$0" | sed 's/^# //' >&2; exit 2; }
debs="$(cd "$1" && pwd)"
if [[ "$(id -u)" -ne 0 ]]; then
    exec sudo -n -- "$0" "$debs"
fi

# dpkg and the paths below belong to the whole machine: one run at a time.
exec 9>/run/lock/lockstep-packaging-test.lock
flock -w 900 9

tmp="$(mktemp -d)"
chmod 755 "$tmp" # the services' users read the git repository in it
pids=()
created_users=()
created_paths=()
passed=0
failed=0
pass() { passed=$((passed + 1)); echo "ok   $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1"; }

cleanup() {
    local pid user path
    for pid in "${pids[@]}"; do
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    for p in lockstep-cli lockstep-agent lockstep-manifest; do
        if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -qv 'not-installed'; then
            dpkg -P "$p" >/dev/null 2>&1 || true
        fi
    done
    for path in "${created_paths[@]}"; do
        rm -rf "$path"
    done
    for user in "${created_users[@]}"; do
        userdel "$user" 2>/dev/null || true
        groupdel "$user" 2>/dev/null || true
    done
    rm -rf "$tmp"
}
trap cleanup EXIT

# check NAME COMMAND...: one test; the command's output is shown only if it fails.
check() {
    local name="$1"
    shift
    if "$@" >"$tmp/check.log" 2>&1; then
        pass "$name"
    else
        fail "$name"
        sed 's/^/     | /' "$tmp/check.log" | head -40
    fi
}

agent_deb="$(ls "$debs"/lockstep-agent_*_all.deb)"
manifest_deb="$(ls "$debs"/lockstep-manifest_*_all.deb)"
cli_deb="$(ls "$debs"/lockstep-cli_*_all.deb 2>/dev/null || true)"
packages=(lockstep-agent lockstep-manifest)
files=("$agent_deb" "$manifest_deb")
if [[ -n "$cli_deb" ]]; then
    packages+=(lockstep-cli)
    files+=("$cli_deb")
else
    echo "(no lockstep-cli package in $debs: the CLI jar was not built)"
fi

echo "== a clean machine"
for p in "${packages[@]}"; do
    if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'installed'; then
        echo "test.sh: $p is installed on this machine; refusing to test over it" >&2
        exit 1
    fi
done
for path in /etc/lockstep/agent.yaml /etc/lockstep/agent.token /etc/lockstep/manifest.yaml /srv/lockstep \
        /var/lib/lockstep-manifest; do
    if [[ -e "$path" ]]; then
        echo "test.sh: $path exists; refusing to test over it" >&2
        exit 1
    fi
done
for user in lockstep-agent lockstep-manifest; do
    id "$user" >/dev/null 2>&1 || created_users+=("$user")
done
[[ -d /etc/lockstep ]] || created_paths+=(/etc/lockstep)
created_paths+=(/etc/lockstep/agent.yaml /etc/lockstep/agent.token /etc/lockstep/manifest.yaml /srv/lockstep
    /var/lib/lockstep-manifest)
pass "no Lockstep package or file on the machine"

echo "== dpkg -i"
check "dpkg -i ${files[*]##*/}" dpkg -i "${files[@]}"
for p in "${packages[@]}"; do
    check "$p is installed" sh -c "dpkg-query -W -f='\${Status}' $p | grep -qx 'install ok installed'"
done

# file_is PATH OWNER:GROUP MODE [symlink target]: stat of one path.
file_is() {
    local got
    got="$(stat -c '%U:%G %a' "$1")"
    [[ "$got" == "$2 $3" ]] || { echo "$1: $got, want $2 $3"; return 1; }
}
check "agent jar" file_is /usr/share/lockstep/agent.jar root:root 644
check "manifest jar" file_is /usr/share/lockstep/manifest-service.jar root:root 644
check "agent unit" file_is /lib/systemd/system/lockstep-agent.service root:root 644
check "manifest unit" file_is /lib/systemd/system/lockstep-manifest.service root:root 644
check "config directory" file_is /etc/lockstep root:root 755
check "agent base-dir, readable by the web server" file_is /srv/lockstep lockstep-agent:lockstep-agent 755
check "manifest data-dir, private" file_is /var/lib/lockstep-manifest lockstep-manifest:lockstep-manifest 750
check "agent example configuration" test -s /usr/share/doc/lockstep-agent/examples/agent.yaml

# system_user NAME HOME: a system user and its own group, no login shell.
system_user() {
    local entry uid gid home shell group_gid
    entry="$(getent passwd "$1")" || { echo "no user $1"; return 1; }
    IFS=: read -r _ _ uid gid _ home shell <<< "$entry"
    group_gid="$(getent group "$1" | cut -d: -f3)"
    [[ "$uid" -lt 1000 && "$gid" == "$group_gid" && "$home" == "$2" && "$shell" == /usr/sbin/nologin ]] || {
        echo "$entry (group gid $group_gid)"
        return 1
    }
}
check "system user lockstep-agent" system_user lockstep-agent /srv/lockstep
check "system user lockstep-manifest" system_user lockstep-manifest /var/lib/lockstep-manifest

enabled() {
    local link="/etc/systemd/system/multi-user.target.wants/$1.service"
    [[ "$(readlink "$link")" == "/lib/systemd/system/$1.service" ]] || { ls -l "$link"; return 1; }
}
check "lockstep-agent.service enabled" enabled lockstep-agent
check "lockstep-manifest.service enabled" enabled lockstep-manifest
if command -v systemd-analyze >/dev/null; then
    verify_units() {
        local out
        out="$(systemd-analyze verify /lib/systemd/system/lockstep-agent.service \
            /lib/systemd/system/lockstep-manifest.service 2>&1)" || { echo "$out"; return 1; }
        [[ -z "$out" ]] || { echo "$out"; return 1; }
    }
    check "systemd-analyze verify of the installed units (no warnings)" verify_units
else
    echo "(systemd-analyze is not installed: the installed units are not verified)"
fi
if [[ -n "$cli_deb" ]]; then
    check "cli jar" file_is /usr/share/lockstep/lockstep.jar root:root 644
    cli_runs() {
        local status=0
        /usr/bin/lockstep --help > "$tmp/cli.out" 2>&1 || status=$?
        [[ ( $status -eq 0 || $status -eq 2 ) && -s "$tmp/cli.out" ]] || { cat "$tmp/cli.out"; return 1; }
        grep -q '^Usage: lockstep' "$tmp/cli.out" || { cat "$tmp/cli.out"; return 1; }
    }
    check "lockstep --help runs the installed CLI jar" cli_runs
    # The man page names every command, every option of every command and every exit code that --help prints.
    man_page_matches() {
        local page cmd opt code bad=0
        page="$(zcat /usr/share/man/man1/lockstep.1.gz | sed 's/\\-/-/g')"
        for cmd in $(sed -n '/^Commands:/,/^$/p' "$tmp/cli.out" | awk '/^  [a-z]/ { print $1 }'); do
            grep -q "^\.B[RI]* $cmd\b" <<< "$page" || { echo "lockstep.1: no command $cmd"; bad=1; }
            [[ "$cmd" == help ]] && continue
            /usr/bin/lockstep "$cmd" --help > "$tmp/cli-$cmd.out" 2>&1 || { cat "$tmp/cli-$cmd.out"; return 1; }
            for opt in $(grep -o -- '--[a-z][a-z-]*' "$tmp/cli-$cmd.out" | sort -u); do
                grep -q -- "$opt" <<< "$page" || { echo "lockstep.1: $cmd $opt is not there"; bad=1; }
            done
        done
        for code in $(sed -n '/^Exit codes:/,/^$/p' "$tmp/cli.out" | awk '/^  [0-9]/ { print $1 }'); do
            grep -qx "\.B $code" <<< "$page" || { echo "lockstep.1: no exit status $code"; bad=1; }
        done
        [[ $bad -eq 0 ]]
    }
    check "lockstep(1) names every command, option and exit code of the installed CLI" man_page_matches
fi

echo "== the installed services, from their units' command lines"
free_port() { ruby -rsocket -e 's = TCPServer.new("127.0.0.1", 0); puts s.addr[1]; s.close'; }
sha256() { printf %s "$1" | sha256sum | cut -d' ' -f1; }
manifest_port="$(free_port)"
agent_port="$(free_port)"
host=pkgtest1
ci_token="ci-token-$RANDOM$RANDOM"
agent_token="agent-token-$RANDOM$RANDOM"

# A repository to deploy, readable by both services' users.
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
git init -q --bare -b main "$tmp/primary.git"
git init -q -b main "$tmp/work"
mkdir -p "$tmp/work/jsonschema"
echo '{"title": "installed from a package"}' > "$tmp/work/jsonschema/event.json"
git -C "$tmp/work" add -A
git -C "$tmp/work" -c user.name=test -c user.email=test@example.org commit -q -m 'First schema'
git -C "$tmp/work" push -q "$tmp/primary.git" main
commit="$(git -C "$tmp/work" rev-parse HEAD)"
chmod -R a+rX "$tmp"

# The configuration as lockstep::manifest and lockstep::agent render it: same keys, owners and modes.
cat > "$tmp/manifest.yaml" <<EOF
# Written by packaging/test.sh, as lockstep::manifest renders it.
server:
  address: 127.0.0.1
  port: $manifest_port
lockstep:
  manifest:
    store: embedded
    data-dir: /var/lib/lockstep-manifest
    repos:
      primary:
        url: file://$tmp/primary.git
        branch: main
        hosts: [$host]
    tokens:
      - name: ci
        sha256: $(sha256 "$ci_token")
        role: ci
        repos: [primary]
      - name: agent-$host
        sha256: $(sha256 "$agent_token")
        role: agent
        host: $host
EOF
install -m 0440 -o root -g lockstep-manifest "$tmp/manifest.yaml" /etc/lockstep/manifest.yaml
cat > "$tmp/agent.yaml" <<EOF
# Written by packaging/test.sh, as lockstep::agent renders it.
server:
  address: 127.0.0.1
  port: $agent_port
lockstep:
  agent:
    host: $host
    manifest-urls: [http://127.0.0.1:$manifest_port]
    token-file: /etc/lockstep/agent.token
    base-dir: /srv/lockstep
    keep-releases: 5
    adopt-existing: false
    heartbeat: 2s
    repos:
      primary:
        url: file://$tmp/primary.git
EOF
install -m 0440 -o root -g lockstep-agent "$tmp/agent.yaml" /etc/lockstep/agent.yaml
install -m 0400 -o lockstep-agent -g lockstep-agent /dev/null /etc/lockstep/agent.token
printf '%s\n' "$agent_token" > /etc/lockstep/agent.token

# unit_value UNIT KEY: the value of the (last) KEY= line of an installed unit.
unit_value() { sed -n "s/^$2=//p" "/lib/systemd/system/$1.service" | tail -n 1; }

# start_unit UNIT LOG: runs the unit's ExecStart= as systemd would (User=, WorkingDirectory=, Environment=, a
# clean environment), in the background.
start_unit() {
    local unit="$1" log="$2" exec_start user dir env_line
    exec_start="$(unit_value "$unit" ExecStart)"
    user="$(unit_value "$unit" User)"
    dir="$(unit_value "$unit" WorkingDirectory)"
    env_line="$(unit_value "$unit" Environment)"
    local -a argv env
    read -r -a argv <<< "$exec_start"
    read -r -a env <<< "$env_line"
    echo "     $unit: User=$user WorkingDirectory=$dir Environment=${env[*]}"
    echo "     $unit: ExecStart=${argv[*]}"
    (cd "$dir" && exec runuser -u "$user" -- env -i PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 \
        "${env[@]}" "${argv[@]}") > "$log" 2>&1 &
    pids+=($!)
}

# await NAME SECONDS COMMAND...: polls COMMAND until it succeeds.
await() {
    local name="$1" seconds="$2" i
    shift 2
    for ((i = 0; i < seconds * 5; i++)); do
        if "$@" >/dev/null 2>&1; then
            pass "$name"
            return 0
        fi
        sleep 0.2
    done
    fail "$name (not within ${seconds}s)"
    return 1
}

api() { curl -sf --max-time 5 "http://127.0.0.1:$manifest_port$1"; }
# host_field FIELD: one field of the host's view in GET /api/v1/repos/primary/hosts (the paged per-host views).
host_field() {
    api "/api/v1/repos/primary/hosts?size=100" | ruby -rjson -e \
        'h = JSON.parse($stdin.read)["items"].find { |x| x["host"] == ARGV[0] }; puts h && h[ARGV[1]]' "$host" "$1"
}
reported() { [[ -n "$(host_field lastReportAt)" ]]; }
serves() { [[ "$(host_field current)" == "$commit" ]]; }

start_unit lockstep-manifest "$tmp/manifest.log"
manifest_pid="${pids[-1]}"
if ! await "the installed manifest starts and answers /actuator/health" 120 api /actuator/health; then
    tail -n 30 "$tmp/manifest.log" | sed 's/^/     | /'
fi
start_unit lockstep-agent "$tmp/agent.log"
agent_pid="${pids[-1]}"
if ! await "the installed agent reports to the manifest" 120 reported; then
    tail -n 30 "$tmp/agent.log" | sed 's/^/     | /'
fi
if [[ -n "$cli_deb" ]]; then
    # As a CI job runs it: an unprivileged user, nothing but the two variables.
    cli_deploys() {
        runuser -u nobody -- env -i PATH=/usr/bin:/bin LOCKSTEP_MANIFEST_URLS="http://127.0.0.1:$manifest_port" \
            LOCKSTEP_TOKEN="$ci_token" /usr/bin/lockstep target primary "$commit" --reason "packaging test" \
            --wait --timeout 3m
    }
    check "CI sets a target with the installed lockstep and waits until the host serves it (exit 0)" cli_deploys
    cli_status() {
        local out
        out="$(runuser -u nobody -- env -i PATH=/usr/bin:/bin /usr/bin/lockstep status primary \
            --manifest "http://127.0.0.1:$manifest_port")" || { echo "$out"; return 1; }
        echo "$out"
        grep -q "active: *${commit:0:12}" <<< "$out" && grep -q "^  $host " <<< "$out"
    }
    check "lockstep status names the active commit and the host" cli_status
else
    check "CI sets a target (202)" sh -c "curl -sf -o /dev/null -w '%{http_code}' -X PUT \
        -H 'Authorization: Bearer $ci_token' -H 'Content-Type: application/json' \
        -d '{\"commit\": \"$commit\", \"reason\": \"packaging test\"}' \
        http://127.0.0.1:$manifest_port/api/v1/repos/primary/target | grep -qx 202"
fi
if ! await "the installed agent serves the target, as the manifest sees it" 120 serves; then
    tail -n 30 "$tmp/agent.log" | sed 's/^/     | /'
fi
check "current links the release" test "$(readlink /srv/lockstep/primary/current)" = "releases/$commit"
check "the release holds the commit's file" grep -q 'installed from a package' \
    /srv/lockstep/primary/current/jsonschema/event.json
in_pool() { grep -q '^in the pool' /srv/lockstep/.lb-check/status && ls /srv/lockstep/.lb-check/e* >/dev/null; }
await "the installed agent holds its lease on the load balancer's pool" 10 in_pool
check "the agent ran as lockstep-agent" file_is "/srv/lockstep/primary/releases/$commit" \
    lockstep-agent:lockstep-agent 755
check "the manifest ran as lockstep-manifest" file_is /var/lib/lockstep-manifest/store \
    lockstep-manifest:lockstep-manifest 755

# stop PID NAME: SIGTERM, as systemctl stop sends; the units accept 143 (SuccessExitStatus=143).
stop() {
    local status=0
    kill -TERM "$1"
    wait "$1" || status=$?
    [[ $status -eq 0 || $status -eq 143 ]] || { echo "$2 exited with $status"; return 1; }
}
check "the agent stops on SIGTERM with a status the unit accepts" stop "$agent_pid" agent
check "the manifest stops on SIGTERM with a status the unit accepts" stop "$manifest_pid" manifest
pids=()

echo "== reinstall, remove, purge"
check "dpkg -i again (the upgrade path of the maintainer scripts)" dpkg -i "${files[@]}"
check "the users are kept as they were" system_user lockstep-agent /srv/lockstep
check "dpkg -r ${packages[*]}" dpkg -r "${packages[@]}"
gone() {
    local path
    for path in "$@"; do
        if [[ -e "$path" || -L "$path" ]]; then
            echo "still there: $path"
            return 1
        fi
    done
}
check "the jars and units are gone" gone /usr/share/lockstep/agent.jar /usr/share/lockstep/manifest-service.jar \
    /lib/systemd/system/lockstep-agent.service /lib/systemd/system/lockstep-manifest.service /usr/bin/lockstep
check "dpkg -P ${packages[*]}" dpkg -P "${packages[@]}"
for p in "${packages[@]}"; do
    check "$p is not installed" sh -c "! dpkg-query -W -f='\${Status}' $p 2>/dev/null | grep -q installed"
done
check "the units are no longer enabled" gone /etc/systemd/system/multi-user.target.wants/lockstep-agent.service \
    /etc/systemd/system/multi-user.target.wants/lockstep-manifest.service
check "the manifest's store is kept on purge" test -d /var/lib/lockstep-manifest/store
check "the agent's base-dir is kept on purge" test -L /srv/lockstep/primary/current

echo "packaging: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
