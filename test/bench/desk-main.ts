import { benchDesk } from './desk.js';

for (const [k, v] of Object.entries(await benchDesk())) console.log(`${k.padEnd(40)} ${v}`);
