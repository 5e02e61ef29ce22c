import { defineCommand, parseCommand, UsageError, usageOf } from './command';

const example = defineCommand({
  name: 'example',
  summary: 'an example command',
  positional: { name: 'root', doc: 'a folder' },
  options: {
    name: { type: 'string', required: true, doc: 'who' },
    mode: { type: 'string', default: 'fast', doc: 'how' },
    poll: { type: 'number', default: 10, min: 0.5, max: 60, unit: 'seconds', doc: 'how often' },
    count: { type: 'number', min: 1, max: 5, integer: true, doc: 'how many' },
    tag: { type: 'list', doc: 'labels' },
    dry: { type: 'boolean', doc: 'change nothing' },
  },
  run: async () => undefined,
});

const parse = (...args: string[]) => parseCommand(example, args);

describe('one option spec, one parser, one usage printer', () => {
  it('when every kind of option is given, then each comes back typed, with defaults for the rest', () => {
    expect(parse('--name', 'finn', '--count=3', '--tag', 'a', '--tag', 'b', '--dry', 'src')).toEqual({
      help: false,
      values: { name: 'finn', mode: 'fast', poll: 10, count: 3, tag: ['a', 'b'], dry: true },
      positional: 'src',
    });
    expect(parse('--name', 'finn')).toEqual({
      help: false,
      values: { name: 'finn', mode: 'fast', poll: 10, count: undefined, tag: [], dry: false },
      positional: undefined,
    });
  });

  it('when --help is given, then nothing else is checked', () => {
    expect(parse('--help')).toEqual({ help: true });
  });

  it.each([
    [['--mode', 'x'], 'missing --name'],
    [['--name', 'a', '--colour', 'red'], 'unknown option --colour'],
    [['--name', 'a', '--poll', 'abc'], '--poll must be a number of seconds from 0.5 to 60 (got "abc")'],
    [['--name', 'a', '--poll', '0.1'], '--poll must be a number of seconds from 0.5 to 60 (got "0.1")'],
    [['--name', 'a', '--poll', '1e1'], '--poll must be a number of seconds from 0.5 to 60 (got "1e1")'],
    [['--name', 'a', '--count', '2.5'], '--count must be a whole number from 1 to 5 (got "2.5")'],
    [['--name', 'a', 'one', 'two'], 'one root only (got one two)'],
  ])('when the arguments are %j, then a usage error says %s', (args, message) => {
    expect(() => parse(...args)).toThrow(new UsageError(message));
  });

  it('when the usage is printed, then it lists each option with its doc, range and default', () => {
    expect(usageOf(example)).toBe(
      [
        'Usage: node dist/tools/main.js example [root] [options]',
        '',
        'an example command',
        '',
        '  <root>         a folder (optional)',
        '  --name <name>  who',
        '  --mode <mode>  how [fast]',
        '  --poll <n>     how often (0.5-60 seconds) [10]',
        '  --count <n>    how many (1-5)',
        '  --tag <tag>    labels (repeatable)',
        '  --dry          change nothing',
        '',
      ].join('\n'),
    );
  });
});
