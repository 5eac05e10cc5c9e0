import { readFileSync, readdirSync } from 'node:fs';
for (const d of ['/tmp/prof/a', '/tmp/prof/b']) {
  const f = readdirSync(d)[0];
  const p = JSON.parse(readFileSync(`${d}/${f}`, 'utf8'));
  const self = new Map();
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const dt = p.timeDeltas; let total = 0;
  const counts = new Map();
  p.samples.forEach((id, i) => counts.set(id, (counts.get(id) ?? 0) + (dt[i] ?? 0)));
  for (const [id, t] of counts) { const n = byId.get(id); const key = n.callFrame.functionName + ' ' + n.callFrame.url.split('/').slice(-2).join('/') + ':' + n.callFrame.lineNumber; self.set(key, (self.get(key) ?? 0) + t); total += t; }
  console.log(d, 'total ms', (total / 1000).toFixed(0));
  for (const [k, t] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 22)) console.log('  ', (t / 1000).toFixed(0).padStart(6), k);
}
