# SPDX-License-Identifier: Apache-2.0
# frozen_string_literal: true

require 'spec_helper'

# The example profile in puppet/examples: the schema hosts moving from
# git::clone to lockstep::agent, stage by stage (docs/migration.md).
describe 'profile::eventschemas' do
  let(:repositories) do
    {
      'primary' => { 'url' => 'https://gitlab.example.org/schemas/primary.git', 'branch' => 'main' },
      'secondary' => { 'url' => 'https://gitlab.example.org/schemas/secondary.git', 'branch' => 'main' },
    }
  end
  let(:lockstep) do
    { lockstep_manifest_urls: ['https://lockstep.example.org'], lockstep_token: 'agent-token-schema1001' }
  end
  let(:site) { catalogue.resource('Nginx::Site', 'eventschemas')[:content] }

  context 'in stage git (as before)' do
    let(:params) { { repositories: repositories, serve_from: 'git' } }

    it { is_expected.to compile.with_all_deps }
    it { is_expected.to contain_git__clone('eventschemas/primary').with(ensure: 'latest', directory: '/srv/eventschemas/repositories/primary') }
    it { is_expected.to contain_class('lockstep::agent').with_ensure('absent') }
    it { is_expected.to contain_service('lockstep-agent').with_ensure('stopped') }

    it 'serves the clones' do
      expect(site).to match(%r{location /repositories/ \{\n\s+root /srv/eventschemas;\n\s+autoindex on;})
      expect(site).not_to include('/etc/lockstep')
    end
  end

  context 'in stage shadow' do
    let(:params) { { repositories: repositories, serve_from: 'shadow' }.merge(lockstep) }

    it { is_expected.to compile.with_all_deps }
    it { is_expected.to contain_git__clone('eventschemas/secondary').with_ensure('latest') }
    it { is_expected.to contain_class('lockstep::agent').with_ensure('present').that_comes_before('Nginx::Site[eventschemas]') }
    it { is_expected.to contain_file('/etc/lockstep/agent.token').with(mode: '0400', content: sensitive('agent-token-schema1001')) }
    it { is_expected.to contain_service('lockstep-agent').with_ensure('running') }

    it 'still serves the clones publicly and Lockstep on loopback only' do
      public_server, shadow_server = site.split(/^server \{$/).drop(1)
      expect(public_server).to include('root /srv/eventschemas;')
      expect(public_server).not_to include('/etc/lockstep')
      expect(shadow_server).to include("listen 127.0.0.1:8480;\n", "include /etc/lockstep/nginx/repositories.conf;\n")
    end
  end

  context 'in stage lockstep' do
    let(:params) { { repositories: repositories, serve_from: 'lockstep' }.merge(lockstep) }

    it { is_expected.to compile.with_all_deps }
    it { is_expected.to contain_git__clone('eventschemas/primary').with_ensure('present') }

    it 'serves both repositories from the one agent, a lockstep::agent::repository each' do
      ['primary', 'secondary'].each do |name|
        is_expected.to contain_lockstep__agent__repository(name)
          .with(url: "https://gitlab.example.org/schemas/#{name}.git", web_server: 'nginx', ensure: 'present')
        is_expected.to contain_file("/etc/lockstep/nginx/repositories.d/#{name}.conf")
          .with_content(%r{^location ~ \^/repositories/#{name}\(})
      end
      repos = yaml_content('/etc/lockstep/agent.yaml')['lockstep']['agent']['repos']
      expect(repos).to eq(
        'primary' => { 'url' => 'https://gitlab.example.org/schemas/primary.git' },
        'secondary' => { 'url' => 'https://gitlab.example.org/schemas/secondary.git' },
      )
    end

    it 'serves /repositories/ from Lockstep, keeping the URLs and the health check' do
      expect(site).to include("include /etc/lockstep/nginx/repositories.conf;\n")
      expect(site).not_to include('/srv/eventschemas')
      expect(site).not_to include('8480')
      is_expected.to contain_file('/etc/lockstep/nginx/repositories.conf')
        .with_content(%r{^location = /repositories/ \{\n    default_type text/html;\n    return 200 })
        .that_notifies('Service[nginx]')
      is_expected.to contain_file('/etc/lockstep/nginx/repositories.d/primary.conf')
        .with_content(%r{^location ~ \^/repositories/primary\(})
    end

    context 'without the old clones' do
      let(:params) { super().merge(keep_git_clones: false) }

      it { is_expected.to compile.with_all_deps }
      it { is_expected.not_to contain_git__clone('eventschemas/primary') }
      it { is_expected.to contain_file('/srv/eventschemas').with(ensure: 'absent', force: true).that_requires('Nginx::Site[eventschemas]') }
    end
  end
end
