import { parseDocument, type Tags } from 'yaml';

// CloudFormation's short-form intrinsics (!Ref, !Sub, ...) as plain {Fn::X: ...} values, so
// addon templates parse like any other YAML.
const intrinsics = [
  'Ref',
  'Sub',
  'GetAtt',
  'Join',
  'Split',
  'If',
  'Not',
  'Equals',
  'And',
  'Or',
  'Select',
  'GetAZs',
  'ImportValue',
  'FindInMap',
  'Base64',
  'Cidr',
  'Condition',
];
const cloudFormationTags: Tags = intrinsics.flatMap((name) => {
  const key = name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;
  return (['scalar', 'seq', 'map'] as const).map((collection) => ({
    tag: `!${name}`,
    ...(collection === 'scalar' ? {} : { collection }),
    resolve: (value: unknown) => ({
      [key]: typeof value === 'object' && value !== null && 'toJSON' in value ? (value as { toJSON(): unknown }).toJSON() : value,
    }),
  }));
}) as Tags;

export class YamlError extends Error {}

/** Parses one YAML file; syntax errors name the line. */
export function parseYaml(text: string, file: string): unknown {
  const doc = parseDocument(text, { customTags: cloudFormationTags, uniqueKeys: true, prettyErrors: true });
  const [error] = doc.errors;
  if (error) throw new YamlError(`${file}: ${error.message.split('\n')[0]}`);
  return doc.toJS();
}
