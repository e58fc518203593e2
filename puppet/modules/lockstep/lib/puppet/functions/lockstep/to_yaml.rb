# SPDX-License-Identifier: Apache-2.0
# frozen_string_literal: true

require 'yaml'

# Serialize data to YAML for the services' Spring configuration files.
#
# Ruby's emitter quotes whatever YAML would otherwise read as another type
# (yes, no, on, 1.0, ...), so a string stays a string for Spring. Sensitive
# values are not Data and are refused by the signature: secrets go to their
# own files (see lockstep::agent's token file), never into the configuration.
Puppet::Functions.create_function(:'lockstep::to_yaml') do
  # @param data the configuration tree
  # @return [String] a YAML document
  dispatch :to_yaml do
    param 'Hash[String, Data]', :data
    return_type 'String'
  end

  def to_yaml(data)
    data.to_yaml(line_width: -1)
  end
end
