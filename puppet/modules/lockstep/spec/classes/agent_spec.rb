# SPDX-License-Identifier: Apache-2.0
# frozen_string_literal: true

require 'spec_helper'

describe 'lockstep::agent' do
  let(:pre_condition) { "service { 'nginx': }" }
  let(:base_params) do
    {
      manifest_urls: ['https://lockstep1.example.org', 'https://lockstep2.example.org'],
      token: sensitive('s3cret-agent-token'),
      jar_source: 'puppet:///modules/profile/lockstep/agent.jar',
      repositories: {
        'primary' => { 'url' => 'https://gitlab.example.org/schemas/primary.git' },
        'secondary' => {
          'url' => 'https://gitlab.example.org/schemas/secondary.git',
          'verify_command' => 'jsonschema-lint --strict .',
        },
      },
      web_server_notify: ['Service[nginx]'].map { |r| ref(*r.match(/(\w+)\[(\w+)\]/).captures) },
    }
  end
  let(:params) { base_params }

  context 'when present' do
    it { is_expected.to compile.with_all_deps }
    it { is_expected.to contain_class('lockstep::common') }

    it 'creates the system user and group' do
      is_expected.to contain_group('lockstep-agent').with_ensure('present').with_system(true)
      is_expected.to contain_user('lockstep-agent').with(
        ensure: 'present', system: true, gid: 'lockstep-agent', home: '/srv/lockstep', shell: '/usr/sbin/nologin',
      )
    end

    it 'installs the jar from the given source' do
      is_expected.to contain_file('/usr/share/lockstep/agent.jar').with(
        ensure: 'file', source: 'puppet:///modules/profile/lockstep/agent.jar', mode: '0444',
      ).that_notifies('Service[lockstep-agent]')
    end

    it 'writes the token file readable by the agent alone, without showing it in diffs' do
      is_expected.to contain_file('/etc/lockstep/agent.token').with(
        ensure: 'file', owner: 'lockstep-agent', group: 'lockstep-agent', mode: '0400', show_diff: false,
        content: sensitive('s3cret-agent-token'),
      ).that_notifies('Service[lockstep-agent]')
    end

    it 'never writes the token into the configuration file' do
      is_expected.to contain_file('/etc/lockstep/agent.yaml').without_content(/s3cret/)
    end

    it 'writes the Spring configuration with the DESIGN property names' do
      is_expected.to contain_file('/etc/lockstep/agent.yaml').with(
        owner: 'root', group: 'lockstep-agent', mode: '0440',
      ).that_notifies('Service[lockstep-agent]')
      expect(yaml_content('/etc/lockstep/agent.yaml')).to eq(
        'server' => { 'address' => '127.0.0.1', 'port' => 8471 },
        'lockstep' => {
          'agent' => {
            'manifest-urls' => ['https://lockstep1.example.org', 'https://lockstep2.example.org'],
            'token-file' => '/etc/lockstep/agent.token',
            'base-dir' => '/srv/lockstep',
            'keep-releases' => 5,
            'adopt-existing' => false,
            'repos' => {
              'primary' => { 'url' => 'https://gitlab.example.org/schemas/primary.git' },
              'secondary' => {
                'url' => 'https://gitlab.example.org/schemas/secondary.git',
                'verify-command' => 'jsonschema-lint --strict .',
              },
            },
          },
        },
      )
    end

    it 'creates base_dir, world-readable for the web server, before starting' do
      is_expected.to contain_file('/srv/lockstep').with(
        ensure: 'directory', owner: 'lockstep-agent', mode: '0755',
      ).that_comes_before('Service[lockstep-agent]')
    end

    it 'installs a hardened systemd unit that restarts on failure' do
      unit = catalogue.resource('File', '/etc/systemd/system/lockstep-agent.service')[:content]
      expect(unit).to include(
        "ExecStart=/usr/bin/java -Xmx256m -XX:+ExitOnOutOfMemoryError -jar /usr/share/lockstep/agent.jar " \
        "--spring.config.additional-location=/etc/lockstep/agent.yaml\n",
      )
      [
        'User=lockstep-agent', 'Group=lockstep-agent', 'Restart=on-failure', 'SuccessExitStatus=143',
        'NoNewPrivileges=yes', 'ProtectSystem=strict', 'ProtectHome=yes', 'PrivateTmp=yes',
        'PrivateDevices=yes', 'CapabilityBoundingSet=', 'UMask=0022', 'WantedBy=multi-user.target',
        'ConditionPathExists=/etc/lockstep/agent.yaml',
      ].each { |line| expect(unit.lines.map(&:chomp)).to include(line) }
      expect(unit.lines.grep(/^ReadWritePaths=/)).to eq(["ReadWritePaths=/srv/lockstep\n"])
      expect(unit).not_to match(/^MemoryDenyWriteExecute/)
    end

    it 'runs the service' do
      is_expected.to contain_service('lockstep-agent').with(ensure: 'running', enable: true)
      is_expected.to contain_file('/etc/systemd/system/lockstep-agent.service')
        .with_mode('0444').that_notifies('Service[lockstep-agent]')
    end

    it 'declares one repository per entry' do
      is_expected.to contain_lockstep__agent__repository('primary').with(
        ensure: 'present', url: 'https://gitlab.example.org/schemas/primary.git', base_dir: '/srv/lockstep',
      )
      is_expected.to contain_lockstep__agent__repository('secondary').with_verify_command('jsonschema-lint --strict .')
    end

    it 'writes the nginx index and includes the per-repository snippets' do
      is_expected.to contain_file('/etc/lockstep/nginx/repositories.d').with(ensure: 'directory', purge: true, recurse: true)
      is_expected.to contain_file('/etc/lockstep/nginx/repositories.conf')
        .with_content(%r{^location = /repositories/ \{$})
        .with_content(%r{^<a href="primary/">primary/</a>$})
        .with_content(%r{^<a href="secondary/">secondary/</a>$})
        .with_content(%r{^include /etc/lockstep/nginx/repositories\.d/\*\.conf;$})
        .that_notifies('Service[nginx]')
    end

    it "answers the load balancer's check from the agent's lease in base_dir" do
      is_expected.to contain_file('/etc/lockstep/nginx/repositories.conf')
        .with_content(%r{^location = /lockstep/health \{$})
        .with_content(%r{^    if \(!-f /srv/lockstep/\.lb-check/e\$lockstep_window\) \{$})
        .with_content(/^    return 200 "in the pool\\n";$/)
    end

    it 'leaves lag-grace and pool-lease to the agent unless given' do
      expect(yaml_content('/etc/lockstep/agent.yaml')['lockstep']['agent'].keys).not_to include('lag-grace', 'pool-lease')
    end

    it 'writes a read-through nginx snippet per repository' do
      is_expected.to contain_file('/etc/lockstep/nginx/repositories.d/primary.conf')
        .with(ensure: 'file', mode: '0444')
        .with_content(%r{^location ~ \^/repositories/primary\(\?<lockstep_path>/\.\+\)\$ \{$})
        .with_content(%r{^    if \(-e /srv/lockstep/primary/current\$lockstep_path\) \{$})
        .with_content(%r{^    alias /srv/lockstep/primary/\$lockstep_release\$lockstep_path;$})
        .that_notifies('Service[nginx]')
    end

    it 'writes no apache configuration' do
      is_expected.not_to contain_file('/etc/lockstep/apache/repositories.conf')
    end
  end

  context 'with the jar from the package (the default), a host name and extra configuration' do
    let(:params) do
      base_params.merge(
        jar_source: :undef, host: 'schema1001', adopt_existing: true,
        keep_releases: 3, port: 9471, base_dir: '/srv/deploy', lag_grace: '3s', pool_lease: '10m',
        check_path: '/health/lockstep',
        extra_config: { 'logging' => { 'level' => { 'org.lockstep' => 'DEBUG' } }, 'server' => { 'port' => 9999 } },
      )
    end

    it { is_expected.to compile.with_all_deps }
    it { is_expected.to contain_package('lockstep-agent').with_ensure('installed').that_notifies('Service[lockstep-agent]') }
    it { is_expected.not_to contain_file('/usr/share/lockstep/agent.jar') }

    it 'merges the extra configuration over the generated one' do
      config = yaml_content('/etc/lockstep/agent.yaml')
      expect(config['server']).to eq('address' => '127.0.0.1', 'port' => 9999)
      expect(config['logging']).to eq('level' => { 'org.lockstep' => 'DEBUG' })
      expect(config['lockstep']['agent']).to include(
        'host' => 'schema1001', 'adopt-existing' => true, 'keep-releases' => 3, 'base-dir' => '/srv/deploy',
        'lag-grace' => '3s', 'pool-lease' => '10m',
      )
    end

    it 'answers the check at the given path from the lease under base_dir' do
      is_expected.to contain_file('/etc/lockstep/nginx/repositories.conf')
        .with_content(%r{^location = /health/lockstep \{$})
        .with_content(%r{/srv/deploy/\.lb-check/e\$lockstep_window})
    end

    it 'lets the service write base_dir only' do
      is_expected.to contain_file('/etc/systemd/system/lockstep-agent.service').with_content(%r{^ReadWritePaths=/srv/deploy$})
      is_expected.to contain_file('/etc/lockstep/nginx/repositories.d/primary.conf').with_content(%r{alias /srv/deploy/primary/current})
    end
  end

  context 'with one repository being removed' do
    let(:params) do
      base_params.merge(repositories: base_params[:repositories].merge('secondary' => { 'url' => 'x', 'ensure' => 'absent' }))
    end

    it { is_expected.to compile.with_all_deps }

    it 'drops it from the configuration and the index' do
      expect(yaml_content('/etc/lockstep/agent.yaml')['lockstep']['agent']['repos'].keys).to eq(['primary'])
      is_expected.to contain_file('/etc/lockstep/nginx/repositories.conf').without_content(/secondary/)
    end

    it 'removes its snippet, then its releases once the agent and nginx let go' do
      is_expected.to contain_file('/etc/lockstep/nginx/repositories.d/secondary.conf').with_ensure('absent')
      is_expected.to contain_file('/srv/lockstep/secondary').with(ensure: 'absent', force: true)
        .that_requires('Service[lockstep-agent]').that_requires('Service[nginx]')
      is_expected.not_to contain_file('/srv/lockstep/primary')
    end
  end

  context 'with apache' do
    let(:params) { base_params.merge(web_server: 'apache', url_prefix: '/schemas') }

    it { is_expected.to compile.with_all_deps }

    it 'writes the apache configuration instead of nginx' do
      is_expected.not_to contain_file('/etc/lockstep/nginx/repositories.conf')
      is_expected.to contain_file('/etc/lockstep/apache/repositories.conf')
        .with_content(%r{^IncludeOptional /etc/lockstep/apache/repositories\.d/\*\.conf$})
      is_expected.to contain_file('/etc/lockstep/apache/www/index.html').with_content(%r{<a href="primary/">primary/</a>})
      is_expected.to contain_file('/etc/lockstep/apache/repositories.conf')
        .with_content(%r{^RewriteCond "/srv/lockstep/\.lb-check/l%1" -f$})
        .with_content(%r{^RewriteRule "\^/lockstep/health\$" - \[R=503,L\]$})
      is_expected.to contain_file('/etc/lockstep/apache/repositories.d/primary.conf')
        .with_content(%r{^RewriteCond "/srv/lockstep/primary/current\$1" -f \[OR\]$})
        .with_content(%r{^RewriteRule "\^/schemas/primary\(/\.\+\)\$" "/srv/lockstep/primary/next\$1" \[L\]$})
    end
  end

  context 'without web server configuration' do
    let(:params) { base_params.merge(web_server: 'none') }

    it { is_expected.to compile.with_all_deps }
    it { is_expected.not_to contain_file('/etc/lockstep/nginx/repositories.conf') }
    it { is_expected.not_to contain_file('/etc/lockstep/nginx/repositories.d/primary.conf') }
  end

  context 'when absent' do
    let(:params) do
      { ensure: 'absent', repositories: base_params[:repositories], web_server_notify: base_params[:web_server_notify] }
    end

    it { is_expected.to compile.with_all_deps }

    it 'stops and disables the service before removing its files' do
      is_expected.to contain_service('lockstep-agent').with(ensure: 'stopped', enable: false)
      ['/etc/systemd/system/lockstep-agent.service', '/etc/lockstep/agent.yaml', '/etc/lockstep/agent.token'].each do |path|
        is_expected.to contain_file(path).with_ensure('absent').that_requires('Service[lockstep-agent]')
      end
      is_expected.to contain_package('lockstep-agent').with_ensure('absent').that_requires('Service[lockstep-agent]')
      is_expected.not_to contain_file('/usr/share/lockstep/agent.jar')
    end

    it 'removes the user, then the group' do
      is_expected.to contain_user('lockstep-agent').with_ensure('absent').that_requires('Service[lockstep-agent]')
      is_expected.to contain_group('lockstep-agent').with_ensure('absent').that_requires('User[lockstep-agent]')
    end

    it 'removes base_dir after the agent stopped and nginx reloaded' do
      is_expected.to contain_file('/srv/lockstep').with(ensure: 'absent', force: true)
        .that_requires('Service[lockstep-agent]').that_requires('Service[nginx]')
    end

    it 'removes the web server configuration' do
      is_expected.to contain_file('/etc/lockstep/nginx').with(ensure: 'absent', force: true).that_notifies('Service[nginx]')
      is_expected.to contain_file('/etc/lockstep/nginx/repositories.d/primary.conf').with_ensure('absent')
      is_expected.to contain_lockstep__agent__repository('primary').with_ensure('absent')
    end

  end

  context 'when absent, with the jar from a file source' do
    let(:params) { { ensure: 'absent', jar_source: 'puppet:///modules/profile/lockstep/agent.jar' } }

    it { is_expected.to contain_file('/usr/share/lockstep/agent.jar').with_ensure('absent') }
    it { is_expected.not_to contain_package('lockstep-agent') }
  end

  context 'when present without a token' do
    let(:params) { base_params.merge(token: :undef) }

    it { is_expected.to compile.and_raise_error(/token is required/) }
  end

  context 'when present without a manifest URL' do
    let(:params) { base_params.merge(manifest_urls: []) }

    it { is_expected.to compile.and_raise_error(/manifest_urls must list/) }
  end

  context 'with both a jar source and a jar package' do
    let(:params) { base_params.merge(jar_package: 'lockstep-agent') }

    it 'copies the jar from the source and installs no package' do
      is_expected.to contain_file('/usr/share/lockstep/agent.jar').with_source('puppet:///modules/profile/lockstep/agent.jar')
      is_expected.not_to contain_package('lockstep-agent')
    end
  end

  context 'with a token that is not Sensitive' do
    let(:params) { base_params.merge(token: 'plain') }

    it { is_expected.to compile.and_raise_error(/token/) }
  end

  context 'with an invalid repository name' do
    let(:params) { base_params.merge(repositories: { 'Primary_1' => { 'url' => 'x' } }) }

    it { is_expected.to compile.and_raise_error(/repositories/) }
  end

  context 'with a base_dir that would break the web server configuration' do
    let(:params) { base_params.merge(base_dir: '/srv/lock step') }

    it { is_expected.to compile.and_raise_error(/base_dir/) }
  end
end
