# SPDX-License-Identifier: Apache-2.0
# frozen_string_literal: true

require 'spec_helper'

describe 'lockstep::merge' do
  it { is_expected.to run.with_params({ 'a' => 1 }, {}).and_return('a' => 1) }
  it { is_expected.to run.with_params({ 'a' => { 'b' => 1, 'c' => 2 } }, { 'a' => { 'c' => 3 } }).and_return('a' => { 'b' => 1, 'c' => 3 }) }
  it { is_expected.to run.with_params({ 'a' => { 'b' => 1 } }, { 'a' => 'flat' }).and_return('a' => 'flat') }
  it { is_expected.to run.with_params({ 'a' => [1, 2] }, { 'a' => [3], 'd' => true }).and_return('a' => [3], 'd' => true) }
end
