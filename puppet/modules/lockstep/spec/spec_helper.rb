# SPDX-License-Identifier: Apache-2.0
# frozen_string_literal: true

# rspec-puppet as Debian ships it (ruby-rspec-puppet): no bundler, no
# puppetlabs_spec_helper, no gems from the network. Run from the module's
# directory with `rspec` (see puppet/README.md or puppet/test.sh).
require 'rspec-puppet'
require 'yaml'

module_dir = File.expand_path('..', __dir__)
modules_dir = File.expand_path('..', module_dir)
examples_dir = File.expand_path('../examples', modules_dir)
# The example profile (puppet/examples/modules), and stand-ins for the operations
# repository's git and nginx modules that it uses (puppet/examples/stubs).
example_dirs = [File.join(examples_dir, 'modules'), File.join(examples_dir, 'stubs')]

RSpec.configure do |c|
  c.module_path = [modules_dir, *example_dirs].join(File::PATH_SEPARATOR)
  c.setup_fixtures = false # rspec-puppet would otherwise symlink the module into spec/fixtures
  c.strict_variables = true
  c.default_facts = {
    'networking' => { 'hostname' => 'schema1001', 'fqdn' => 'schema1001.example.org' },
    'os' => { 'family' => 'Debian', 'name' => 'Debian', 'release' => { 'major' => '12' } },
    'service_provider' => 'systemd',
  }
  c.before(:each) { Puppet[:strict] = :error }
end

# The YAML document in a file resource of the catalogue, parsed.
def yaml_content(path)
  YAML.safe_load(catalogue.resource('File', path)[:content])
end
