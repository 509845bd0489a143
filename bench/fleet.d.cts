export interface FleetShape {
  plans: number;
  coreapiLinks: number;
  fynnLinks: number;
  polarProducts: number;
  polarLinks: number;
}
export function fleetShape(n: number): FleetShape;
export function fleetResources(n: number): number;
export function fleetProgram(opts: {
  n: number;
  prefix?: string;
  revision?: number;
  touchEvery?: number;
}): string;
export function polarFleetProgram(opts: { products: number; links: number; prefix?: string }): string;
export function fleetConfig(
  baseUrls: { coreapi: string; fynn: string; polar: string },
  tokens: { fynnAcme: string; polarAcme: string },
): Record<string, { value: string; secret?: boolean }>;
export type FleetKind = "plans" | "coreapiLinks" | "fynnLinks" | "products" | "polarLinks";
export const KINDS: FleetKind[];
export function fleetDeclared(n: number): Record<FleetKind, number>;

export function fleetLive(state: any, prefix: string): Record<FleetKind, string[]>;

export function fleetInState(checkpoint: any): Record<FleetKind, string[]>;
