import { checkNotifierContract } from '@akmatori/core/testing';
import { describe, expect, it } from 'vitest';
import { jsonlNotifier } from '../src/index.js';

describe('jsonlNotifier', () => {
  it('passes the notifier contract: the plugin host registers it, every setting is described', () => {
    expect(checkNotifierContract(jsonlNotifier)).toEqual([]);
  });
});
