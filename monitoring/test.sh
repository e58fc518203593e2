#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Tests of what monitoring/ ships, from any directory:
#   promtool check rules and promtool test rules (every alert fires when it should, not otherwise);
#   every alert has a runbook paragraph in docs/operations.md (the anchor its annotation names exists);
#   the Grafana dashboard is valid JSON with unique panel ids, every query on the ${datasource} variable, and
#   every query valid PromQL (checked by promtool as a recording rule).
# That the metrics the rules and the dashboard use are the ones the services export is checked by the Java tests
# (MonitoringIntegrationTests in manifest-service, AgentMetricsIntegrationTests in agent).
#
# Needs Debian's prometheus (promtool) and ruby. Prints "monitoring: N passed, M failed" last.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
rules="$here/prometheus/lockstep-rules.yml"
dashboard="$here/grafana/lockstep-fleet.json"
operations="$here/../docs/operations.md"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

passed=0
failed=0
check() {
    local name="$1"
    shift
    if "$@" >"$tmp/check.log" 2>&1; then
        passed=$((passed + 1))
        echo "ok   $name"
    else
        failed=$((failed + 1))
        echo "FAIL $name"
        sed 's/^/     | /' "$tmp/check.log" | head -60
    fi
}

check "promtool is installed" command -v promtool
check "promtool check rules" promtool check rules "$rules"
check "promtool check config prometheus/scrape.yml (the example scrape configuration)" \
    promtool check config "$here/prometheus/scrape.yml"
check "promtool test rules (every alert, and its quiet cases)" \
    sh -c "cd '$here/prometheus' && promtool test rules lockstep-rules.test.yml"

# runbooks: each alert's runbook annotation names a heading of docs/operations.md.
runbooks() {
    ruby -ryaml -e '
        anchors = File.readlines(ARGV[1]).grep(/^#+ /).map { |h| h.sub(/^#+ /, "").strip.downcase.gsub(/[^a-z0-9 _-]/, "").tr(" ", "-") }
        bad = 0
        YAML.safe_load(File.read(ARGV[0]))["groups"].flat_map { |g| g["rules"] }.each do |r|
          link = r.dig("annotations", "runbook").to_s
          anchor = link.sub(%r{\Adocs/operations\.md#}, "")
          if anchor == link || !anchors.include?(anchor) || anchor != r["alert"].downcase
            puts "#{r["alert"]}: runbook #{link.inspect} is not a heading of docs/operations.md named after it"
            bad += 1
          end
        end
        exit(bad.zero? ? 0 : 1)' "$rules" "$operations"
}
check "every alert has its runbook paragraph in docs/operations.md" runbooks

# The dashboard: its structure, then every query as a recording rule for promtool to parse.
dashboard_shape() {
    ruby -rjson -e '
        d = JSON.parse(File.read(ARGV[0]))
        panels = d["panels"]
        ids = panels.map { |p| p["id"] }
        raise "panel ids are not unique: #{ids}" unless ids.uniq.size == ids.size
        raise "no uid" unless d["uid"] == "lockstep-fleet"
        panels.reject { |p| p["type"] == "row" }.each do |p|
          raise "#{p["title"]}: no description" if p["description"].to_s.empty?
          raise "#{p["title"]}: not on ${datasource}" unless p.dig("datasource", "uid") == "${datasource}"
          raise "#{p["title"]}: no query" if p["targets"].to_a.empty?
          p["targets"].each do |t|
            raise "#{p["title"]}: a query without expr" if t["expr"].to_s.empty?
            raise "#{p["title"]}: a query not on ${datasource}" unless t.dig("datasource", "uid") == "${datasource}"
          end
        end' "$dashboard"
}
check "grafana/lockstep-fleet.json: valid, unique ids, every panel described and on \${datasource}" dashboard_shape
dashboard_promql() {
    ruby -rjson -ryaml -e '
        d = JSON.parse(File.read(ARGV[0]))
        rules = d["panels"].flat_map { |p| p["targets"].to_a }.each_with_index.map do |t, i|
          # Grafana variables, as Grafana substitutes them.
          expr = t["expr"].gsub("$__rate_interval", "5m").gsub("$repo", ".*")
          { "record" => "dashboard:query_#{i}", "expr" => expr }
        end
        File.write(ARGV[1], { "groups" => [{ "name" => "dashboard", "rules" => rules }] }.to_yaml)' \
        "$dashboard" "$tmp/dashboard-rules.yml"
    promtool check rules "$tmp/dashboard-rules.yml"
}
check "every dashboard query is valid PromQL" dashboard_promql

echo "monitoring: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
