// Heap snapshots reduced to what a leak check needs: bytes and counts per
// object kind, and where two snapshots differ, split into compiled code
// (V8's JIT output and its metadata, which grows as functions tier up),
// V8 internals, and program data (objects, strings, arrays, closures: what
// a leak would be made of).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';

const STRINGY = new Set(['string', 'concatenated string', 'sliced string']);

/**
 * Writes a heap snapshot to a temporary file and returns its path. Parse it
 * with {@link summarizeSnapshot} only after the last snapshot is taken, so
 * no summary sits in the heap being measured.
 */
export function writeSnapshot() {
  const file = path.join(os.tmpdir(), `sigvet-bench-${process.pid}-${Date.now()}-${Math.random().toString(16).slice(2)}.heapsnapshot`);
  v8.writeHeapSnapshot(file);
  return file;
}

/** Reads (and deletes) a snapshot file: a Map "type:name" → { count, bytes }. */
export function summarizeSnapshot(file) {
  try {
    const s = JSON.parse(fs.readFileSync(file, 'utf8'));
    const fields = s.snapshot.meta.node_fields;
    const types = s.snapshot.meta.node_types[0];
    const nf = fields.length;
    const ti = fields.indexOf('type');
    const ni = fields.indexOf('name');
    const si = fields.indexOf('self_size');
    const out = new Map();
    for (let i = 0; i < s.nodes.length; i += nf) {
      const type = types[s.nodes[i + ti]];
      const key = STRINGY.has(type) ? type : `${type}:${String(s.strings[s.nodes[i + ni]]).slice(0, 60)}`;
      const e = out.get(key);
      if (e) {
        e.count++;
        e.bytes += s.nodes[i + si];
      } else out.set(key, { count: 1, bytes: s.nodes[i + si] });
    }
    return out;
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/** The category of a summary key. */
export function categoryOf(key) {
  if (key.startsWith('code:')) return 'compiled code';
  if (key.startsWith('hidden:') || key.includes(':system /')) return 'V8 internal';
  return 'program data';
}

/** Growth from snapshot `a` to `b`: per category, and the largest program-data changes. */
export function heapDiff(a, b, top = 8) {
  const byCategory = { 'program data': { count: 0, bytes: 0 }, 'compiled code': { count: 0, bytes: 0 }, 'V8 internal': { count: 0, bytes: 0 } };
  const changes = [];
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(key) ?? { count: 0, bytes: 0 };
    const y = b.get(key) ?? { count: 0, bytes: 0 };
    const dc = y.count - x.count;
    const db = y.bytes - x.bytes;
    if (dc === 0 && db === 0) continue;
    const c = categoryOf(key);
    byCategory[c].count += dc;
    byCategory[c].bytes += db;
    if (c === 'program data') changes.push({ kind: key, count: dc, bytes: db });
  }
  changes.sort((p, q) => Math.abs(q.bytes) - Math.abs(p.bytes));
  return { byCategory, topProgramData: changes.slice(0, top) };
}
