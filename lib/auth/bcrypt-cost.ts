/**
 * Chosen from a measurement on Node 24 (bcryptjs, one x86-64 core; `node bench/login.ts`): cost 10 ≈ 85 ms,
 * 11 ≈ 150 ms, 12 ≈ 310 ms per hash. A 512 MB Lambda gets about a third of a vCPU, so 11 is ≈ 0.5 s there and
 * 12 would pass 1 s per login. Kept import-free so configuration and scripts can read it without side effects.
 */
export const DEFAULT_BCRYPT_COST = 11;
