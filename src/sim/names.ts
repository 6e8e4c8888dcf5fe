// Plausible node names. Advert app data is capped at 32 bytes (spec packet-format §5.4), so names
// are cut to fit by the frame encoder; here they only need to look like real ones and avoid the
// characters that break the `sender: text` split of channel messages (`:`, `[`, `]`).
import type { Prng } from './prng.js';

const PLACES = [
  'Tiger Mtn',
  'Cougar',
  'Squak',
  'Rattlesnake',
  'Capitol Hill',
  'Ballard',
  'Queen Anne',
  'Lakewood',
  'Renton',
  'Issaquah',
  'Bothell',
  'Everett',
  'Kent',
  'Auburn',
  'Tacoma',
  'Gig Harbor',
  'Mt Hood',
  'Larch',
  'Hillsboro',
  'Gresham',
  'Beaverton',
  'Burnaby',
  'Surrey',
  'Grouse',
  'Seymour',
  'Coquitlam',
  'Loma Prieta',
  'Mt Umunhum',
  'Santa Teresa',
  'Los Gatos',
  'Campbell',
  'Milpitas',
  'Sunnyvale',
  'Mt Hamilton',
  'Folsom',
  'Davis',
  'Roseville',
  'Elk Grove',
  'Bogus Basin',
  'Table Rock',
  'Meridian',
  'Nampa',
  'Eagle',
  'Summit',
  'Ridge',
  'Valley',
  'Harbor',
  'Bayview',
  'Pinecrest',
  'Oak Knoll',
];
const REPEATER_SUFFIX = ['Rptr', 'Repeater', 'RPT', 'R1', 'Solar', 'RAK', 'Heltec R', 'Relay'];
const FIRST = [
  'alice',
  'bob',
  'carol',
  'dave',
  'erin',
  'frank',
  'grace',
  'heidi',
  'ivan',
  'judy',
  'ken',
  'lena',
  'mike',
  'nina',
  'oscar',
  'peggy',
  'quinn',
  'rosa',
  'sam',
  'tina',
  'ursula',
  'victor',
  'wendy',
  'xavi',
  'yara',
  'zed',
  'KJ7ABC',
  'W7XYZ',
  'VE7QRP',
  'N6MESH',
  'K6RKY',
  'KI7OPQ',
];
const DEVICES = ['T1000', 'T-Deck', 'Heltec', 'RAK', 'Wio', 'V3', 'mobile', 'base', 'HT', 'car'];
const EMOJI = ['🏔️', '📡', '🌲', '⚡', '🛰️', '🏠'];

export type NameRole = 'repeater' | 'companion' | 'room' | 'sensor';

export function makeName(rng: Prng, role: NameRole): string {
  const place = rng.pick(PLACES);
  const emoji = rng.chance(0.08) ? ` ${rng.pick(EMOJI)}` : '';
  switch (role) {
    case 'repeater':
      return `${place} ${rng.pick(REPEATER_SUFFIX)}${emoji}`;
    case 'room':
      return `${place} Room${emoji}`;
    case 'sensor':
      return `${place} WX ${1 + rng.int(9)}`;
    case 'companion': {
      const first = rng.pick(FIRST);
      return rng.chance(0.5) ? `${first}-${rng.pick(DEVICES)}` : `${first}${emoji}`;
    }
  }
}

const MESSAGES = [
  'hello mesh',
  'anyone on tonight?',
  'testing from the ridge',
  'copy that',
  'heard you 3 hops out',
  'new repeater is up',
  'good morning all',
  'signal check please',
  'rain moving in',
  'traffic on I-5 is bad',
  'net starts at 7pm',
  'who has the best antenna here',
  'back home now',
  'thanks for the relay',
  'solar panel holding up',
  'wow that went far',
  'checking in',
  'is the summit node down?',
  '73',
  'anyone near the lake?',
  'coffee at 9?',
  'battery at 40%',
  'trying the new firmware',
  'ping',
];

export function makeMessage(rng: Prng): string {
  const m = rng.pick(MESSAGES);
  return rng.chance(0.2) ? `${m} #${1 + rng.int(999)}` : m;
}
