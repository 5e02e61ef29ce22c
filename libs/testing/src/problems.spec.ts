import { problemCatalog, problemTypeUri, type ProblemCode } from '@forum/errors';
import { problemTypes } from './problems';

describe('the problem types of the contract', () => {
  it('when the catalog is rendered, then every code has exactly the documented URN, and no code is undocumented', () => {
    const rendered = Object.fromEntries(Object.keys(problemCatalog).map((code) => [code, problemTypeUri(code as ProblemCode)]));
    expect(rendered).toEqual(problemTypes);
  });
});
