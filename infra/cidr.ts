/**
 * IPv4 CIDR arithmetic of the network layout: the VPC is cut into /24 subnets, public ones first, private
 * ones from privateSubnetOffset. Pure functions (stage config validation uses them without loading AWS).
 */
import { InfraError } from './errors';

/** Size of every subnet: a /24 (251 usable addresses; VPC Lambda functions share Hyperplane ENIs). */
export const SUBNET_PREFIX = 24;

/** Index of the first private /24: 100 in a /16 as before; the upper half of a smaller VPC. */
export function privateSubnetOffset(vpcCidr: string): number {
  const { prefix } = parseCidr(vpcCidr);
  return Math.min(100, 2 ** (SUBNET_PREFIX - prefix) / 2);
}

function parseCidr(cidr: string): { base: number; prefix: number } {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  const octets = match ? match.slice(1, 5).map(Number) : [];
  const prefix = Number(match?.[5]);
  if (!match || octets.some((octet) => octet > 255) || prefix > 32) {
    throw new InfraError(`'${cidr}' is not an IPv4 CIDR block`);
  }
  const base = octets.reduce((acc, octet) => acc * 256 + octet, 0);
  return { base, prefix };
}

/** The host bits of a CIDR's address are all zero (10.20.0.0/16, not 10.20.1.0/16). */
export function isNetworkAddress(cidr: string): boolean {
  const { base, prefix } = parseCidr(cidr);
  return base % 2 ** (32 - prefix) === 0;
}

/**
 * The n-th /24 inside a VPC CIDR (10.20.0.0/16, 3 -> 10.20.3.0/24; 10.20.16.0/20, 9 -> 10.20.25.0/24).
 * Throws when the VPC has no n-th /24, so no subnet can fall outside its VPC.
 */
export function subnetCidr(vpcCidr: string, index: number): string {
  const { base, prefix } = parseCidr(vpcCidr);
  const count = 2 ** (SUBNET_PREFIX - prefix);
  if (prefix > SUBNET_PREFIX || !Number.isInteger(index) || index < 0 || index >= count) {
    throw new InfraError(`${vpcCidr} has no /24 number ${index} (it holds ${Math.max(count, 0)})`);
  }
  const address = base - (base % 2 ** (32 - prefix)) + index * 256;
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256);
  return `${octets.join('.')}/${SUBNET_PREFIX}`;
}
