import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { clientAddress } from '#lib/http/client-address.ts';

const from = (sourceIp: string) => ({ requestContext: { http: { sourceIp } } }) as APIGatewayProxyEventV2;

describe('clientAddress', () => {
  it.each([
    ['198.51.100.7', '198.51.100.7'],
    ['2001:db8:7:42:a1b2::9', '2001:db8:7:42::/64'],
    ['2001:0db8:0007:0042:ffff:ffff:ffff:ffff', '2001:db8:7:42::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['::ffff:198.51.100.7', '198.51.100.7'],
    ['::FFFF:c633:6407', '198.51.100.7'],
    ['64:ff9b::198.51.100.7', '64:ff9b:0:0::/64'],
    ['unknown', 'unknown'],
  ])('keys %s as %s', (sourceIp, expected) => {
    // Act & Assess
    expect(clientAddress(from(sourceIp))).toBe(expected);
  });

  it('never reads an address from a header the client writes', () => {
    // Prepare
    const event = {
      headers: { 'x-forwarded-for': '192.0.2.1' },
      requestContext: {},
    } as unknown as APIGatewayProxyEventV2;

    // Act & Assess
    expect(clientAddress(event)).toBe('unknown');
  });
});
