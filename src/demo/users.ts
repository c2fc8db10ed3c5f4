// The shop's demo accounts. The third breaks iAdvize's userId rule (at most 255 characters) on
// purpose: the token service refuses to mint a token for it and the page shows the failure.
import type { VisitorData } from '../token/claims.js';

export interface DemoUser {
  /** The key in URLs, forms and test ids (`sign-in-<key>`). */
  readonly key: string;
  /** The userId claim sent to iAdvize. */
  readonly id: string;
  readonly label: string;
  readonly visitorData?: VisitorData;
}

const LONG_ID_LENGTH = 300;

export const DEMO_USERS: readonly DemoUser[] = [
  {
    key: 'alice',
    id: 'alice',
    label: 'Alice',
    visitorData: { firstName: 'Alice', lastName: 'Martin', email: 'alice@shop.example' },
  },
  { key: 'bob', id: 'bob', label: 'Bob', visitorData: { firstName: 'Bob', lastName: 'Durand' } },
  {
    key: 'long',
    id: 'a-user-id-longer-than-iadvize-allows-'.repeat(10).slice(0, LONG_ID_LENGTH),
    label: `A ${LONG_ID_LENGTH}-character user id`,
  },
];

export function findUser(key: unknown): DemoUser | undefined {
  return DEMO_USERS.find((user) => user.key === key);
}
