// Authentication and publish ACL of the embedded broker (issue 13 #5: with anonymous access,
// anyone who reaches the port could publish 70,000 fake observers). Accounts come from config:
// meshlens's own (`broker.username` / `password`, full access), the internal subscriber's
// generated one, and `broker.users[]`, each optionally limited to publishing on its `topics`
// (MQTT patterns, e.g. `meshcore/+/<PUBKEY>/#`). Passwords are compared as SHA-256 digests
// with timingSafeEqual (constant time, any length); no secret is ever logged or reported.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { AuthenticateError, Client } from 'aedes';

export interface BrokerUser {
  username: string;
  password: string;
  /** Topic patterns this user may publish to (`+` one level, `#` the rest); absent: any. */
  topics?: string[];
}

/** The broker options that decide who may connect (EmbeddedBrokerOptions extends them). */
export interface BrokerAuthOptions {
  host: string;
  /** meshlens's own account (config broker.username / password): full access. */
  username?: string;
  password?: string;
  /** Observers' accounts, each with an optional publish ACL. */
  users?: BrokerUser[];
  /** Clients without a user name; default: only when bound to loopback and no account is set. */
  allowAnonymous?: boolean;
  /** The internal subscriber's generated account (broker-thread.ts), so it connects whatever the settings. */
  internal?: { username: string; password: string };
}

interface Account {
  digest: Buffer;
  topics: string[] | null;
}

const digest = (b: Buffer | string): Buffer => createHash('sha256').update(b).digest();
/** Compared against when the user name is unknown, so that its time matches a known one's. */
const NOBODY = digest('\u0000meshlens-no-such-user');

/** An MQTT topic pattern match (`+` one level, `#` this level and below). */
export function topicMatches(pattern: string, topic: string): boolean {
  const p = pattern.split('/');
  const t = topic.split('/');
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '#') return true;
    if (i >= t.length || (p[i] !== '+' && p[i] !== t[i])) return false;
  }
  return p.length === t.length;
}

/** True for 127.0.0.0/8, ::1 and localhost: only this machine can connect. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export class BrokerAuth {
  readonly #accounts = new Map<string, Account>();
  /** Per connected client, the ACL of its account (null = any topic). */
  readonly #acl = new WeakMap<Client, string[] | null>();
  readonly #allowAnonymous: boolean;
  authFailures = 0;
  publishDenied = 0;

  constructor(users: readonly BrokerUser[], allowAnonymous: boolean) {
    for (const u of users)
      this.#accounts.set(u.username, { digest: digest(u.password), topics: u.topics ? [...u.topics] : null });
    this.#allowAnonymous = allowAnonymous;
  }

  /** The accounts and anonymous policy of the broker's options. */
  static fromOptions(o: BrokerAuthOptions): BrokerAuth {
    const users: BrokerUser[] = [...(o.users ?? [])];
    if (o.username !== undefined && o.password !== undefined)
      users.push({ username: o.username, password: o.password });
    if (o.internal) users.push({ ...o.internal });
    const configured = (o.users?.length ?? 0) > 0 || o.username !== undefined;
    return new BrokerAuth(users, o.allowAnonymous ?? (isLoopbackHost(o.host) && !configured));
  }

  /** aedes `authenticate`: CONNACK 4 (bad user name or password) for every refusal. */
  authenticate(
    client: Client,
    user: string | undefined,
    pass: Buffer | undefined,
  ): [AuthenticateError | null, boolean] {
    const account = user === undefined ? undefined : this.#accounts.get(user);
    // With anonymous access on, a name that is no account is anonymous (as in Mosquitto
    // without a password file); a known name still needs its password.
    if (!account && this.#allowAnonymous) {
      this.#acl.set(client, null);
      return [null, true];
    }
    const given = digest(pass ?? Buffer.alloc(0));
    const same = timingSafeEqual(account ? account.digest : NOBODY, given);
    if (account && same) {
      this.#acl.set(client, account.topics);
      return [null, true];
    }
    this.authFailures++;
    const err = new Error('bad user name or password') as AuthenticateError;
    err.returnCode = 4;
    return [err, false];
  }

  /** aedes `authorizePublish`: $SYS/ is reserved; a user with topics publishes only there. */
  authorizePublish(client: Client | null, topic: string): Error | null {
    const acl = client ? this.#acl.get(client) : null;
    if (!topic.startsWith('$SYS/') && (!acl || acl.some((p) => topicMatches(p, topic)))) return null;
    this.publishDenied++;
    return new Error(`publish to ${topic.slice(0, 100)} not allowed`);
  }
}
