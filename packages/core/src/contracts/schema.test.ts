import { describe, expect, it } from 'vitest';
import { defineSchema, emptyObjectSchema, secretFields } from './schema.js';

describe('defineSchema', () => {
  it('returns the schema itself, frozen to the last nested property', () => {
    const literal = {
      type: 'object',
      properties: {
        hosts: {
          type: 'array',
          items: { type: 'object', properties: { name: { type: 'string' } } },
        },
        token: { type: 'string', secret: true },
      },
    } as const;
    const schema = defineSchema(literal);
    expect(schema).toBe(literal);
    expect(Object.isFrozen(schema)).toBe(true);
    expect(Object.isFrozen(schema.properties.hosts.items.properties.name)).toBe(true);
    expect(() => {
      (schema.properties as Record<string, unknown>).extra = {};
    }).toThrow(TypeError);
    expect(secretFields(schema)).toEqual(['token']);
  });

  it('freezes emptyObjectSchema, which every plugin without settings shares', () => {
    expect(Object.isFrozen(emptyObjectSchema.properties)).toBe(true);
    expect(emptyObjectSchema).toEqual({
      type: 'object',
      properties: {},
      additionalProperties: false,
    });
  });
});
