# SPDX-License-Identifier: Apache-2.0
# frozen_string_literal: true

require 'spec_helper'

# The example manifest-service profile in puppet/examples.
describe 'profile::lockstep::manifest' do
  let(:params) do
    {
      repositories: {
        'primary' => { 'url' => 'https://gitlab.example.org/schemas/primary.git', 'branch' => 'main',
                       'hosts' => ['schema1001', 'schema1002'], 'gitlab_project' => 'schemas/primary' },
      },
      tokens: [{ 'name' => 'schema1001', 'sha256' => '0' * 64, 'role' => 'agent', 'host' => 'schema1001' }],
      gitlab_hook_token_sha256: '1' * 64,
    }
  end

  it { is_expected.to compile.with_all_deps }
  it { is_expected.to contain_package('openjdk-17-jre-headless').that_comes_before('Class[lockstep::manifest]') }
  it { is_expected.to contain_service('lockstep-manifest').with_ensure('running') }

  it 'passes the expected hosts and the token hashes through' do
    config = yaml_content('/etc/lockstep/manifest.yaml')['lockstep']['manifest']
    expect(config['repos']['primary']['hosts']).to eq(['schema1001', 'schema1002'])
    expect(config['tokens']).to eq([{ 'name' => 'schema1001', 'sha256' => '0' * 64, 'role' => 'agent', 'host' => 'schema1001' }])
  end
end
