/** Every process below `pid`, from /proc (Linux). */
export function descendants(pid: number): number[];
/** SIGKILLs `pid` and everything below it; returns how many processes were signalled. */
export function killTree(pid: number): number;
