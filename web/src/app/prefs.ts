// Browser-side preferences: theme choice and favourite nodes (localStorage, never sent anywhere).
import { computed, effect, signal } from '@preact/signals';

function load<T>(key: string, fallback: T): T {
  try {
    const v = localStorage.getItem(key);
    return v === null ? fallback : (JSON.parse(v) as T);
  } catch {
    return fallback;
  }
}
function save(key: string, value: unknown): void {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    /* private mode: preferences last for this page only */
  }
}

export type ThemeChoice = 'light' | 'dark';
const dark = window.matchMedia('(prefers-color-scheme: dark)');
const stored = (() => {
  try {
    return localStorage.getItem('meshlens-theme');
  } catch {
    return null;
  }
})();
/** The explicit choice, or null to follow the OS. */
export const themeChoice = signal<ThemeChoice | null>(
  stored === 'light' || stored === 'dark' ? stored : null,
);
const osTheme = signal<ThemeChoice>(dark.matches ? 'dark' : 'light');
dark.addEventListener('change', (e) => (osTheme.value = e.matches ? 'dark' : 'light'));

/** The theme in force: the choice, else the OS's. */
export const theme = computed<ThemeChoice>(() => themeChoice.value ?? osTheme.value);

effect(() => document.documentElement.setAttribute('data-theme', theme.value));

export function toggleTheme(): void {
  const next: ThemeChoice = theme.value === 'dark' ? 'light' : 'dark';
  themeChoice.value = next;
  try {
    localStorage.setItem('meshlens-theme', next);
  } catch {
    /* ignore */
  }
}

/** Favourite node public keys (lower-case hex). */
export const favourites = signal<string[]>(load<string[]>('meshlens-favourites', []));
effect(() => save('meshlens-favourites', favourites.value));

export function isFavourite(pk: string): boolean {
  return favourites.value.includes(pk.toLowerCase());
}
export function toggleFavourite(pk: string): void {
  const k = pk.toLowerCase();
  favourites.value = isFavourite(k) ? favourites.value.filter((x) => x !== k) : [...favourites.value, k];
}
