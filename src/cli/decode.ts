import type { Command } from './main.js';

export const decodeCommand: Command = {
  summary: 'decode a raw MeshCore frame given as hex',
  async run() {
    process.stderr.write('meshlens decode: not implemented yet\n');
    return 2;
  },
};
