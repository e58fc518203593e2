# SPDX-License-Identifier: Apache-2.0
# frozen_string_literal: true

require 'spec_helper'

# The define is exercised through lockstep::agent (spec/classes/agent_spec.rb),
# which is the only way to declare it: agent.yaml must list every repository.
describe 'lockstep::agent::repository' do
  let(:title) { 'primary' }
  let(:params) do
    { url: 'https://gitlab.example.org/schemas/primary.git', base_dir: '/srv/lockstep', web_server: 'nginx',
      url_prefix: '/repositories' }
  end

  it { is_expected.to compile.and_raise_error(/private: add primary to lockstep::agent's repositories/) }
end

describe 'lockstep::java_service' do
  let(:title) { 'lockstep-agent' }
  let(:params) do
    { ensure: 'present', description: 'x', home: '/srv/lockstep', jar_path: '/usr/share/lockstep/agent.jar',
      jar_source: :undef, jar_package: 'lockstep-agent', config_path: '/etc/lockstep/agent.yaml', config_content: 'x',
      java: '/usr/bin/java', java_opts: [], writable_paths: ['/srv/lockstep'] }
  end

  it { is_expected.to compile.and_raise_error(/lockstep::java_service is private/) }
end
