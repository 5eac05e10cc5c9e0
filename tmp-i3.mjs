import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
const dir = process.argv[2];
const { DatasetState } = await import(dir + '/dist/src/engine/profile/dataset-state.js');
const text = readFileSync('/tmp/block8m.csv', 'utf8');
const rows = Papa.parse(text, { skipEmptyLines: true }).data;
const header = rows.shift(); rows.pop();
let best = Infinity;
for (let r = 0; r < Number(process.env.REPS ?? 8); r++) {
  const t0 = process.cpuUsage();
  const st = DatasetState.create(header, r);
  for (let i = 0; i < rows.length; i += 256) st.updateRows(rows.slice(i, i + 256));
  st.flush();
  JSON.stringify(st.toJSON());
  const u = process.cpuUsage(t0);
  best = Math.min(best, (u.user + u.system) / 1000);
}
console.log(dir, 'best cpu ms', best.toFixed(0));
