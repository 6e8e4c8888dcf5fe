// The Debian packages the tests drive for real: Mosquitto (an external MQTT broker) and Chromium
// (the browser tests, via playwright-core). Installs what is missing when it can (root, or sudo
// without a password); otherwise stops with the exact command to run.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const needed = [
  { pkg: 'mosquitto', present: () => existsSync('/usr/sbin/mosquitto') || which('mosquitto') },
  { pkg: 'chromium', present: () => existsSync('/usr/bin/chromium') || which('chromium') },
];

function which(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

const missing = needed.filter((n) => !n.present()).map((n) => n.pkg);
if (missing.length === 0) process.exit(0);

const cmd = `apt-get install -y --no-install-recommends ${missing.join(' ')}`;
const root = process.getuid?.() === 0;
const sudo = !root && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0;
if (!root && !sudo) {
  console.error(`The tests need these Debian packages: ${missing.join(', ')}. Install them with:\n  sudo apt-get update && sudo ${cmd}`);
  process.exit(1);
}
console.log(`installing ${missing.join(', ')} (needed by the tests)…`);
const prefix = root ? '' : 'sudo -n ';
const r = spawnSync('sh', ['-c', `${prefix}apt-get update -qq && DEBIAN_FRONTEND=noninteractive ${prefix}${cmd} -qq`], { stdio: 'inherit' });
if (r.status !== 0) {
  console.error(`installing failed; run by hand:\n  sudo apt-get update && sudo ${cmd}`);
  process.exit(1);
}
