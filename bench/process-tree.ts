import { readdir, readFile } from 'node:fs/promises';

export interface TreeMemory {
  processes: number;
  threads: number;
  /** Resident memory summed over the tree: pages shared between processes (PostgreSQL's buffers) count in each. */
  rssBytes: number;
  /** Proportional set size summed over the tree: a shared page counts once, split among the processes sharing it. */
  pssBytes: number;
}

const field = (text: string, name: string) =>
  Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? 0);

/** `pid` and all its descendants, from the parent ids in /proc/<pid>/stat. */
async function processTree(rootPid: number) {
  const parents = new Map<number, number>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    // The command name (in parentheses) may hold spaces: the fields after it are unambiguous.
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (stat) parents.set(Number(entry), ppid);
  }
  const tree = [rootPid];
  for (let index = 0; index < tree.length; index++) {
    for (const [pid, ppid] of parents) if (ppid === tree[index]) tree.push(pid);
  }
  return tree;
}

/**
 * The memory of a process and all its descendants, read from /proc/<pid>/smaps_rollup (Linux); processes that
 * exit while being read are left out.
 *
 * @example
 * const { pssBytes } = await treeMemory(child.pid);
 */
export async function treeMemory(rootPid: number): Promise<TreeMemory> {
  const memory: TreeMemory = { processes: 0, threads: 0, rssBytes: 0, pssBytes: 0 };
  for (const pid of await processTree(rootPid)) {
    const [rollup, status] = await Promise.all([
      readFile(`/proc/${pid}/smaps_rollup`, 'utf8').catch(() => ''),
      readFile(`/proc/${pid}/status`, 'utf8').catch(() => ''),
    ]);
    if (!rollup) continue;
    memory.processes += 1;
    memory.threads += field(status, 'Threads');
    memory.rssBytes += field(rollup, 'Rss') * 1024;
    memory.pssBytes += field(rollup, 'Pss') * 1024;
  }
  return memory;
}
