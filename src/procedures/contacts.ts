// The runbook's Contact Directory (defaults) and the `solvereign.contacts` setting (owned by the
// sidebar; read here when present). Same row shape: {role, primary?, backup?, email?, phone?}.

export interface Contact {
  role: string;
  primary?: string | null;
  backup?: string | null;
  email?: string | null;
  phone?: string | null;
}

export const RUNBOOK_CONTACTS: readonly Contact[] = [
  { role: 'Platform Lead', email: 'platform@company.com' },
  { role: 'Ops Lead', email: 'ops@lts-transport.at' },
  { role: 'Dispatcher', email: 'dispatch@lts-transport.at' },
  { role: 'Support Queue', email: 'support@company.com' },
];

export function readContacts(raw: unknown): Contact[] {
  if (!Array.isArray(raw)) return [...RUNBOOK_CONTACTS];
  const out: Contact[] = [];
  for (const r of raw) {
    if (!r || typeof r !== 'object') continue;
    const o = r as Record<string, unknown>;
    if (typeof o.role !== 'string' || !o.role.trim()) continue;
    const s = (k: string) =>
      typeof o[k] === 'string' && (o[k] as string).trim() ? (o[k] as string).trim() : null;
    out.push({
      role: o.role.trim(),
      primary: s('primary'),
      backup: s('backup'),
      email: s('email'),
      phone: s('phone'),
    });
  }
  // Roles the setting does not name keep the runbook's defaults.
  for (const d of RUNBOOK_CONTACTS)
    if (!out.some((c) => c.role.toLowerCase() === d.role.toLowerCase())) out.push(d);
  return out;
}

export function contactFor(contacts: readonly Contact[], role: string): Contact {
  return contacts.find((c) => c.role.toLowerCase() === role.toLowerCase()) ?? { role };
}

/** "Ops Lead <ops@lts-transport.at>" */
export function contactLabel(c: Contact): string {
  const who = c.primary ? `${c.primary} (${c.role})` : c.role;
  const reach = c.email ?? c.phone;
  return reach ? `${who} <${reach}>` : who;
}
