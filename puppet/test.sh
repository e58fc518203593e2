#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Tests of the puppet module, from any directory:
#   puppet parser validate, puppet-lint (failing on warnings), puppet epp validate,
#   the rspec-puppet catalogue specs, and the rendered nginx configuration under a
#   real nginx: nginx -t, then requests against a fake base-dir (read-through,
#   listings, the /repositories/ health check, an atomic switch of current).
#
# Needs Debian's puppet-agent, puppet-lint, ruby-rspec-puppet, nginx-light (or any
# nginx) and curl; nothing from the network. Prints "puppet: N passed, M failed"
# last and exits non-zero on any failure.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
module="$here/modules/lockstep"

tmp="$(mktemp -d)"
chmod 755 "$tmp" # nginx workers may run as another user
nginx_pids=()
cleanup() {
    local pid
    for pid in "${nginx_pids[@]}"; do
        kill -QUIT "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$tmp"
}
trap cleanup EXIT

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "ok   $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1"; }

# check NAME COMMAND...: one test; the command's output is shown only if it fails.
check() {
    local name="$1"
    shift
    if "$@" >"$tmp/check.log" 2>&1; then
        pass "$name"
    else
        fail "$name"
        sed 's/^/     | /' "$tmp/check.log" | grep -v 'Facter: Permission denied' | head -60
    fi
}

# Puppet's own settings go to a private directory: no state from the machine, and
# it works as root or as a user without a home.
export HOME="$tmp/home"
mkdir -p "$HOME"
puppet_dirs=(--confdir "$tmp/puppet/conf" --vardir "$tmp/puppet/var" --codedir "$tmp/puppet/code"
    --logdir "$tmp/puppet/log" --rundir "$tmp/puppet/run")

echo "== tools"
for tool in puppet puppet-lint rspec nginx curl ruby; do
    check "$tool is installed" command -v "$tool"
done

cd "$here"
mapfile -t manifests < <(find modules examples -name '*.pp' | sort)
mapfile -t templates < <(find modules examples -name '*.epp' | sort)

echo "== puppet parser validate (${#manifests[@]} files)"
check "puppet parser validate, all ${#manifests[@]} files" puppet parser validate "${puppet_dirs[@]}" "${manifests[@]}"

echo "== puppet-lint"
lint=(puppet-lint --fail-on-warnings --with-filename)
check "puppet-lint modules/lockstep" "${lint[@]}" modules/lockstep
check "puppet-lint examples/modules" "${lint[@]}" examples/modules
check "puppet-lint examples/stubs" "${lint[@]}" examples/stubs
# The "before" profile is a snapshot for comparison, outside any module path.
check "puppet-lint examples/before" "${lint[@]}" --no-autoloader_layout-check examples/before

echo "== puppet epp validate (${#templates[@]} files)"
check "puppet epp validate, all ${#templates[@]} files" puppet epp validate "${puppet_dirs[@]}" "${templates[@]}"

echo "== SPDX headers"
missing_spdx() {
    local f status=0
    while IFS= read -r f; do
        if ! head -n 3 "$f" | grep -q 'SPDX-License-Identifier: Apache-2.0'; then
            echo "no SPDX header: $f"
            status=1
        fi
    done < <(find . -type f \( -name '*.pp' -o -name '*.epp' -o -name '*.rb' -o -name '*.sh' -o -name '*.md' \))
    return $status
}
check "every file has an SPDX header" missing_spdx

echo "== shell syntax"
check "bash -n test.sh" bash -n "$here/test.sh"
check "bash -n render-nginx-site.sh" bash -n "$here/render-nginx-site.sh"

echo "== rspec-puppet (modules/lockstep/spec)"
rspec_log="$tmp/rspec.log"
set +e
(cd "$module" && rspec --format progress --no-color) >"$rspec_log" 2>&1
rspec_status=$?
set -e
summary="$(grep -E '^[0-9]+ examples?, [0-9]+ failures?' "$rspec_log" | tail -n 1 || true)"
if [[ -n "$summary" ]]; then
    examples="${summary%% example*}"
    failures="$(sed -E 's/^[0-9]+ examples?, ([0-9]+) failures?.*/\1/' <<< "$summary")"
    passed=$((passed + examples - failures))
    failed=$((failed + failures))
    echo "rspec: $summary"
fi
if [[ $rspec_status -ne 0 || -z "$summary" ]]; then
    grep -v 'Facter: Permission denied' "$rspec_log" | tail -n 80 | sed 's/^/     | /'
    [[ -n "$summary" && "${failures:-0}" -gt 0 ]] || fail "rspec ran (exit $rspec_status)"
fi

echo "== nginx: the rendered configuration under a real nginx"

# A fake agent base-dir: primary has current (release c1) and next (release c2);
# secondary is new on this host: next is prepared, nothing is active yet.
base="$tmp/base"
c1="$base/primary/releases/c1" c2="$base/primary/releases/c2" c3="$base/secondary/releases/c3"
mkdir -p "$c1/dir-a" "$c1/withindex" "$c2/dir-a" "$c2/dir-n" "$c3" "$base/primary/mirror.git"
echo 'current-only' > "$c1/only-current.json"
echo 'from-current' > "$c1/both.json"
echo 'a' > "$c1/dir-a/a.json"
echo 'index-page' > "$c1/withindex/index.html"
echo 'next-only' > "$c2/only-next.json"
echo 'from-next' > "$c2/both.json"
echo 'a' > "$c2/dir-a/a.json"
echo 'nested-next' > "$c2/dir-n/n.json"
echo 'secondary-next' > "$c3/s.json"
echo 'ref: refs/heads/main' > "$base/primary/mirror.git/HEAD"
# As in a checkout adopted with adopt-existing (releases never have .git).
mkdir -p "$c1/.git"
echo '[core]' > "$c1/.git/config"
echo '*.tmp' > "$c1/.gitignore"
ln -s releases/c1 "$base/primary/current"
ln -s releases/c2 "$base/primary/next"
ln -s releases/c3 "$base/secondary/next"
chmod -R a+rX "$base"

free_port() { ruby -rsocket -e 's = TCPServer.new("127.0.0.1", 0); puts s.addr[1]; s.close'; }

# start_nginx NAME CONF: nginx -t, then run it in the foreground of a background job.
start_nginx() {
    local name="$1" conf="$2" port="$3" i
    check "nginx -t ($name)" nginx -t -c "$conf"
    nginx -c "$conf" >"$tmp/nginx-$name.out" 2>&1 &
    nginx_pids+=($!)
    for i in $(seq 1 50); do
        if curl -s -o /dev/null "http://127.0.0.1:$port/"; then
            pass "nginx starts ($name)"
            return 0
        fi
        sleep 0.1
    done
    fail "nginx starts ($name)"
    cat "$tmp/nginx-$name.out" "$tmp/run-$name/error.log" 2>/dev/null | sed 's/^/     | /' || true
    return 1
}

# expect NAME METHOD URL STATUS [BODY_REGEX [NOT_BODY_REGEX]]: one request.
expect() {
    local name="$1" method="$2" url="$3" status="$4" want="${5:-}" unwanted="${6:-}" got
    local args=(-s --max-time 5 -o "$tmp/body" -w '%{http_code} %{content_type} %{redirect_url}')
    if [[ "$method" == HEAD ]]; then args+=(--head); else args+=(-X "$method"); fi
    got="$(curl "${args[@]}" "$url" || true)"
    if [[ "${got%% *}" != "$status" ]]; then
        fail "$name: $method $url: want $status, got: $got"
    elif [[ -n "$want" ]] && ! grep -Eq -- "$want" <<< "$got"$'\n'"$(cat "$tmp/body")"; then
        fail "$name: $method $url: response lacks /$want/: $got $(head -c 300 "$tmp/body")"
    elif [[ -n "$unwanted" ]] && grep -Eq -- "$unwanted" "$tmp/body"; then
        fail "$name: $method $url: response has /$unwanted/"
    else
        pass "$name: $method $url -> $status"
    fi
}

# requests NAME PORT: what a schema host must answer.
requests() {
    local name="$1" u="http://127.0.0.1:$2/repositories"
    expect "$name health check" GET "$u/" 200 '<a href="primary/">primary/</a>'
    expect "$name health check lists every repository" GET "$u/" 200 '<a href="secondary/">secondary/</a>'
    expect "$name health check" HEAD "$u/" 200
    expect "$name index without slash" GET "$u" 301 "$u/\$"
    expect "$name file only in current" GET "$u/primary/only-current.json" 200 '^current-only$'
    expect "$name file only in next (read-through)" GET "$u/primary/only-next.json" 200 '^next-only$'
    expect "$name file in both: current wins" GET "$u/primary/both.json" 200 '^from-current$'
    expect "$name json content type" GET "$u/primary/both.json" 200 '^200 application/json'
    expect "$name missing file" GET "$u/primary/missing.json" 404
    expect "$name nested file only in next" GET "$u/primary/dir-n/n.json" 200 '^nested-next$'
    expect "$name listing comes from current" GET "$u/primary/" 200 'Index of /repositories/primary/' 'only-next'
    expect "$name listing shows current's files" GET "$u/primary/" 200 'href="only-current.json"'
    expect "$name listing of a directory only in next" GET "$u/primary/dir-n/" 404
    expect "$name subdirectory listing" GET "$u/primary/dir-a/" 200 'href="a.json"'
    expect "$name directory without slash" GET "$u/primary/dir-a" 301 "$u/primary/dir-a/\$"
    expect "$name repository without slash" GET "$u/primary" 301 "$u/primary/\$"
    expect "$name index file" GET "$u/primary/withindex/" 200 '^index-page$'
    expect "$name mirror is not served" GET "$u/primary/mirror.git/HEAD" 404
    expect "$name .git is never served" GET "$u/primary/.git/config" 404
    expect "$name .git is never listed" GET "$u/primary/.git/" 404
    expect "$name .gitignore is a file like any other" GET "$u/primary/.gitignore" 200 '^\*\.tmp$'
    expect "$name releases are not served" GET "$u/primary/releases/c1/both.json" 404
    expect "$name dot segments stay inside" GET "$u/primary/dir-a/%2e%2e/%2e%2e/primary/both.json" 200 '^from-current$'
    expect "$name unknown repository" GET "$u/tertiary/x.json" 404
    expect "$name repository name prefix" GET "$u/primaryx/both.json" 404
    expect "$name new repository: file from next" GET "$u/secondary/s.json" 200 '^secondary-next$'
    expect "$name new repository: no listing before activation" GET "$u/secondary/" 404
    expect "$name outside the URL space" GET "http://127.0.0.1:$2/both.json" 404
}

if command -v nginx >/dev/null && command -v curl >/dev/null; then
    # 1. The snippets inlined into one server block.
    port_inline="$(free_port)"
    conf_inline="$tmp/nginx-inline.conf"
    if "$here/render-nginx-site.sh" --listen "127.0.0.1:$port_inline" --base-dir "$base" \
            --repos primary,secondary --nginx-conf "$tmp/run-inline" >"$conf_inline" 2>"$tmp/render.err"; then
        pass "render-nginx-site.sh (inline)"
    else
        fail "render-nginx-site.sh (inline)"
        sed 's/^/     | /' "$tmp/render.err"
    fi
    # 2. As puppet lays them out: repositories.conf including repositories.d/*.conf.
    port_files="$(free_port)"
    conf_files="$tmp/nginx-files.conf"
    if "$here/render-nginx-site.sh" --listen "127.0.0.1:$port_files" --base-dir "$base" \
            --repos primary,secondary --snippet-dir "$tmp/snippets" --nginx-conf "$tmp/run-files" \
            >"$conf_files" 2>"$tmp/render.err"; then
        pass "render-nginx-site.sh (snippet files, as puppet installs them)"
    else
        fail "render-nginx-site.sh (snippet files, as puppet installs them)"
        sed 's/^/     | /' "$tmp/render.err"
    fi
    chmod -R a+rX "$tmp"

    if start_nginx inline "$conf_inline" "$port_inline" && start_nginx files "$conf_files" "$port_files"; then
        requests inline "$port_inline"
        requests files "$port_files"

        # The load balancer's check reads the agent's lease: one empty file per 10-second window.
        lb="$base/.lb-check"
        for name in inline files; do
            port_var="port_$name"
            u="http://127.0.0.1:${!port_var}/lockstep/health"
            expect "$name check without any lease" GET "$u" 503 'holds no lease'
            mkdir -p "$lb" && chmod 755 "$lb"
            window=$(( $(date +%s) / 10 ))
            touch "$lb/e$((window - 3))"
            expect "$name check with a lease that ran out 30 s ago" GET "$u" 503 'holds no lease'
            touch "$lb/e$((window - 1))" "$lb/e$window" "$lb/e$((window + 1))"
            chmod 644 "$lb"/e*
            expect "$name check while the lease holds" GET "$u" 200 '^in the pool$'
            expect "$name check while the lease holds" HEAD "$u" 200
            check "$name check is never cached" sh -c "curl -s -D - -o /dev/null '$u' | grep -qi '^cache-control: no-store'"
            rm -f "$lb"/e*
            expect "$name check once the lease is dropped" GET "$u" 503
            expect "$name index is unchanged by the check" GET "http://127.0.0.1:${!port_var}/repositories/" 200 \
                '<a href="primary/">primary/</a>'
        done

        # The agent switches: a new symlink renamed over current (and next), as rename(2).
        ln -s releases/c2 "$base/primary/current.tmp" && mv -T "$base/primary/current.tmp" "$base/primary/current"
        u="http://127.0.0.1:$port_inline/repositories/primary"
        expect "after the switch" GET "$u/both.json" 200 '^from-next$'
        expect "after the switch" GET "$u/only-current.json" 404
        expect "after the switch, listing" GET "$u/" 200 'href="only-next.json"' 'only-current'
        expect "after the switch, directory from the new release" GET "$u/dir-n/" 200 'href="n.json"'
    fi
else
    fail "nginx and curl are needed for the nginx tests"
fi

echo "== systemd unit"
verify_unit() {
    # The jar must exist for verify; the JVM is any executable when java is absent.
    local java
    java="$(command -v java || echo /bin/true)"
    mkdir -p "$tmp/unit"
    : > "$tmp/unit/agent.jar"
    puppet epp render "${puppet_dirs[@]}" "$module/templates/systemd/java_service.service.epp" --values \
        "{description => 'Lockstep agent', user => 'lockstep-agent', home => '$tmp/unit', java => '$java',
          java_opts => ['-Xmx256m'], jar_path => '$tmp/unit/agent.jar', config_path => '/etc/lockstep/agent.yaml',
          writable_paths => ['$tmp/unit']}" 2>/dev/null > "$tmp/unit/lockstep-agent.service"
    # verify exits 0 on unknown keys and bad values; any output is a failure.
    local out
    out="$(systemd-analyze verify "$tmp/unit/lockstep-agent.service" 2>&1)" || { echo "$out"; return 1; }
    [[ -z "$out" ]] || { echo "$out"; return 1; }
}
if command -v systemd-analyze >/dev/null; then
    check "systemd-analyze verify java_service.service.epp (no warnings)" verify_unit
else
    echo "skip systemd-analyze verify: systemd-analyze is not installed"
fi

echo "== apache template (rendered, not run: no httpd here)"
render_apache_check() {
    puppet epp render "${puppet_dirs[@]}" "$module/templates/apache/repositories.conf.epp" \
        --values '{check_dir => "/srv/lockstep/.lb-check"}' 2>/dev/null > "$tmp/apache-check.conf"
    grep -qx 'RewriteCond "%{TIME}" "^(\[0-9\]{13})"' "$tmp/apache-check.conf"
    grep -qx 'RewriteCond "/srv/lockstep/.lb-check/l%1" -f' "$tmp/apache-check.conf"
    grep -qx 'RewriteRule "^/lockstep/health$" - \[R=503,L\]' "$tmp/apache-check.conf"
}
check "apache repositories.conf.epp renders the health check on the lease's local-time names" render_apache_check
render_apache() {
    puppet epp render "${puppet_dirs[@]}" "$module/templates/apache/repository.conf.epp" \
        --values '{repo_name => "primary", base_dir => "/srv/lockstep"}' 2>/dev/null > "$tmp/apache.conf"
    grep -qx 'RewriteCond "/srv/lockstep/primary/current$1" -f \[OR\]' "$tmp/apache.conf"
    grep -qx 'RewriteRule "^/repositories/primary(/.+)$" "/srv/lockstep/primary/next$1" \[L\]' "$tmp/apache.conf"
}
check "apache repository.conf.epp renders read-through rules" render_apache

echo "puppet: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
