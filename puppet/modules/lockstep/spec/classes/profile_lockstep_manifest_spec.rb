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
        'secondary' => { 'url' => 'https://gitlab.example.org/schemas/secondary.git', 'branch' => 'main',
                         'hosts' => ['schema1001', 'schema1002'], 'gitlab_project' => 'schemas/secondary' },
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

  it 'activates secondary only after primary: its schemas $ref primary\'s' do
    repos = yaml_content('/etc/lockstep/manifest.yaml')['lockstep']['manifest']['repos']
    expect(repos['secondary']['activate-after']).to eq(['primary'])
    expect(repos['primary']).not_to have_key('activate-after')
  end

  context 'with no order between the repositories' do
    let(:params) { super().merge(activate_after: {}) }

    it 'renders no activate-after' do
      repos = yaml_content('/etc/lockstep/manifest.yaml')['lockstep']['manifest']['repos']
      expect(repos.values).to all(satisfy { |repo| !repo.key?('activate-after') })
    end
  end

  context 'with an order naming a repository that is not configured' do
    let(:params) { super().merge(activate_after: { 'secondary' => ['tertiary'] }) }

    it { is_expected.to compile.and_raise_error(/unknown repositories \[tertiary\]/) }
  end
end
