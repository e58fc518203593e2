# SPDX-License-Identifier: Apache-2.0
# frozen_string_literal: true

require 'spec_helper'

describe 'lockstep::manifest' do
  let(:hosts) { ['schema1001', 'schema1002', 'schema2001', 'schema2002'] }
  let(:base_params) do
    {
      repositories: {
        'primary' => {
          'url' => 'https://gitlab.example.org/schemas/primary.git', 'branch' => 'main', 'hosts' => hosts,
          'watch_interval' => '60s', 'gitlab_project' => 'schemas/primary',
          'commit_url_template' => 'https://gitlab.example.org/schemas/primary/-/commit/{commit}',
        },
        'secondary' => {
          'url' => 'https://gerrit.example.org/r/schemas/secondary', 'branch' => 'master', 'hosts' => hosts.take(2),
          'gerrit_project' => 'schemas/secondary',
        },
      },
      tokens: [
        { 'name' => 'ci-primary', 'sha256' => 'a' * 64, 'role' => 'ci', 'repos' => ['primary'] },
        { 'name' => 'oncall', 'sha256' => 'b' * 64, 'role' => 'operator' },
        { 'name' => 'agent-schema1001', 'sha256' => 'c' * 64, 'role' => 'agent', 'host' => 'schema1001' },
      ],
      gitlab_hook_token_sha256: 'd' * 64,
      gerrit_hook_token_sha256: 'e' * 64,
    }
  end
  let(:params) { base_params }

  context 'with the embedded store' do
    it { is_expected.to compile.with_all_deps }
    it 'installs the Debian package lockstep-manifest by default' do
      is_expected.to contain_package('lockstep-manifest').with_ensure('installed').that_notifies('Service[lockstep-manifest]')
      is_expected.not_to contain_file('/usr/share/lockstep/manifest-service.jar')
    end
    it { is_expected.to contain_user('lockstep-manifest').with(ensure: 'present', home: '/var/lib/lockstep-manifest') }
    it { is_expected.to contain_service('lockstep-manifest').with(ensure: 'running', enable: true) }

    it 'keeps its data directory private to the service' do
      is_expected.to contain_file('/var/lib/lockstep-manifest').with(
        ensure: 'directory', owner: 'lockstep-manifest', group: 'lockstep-manifest', mode: '0750',
      ).that_comes_before('Service[lockstep-manifest]')
    end

    it 'writes the Spring configuration with the DESIGN property names' do
      is_expected.to contain_file('/etc/lockstep/manifest.yaml')
        .with(owner: 'root', group: 'lockstep-manifest', mode: '0440').that_notifies('Service[lockstep-manifest]')
      expect(yaml_content('/etc/lockstep/manifest.yaml')).to eq(
        'server' => { 'port' => 8470 },
        'lockstep' => {
          'manifest' => {
            'store' => 'embedded',
            'data-dir' => '/var/lib/lockstep-manifest',
            'repos' => {
              'primary' => {
                'url' => 'https://gitlab.example.org/schemas/primary.git', 'branch' => 'main', 'hosts' => hosts,
                'watch-interval' => '60s', 'gitlab-project' => 'schemas/primary',
                'commit-url-template' => 'https://gitlab.example.org/schemas/primary/-/commit/{commit}',
              },
              'secondary' => {
                'url' => 'https://gerrit.example.org/r/schemas/secondary', 'branch' => 'master',
                'hosts' => ['schema1001', 'schema1002'], 'gerrit-project' => 'schemas/secondary',
              },
            },
            'tokens' => [
              { 'name' => 'ci-primary', 'sha256' => 'a' * 64, 'role' => 'ci', 'repos' => ['primary'] },
              { 'name' => 'oncall', 'sha256' => 'b' * 64, 'role' => 'operator' },
              { 'name' => 'agent-schema1001', 'sha256' => 'c' * 64, 'role' => 'agent', 'host' => 'schema1001' },
            ],
            'hooks' => { 'gitlab' => { 'token-sha256' => 'd' * 64 }, 'gerrit' => { 'token-sha256' => 'e' * 64 } },
          },
        },
      )
    end

    it 'runs a hardened unit that writes data_dir only' do
      unit = catalogue.resource('File', '/etc/systemd/system/lockstep-manifest.service')[:content]
      expect(unit).to include(
        'ExecStart=/usr/bin/java -Xmx512m -XX:+ExitOnOutOfMemoryError -jar /usr/share/lockstep/manifest-service.jar ' \
        "--spring.config.additional-location=/etc/lockstep/manifest.yaml\n",
      )
      expect(unit.lines.grep(/^ReadWritePaths=/)).to eq(["ReadWritePaths=/var/lib/lockstep-manifest\n"])
      ['ProtectSystem=strict', 'NoNewPrivileges=yes', 'PrivateTmp=yes', 'Restart=on-failure', 'User=lockstep-manifest']
        .each { |line| expect(unit.lines.map(&:chomp)).to include(line) }
    end
  end

  context 'with the etcd store, a listen address and a jar file' do
    let(:params) do
      base_params.merge(
        store: 'etcd', etcd_endpoints: ['https://etcd1.example.org:2379', 'https://etcd2.example.org:2379'],
        listen_address: '::', port: 9470, jar_package: :undef, jar_source: '/var/cache/lockstep/manifest-service.jar',
      )
    end

    it { is_expected.to compile.with_all_deps }
    it { is_expected.to contain_file('/usr/share/lockstep/manifest-service.jar').with_source('/var/cache/lockstep/manifest-service.jar') }

    it 'configures etcd' do
      config = yaml_content('/etc/lockstep/manifest.yaml')
      expect(config['server']).to eq('address' => '::', 'port' => 9470)
      expect(config['lockstep']['manifest']).to include(
        'store' => 'etcd',
        'etcd' => { 'endpoints' => ['https://etcd1.example.org:2379', 'https://etcd2.example.org:2379'], 'prefix' => '/lockstep/' },
      )
    end

    it 'writes no TLS files and no password without etcd_tls and etcd_user' do
      is_expected.to contain_file('/etc/lockstep/etcd').with(ensure: 'absent', force: true)
      is_expected.not_to contain_exec('lockstep-manifest etcd client key')
      is_expected.not_to contain_file('/etc/lockstep/etcd/password')
    end
  end

  context 'with the etcd store over TLS with puppet\'s certificate and a password' do
    let(:node) { 'manifest1001.eqiad.example.org' }
    let(:params) do
      base_params.merge(
        store: 'etcd', etcd_endpoints: ['https://etcd1001.example.org:2379', 'https://etcd2001.example.org:2379'],
        etcd_prefix: '/lockstep/schemas/', etcd_tls: true, etcd_tls_authority: 'etcd.example.org',
        etcd_user: 'lockstep', etcd_password: sensitive('s3cret'),
      )
    end
    let(:key) { '/etc/lockstep/etcd/client.key' }
    let(:puppet_key) { '/etc/puppetlabs/puppet/ssl/private_keys/manifest1001.eqiad.example.org.pem' }

    it { is_expected.to compile.with_all_deps }

    it 'points the service at the copied files, the user and the password file' do
      expect(yaml_content('/etc/lockstep/manifest.yaml')['lockstep']['manifest']['etcd']).to eq(
        'endpoints' => ['https://etcd1001.example.org:2379', 'https://etcd2001.example.org:2379'],
        'prefix' => '/lockstep/schemas/',
        'tls' => { 'ca-file' => '/etc/lockstep/etcd/ca.pem', 'cert-file' => '/etc/lockstep/etcd/client.pem',
                   'key-file' => key, 'authority' => 'etcd.example.org' },
        'user' => 'lockstep', 'password-file' => '/etc/lockstep/etcd/password',
      )
    end

    it 'keeps the directory to root and the service group' do
      is_expected.to contain_file('/etc/lockstep/etcd').with(ensure: 'directory', owner: 'root',
                                                             group: 'lockstep-manifest', mode: '0750')
    end

    it "copies puppet's CA and the host's certificate, restarting the service when they change" do
      is_expected.to contain_file('/etc/lockstep/etcd/ca.pem')
        .with(source: '/etc/puppetlabs/puppet/ssl/certs/ca.pem', owner: 'root', group: 'lockstep-manifest', mode: '0444')
        .that_notifies('Service[lockstep-manifest]')
      is_expected.to contain_file('/etc/lockstep/etcd/client.pem')
        .with(source: '/etc/puppetlabs/puppet/ssl/certs/manifest1001.eqiad.example.org.pem', mode: '0444')
        .that_notifies('Service[lockstep-manifest]')
    end

    it "converts puppet's PKCS#1 key to PKCS#8, readable by the service group only, whenever it differs" do
      exec = catalogue.resource('Exec', 'lockstep-manifest etcd client key')
      expect(exec[:command]).to include("umask 0277 && /usr/bin/openssl pkcs8 -topk8 -nocrypt -in #{puppet_key} -out #{key}.new")
      expect(exec[:command]).to include("chgrp lockstep-manifest #{key}.new && chmod 0440 #{key}.new && mv -f #{key}.new #{key}")
      expect(exec[:unless]).to eq("/bin/sh -c '/usr/bin/openssl pkcs8 -topk8 -nocrypt -in #{puppet_key} | cmp -s - #{key}'")
      is_expected.to contain_exec('lockstep-manifest etcd client key').that_notifies('Service[lockstep-manifest]')
        .that_requires('Group[lockstep-manifest]')
      is_expected.to contain_file(key).with(owner: 'root', group: 'lockstep-manifest', mode: '0440')
        .that_requires('Exec[lockstep-manifest etcd client key]')
    end

    it 'writes the password with a newline, never showing it in a diff' do
      is_expected.to contain_file('/etc/lockstep/etcd/password')
        .with(owner: 'root', group: 'lockstep-manifest', mode: '0440', show_diff: false)
        .that_notifies('Service[lockstep-manifest]')
      content = catalogue.resource('File', '/etc/lockstep/etcd/password')[:content]
      expect(content.respond_to?(:unwrap) ? content.unwrap : content).to eq("s3cret\n")
    end
  end

  context 'with the etcd store over TLS authenticating by the certificate alone, with files of its own' do
    let(:params) do
      base_params.merge(
        store: 'etcd', etcd_endpoints: ['https://etcd1.example.org:2379'], etcd_tls: true,
        etcd_tls_ca: '/etc/ssl/etcd/ca.pem', etcd_tls_cert: '/etc/ssl/etcd/manifest.pem',
        etcd_tls_key: '/etc/ssl/etcd/manifest.key',
      )
    end

    it { is_expected.to compile.with_all_deps }

    it 'configures TLS, no user and no password file' do
      etcd = yaml_content('/etc/lockstep/manifest.yaml')['lockstep']['manifest']['etcd']
      expect(etcd['tls']).to eq('ca-file' => '/etc/lockstep/etcd/ca.pem', 'cert-file' => '/etc/lockstep/etcd/client.pem',
                                'key-file' => '/etc/lockstep/etcd/client.key')
      expect(etcd).not_to have_key('user')
      expect(etcd).not_to have_key('password-file')
      is_expected.not_to contain_file('/etc/lockstep/etcd/password')
    end

    it 'copies the given files' do
      is_expected.to contain_file('/etc/lockstep/etcd/ca.pem').with_source('/etc/ssl/etcd/ca.pem')
      is_expected.to contain_file('/etc/lockstep/etcd/client.pem').with_source('/etc/ssl/etcd/manifest.pem')
      expect(catalogue.resource('Exec', 'lockstep-manifest etcd client key')[:command])
        .to include('-in /etc/ssl/etcd/manifest.key')
    end
  end

  context 'with etcd_tls but http:// endpoints' do
    let(:params) { base_params.merge(store: 'etcd', etcd_endpoints: ['http://etcd1.example.org:2379'], etcd_tls: true) }

    it { is_expected.to compile.and_raise_error(/etcd_tls needs https/) }
  end

  context 'with http:// and https:// endpoints mixed' do
    let(:params) do
      base_params.merge(store: 'etcd', etcd_endpoints: ['http://etcd1.example.org:2379', 'https://etcd2.example.org:2379'])
    end

    it { is_expected.to compile.and_raise_error(/mix http/) }
  end

  context 'with an etcd user but no password' do
    let(:params) { base_params.merge(store: 'etcd', etcd_endpoints: ['https://etcd1.example.org:2379'], etcd_user: 'lockstep') }

    it { is_expected.to compile.and_raise_error(/etcd_user and etcd_password go together/) }
  end

  context 'with a dashboard' do
    let(:params) { base_params.merge(dashboard_url: 'https://grafana.example.org/d/lockstep-fleet/lockstep-fleet') }

    it 'lets the operator page link to it' do
      expect(yaml_content('/etc/lockstep/manifest.yaml')['lockstep']['manifest']['page'])
        .to eq('dashboard-url' => 'https://grafana.example.org/d/lockstep-fleet/lockstep-fleet')
    end
  end

  context 'without a dashboard' do
    it { expect(yaml_content('/etc/lockstep/manifest.yaml')['lockstep']['manifest']).not_to have_key('page') }
  end

  context 'with no webhooks and no tokens' do
    let(:params) do
      { repositories: { 'primary' => { 'url' => 'file:///srv/git/primary.git', 'branch' => 'main', 'hosts' => ['h1'] } } }
    end

    it { is_expected.to compile.with_all_deps }

    it 'leaves hooks out and lists no token' do
      config = yaml_content('/etc/lockstep/manifest.yaml')['lockstep']['manifest']
      expect(config).not_to have_key('hooks')
      expect(config).not_to have_key('etcd')
      expect(config['tokens']).to eq([])
    end
  end

  context 'when absent' do
    let(:params) { { ensure: 'absent' } }

    it { is_expected.to compile.with_all_deps }
    it { is_expected.to contain_service('lockstep-manifest').with(ensure: 'stopped', enable: false) }
    it { is_expected.to contain_package('lockstep-manifest').with_ensure('absent').that_requires('Service[lockstep-manifest]') }
    it { is_expected.to contain_file('/etc/lockstep/manifest.yaml').with_ensure('absent') }
    it { is_expected.to contain_file('/etc/lockstep/etcd').with(ensure: 'absent', force: true) }
    it { is_expected.to contain_file('/etc/systemd/system/lockstep-manifest.service').with_ensure('absent') }
    it { is_expected.to contain_user('lockstep-manifest').with_ensure('absent') }
    it { is_expected.to contain_group('lockstep-manifest').with_ensure('absent') }

    it 'keeps the store unless told to purge it' do
      is_expected.not_to contain_file('/var/lib/lockstep-manifest')
    end

    context 'with purge_data' do
      let(:params) { { ensure: 'absent', purge_data: true } }

      it { is_expected.to contain_file('/var/lib/lockstep-manifest').with(ensure: 'absent', force: true).that_requires('Service[lockstep-manifest]') }
    end
  end

  context 'with a ci token without repos' do
    let(:params) { base_params.merge(tokens: [{ 'name' => 'ci', 'sha256' => 'a' * 64, 'role' => 'ci' }]) }

    it { is_expected.to compile.and_raise_error(/ci token ci needs repos/) }
  end

  context 'with a ci token for a repository that is not configured' do
    let(:params) { base_params.merge(tokens: [{ 'name' => 'ci', 'sha256' => 'a' * 64, 'role' => 'ci', 'repos' => ['tertiary'] }]) }

    it { is_expected.to compile.and_raise_error(/unknown repositories \[tertiary\]/) }
  end

  context 'with an agent token without host' do
    let(:params) { base_params.merge(tokens: [{ 'name' => 'a', 'sha256' => 'a' * 64, 'role' => 'agent' }]) }

    it { is_expected.to compile.and_raise_error(/agent token a needs host/) }
  end

  context 'with two tokens of the same name' do
    let(:params) { base_params.merge(tokens: [base_params[:tokens][1], base_params[:tokens][1]]) }

    it { is_expected.to compile.and_raise_error(/token names must be unique/) }
  end

  context 'with a token given in clear instead of its SHA-256' do
    let(:params) { base_params.merge(tokens: [{ 'name' => 'o', 'sha256' => 'not-a-hash', 'role' => 'operator' }]) }

    it { is_expected.to compile.and_raise_error(/sha256/) }
  end

  context 'with a GitLab project but no webhook secret' do
    let(:params) { base_params.merge(gitlab_hook_token_sha256: :undef) }

    it { is_expected.to compile.and_raise_error(/gitlab_hook_token_sha256 is unset/) }
  end

  context 'with the etcd store but no endpoints' do
    let(:params) { base_params.merge(store: 'etcd') }

    it { is_expected.to compile.and_raise_error(/needs etcd_endpoints/) }
  end

  context 'with secondary activated after primary' do
    let(:params) do
      repos = base_params[:repositories]
      base_params.merge(repositories: repos.merge('secondary' => repos['secondary'].merge('activate_after' => ['primary'])))
    end

    it { is_expected.to compile.with_all_deps }
    it 'renders lockstep.manifest.repos.secondary.activate-after, and nothing for primary' do
      repos = yaml_content('/etc/lockstep/manifest.yaml')['lockstep']['manifest']['repos']
      expect(repos['secondary']['activate-after']).to eq(['primary'])
      expect(repos['primary']).not_to have_key('activate-after')
    end
  end

  context 'with a repository activated after two others' do
    let(:params) do
      base_params.merge(repositories: base_params[:repositories].merge(
        'tertiary' => { 'url' => 'x', 'branch' => 'main', 'hosts' => hosts, 'activate_after' => ['primary', 'secondary'] },
      ))
    end

    it 'keeps the order given' do
      repos = yaml_content('/etc/lockstep/manifest.yaml')['lockstep']['manifest']['repos']
      expect(repos['tertiary']['activate-after']).to eq(['primary', 'secondary'])
    end
  end

  context 'with activate_after given as a string, not a list' do
    let(:params) do
      repos = base_params[:repositories]
      base_params.merge(repositories: repos.merge('secondary' => repos['secondary'].merge('activate_after' => 'primary')))
    end

    it { is_expected.to compile.and_raise_error(/activate_after'? expects an Array value, got String/) }
  end

  context 'with activate_after naming something that is not a repository name' do
    let(:params) do
      repos = base_params[:repositories]
      base_params.merge(repositories: repos.merge('secondary' => repos['secondary'].merge('activate_after' => ['Primary!'])))
    end

    it { is_expected.to compile.and_raise_error(/activate_after/) }
  end

  context 'with activate_after naming a repository that is not configured' do
    let(:params) do
      repos = base_params[:repositories]
      base_params.merge(repositories: repos.merge('secondary' => repos['secondary'].merge('activate_after' => ['tertiary'])))
    end

    it { is_expected.to compile.and_raise_error(/secondary's activate_after names unknown repositories \[tertiary\]/) }
  end

  context 'with two repositories each activated after the other' do
    let(:params) do
      repos = base_params[:repositories]
      base_params.merge(repositories: {
        'primary' => repos['primary'].merge('activate_after' => ['secondary']),
        'secondary' => repos['secondary'].merge('activate_after' => ['primary']),
      })
    end

    it { is_expected.to compile.and_raise_error(/activate_after makes a cycle through \[primary, secondary\]/) }
  end

  context 'with a longer cycle and a repository only waiting on it' do
    let(:params) do
      base_params.merge(repositories: {
        'a' => { 'url' => 'x', 'branch' => 'main', 'hosts' => hosts, 'activate_after' => ['c'] },
        'b' => { 'url' => 'x', 'branch' => 'main', 'hosts' => hosts, 'activate_after' => ['a'] },
        'c' => { 'url' => 'x', 'branch' => 'main', 'hosts' => hosts, 'activate_after' => ['b'] },
        'd' => { 'url' => 'x', 'branch' => 'main', 'hosts' => hosts, 'activate_after' => ['a'] },
      }, tokens: [])
    end

    it { is_expected.to compile.and_raise_error(/activate_after makes a cycle through \[a, b, c\]/) }
  end

  context 'with a repository activated after itself' do
    let(:params) do
      repos = base_params[:repositories]
      base_params.merge(repositories: repos.merge('secondary' => repos['secondary'].merge('activate_after' => ['secondary'])))
    end

    it { is_expected.to compile.and_raise_error(/activate_after makes a cycle through \[secondary\]/) }
  end

  context 'with a repository without expected hosts' do
    let(:params) { base_params.merge(repositories: { 'primary' => { 'url' => 'x', 'branch' => 'main', 'hosts' => [] } }) }

    it { is_expected.to compile.and_raise_error(/hosts/) }
  end
end
