import { load } from 'js-yaml';
import { toYamlDocument } from './yaml';

describe('toYamlDocument', () => {
  it('emits a document that parses back to the input', () => {
    const policy = {
      name: 'Policy: "quoted"\nnext',
      description: null,
      enabled: true,
      actions: [{ scan: 'cluster_image_scanning' }, { scan: 'sast', variables: {} }],
      rules: [
        { type: 'schedule', cadence: '30 2 * * *', agents: { 'my-agent': { namespaces: ['a', 'b'] }, yes: {} } },
        { type: 'pipeline', branches: [] },
      ],
      nested: [[1, 2], ['x']],
      n: 1.5,
    };
    const text = toYamlDocument(policy);
    expect(text.startsWith('---\n')).toBe(true);
    expect(load(text)).toEqual(policy);
  });

  it('handles scalars and empty containers at the top', () => {
    expect(load(toYamlDocument({}))).toEqual({});
    expect(load(toYamlDocument('x'))).toBe('x');
  });
});
