import { readFileSync } from 'node:fs';

/** Linux's USER_HZ: /proc/<pid>/stat counts CPU time in these ticks. */
const TICKS_PER_SECOND = 100;

/** VmRSS (resident now) and VmHWM (resident peak) of a process, in MiB, from /proc/<pid>/status. */
export function memoryOf(pid: number): { rssMiB: number; peakMiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rssMiB: kib('VmRSS') / 1024, peakMiB: kib('VmHWM') / 1024 };
}

/** User + system CPU seconds the process has used so far, from /proc/<pid>/stat. */
export function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** Measures a process's CPU use over some work: fraction of one core. */
export async function cpuShareDuring<T>(pid: number, work: () => Promise<T>): Promise<{ result: T; cpuShare: number }> {
  const cpuBefore = cpuSecondsOf(pid);
  const started = performance.now();
  const result = await work();
  const wallSeconds = (performance.now() - started) / 1000;
  return { result, cpuShare: (cpuSecondsOf(pid) - cpuBefore) / wallSeconds };
}
