// Hashing for the sandbox: sha256 for API keys and session tokens (stored hashed, never in clear),
// scrypt for passwords (`scrypt$N$r$p$salt$hash`, so the cost can change without a migration).
import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 32 };

function scryptAsync(password: string, salt: Buffer, N: number, r: number, p: number, keylen: number) {
  return new Promise<Buffer>((resolve, reject) =>
    scrypt(password, salt, keylen, { N, r, p, maxmem: 128 * N * r * 2 }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, SCRYPT.N, SCRYPT.r, SCRYPT.p, SCRYPT.keylen);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, saltB64, keyB64] = parts;
  const expected = Buffer.from(keyB64, 'base64');
  const key = await scryptAsync(password, Buffer.from(saltB64, 'base64'), +n, +r, +p, expected.length);
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A new session token (random, 256 bit). Only its sha256 is stored. */
export function newSessionToken(): string {
  return `svs_${randomBytes(32).toString('base64url')}`;
}

/**
 * A new random demo API key (128 bit) for one sandbox database: nobody can compute another
 * sandbox's keys. Only its sha256 is stored; the plain key lives in the owner-only credentials file.
 */
export function newDemoApiKey(tenant: string, role: string): string {
  return `sv_${tenant}_${role}_demo_${randomBytes(16).toString('hex')}`;
}

/** A random demo key as newDemoApiKey makes them (older sandboxes derived shorter ones from a public string). */
export const RANDOM_DEMO_KEY = /^sv_[a-z0-9]+_[a-z_]+_demo_[0-9a-f]{32}$/;

/** Short uppercase id part, e.g. for INC-YYYYMMDD-XXXXXX. */
export function randomCode(length: number): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(length);
  let s = '';
  for (let i = 0; i < length; i++) s += alphabet[bytes[i] % alphabet.length];
  return s;
}

/** Canonical JSON: object keys sorted at every level (for stable hashes). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value as Record<string, unknown>).sort()) {
      out[k] = sortKeys((value as Record<string, unknown>)[k]);
    }
    return out;
  }
  return value;
}
