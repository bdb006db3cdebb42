// The browser tests run under Mocha (web-test-runner's default), whose globals have no types installed here;
// these few are all the tests use. Delete this file if @types/mocha is ever added.
type MochaBody = (this: unknown) => void | Promise<unknown>;

declare function describe(title: string, body: () => void): void;
declare function it(title: string, body: MochaBody): void;
declare function before(body: MochaBody): void;
declare function after(body: MochaBody): void;
declare function beforeEach(body: MochaBody): void;
declare function afterEach(body: MochaBody): void;
