#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Render the nginx configuration that lockstep::agent installs, from the module's
# own templates, for a test: a server {} block, or a complete runnable nginx.conf.
# The Java system tests serve a host through exactly this; puppet/test.sh runs it
# against a real nginx.
#
# Usage:
#   render-nginx-site.sh --listen [ADDR:]PORT --base-dir DIR --repos NAME[,NAME...]
#                        [--url-prefix /repositories] [--check-path /lockstep/health]
#                        [--snippet-dir DIR] [--nginx-conf RUN_DIR]
#
#   --listen       where the server listens; a bare port means 127.0.0.1:PORT
#   --base-dir     the agent's base-dir (<base-dir>/<repo>/current, next)
#   --repos        comma-separated repository names
#   --url-prefix   URL path of the repositories (default /repositories)
#   --check-path   URL of the load balancer's health check, answered from the
#                  agent's lease in DIR/.lb-check (default /lockstep/health)
#   --snippet-dir  write the snippets as puppet does (DIR/repositories.conf,
#                  DIR/repositories.d/<repo>.conf) and include them, instead of
#                  inlining them into the server block
#   --nginx-conf   print a complete nginx.conf instead of a server block:
#                  "daemon off", pid, error log, access log and temporary files
#                  under RUN_DIR (created if missing), "user root" when run as
#                  root. Run it with: nginx -c FILE (stop with SIGQUIT/SIGTERM).
#
# Output goes to stdout; errors to stderr with a non-zero exit. puppet may print
# Facter noise on stderr in containers; it is filtered out.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
templates="$here/modules/lockstep/templates/nginx"

usage() {
    sed -n '/^# Usage:/,/^# Output/p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

listen='' base_dir='' repos='' url_prefix='/repositories' check_path='/lockstep/health' snippet_dir='' run_dir=''
while [[ $# -gt 0 ]]; do
    case "$1" in
        --listen) listen="${2:?}"; shift 2 ;;
        --base-dir) base_dir="${2:?}"; shift 2 ;;
        --repos) repos="${2:?}"; shift 2 ;;
        --url-prefix) url_prefix="${2:?}"; shift 2 ;;
        --check-path) check_path="${2:?}"; shift 2 ;;
        --snippet-dir) snippet_dir="${2:?}"; shift 2 ;;
        --nginx-conf) run_dir="${2:?}"; shift 2 ;;
        -h|--help) usage ;;
        *) echo "render-nginx-site.sh: unknown argument: $1" >&2; usage ;;
    esac
done
[[ -n "$listen" && -n "$base_dir" && -n "$repos" ]] || usage
[[ "$listen" == *:* ]] || listen="127.0.0.1:$listen"
[[ "$listen" =~ ^[][0-9A-Za-z.:-]+:[0-9]+$ ]] || { echo "render-nginx-site.sh: bad --listen: $listen" >&2; exit 2; }
IFS=',' read -r -a repo_list <<< "$repos"

# puppet gets a private configuration so that nothing on the machine (or its
# absence, for a non-root user without a home) changes the result.
puppet_home="$(mktemp -d)"
trap 'rm -rf "$puppet_home"' EXIT

# render TEMPLATE VALUES: puppet epp render, with stderr shown only on failure.
render() {
    local out
    if ! out="$(HOME="$puppet_home" puppet epp render \
            --confdir "$puppet_home/conf" --vardir "$puppet_home/var" --codedir "$puppet_home/code" \
            --logdir "$puppet_home/log" --rundir "$puppet_home/run" \
            "$1" --values "$2" 2>"$puppet_home/stderr")"; then
        grep -v 'Facter' "$puppet_home/stderr" >&2 || true
        echo "render-nginx-site.sh: puppet epp render $1 failed" >&2
        exit 1
    fi
    printf '%s\n' "$out"
}

# A Puppet string literal; the templates validate what it holds.
quote() {
    if [[ "$1" == *[\"\\\$]* ]]; then
        echo "render-nginx-site.sh: unexpected character in: $1" >&2
        exit 2
    fi
    printf '"%s"' "$1"
}
repo_array="[$(for r in "${repo_list[@]}"; do printf '%s, ' "$(quote "$r")"; done)]"

repository_snippet() {
    render "$templates/repository.conf.epp" \
        "{repo_name => $(quote "$1"), base_dir => $(quote "$base_dir"), url_prefix => $(quote "$url_prefix")}"
}

# As lockstep::agent passes them: the check reads the agent's lease in <base-dir>/.lb-check.
check="check_dir => $(quote "$base_dir/.lb-check"), check_path => $(quote "$check_path")"

if [[ -n "$snippet_dir" ]]; then
    mkdir -p "$snippet_dir/repositories.d"
    render "$templates/repositories.conf.epp" \
        "{repositories => $repo_array, url_prefix => $(quote "$url_prefix"), $check, include => $(quote "$snippet_dir/repositories.d/*.conf")}" \
        > "$snippet_dir/repositories.conf"
    for r in "${repo_list[@]}"; do
        repository_snippet "$r" > "$snippet_dir/repositories.d/$r.conf"
    done
    locations="include $snippet_dir/repositories.conf;"
else
    locations="$(render "$templates/repositories.conf.epp" "{repositories => $repo_array, url_prefix => $(quote "$url_prefix"), $check}")"
    for r in "${repo_list[@]}"; do
        locations+=$'\n'"$(repository_snippet "$r")"
    done
fi

server="$(
    printf 'server {\n    listen %s;\n    server_name _;\n\n' "$listen"
    # Not indented: the index page is a multi-line string that must stay as rendered.
    printf '%s\n' "$locations"
    printf '\n    # Not part of the snippet: the rest of this test server answers 404.\n'
    printf '    location / {\n        return 404;\n    }\n}\n'
)"

if [[ -z "$run_dir" ]]; then
    printf '%s\n' "$server"
    exit 0
fi

mkdir -p "$run_dir"
if [[ -f /etc/nginx/mime.types ]]; then
    types='include /etc/nginx/mime.types;'
else
    types='types { text/html html; application/json json; text/yaml yaml yml; text/plain txt; }'
fi
cat <<EOF
# Test nginx.conf generated by puppet/render-nginx-site.sh (not for production).
daemon off;
worker_processes 1;
$( [[ "$(id -u)" == 0 ]] && echo 'user root;' )
pid $run_dir/nginx.pid;
error_log $run_dir/error.log info;

events {
    worker_connections 256;
}

http {
    $types
    default_type application/octet-stream;
    access_log $run_dir/access.log;
    client_body_temp_path $run_dir/client_body;
    proxy_temp_path $run_dir/proxy;
    fastcgi_temp_path $run_dir/fastcgi;
    uwsgi_temp_path $run_dir/uwsgi;
    scgi_temp_path $run_dir/scgi;

$server
}
EOF
