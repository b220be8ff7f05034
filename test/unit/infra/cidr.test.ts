import { isNetworkAddress, privateSubnetOffset, subnetCidr } from '#infra/cidr';
import { InfraError } from '#infra/errors';

/** Whether `inner` lies entirely inside `outer` (both IPv4 CIDRs). */
function contains(outer: string, inner: string): boolean {
  const range = (cidr: string) => {
    const [address = '', bits = ''] = cidr.split('/');
    const start = address.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
    return [start, start + 2 ** (32 - Number(bits)) - 1] as const;
  };
  const [outerStart, outerEnd] = range(outer);
  const [innerStart, innerEnd] = range(inner);
  return innerStart >= outerStart && innerEnd <= outerEnd;
}

/** The subnets the network component creates for `zones` zones: public 0..n-1, private from the offset. */
function layout(vpc: string, zones: number): string[] {
  const offset = privateSubnetOffset(vpc);
  return [
    ...Array.from({ length: zones }, (_, i) => subnetCidr(vpc, i)),
    ...Array.from({ length: zones }, (_, i) => subnetCidr(vpc, offset + i)),
  ];
}

describe('subnet layout', () => {
  it('keeps the /16 layout: public from the first /24, private from the 100th', () => {
    expect(layout('10.20.0.0/16', 2)).toEqual([
      '10.20.0.0/24',
      '10.20.1.0/24',
      '10.20.100.0/24',
      '10.20.101.0/24',
    ]);
  });

  it('places private subnets in the upper half of a /20', () => {
    expect(layout('10.20.16.0/20', 3)).toEqual([
      '10.20.16.0/24',
      '10.20.17.0/24',
      '10.20.18.0/24',
      '10.20.24.0/24',
      '10.20.25.0/24',
      '10.20.26.0/24',
    ]);
  });

  it.each(['10.20.0.0/16', '10.20.128.0/17', '172.16.64.0/18', '192.168.32.0/19', '10.0.240.0/20'])(
    'keeps every subnet of %s (three zones) inside the VPC, without overlap',
    (vpc) => {
      const subnets = layout(vpc, 3);
      for (const subnet of subnets) expect(contains(vpc, subnet)).toBe(true);
      expect(new Set(subnets).size).toBe(subnets.length);
    },
  );

  it('refuses a /24 the VPC does not hold instead of returning one outside it', () => {
    expect(() => subnetCidr('10.20.16.0/20', 16)).toThrow(InfraError);
    expect(() => subnetCidr('10.20.16.0/20', 16)).toThrow('10.20.16.0/20 has no /24 number 16 (it holds 16)');
  });

  it('tells a network address from one with host bits set', () => {
    expect(isNetworkAddress('10.20.16.0/20')).toBe(true);
    expect(isNetworkAddress('10.20.17.0/20')).toBe(false);
    expect(isNetworkAddress('10.20.0.0/16')).toBe(true);
  });
});
