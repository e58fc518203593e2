# SPDX-License-Identifier: Apache-2.0
# frozen_string_literal: true

require 'spec_helper'

describe 'lockstep::to_yaml' do
  it 'keeps strings that look like other YAML types strings, as SnakeYAML reads YAML 1.1' do
    data = { 'a' => 'yes', 'b' => '1.0', 'c' => 'on', 'd' => 'null', 'e' => "quote's \"and\" colon: x", 'f' => 5, 'g' => false }
    yaml = subject.execute(data)
    expect(yaml).to include("a: 'yes'\n", "c: 'on'\n")
    expect(YAML.safe_load(yaml)).to eq(data)
  end

  it { is_expected.to run.with_params('a' => sensitive('x')).and_raise_error(ArgumentError) }
end
