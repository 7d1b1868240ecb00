// The report's plots: data files and a gnuplot script per plot, rendered to PNG (pngcairo),
// axes named with their units, log scales where counts span decades.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const TERMINAL = "set terminal pngcairo size 900,520 font 'DejaVu Sans,11' noenhanced";

function render(dir, name, script) {
  const file = join(dir, `${name}.gp`);
  writeFileSync(file, `${TERMINAL}\nset output '${join(dir, `${name}.png`)}'\nset grid\nset key outside right\n${script}\n`);
  execFileSync('gnuplot', [file], { stdio: ['ignore', 'ignore', 'inherit'] });
}

const quoted = (s) => `"${s.replace(/"/g, "'")}"`;

/** Start-up: median with the 10th–90th percentile as an error bar, one bar per way. */
export function startupPlot(dir, rows) {
  writeFileSync(join(dir, 'startup.dat'),
    rows.map((r, i) => `${i} ${r.median} ${r.p10} ${r.p90} ${quoted(r.name)}`).join('\n') + '\n');
  render(dir, 'startup', `set title 'Start-up: spawn to exit (median, 10th-90th percentile)'
set ylabel 'wall time (ms, log scale)'
set logscale y
set style fill solid 0.6
set boxwidth 0.6
set xtics rotate by -25
set bmargin 8
set rmargin 16
unset key
set yrange [0.5:*]
plot '${join(dir, 'startup.dat')}' using 1:2:xtic(5) with boxes lc rgb '#4477aa', '' using 1:2:3:4 with yerrorbars lc rgb 'black' pt 0`);
}

/** Resolution time against references, one plot per latency, a line per store, the floors dashed. */
export function resolutionPlots(dir, rows) {
  const stores = [...new Set(rows.map((r) => r.store))];
  const names = [];
  for (const latency of [...new Set(rows.map((r) => r.latencyMs))]) {
    const lines = [];
    stores.forEach((store, i) => {
      const file = join(dir, `resolution-${latency}-${i}.dat`);
      writeFileSync(file, rows.filter((r) => r.store === store && r.latencyMs === latency)
        .map((r) => `${r.references} ${r.ms} ${r.floorMs}`).join('\n') + '\n');
      lines.push(`'${file}' using 1:2 with linespoints lw 2 pt 7 lc ${i + 1} title ${quoted(store)}`);
      lines.push(`'${file}' using 1:3 with lines dt 2 lc ${i + 1} notitle`);
    });
    const name = `resolution-${latency}ms`;
    render(dir, name, `set title 'Resolution: ${latency} ms per answer (dashed: the floor of each store)'
set xlabel 'references to one store (log scale)'
set ylabel 'launch wall time (ms, log scale)'
set logscale xy
plot ${lines.join(', \\\n     ')}`);
    names.push(name);
  }
  return names;
}

/** Peak RSS against references (at the largest latency), a line per store. */
export function memoryPlot(dir, rows) {
  const latency = Math.max(...rows.map((r) => r.latencyMs));
  const stores = [...new Set(rows.map((r) => r.store))];
  const lines = stores.map((store, i) => {
    const file = join(dir, `memory-${i}.dat`);
    writeFileSync(file, rows.filter((r) => r.store === store && r.latencyMs === latency)
      .map((r) => `${r.references} ${r.rssKiB / 1024}`).join('\n') + '\n');
    return `'${file}' using 1:2 with linespoints lw 2 pt 7 lc ${i + 1} title ${quoted(store)}`;
  });
  render(dir, 'memory', `set title 'Launcher peak RSS while resolving (${latency} ms per answer)'
set xlabel 'references to one store (log scale)'
set ylabel 'peak RSS (MiB)'
set logscale x
set yrange [0:*]
plot ${lines.join(', \\\n     ')}`);
}

/** Round-trip latency as a cumulative distribution, one line per way. */
export function cdfPlot(dir, name, title, rows) {
  const lines = rows.map((r, i) => {
    const file = join(dir, `${name}-${i}.dat`);
    const s = r.trips.slice().sort((a, b) => a - b);
    writeFileSync(file, s.map((ms, k) => `${ms} ${(k + 1) / s.length}`).join('\n') + '\n');
    return `'${file}' using 1:2 with lines lw 2 lc ${i + 1} title ${quoted(r.name)}`;
  });
  render(dir, name, `set title '${title}'
set xlabel 'round trip (ms, log scale)'
set ylabel 'fraction of calls'
set logscale x
set yrange [0:1]
plot ${lines.join(', \\\n     ')}`);
}
